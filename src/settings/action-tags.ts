/**
 * The tags the action adds to every update it creates (plan/fingerprint.ts fills in their values). Users' tags may
 * not use the prefix, and the 50 tags IoT allows per resource leave room for these.
 */
export const ACTION_TAG_PREFIX = 'ota-action:';

export const ACTION_TAG_KEYS = {
  roleArn: `${ACTION_TAG_PREFIX}role-arn`,
  abortConfig: `${ACTION_TAG_PREFIX}abort-config`,
  timeoutConfig: `${ACTION_TAG_PREFIX}timeout-config`,
} as const;

/** IoT's limit of tags per resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

/** How many tags a user may give. */
export const MAX_USER_TAGS = MAX_TAGS_PER_RESOURCE - Object.keys(ACTION_TAG_KEYS).length;

/**
 * What GetOTAUpdate never returns, made comparable. An update keeps its roleArn, abort config and timeout config
 * to itself, so the action stores a fingerprint of each (one tag per field, under its own key prefix, next to the
 * user's tags) when it creates an update, and reads them back with ListTagsForResource on a re-run: a re-run with
 * another ota-role-arn, abort-config or timeout-config is told which one differs, instead of being told it is the
 * same release. The user's own tags are compared as they are.
 */
import { createHash } from 'node:crypto';
import type { CreateOTAUpdateRequest, Tag } from '@aws-sdk/client-iot';
import { ACTION_TAG_KEYS, ACTION_TAG_PREFIX } from '../settings/action-tags.js';
import { canonicalJson } from './canonical-json.js';

/** An update's tags as ListTagsForResource gives them; 'unreadable' when they could not be read. */
export type ExistingTags = Readonly<Record<string, string>> | 'unreadable';

interface UnseenField {
  tag: string;
  /** The request member, and the input that sets it, for messages. */
  name: string;
  value(request: CreateOTAUpdateRequest): unknown;
}

const UNSEEN: readonly UnseenField[] = [
  { tag: ACTION_TAG_KEYS.roleArn, name: 'roleArn (ota-role-arn)', value: (r) => r.roleArn },
  {
    tag: ACTION_TAG_KEYS.abortConfig,
    name: 'awsJobAbortConfig (abort-config)',
    value: (r) => r.awsJobAbortConfig,
  },
  {
    tag: ACTION_TAG_KEYS.timeoutConfig,
    name: 'awsJobTimeoutConfig (timeout-config)',
    value: (r) => r.awsJobTimeoutConfig,
  },
];

function fingerprint(value: unknown): string {
  return `sha256:${createHash('sha256')
    .update(canonicalJson(value ?? null))
    .digest('hex')
    .slice(0, 32)}`;
}

/** The action's tags for `request`: one fingerprint per field GetOTAUpdate does not return. */
export function fingerprintTags(request: CreateOTAUpdateRequest): Tag[] {
  return UNSEEN.map((field) => ({ Key: field.tag, Value: fingerprint(field.value(request)) }));
}

/** The user's tags of a tag list: without the action's own. */
function userTagsOf(tags: readonly Tag[] | undefined): Record<string, string> {
  const user: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.Key !== undefined && !tag.Key.startsWith(ACTION_TAG_PREFIX)) {
      Object.defineProperty(user, tag.Key, { value: tag.Value ?? '', enumerable: true });
    }
  }
  return user;
}

export interface UnseenComparison {
  /** Fields that differ from what the existing update was created with. */
  differences: string[];
  /** Fields that could not be compared (an update made by other tools, or tags that could not be read). */
  notCompared: string[];
}

/** Compares what GetOTAUpdate does not show: the fingerprinted fields, and the user's tags. */
export function compareUnseen(
  request: CreateOTAUpdateRequest,
  tags: ExistingTags | undefined,
): UnseenComparison {
  if (tags === undefined || tags === 'unreadable') {
    return { differences: [], notCompared: [...UNSEEN.map((f) => f.name), 'tags'] };
  }
  const differences: string[] = [];
  const notCompared: string[] = [];
  for (const field of UNSEEN) {
    const had = Object.hasOwn(tags, field.tag) ? tags[field.tag] : undefined;
    if (had === undefined) notCompared.push(field.name);
    else if (had !== fingerprint(field.value(request))) {
      differences.push(`${field.name}: differs from what the existing update was created with`);
    }
  }
  const hadUser = canonicalJson(userTagsOf(Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))));
  const wantUser = canonicalJson(userTagsOf(request.tags));
  if (hadUser !== wantUser) differences.push(`tags: existing ${hadUser}, requested ${wantUser}`);
  return { differences, notCompared };
}

/**
 * The one decision about an OTA update id that IoT already holds, given what the run is about to create. Pure: the
 * planner asks it before anything is written, and the create asks it again when it finds the id taken after all
 * (a concurrent run, or our own create whose reply was lost), so both paths always agree.
 */
import type { CreateOTAUpdateRequest, OTAUpdateInfo } from '@aws-sdk/client-iot';
import { ActionError, sentence } from '../errors.js';
import type { IfExists } from '../types.js';
import { describeDifferences } from './compare.js';
import { compareUnseen, type ExistingTags } from './fingerprint.js';

export type Step =
  /** Nothing holds the id: create the update. */
  | { kind: 'create' }
  /**
   * The id holds this very release: use it as it is (waiting if it is still being created). `notCompared` names
   * what could not be compared (an update made by other tools): worth a warning.
   */
  | { kind: 'reuse'; existing: OTAUpdateInfo; notCompared: string[] }
  /** Delete what holds the id, wait until the id is free, then create. */
  | { kind: 'replace'; existing: OTAUpdateInfo; why: 'if-exists' | 'create-failed' }
  /** Someone is deleting the update: wait until the id is free, then create. */
  | { kind: 'await-deletion'; existing: OTAUpdateInfo };

/**
 * When the question comes up: `plan`, before anything is written; `conflict`, when the create found the id taken.
 * At a conflict nothing is deleted (the update was made a moment ago, by another run of this release or by our own
 * create whose reply was lost): an identical one is adopted, anything else is refused.
 */
type Moment = 'plan' | 'conflict';

export interface DecideOptions {
  moment?: Moment;
  /** The existing update's tags (ListTagsForResource); undefined or 'unreadable' when they are not known. */
  tags: ExistingTags | undefined;
}

export function decide(
  existing: OTAUpdateInfo | undefined,
  request: CreateOTAUpdateRequest,
  ifExists: IfExists,
  { moment = 'plan', tags }: DecideOptions,
): Step {
  if (!existing) return { kind: 'create' };
  const id = request.otaUpdateId ?? '';
  const status = existing.otaUpdateStatus;

  if (status === 'DELETE_IN_PROGRESS') return { kind: 'await-deletion', existing };
  if (ifExists === 'fail') {
    throw new ActionError(
      'ResourceAlreadyExistsException',
      `OTA update ${id} already exists (status ${status ?? 'unknown'}) and if-exists is fail.`,
      {
        hint: 'Set ota-update-id to a new id, or if-exists to reuse (same release) or replace (delete and create again).',
      },
    );
  }
  if (moment === 'plan' && ifExists === 'replace') return { kind: 'replace', existing, why: 'if-exists' };
  if (moment === 'plan' && status === 'CREATE_FAILED')
    return { kind: 'replace', existing, why: 'create-failed' };
  if (status === 'DELETE_FAILED') {
    throw new ActionError(
      'DELETE_FAILED',
      sentence(`OTA update ${id} exists in status DELETE_FAILED: ${errorInfoText(existing)}`),
      {
        hint: 'Delete it in AWS IoT (aws iot delete-ota-update --force-delete-aws-job), or set if-exists to replace.',
      },
    );
  }
  const unseen = compareUnseen(request, tags);
  const differences = [...describeDifferences(existing, request), ...unseen.differences];
  if (differences.length > 0) {
    const what =
      moment === 'plan'
        ? `OTA update ${id} already exists with a different release`
        : `OTA update ${id} was created meanwhile with a different release`;
    throw new ActionError('ExistingUpdateDiffers', `${what}: ${differences.join('; ')}.`, {
      hint:
        moment === 'plan'
          ? 'Give this release its own ota-update-id (or leave it empty to derive one), or set if-exists to replace to delete the existing update and create it again.'
          : 'Another run created this id with other content; give this release its own ota-update-id, or set if-exists to replace.',
    });
  }
  return { kind: 'reuse', existing, notCompared: unseen.notCompared };
}

/** The warning a reuse deserves when some of the release could not be compared; undefined when all was. */
export function notComparedWarning(id: string, notCompared: readonly string[]): string | undefined {
  if (notCompared.length === 0) return undefined;
  return `OTA update ${id} holds this release as far as it can be seen, but ${notCompared.join(', ')} could not be compared: it was not created by this action, or its tags could not be read (iot:ListTagsForResource). Set if-exists: replace to create it anew with exactly these inputs.`;
}

/** AWS's reason for a failed update, as one line. */
export function errorInfoText(info: OTAUpdateInfo): string {
  const code = info.errorInfo?.code;
  const message = info.errorInfo?.message;
  if (!code && !message) return 'AWS gave no error details';
  return [code, message].filter(Boolean).join(': ');
}

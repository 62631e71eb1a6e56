/**
 * What to do about the OTA update id, given what IoT already holds under it. Pure: the decision is data that
 * dry-run prints and apply carries out.
 */
import type { CreateOTAUpdateRequest, OTAUpdateInfo } from '@aws-sdk/client-iot';
import { describeDifferences } from './compare.js';
import { ActionError } from '../errors.js';
import type { IfExists } from '../types.js';

export type Step =
  /** Nothing holds the id: create the update. */
  | { kind: 'create' }
  /** The id holds this very release: use it as it is (waiting if it is still being created). */
  | { kind: 'reuse'; existing: OTAUpdateInfo }
  /** Delete what holds the id, wait until the id is free, then create. */
  | { kind: 'replace'; existing: OTAUpdateInfo; why: 'if-exists' | 'create-failed' }
  /** Someone is deleting the update: wait until the id is free, then create. */
  | { kind: 'await-deletion'; existing: OTAUpdateInfo };

export function decideStep(
  existing: OTAUpdateInfo | undefined,
  request: CreateOTAUpdateRequest,
  ifExists: IfExists,
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
  if (ifExists === 'replace') return { kind: 'replace', existing, why: 'if-exists' };
  if (status === 'CREATE_FAILED') return { kind: 'replace', existing, why: 'create-failed' };
  if (status === 'DELETE_FAILED') {
    throw new ActionError(
      'DELETE_FAILED',
      `OTA update ${id} exists in status DELETE_FAILED: ${errorInfoText(existing)}`,
      {
        hint: 'Delete it in AWS IoT (aws iot delete-ota-update --force-delete-aws-job), or set if-exists to replace.',
      },
    );
  }
  const differences = describeDifferences(existing, request);
  if (differences.length > 0) {
    throw new ActionError(
      'ExistingUpdateDiffers',
      `OTA update ${id} already exists with a different release: ${differences.join('; ')}.`,
      {
        hint: 'Give this release its own ota-update-id (or leave it empty to derive one), or set if-exists to replace to delete the existing update and create it again.',
      },
    );
  }
  return { kind: 'reuse', existing };
}

export function errorInfoText(info: OTAUpdateInfo): string {
  const code = info.errorInfo?.code;
  const message = info.errorInfo?.message;
  if (!code && !message) return 'AWS gave no error details';
  return [code, message].filter(Boolean).join(': ');
}

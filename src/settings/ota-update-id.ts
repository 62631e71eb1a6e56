/**
 * How long an OTA update id may be. IoT names the update's job `AFR_OTA-<id>` and job ids stop at 64 characters (the
 * Jobs API's JobId), so an id (given or derived) keeps to 56 although the OTAUpdateId shape allows 128.
 */
import type { InputProblem } from '../errors.js';
import { INPUTS } from '../runner/names.js';
import { validateShape } from './shape-validation.js';

export const OTA_UPDATE_ID_MAX_LENGTH = 56;

/** What is wrong with a given ota-update-id: the model's shape, and the job id it becomes. */
export function otaUpdateIdProblems(id: string): InputProblem[] {
  if (id.length > OTA_UPDATE_ID_MAX_LENGTH) {
    return [
      {
        input: INPUTS.otaUpdateId,
        message: `must be at most ${OTA_UPDATE_ID_MAX_LENGTH} characters long (IoT names the update's job AFR_OTA-<id>, and job ids stop at 64), got ${id.length}`,
      },
    ];
  }
  return validateShape('OTAUpdateId', id, INPUTS.otaUpdateId);
}

/**
 * Wait: after apply, follow the update until it really exists (CREATE_COMPLETE: its IoT job is there) and, with
 * `wait: rollout`, follow that job on the devices to a verdict. A re-run that reuses the update follows the same
 * job again. Every step records what it learns, so the report has it on success and failure alike.
 */
import type { OTAUpdateInfo } from '@aws-sdk/client-iot';
import type { Settings } from '../types.js';
import type { Applied } from './apply.js';
import type { StageContext } from './context.js';
import { followRollout } from './rollout.js';
import { waitForCreation } from './wait.js';

export async function follow(
  settings: Settings,
  applied: Applied,
  ctx: StageContext,
): Promise<Partial<OTAUpdateInfo>> {
  const { wait, rollout, waitTimeoutSeconds } = settings.behaviour;
  const id = applied.request.otaUpdateId ?? '';
  if (wait === 'none') return applied.info;
  const info =
    applied.info.otaUpdateStatus === 'CREATE_COMPLETE'
      ? applied.info
      : await waitForCreation(
          { otaUpdateId: id, timeoutMs: waitTimeoutSeconds * 1000, what: `OTA update ${id}` },
          ctx,
        );
  if (rollout === undefined) return info;
  await followRollout(ctx.clients.iot, {
    jobId: info.awsIotJobId ?? `AFR_OTA-${id}`,
    successPercentage: rollout.successPercentage,
    cancelOnFailure: rollout.cancelOnFailure,
    timeoutMs: rollout.timeoutMinutes * 60_000 * ctx.timing.scale,
    timeoutMinutes: rollout.timeoutMinutes,
    schedule: ctx.timing.rolloutPoll,
    clock: ctx.clock,
    signal: ctx.signal,
    log: ctx.log,
    onRecord: (record) => ctx.progress.rolloutKnown(record),
    ...(ctx.runUrl === undefined ? {} : { runUrl: ctx.runUrl }),
  });
  return info;
}

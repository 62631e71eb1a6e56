/**
 * Following an OTA update until it settles. IoT has no waiter for OTA updates, so we poll GetOTAUpdate: the first
 * poll after about a second, then backing off to a cap. `wait-timeout-seconds` is a deadline: every poll and every
 * sleep is bounded by the time left (a hanging GetOTAUpdate included) and by the step's cancellation. A poll that
 * fails transiently even after the SDK's retries is tried again at the next one, a few times in a row at most.
 */
import type { OTAUpdateInfo } from '@aws-sdk/client-iot';
import { classifyError } from '../aws/classify.js';
import { getOtaUpdate } from '../aws/iot.js';
import { ActionError } from '../errors.js';
import { errorInfoText } from '../plan/decision.js';
import { deadlineIn, isDeadlineExceeded, sleepUnless, type Deadline } from '../signals.js';
import type { StageContext } from './context.js';

/** Polls in a row that may fail transiently before the wait gives up with that failure. */
const TOLERATED_FAILED_POLLS = 2;

export interface WaitOptions {
  otaUpdateId: string;
  timeoutMs: number;
  /** What the status lines are about, e.g. `OTA update fw-1`. */
  what: string;
}

/** Polls until CREATE_COMPLETE; every other end is a typed failure that names the update. */
export async function waitForCreation(options: WaitOptions, ctx: StageContext): Promise<OTAUpdateInfo> {
  const id = options.otaUpdateId;
  const settled = await poll(options, ctx, (info) => {
    const status = info?.otaUpdateStatus;
    return status !== 'CREATE_PENDING' && status !== 'CREATE_IN_PROGRESS';
  });
  if (settled === 'timeout') {
    throw new ActionError(
      'WaitTimeout',
      `OTA update ${id} was not created within ${seconds(options.timeoutMs)}; its creation goes on in AWS IoT.`,
      {
        hint: 'Follow it in the AWS IoT console or with `aws iot get-ota-update`, or raise wait-timeout-seconds (or set wait: false).',
      },
    );
  }
  const info = settled.info;
  const status = info?.otaUpdateStatus;
  if (info && status === 'CREATE_COMPLETE') return info;
  if (!info) {
    throw new ActionError(
      'ResourceNotFoundException',
      `OTA update ${id} disappeared while we waited for it to be created.`,
      { hint: 'Someone deleted it; run the step again to create it anew.' },
    );
  }
  if (status === 'CREATE_FAILED') {
    throw new ActionError('CREATE_FAILED', `OTA update ${id} ended CREATE_FAILED: ${errorInfoText(info)}`, {
      hint: createFailedHint(info),
    });
  }
  throw new ActionError(
    status === 'DELETE_FAILED' ? 'DELETE_FAILED' : 'DELETE_IN_PROGRESS',
    `OTA update ${id} went to ${status ?? 'an unknown status'} while we waited for it to be created${
      info.errorInfo ? `: ${errorInfoText(info)}` : ''
    }.`,
    { hint: 'Someone is deleting this update; find out who, then run the step again.' },
  );
}

/** Polls until the id is free (GetOTAUpdate answers not found), after a deletion. */
export async function waitUntilDeleted(options: WaitOptions, ctx: StageContext): Promise<void> {
  const id = options.otaUpdateId;
  const settled = await poll(options, ctx, (info) => !info || info.otaUpdateStatus === 'DELETE_FAILED');
  if (settled === 'timeout') {
    throw new ActionError(
      'WaitTimeout',
      `OTA update ${id} was still being deleted after ${seconds(options.timeoutMs)}, so its id is not free yet.`,
      {
        hint: 'IoT deletes OTA updates asynchronously; run the step again later or raise wait-timeout-seconds.',
      },
    );
  }
  if (settled.info) {
    throw new ActionError(
      'DELETE_FAILED',
      `Deleting OTA update ${id} failed: ${errorInfoText(settled.info)}`,
      {
        hint: `Look at the update and its job AFR_OTA-${id} in AWS IoT, delete them by hand, then run the step again.`,
      },
    );
  }
}

async function poll(
  options: WaitOptions,
  ctx: StageContext,
  isSettled: (info: OTAUpdateInfo | undefined) => boolean,
): Promise<{ info: OTAUpdateInfo | undefined } | 'timeout'> {
  const schedule = ctx.timing.creationPoll;
  const deadline = deadlineIn(options.timeoutMs, ctx.signal, ctx.clock);
  let delay = schedule.firstDelayMs;
  let lastStatus: string | undefined;
  let failedInARow = 0;
  try {
    for (;;) {
      await sleepUnless(ctx.clock, Math.min(delay, deadline.remainingMs()), deadline.signal);
      if (deadline.remainingMs() <= 0) return 'timeout';
      delay = Math.min(delay * schedule.factor, schedule.maxDelayMs);
      const info = await lookUp(options.otaUpdateId, deadline, ctx, failedInARow);
      if (info === 'failed') {
        failedInARow += 1;
        continue;
      }
      failedInARow = 0;
      if (info) ctx.progress.updateKnown(info);
      const status = info?.otaUpdateStatus ?? 'GONE';
      if (status !== lastStatus) ctx.log.info(`${options.what}: ${status}`);
      lastStatus = status;
      if (isSettled(info)) return { info };
    }
  } catch (error) {
    if (isDeadlineExceeded(error) && !ctx.signal.aborted) return 'timeout';
    throw error;
  } finally {
    deadline.dispose();
  }
}

/** One GetOTAUpdate; 'failed' for a transient failure the wait can outlast. */
async function lookUp(
  otaUpdateId: string,
  deadline: Deadline,
  ctx: StageContext,
  failedInARow: number,
): Promise<OTAUpdateInfo | undefined | 'failed'> {
  try {
    return await getOtaUpdate(ctx.clients.iot, otaUpdateId, deadline.signal);
  } catch (error) {
    const cause = error instanceof ActionError ? error.cause : error;
    if (
      deadline.signal.aborted ||
      failedInARow >= TOLERATED_FAILED_POLLS ||
      classifyError(cause) !== 'transient'
    ) {
      throw error;
    }
    ctx.log.warning(
      `Reading OTA update ${otaUpdateId} failed (${error instanceof Error ? error.message : String(error)}); trying again at the next poll.`,
    );
    return 'failed';
  }
}

function createFailedHint(info: OTAUpdateInfo): string {
  const text = `${info.errorInfo?.code ?? ''} ${info.errorInfo?.message ?? ''}`;
  if (/iam:PassRole/i.test(text)) {
    return 'The OTA service role (ota-role-arn) must be passable: grant iam:PassRole on it to the role that creates the update (and let iot.amazonaws.com assume it).';
  }
  if (/AccessDenied|not authorized/i.test(text)) {
    return 'Grant the OTA service role (ota-role-arn) access to the firmware bucket, IoT jobs and (when signing) AWS Signer.';
  }
  return 'Fix what errorInfo names, then run the step again: a failed update never reached a device and is replaced on the next run.';
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

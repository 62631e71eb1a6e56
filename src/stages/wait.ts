/**
 * Following an OTA update until it settles. IoT has no waiter for OTA updates, so we poll GetOTAUpdate: the first
 * poll after about a second, then backing off to a cap, never past the deadline. Clock and sleep are parameters
 * so tests run the whole schedule at once.
 */
import type { OTAUpdateInfo } from '@aws-sdk/client-iot';
import { ActionError } from '../errors.js';
import { errorInfoText } from '../plan/decision.js';

export interface PollSchedule {
  firstDelayMs: number;
  factor: number;
  maxDelayMs: number;
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = { firstDelayMs: 1000, factor: 1.5, maxDelayMs: 15_000 };

export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason as soon as it is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface WaitOptions {
  otaUpdateId: string;
  timeoutMs: number;
  schedule: PollSchedule;
  clock: Clock;
  /** Called on every poll whose status differs from the previous one. */
  onStatus?: (status: string) => void;
}

type Lookup = () => Promise<OTAUpdateInfo | undefined>;

/** Polls until CREATE_COMPLETE; every other end is a typed failure. */
export async function waitForCreation(lookup: Lookup, options: WaitOptions): Promise<OTAUpdateInfo> {
  const id = options.otaUpdateId;
  const settled = await poll(lookup, options, (info) => {
    const status = info?.otaUpdateStatus;
    return status !== 'CREATE_PENDING' && status !== 'CREATE_IN_PROGRESS';
  });
  if (settled === 'timeout') {
    throw new ActionError(
      'WaitTimeout',
      `OTA update ${id} was not created within ${seconds(options.timeoutMs)}; its creation goes on in AWS IoT.`,
      {
        hint: 'Follow it in the AWS IoT console or with `aws iot get-ota-update`, or raise wait-timeout-seconds (or set wait: false).',
        created: { otaUpdateId: id },
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
      {
        hint: 'Someone deleted it; run the step again to create it anew.',
      },
    );
  }
  const created = { otaUpdateId: id, ...(info.otaUpdateArn ? { otaUpdateArn: info.otaUpdateArn } : {}) };
  if (status === 'CREATE_FAILED') {
    throw new ActionError('CREATE_FAILED', `OTA update ${id} ended CREATE_FAILED: ${errorInfoText(info)}`, {
      hint: createFailedHint(info),
      created,
    });
  }
  throw new ActionError(
    status === 'DELETE_FAILED' ? 'DELETE_FAILED' : 'DELETE_IN_PROGRESS',
    `OTA update ${id} went to ${status ?? 'an unknown status'} while we waited for it to be created${
      info.errorInfo ? `: ${errorInfoText(info)}` : ''
    }.`,
    { hint: 'Someone is deleting this update; find out who, then run the step again.', created },
  );
}

/** Polls until the id is free (GetOTAUpdate answers not found), after a deletion. */
export async function waitUntilDeleted(lookup: Lookup, options: WaitOptions): Promise<void> {
  const id = options.otaUpdateId;
  const settled = await poll(lookup, options, (info) => !info || info.otaUpdateStatus === 'DELETE_FAILED');
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
        hint:
          'Look at the update and its job AFR_OTA-' +
          id +
          ' in AWS IoT, delete them by hand, then run the step again.',
      },
    );
  }
}

async function poll(
  lookup: Lookup,
  options: WaitOptions,
  isSettled: (info: OTAUpdateInfo | undefined) => boolean,
): Promise<{ info: OTAUpdateInfo | undefined } | 'timeout'> {
  const { clock, schedule } = options;
  const deadline = clock.now() + options.timeoutMs;
  let delay = schedule.firstDelayMs;
  let lastStatus: string | undefined;
  for (;;) {
    const remaining = deadline - clock.now();
    if (remaining <= 0) return 'timeout';
    await clock.sleep(Math.min(delay, remaining));
    const info = await lookup();
    const status = info?.otaUpdateStatus ?? 'GONE';
    if (status !== lastStatus) options.onStatus?.(status);
    lastStatus = status;
    if (isSettled(info)) return { info };
    delay = Math.min(delay * schedule.factor, schedule.maxDelayMs);
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

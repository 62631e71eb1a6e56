/**
 * Following an OTA update's IoT job on the devices (`wait: rollout`): DescribeJob polled with backoff until the
 * verdict, a progress line when the counts change (and at least once a minute), then the failed devices and, with
 * cancel-on-failure, CancelJob. Green returns the record; red, a timeout or the step's cancellation throw an
 * ActionError. `onRecord` sees the latest state after every change, so the report has it either way.
 *
 * Time: the poll loop runs on the injected clock and stops at the deadline; a call in flight is aborted by the
 * deadline (AbortSignal.timeout) and by the step's signal. The calls after the verdict (failed devices, CancelJob)
 * get their own short budget (`wrapUpMs`), since a timeout's cancel necessarily comes after the deadline.
 */
import type { IoTClient } from '@aws-sdk/client-iot';
import { ActionError, type ActionErrorOptions } from '../errors.js';
import { sleepUnless } from '../signals.js';
import type { Clock } from '../types.js';
import type { RolloutSchedule } from './context.js';
import { classifyError } from '../aws/classify.js';
import {
  cancelJob,
  describeJob,
  failedDevices,
  FAILURE_STATUSES,
  type FailedDevice,
  type FailureStatus,
} from '../aws/jobs.js';
import { judge, tallyOf, type RolloutJob, type Tally, type Verdict } from '../plan/verdict.js';
import { logSafe } from '../plan/untrusted-text.js';

export type CancelOutcome =
  | { kind: 'canceled'; reasonCode: string }
  /** The job had already ended (COMPLETED, CANCELED or being deleted): nothing to cancel. */
  | { kind: 'left-alone'; status: string }
  | { kind: 'failed'; message: string };

/** Everything known about the rollout so far. */
export interface RolloutRecord {
  jobId: string;
  successPercentage: number;
  /** The job as the last DescribeJob answered; undefined before the first answer. */
  job: RolloutJob | undefined;
  tally: Tally | undefined;
  /** The last verdict; undefined before the first answer. */
  verdict: Verdict | undefined;
  /** The first 20 failed devices, with their statusDetails (read once the verdict or the deadline is reached). */
  failedDevices: FailedDevice[];
  /** What cancel-on-failure did; undefined when it did nothing. */
  cancel: CancelOutcome | undefined;
  timedOut: boolean;
}

interface RolloutLog {
  info(message: string): void;
  warning(message: string): void;
}

export interface RolloutOptions {
  jobId: string;
  successPercentage: number;
  cancelOnFailure: boolean;
  /** Deadline of the rollout phase, from the call (rollout-timeout-minutes × 60 000, × the time scale in tests). */
  timeoutMs: number;
  /** rollout-timeout-minutes as given, for the messages (default timeoutMs in minutes). */
  timeoutMinutes?: number;
  schedule: RolloutSchedule;
  clock: Clock;
  /** The step's cancellation: stops the wait at once; the rollout goes on in AWS. */
  signal?: AbortSignal;
  log: RolloutLog;
  onRecord?: (record: RolloutRecord) => void;
  /** Named in CancelJob's comment, e.g. the workflow run's URL. */
  runUrl?: string;
}

const FOLLOW_AGAIN = 'Re-run the step to follow the same job again (if-exists: reuse finds the update).';

/** `120/1000 succeeded, 3 failed, 877 pending (IN_PROGRESS)`. */
function progressText(job: RolloutJob, t: Tally): string {
  const canceled = t.canceled > 0 ? `, ${t.canceled} canceled` : '';
  const processing = job.processingTargets.length > 0 ? '; IoT is still processing the targets' : '';
  return `${t.succeeded}/${t.total} succeeded, ${t.failed} failed${canceled}, ${t.pending} pending (${
    job.status ?? 'status unknown'
  }${processing})`;
}

function deviceText(device: FailedDevice): string {
  const details = device.details
    ? Object.entries(device.details)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')
    : (device.detailsError ?? 'no statusDetails');
  return logSafe(`${device.thingName} (${device.status}: ${details})`);
}

function devicesSentence(devices: readonly FailedDevice[], failed: number): string {
  if (devices.length === 0) return '';
  const named = devices.slice(0, 5).map(deviceText).join('; ');
  const more = failed - Math.min(devices.length, 5);
  return ` Failed devices: ${named}${more > 0 ? `; and ${more} more (the job summary lists the first 20)` : ''}.`;
}

function minutes(options: RolloutOptions): string {
  const m = options.timeoutMinutes ?? options.timeoutMs / 60_000;
  return m === 1 ? '1 minute' : `${Number.isInteger(m) ? m : m.toFixed(2)} minutes`;
}

export async function followRollout(iot: IoTClient, options: RolloutOptions): Promise<RolloutRecord> {
  const { jobId, clock, schedule, log } = options;
  const step = options.signal ?? new AbortController().signal;
  const deadline = clock.now() + options.timeoutMs;
  const callSignal = AbortSignal.any([step, AbortSignal.timeout(options.timeoutMs)]);
  const record: RolloutRecord = {
    jobId,
    successPercentage: options.successPercentage,
    job: undefined,
    tally: undefined,
    verdict: undefined,
    failedDevices: [],
    cancel: undefined,
    timedOut: false,
  };
  const publish = () => options.onRecord?.({ ...record, failedDevices: [...record.failedDevices] });
  const errorOptions = (hint: string): ActionErrorOptions => ({ hint });
  const stopped = (): ActionError =>
    new ActionError(
      'Canceled',
      `The step was canceled while it followed IoT job ${jobId}${
        record.job && record.tally ? ` (${progressText(record.job, record.tally)})` : ''
      }; the rollout goes on in AWS IoT.`,
      errorOptions(`Follow it in the AWS IoT console. ${FOLLOW_AGAIN}`),
    );

  let delay = schedule.firstDelayMs;
  let lastLine = '';
  let lastLineAt = Number.NEGATIVE_INFINITY;
  let lastFailure: ActionError | undefined;
  for (;;) {
    const remaining = deadline - clock.now();
    if (remaining <= 0) break;
    try {
      await sleepUnless(clock, Math.min(delay, remaining), step);
    } catch {
      throw stopped();
    }
    if (step.aborted) throw stopped();
    if (deadline - clock.now() <= 0) break;
    delay = Math.min(delay * schedule.factor, schedule.maxDelayMs);
    let job: RolloutJob;
    try {
      job = await describeJob(iot, jobId, callSignal);
    } catch (error) {
      if (step.aborted) throw stopped();
      if (callSignal.aborted) break;
      const failure = error instanceof ActionError ? error : undefined;
      if (!failure || classifyError(failure.cause) !== 'transient') {
        publish();
        throw error;
      }
      lastFailure = failure;
      log.warning(logSafe(`rollout: ${failure.message}; trying again at the next poll.`));
      continue;
    }
    lastFailure = undefined;
    record.job = job;
    record.tally = tallyOf(job.counts);
    record.verdict = judge(job, options.successPercentage);
    const line = `rollout: ${progressText(job, record.tally)}`;
    // Unchanged counts get a line when waiting for the next poll would leave more than progressEveryMs without one.
    if (line !== lastLine || clock.now() - lastLineAt + delay > schedule.progressEveryMs) {
      log.info(line);
      lastLine = line;
      lastLineAt = clock.now();
    }
    publish();
    if (record.verdict.kind !== 'pending') break;
  }

  const verdict = record.verdict;
  if (verdict === undefined || verdict.kind === 'pending') {
    record.timedOut = true;
    publish();
  }
  const wrapUp = AbortSignal.any([step, AbortSignal.timeout(schedule.wrapUpMs)]);
  const failing = record.timedOut || (verdict?.kind === 'red' && verdict.code === 'RolloutFailed');
  if (options.cancelOnFailure && failing) {
    record.cancel = await cancel(iot, options, record, wrapUp);
    publish();
  }
  if ((record.tally?.failed ?? 0) > 0) {
    record.failedDevices = await listFailed(iot, jobId, record.job, wrapUp, log);
    publish();
  }

  const cancelSentence = cancelText(record.cancel, jobId);
  if (verdict?.kind === 'green') {
    const t = record.tally;
    log.info(
      `rollout: green: ${t?.succeeded ?? 0} of ${t?.total ?? 0} succeeded (${verdict.required} required, ${options.successPercentage} %)`,
    );
    for (const note of verdict.notes) {
      if (note.level === 'warning') log.warning(logSafe(note.text));
      else log.info(logSafe(note.text));
    }
    return record;
  }
  const devices = devicesSentence(record.failedDevices, record.tally?.failed ?? 0);
  if (verdict?.kind === 'red' && verdict.code === 'RolloutCanceled') {
    throw new ActionError(
      'RolloutCanceled',
      `The rollout of IoT job ${jobId} was stopped: ${logSafe(verdict.reason)}.${devices}`,
      errorOptions(
        "The job's abort config fired (abort-config) or someone canceled the job in AWS IoT: look at the failed devices' statusDetails, fix the firmware or the devices, then ship a new release.",
      ),
    );
  }
  if (verdict?.kind === 'red') {
    throw new ActionError(
      'RolloutFailed',
      `The rollout of IoT job ${jobId} failed: ${logSafe(verdict.reason)}.${devices}`,
      errorOptions(
        `Look at the failed devices' statusDetails (FreeRTOS writes its reason code there) in the job summary or the AWS IoT console, fix the firmware or the devices, then ship a new release. ${cancelSentence}`,
      ),
    );
  }
  const last = record.job && record.tally ? `; last counts ${progressText(record.job, record.tally)}` : '';
  const why = lastFailure ? ` The last poll failed: ${lastFailure.message}.` : '';
  throw new ActionError(
    'RolloutTimeout',
    `IoT job ${jobId} had no rollout verdict within ${minutes(options)} (rollout-timeout-minutes)${last}. ${cancelSentence}${why}${devices}`,
    errorOptions(
      `Devices that never connect stay QUEUED and keep a job IN_PROGRESS: check that they are online, raise rollout-timeout-minutes or lower rollout-success-percentage. ${FOLLOW_AGAIN}`,
    ),
  );
}

function cancelText(outcome: CancelOutcome | undefined, jobId: string): string {
  switch (outcome?.kind) {
    case 'canceled':
      return `The job was canceled (cancel-on-failure, not forced): queued devices will not start it; those in progress finish.`;
    case 'left-alone':
      return `The job had already ended (${outcome.status}), so cancel-on-failure left it alone.`;
    case 'failed':
      return `Canceling it failed (${outcome.message}): cancel IoT job ${jobId} in the AWS IoT console so queued devices stop.`;
    case undefined:
      return 'The job continues in AWS IoT; cancel-on-failure: true would cancel it so queued devices stop.';
  }
}

async function cancel(
  iot: IoTClient,
  options: RolloutOptions,
  record: RolloutRecord,
  signal: AbortSignal,
): Promise<CancelOutcome> {
  const { jobId, log } = options;
  const status = record.job?.status;
  if (status === 'COMPLETED' || status === 'CANCELED' || status === 'DELETION_IN_PROGRESS') {
    log.info(`rollout: IoT job ${jobId} is already ${status}: cancel-on-failure leaves it alone.`);
    return { kind: 'left-alone', status };
  }
  const timedOut = record.timedOut;
  const reasonCode = timedOut ? 'ROLLOUT_TIMEOUT' : 'ROLLOUT_FAILED';
  const why =
    timedOut || record.verdict?.kind !== 'red'
      ? `no verdict within ${minutes(options)}`
      : record.verdict.reason;
  const comment = `Canceled by aws-iot-ota-update-action (cancel-on-failure${
    options.runUrl ? `, ${options.runUrl}` : ''
  }): ${why}.`;
  try {
    await cancelJob(iot, jobId, { reasonCode, comment }, signal);
  } catch (error) {
    const message = error instanceof ActionError ? error.message : String(error);
    log.warning(logSafe(`rollout: could not cancel IoT job ${jobId}: ${message}`));
    return { kind: 'failed', message };
  }
  log.info(
    `rollout: canceled IoT job ${jobId} (${reasonCode}, not forced): queued devices will not start it.`,
  );
  return { kind: 'canceled', reasonCode };
}

async function listFailed(
  iot: IoTClient,
  jobId: string,
  job: RolloutJob | undefined,
  signal: AbortSignal,
  log: RolloutLog,
): Promise<FailedDevice[]> {
  const counts = job?.counts;
  const count: Record<FailureStatus, number> = {
    FAILED: counts?.failed ?? 0,
    TIMED_OUT: counts?.timedOut ?? 0,
    REJECTED: counts?.rejected ?? 0,
  };
  try {
    const devices = await failedDevices(
      iot,
      jobId,
      FAILURE_STATUSES.filter((s) => count[s] > 0),
      signal,
    );
    for (const device of devices) log.info(`rollout: failed device ${deviceText(device)}`);
    return devices;
  } catch (error) {
    const message = error instanceof ActionError ? error.message : String(error);
    log.warning(logSafe(`rollout: could not list the failed devices: ${message}`));
    return [];
  }
}

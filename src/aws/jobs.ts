/**
 * The IoT Jobs calls that follow an OTA update's job: DescribeJob, the failed executions with their statusDetails,
 * and CancelJob. One SDK call each (the client's own retry strategy retries throttling and 5xx); every call is
 * bounded by an AbortSignal and rejects as soon as it fires; failures become ActionErrors.
 */
import {
  CancelJobCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  ListJobExecutionsForJobCommand,
  type IoTClient,
  type Job,
} from '@aws-sdk/client-iot';
import type { RolloutJob } from '../plan/verdict.js';
import { oneLine } from '../plan/untrusted-text.js';
import { ActionError } from '../errors.js';
import { bounded } from '../signals.js';
import { failure, toActionError } from './error-catalog.js';
import type { AwsCallContext } from './error-hints.js';

/** The execution statuses that count as failed. */
export type FailureStatus = 'FAILED' | 'TIMED_OUT' | 'REJECTED';
export const FAILURE_STATUSES: readonly FailureStatus[] = ['FAILED', 'TIMED_OUT', 'REJECTED'];

/** How many failed devices a run lists (and describes). */
const FAILED_DEVICES_LIMIT = 20;

export interface FailedExecution {
  thingName: string;
  thingArn: string;
  status: FailureStatus;
}

export interface FailedDevice extends FailedExecution {
  /** The execution's statusDetails.detailsMap (FreeRTOS writes its reason code there); undefined when it has none. */
  details: Record<string, string> | undefined;
  /** Why the details could not be read, when they could not. */
  detailsError: string | undefined;
}

export interface CancelReason {
  /** `[A-Z0-9_]+`, at most 128 characters. */
  reasonCode: string;
  /** At most 2028 characters; control characters become spaces. */
  comment: string;
}

const REASON_CODE = /^[A-Z0-9_]{1,128}$/;
const COMMENT_MAX = 2028;
const PAGE_MAX = 250;

async function context(
  iot: IoTClient,
  operation: AwsCallContext['operation'],
  fields: Omit<AwsCallContext, 'operation' | 'region'>,
): Promise<AwsCallContext> {
  return { operation, ...fields, region: await iot.config.region() };
}

function toRolloutJob(jobId: string, job: Job): RolloutJob {
  const d = job.jobProcessDetails ?? {};
  return {
    jobId: job.jobId ?? jobId,
    jobArn: job.jobArn,
    status: job.status,
    targetSelection: job.targetSelection ?? 'SNAPSHOT',
    processingTargets: d.processingTargets ?? [],
    counts: {
      queued: d.numberOfQueuedThings ?? 0,
      inProgress: d.numberOfInProgressThings ?? 0,
      succeeded: d.numberOfSucceededThings ?? 0,
      failed: d.numberOfFailedThings ?? 0,
      rejected: d.numberOfRejectedThings ?? 0,
      timedOut: d.numberOfTimedOutThings ?? 0,
      canceled: d.numberOfCanceledThings ?? 0,
      removed: d.numberOfRemovedThings ?? 0,
    },
    reasonCode: job.reasonCode,
    comment: job.comment,
    forceCanceled: job.forceCanceled ?? false,
  };
}

export async function describeJob(iot: IoTClient, jobId: string, signal: AbortSignal): Promise<RolloutJob> {
  let reply;
  try {
    reply = await bounded(signal, (abortSignal) =>
      iot.send(new DescribeJobCommand({ jobId }), { abortSignal }),
    );
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw toActionError(error, await context(iot, 'DescribeJob', { jobId }));
  }
  if (reply.job === undefined) {
    throw failure(
      'UnexpectedResponse',
      await context(iot, 'DescribeJob', { jobId }),
      'AWS IoT answered without job',
    );
  }
  return toRolloutJob(jobId, reply.job);
}

function thingNameOf(thingArn: string): string {
  return /:thing\/(.+)$/.exec(thingArn)?.[1] ?? thingArn;
}

/** The first `limit` executions in the given statuses (in that order), paging through ListJobExecutionsForJob. */
export async function listFailedExecutions(
  iot: IoTClient,
  jobId: string,
  statuses: readonly FailureStatus[],
  signal: AbortSignal,
  limit = FAILED_DEVICES_LIMIT,
): Promise<FailedExecution[]> {
  const found: FailedExecution[] = [];
  for (const status of statuses) {
    let nextToken: string | undefined;
    do {
      const maxResults = Math.min(PAGE_MAX, limit - found.length);
      if (maxResults <= 0) return found;
      const input = { jobId, status, maxResults, ...(nextToken ? { nextToken } : {}) };
      let reply;
      try {
        reply = await bounded(signal, (abortSignal) =>
          iot.send(new ListJobExecutionsForJobCommand(input), { abortSignal }),
        );
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw toActionError(
          error,
          await context(iot, 'ListJobExecutionsForJob', { jobId, executionStatus: status }),
        );
      }
      for (const summary of reply.executionSummaries ?? []) {
        if (found.length >= limit || !summary.thingArn) continue;
        found.push({ thingArn: summary.thingArn, thingName: thingNameOf(summary.thingArn), status });
      }
      nextToken = reply.nextToken;
    } while (nextToken);
  }
  return found;
}

/** The execution's statusDetails.detailsMap; undefined when it has none. */
export async function describeExecutionDetails(
  iot: IoTClient,
  jobId: string,
  thingName: string,
  signal: AbortSignal,
): Promise<Record<string, string> | undefined> {
  try {
    const reply = await bounded(signal, (abortSignal) =>
      iot.send(new DescribeJobExecutionCommand({ jobId, thingName }), { abortSignal }),
    );
    const details = reply.execution?.statusDetails?.detailsMap;
    return details && Object.keys(details).length > 0 ? details : undefined;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw toActionError(error, await context(iot, 'DescribeJobExecution', { jobId, thingName }));
  }
}

/**
 * The first `limit` failed devices with their statusDetails. A device whose details cannot be read is still
 * listed, with the reason in detailsError; a listing failure, or the signal, stops it all.
 */
export async function failedDevices(
  iot: IoTClient,
  jobId: string,
  statuses: readonly FailureStatus[],
  signal: AbortSignal,
  limit = FAILED_DEVICES_LIMIT,
): Promise<FailedDevice[]> {
  const executions = await listFailedExecutions(iot, jobId, statuses, signal, limit);
  const devices: FailedDevice[] = [];
  for (const execution of executions) {
    try {
      const details = await describeExecutionDetails(iot, jobId, execution.thingName, signal);
      devices.push({ ...execution, details, detailsError: undefined });
    } catch (error) {
      if (signal.aborted) throw error;
      const reason = error instanceof ActionError ? error.message : String(error);
      devices.push({ ...execution, details: undefined, detailsError: reason });
    }
  }
  return devices;
}

/** A comment CancelJob accepts: no control characters, at most 2028 characters. */
export function cancelComment(text: string): string {
  return [...oneLine(text.replace(/\p{C}+/gu, ' '))].slice(0, COMMENT_MAX).join('');
}

/** Cancels the job without force: queued executions are canceled, in-progress ones run to their end. */
export async function cancelJob(
  iot: IoTClient,
  jobId: string,
  reason: CancelReason,
  signal: AbortSignal,
): Promise<void> {
  if (!REASON_CODE.test(reason.reasonCode)) {
    throw new Error(`cancelJob: reason code ${reason.reasonCode} does not match [A-Z0-9_]{1,128}`);
  }
  const input = {
    jobId,
    force: false,
    reasonCode: reason.reasonCode,
    comment: cancelComment(reason.comment),
  };
  try {
    await bounded(signal, (abortSignal) => iot.send(new CancelJobCommand(input), { abortSignal }));
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw toActionError(error, await context(iot, 'CancelJob', { jobId }));
  }
}

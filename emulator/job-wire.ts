/**
 * Jobs and job executions in the botocore output shapes IoT answers with (Job, JobExecution,
 * JobExecutionSummaryForJob), timestamps as epoch seconds. Members with no value are left out.
 */
import { countByStatus, type StoredJob } from './job-store.js';
import { EXECUTION_NUMBER, timesOutAt, type Execution, type Job } from './job-model.js';

type Obj = Record<string, unknown>;

const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

/** DescribeJob's `job`: the configs come from the CreateOTAUpdate request, under the Jobs API's names. */
export function jobShape(stored: StoredJob): Obj {
  const { job, request } = stored;
  const counts = countByStatus(job.executions);
  const criteria = obj(request.awsJobAbortConfig)?.abortCriteriaList;
  return {
    jobArn: stored.jobArn,
    jobId: job.jobId,
    targetSelection: job.config.targetSelection,
    status: job.status,
    forceCanceled: job.forceCanceled,
    reasonCode: job.reasonCode,
    comment: job.comment,
    targets: job.targets,
    description: request.description,
    presignedUrlConfig: request.awsJobPresignedUrlConfig,
    jobExecutionsRolloutConfig: request.awsJobExecutionsRolloutConfig,
    abortConfig: criteria === undefined ? undefined : { criteriaList: criteria },
    createdAt: seconds(job.createdAt),
    lastUpdatedAt: seconds(job.lastUpdatedAt),
    completedAt: seconds(job.completedAt),
    jobProcessDetails: {
      processingTargets: job.processed ? undefined : job.targets,
      numberOfCanceledThings: counts.CANCELED,
      numberOfSucceededThings: counts.SUCCEEDED,
      numberOfFailedThings: counts.FAILED,
      numberOfRejectedThings: counts.REJECTED,
      numberOfQueuedThings: counts.QUEUED,
      numberOfInProgressThings: counts.IN_PROGRESS,
      numberOfRemovedThings: counts.REMOVED,
      numberOfTimedOutThings: counts.TIMED_OUT,
    },
    timeoutConfig: request.awsJobTimeoutConfig,
  };
}

/** DescribeJobExecution's `execution` at emulated time `now`. */
export function executionShape(job: Job, e: Execution, thingArn: string, now: number): Obj {
  const timeout = timesOutAt(job, e);
  return {
    jobId: job.jobId,
    status: e.status,
    forceCanceled: e.forceCanceled,
    statusDetails: e.statusDetails ? { detailsMap: e.statusDetails } : undefined,
    thingArn,
    queuedAt: seconds(e.queuedAt),
    startedAt: seconds(e.startedAt),
    lastUpdatedAt: seconds(e.lastUpdatedAt),
    executionNumber: EXECUTION_NUMBER,
    versionNumber: e.versionNumber,
    approximateSecondsBeforeTimedOut:
      timeout === undefined ? undefined : Math.max(0, Math.round((timeout - now) / 1000)),
  };
}

/** One of ListJobExecutionsForJob's `executionSummaries`. */
export function executionSummary(e: Execution, thingArn: string): Obj {
  return {
    thingArn,
    jobExecutionSummary: {
      status: e.status,
      queuedAt: seconds(e.queuedAt),
      startedAt: seconds(e.startedAt),
      lastUpdatedAt: seconds(e.lastUpdatedAt),
      executionNumber: EXECUTION_NUMBER,
      retryAttempt: 0,
    },
  };
}

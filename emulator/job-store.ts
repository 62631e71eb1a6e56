/**
 * The jobs behind OTA updates (AFR_OTA-<id>, created when an update reaches CREATE_COMPLETE), evaluated lazily at
 * the current emulated time whenever one is read, and the fleet changes that affect them: every change first plays
 * all jobs up to now, so a behaviour or membership change takes effect at the emulated moment it is made.
 */
import type { EmulatedClock } from './clock.js';
import type { Fleet } from './fleet.js';
import {
  addThing,
  advance,
  cancel,
  EXECUTION_NUMBER,
  newJob,
  timesOutAt,
  type CancelRequest,
  type Env,
  type Execution,
  type Job,
  type JobConfig,
  type Timings,
} from './job-model.js';
import type {
  AbortCriterion,
  DeviceBehaviour,
  JobExecutionStatus,
  JobExecutionView,
  JobView,
} from './job-types.js';
import type { RolloutConfig } from './rollout-pacer.js';
import type { StoredOtaUpdate } from './types.js';

export interface StoredJob {
  job: Job;
  jobArn: string;
  otaUpdateId: string;
  /** The CreateOTAUpdate request the job was made from (its rollout, abort, timeout and presigned URL configs). */
  request: Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

/** The job's configuration from a CreateOTAUpdate request (already checked against the model when created). */
function jobConfig(request: Obj): JobConfig {
  const rollout = obj(request.awsJobExecutionsRolloutConfig) as RolloutConfig | undefined;
  const criteria = obj(request.awsJobAbortConfig)?.abortCriteriaList;
  const timeout = obj(request.awsJobTimeoutConfig)?.inProgressTimeoutInMinutes;
  return {
    targetSelection: request.targetSelection === 'CONTINUOUS' ? 'CONTINUOUS' : 'SNAPSHOT',
    ...(rollout ? { rollout } : {}),
    ...(Array.isArray(criteria) ? { abort: criteria as AbortCriterion[] } : {}),
    ...(typeof timeout === 'number' ? { timeoutMinutes: timeout } : {}),
  };
}

const STATUSES: JobExecutionStatus[] = [
  'QUEUED',
  'IN_PROGRESS',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'REJECTED',
  'REMOVED',
  'CANCELED',
];

export function countByStatus(executions: readonly Execution[]): Record<JobExecutionStatus, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<JobExecutionStatus, number>;
  for (const e of executions) counts[e.status] += 1;
  return counts;
}

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

export class JobStore {
  readonly #jobs = new Map<string, StoredJob>();
  readonly #env: Env;

  constructor(
    readonly clock: EmulatedClock,
    readonly fleet: Fleet,
    timings: Timings,
  ) {
    this.#env = { fleet, timings };
  }

  /** An update reached CREATE_COMPLETE (or was seeded so): its job starts now, still processing its targets. */
  created(update: StoredOtaUpdate): void {
    const targets = Array.isArray(update.request.targets) ? update.request.targets.map(String) : [];
    this.#advanceAll();
    this.fleet.register(targets);
    const job = newJob(update.jobId, targets, jobConfig(update.request), this.clock.now());
    this.#jobs.set(update.jobId, {
      job,
      jobArn: update.jobArn,
      otaUpdateId: update.otaUpdateId,
      request: update.request,
    });
  }

  /** DeleteOTAUpdate with forceDeleteAWSJob: the job is DELETION_IN_PROGRESS until the update is gone. */
  deleting(jobId: string): void {
    const stored = this.find(jobId);
    if (!stored) return;
    stored.job.status = 'DELETION_IN_PROGRESS';
    stored.job.lastUpdatedAt = this.clock.now();
  }

  removed(jobId: string): void {
    this.#jobs.delete(jobId);
  }

  /** The job as it stands now, or undefined. */
  find(jobId: string): StoredJob | undefined {
    const stored = this.#jobs.get(jobId);
    if (stored) advance(stored.job, this.#env, this.clock.now());
    return stored;
  }

  cancel(stored: StoredJob, request: CancelRequest): void {
    cancel(stored.job, this.#env, this.clock.now(), request);
  }

  setThingBehaviour(thing: string, behaviour: DeviceBehaviour): void {
    this.#advanceAll();
    this.fleet.setThingBehaviour(thing, behaviour);
  }

  setGroupBehaviour(group: string, behaviour: DeviceBehaviour): void {
    this.#advanceAll();
    this.fleet.setGroupBehaviour(group, behaviour);
  }

  clearBehaviours(): void {
    this.#advanceAll();
    this.fleet.clearOverrides();
  }

  /** The thing joins the group now; CONTINUOUS jobs targeting it give the thing an execution. */
  addThingToGroup(thing: string, group: string): void {
    this.#advanceAll();
    if (!this.fleet.addThingToGroup(thing, group)) return;
    const now = this.clock.now();
    for (const { job } of this.#jobs.values()) addThing(job, this.#env, thing, now);
  }

  clear(): void {
    this.#jobs.clear();
  }

  view(jobId: string): JobView | undefined {
    const stored = this.find(jobId);
    return stored ? this.#view(stored) : undefined;
  }

  views(): JobView[] {
    return [...this.#jobs.keys()].map((id) => this.view(id)!);
  }

  #advanceAll(): void {
    const now = this.clock.now();
    for (const { job } of this.#jobs.values()) advance(job, this.#env, now);
  }

  #view(stored: StoredJob): JobView {
    const { job } = stored;
    return {
      jobId: job.jobId,
      jobArn: stored.jobArn,
      otaUpdateId: stored.otaUpdateId,
      status: job.status,
      targetSelection: job.config.targetSelection,
      targets: [...job.targets],
      forceCanceled: job.forceCanceled,
      ...(job.reasonCode !== undefined ? { reasonCode: job.reasonCode } : {}),
      ...(job.comment !== undefined ? { comment: job.comment } : {}),
      createdAt: new Date(job.createdAt),
      lastUpdatedAt: new Date(job.lastUpdatedAt),
      ...(job.completedAt !== undefined ? { completedAt: new Date(job.completedAt) } : {}),
      ...(job.processed ? {} : { processingTargets: [...job.targets] }),
      counts: countByStatus(job.executions),
      executions: job.executions.map((e) => this.#executionView(job, e)),
      ...(job.abortedBy ? { abortedBy: { ...job.abortedBy } } : {}),
    };
  }

  #executionView(job: Job, e: Execution): JobExecutionView {
    const optional = {
      notifiedAt: date(e.notifiedAt),
      startedAt: date(e.startedAt),
      statusDetails: e.statusDetails ? { ...e.statusDetails } : undefined,
      timesOutAt: date(timesOutAt(job, e)),
    };
    return {
      thingName: e.thingName,
      thingArn: this.fleet.thingArn(e.thingName),
      status: e.status,
      outcome: { ...e.outcome },
      executionNumber: EXECUTION_NUMBER,
      versionNumber: e.versionNumber,
      queuedAt: new Date(e.queuedAt),
      lastUpdatedAt: new Date(e.lastUpdatedAt),
      forceCanceled: e.forceCanceled,
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    };
  }
}

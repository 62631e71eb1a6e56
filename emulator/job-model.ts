/**
 * The device model of one IoT job, a deterministic function of emulated time: advance(job, to) plays every event up
 * to `to` in time order (target processing ends, devices are notified at the rollout pace, start, finish or time
 * out), checking the abort config after each event and completing a SNAPSHOT job once every execution is terminal.
 * cancel() and addThing() apply CancelJob and a CONTINUOUS job's new group member at the time they happen.
 */
import { failuresOf, firedCriterion, type FailureTally } from './abort.js';
import { resolveOutcome } from './device-behaviour.js';
import type {
  AbortCriterion,
  DeviceBehaviour,
  DeviceOutcome,
  DeviceTimings,
  JobExecutionStatus,
  JobStatus,
} from './job-types.js';
import {
  afterNotification,
  afterSuccess,
  startPacer,
  type Pacer,
  type RolloutConfig,
} from './rollout-pacer.js';

export const DEFAULT_TIMINGS: Required<DeviceTimings> = {
  targetProcessingSeconds: 10,
  startSeconds: 10,
  runSeconds: 120,
};

/** Each thing runs a job once here (no retry config is emulated), so every execution is number 1. */
export const EXECUTION_NUMBER = 1;

export interface Timings {
  targetProcessingMs: number;
  startMs: number;
  runMs: number;
}

export function resolveTimings(given: DeviceTimings = {}): Timings {
  const t = { ...DEFAULT_TIMINGS, ...given };
  for (const [name, value] of Object.entries(t))
    if (!(Number.isFinite(value) && value >= 0))
      throw new Error(`emulator: deviceTimings.${name} must be a number of seconds ≥ 0, got ${value}`);
  return {
    targetProcessingMs: t.targetProcessingSeconds * 1000,
    startMs: t.startSeconds * 1000,
    runMs: t.runSeconds * 1000,
  };
}

export interface JobConfig {
  targetSelection: 'SNAPSHOT' | 'CONTINUOUS';
  rollout?: RolloutConfig;
  abort?: AbortCriterion[];
  timeoutMinutes?: number;
}

export interface Execution {
  thingName: string;
  outcome: DeviceOutcome;
  status: JobExecutionStatus;
  queuedAt: number;
  notifiedAt?: number;
  startedAt?: number;
  lastUpdatedAt: number;
  statusDetails?: Record<string, string>;
  forceCanceled: boolean;
  versionNumber: number;
}

export interface Job {
  jobId: string;
  config: JobConfig;
  targets: string[];
  status: JobStatus;
  createdAt: number;
  lastUpdatedAt: number;
  completedAt?: number;
  /** False until target processing ends and the executions exist. */
  processed: boolean;
  forceCanceled: boolean;
  reasonCode?: string;
  comment?: string;
  abortedBy?: AbortCriterion;
  executions: Execution[];
  pacer: Pacer;
  evaluatedTo: number;
}

/** What the model needs from the fleet: who the targets reach now, and how each device behaves. */
interface FleetAccess {
  thingsOf(targets: readonly string[]): string[];
  behaviourOf(thing: string): DeviceBehaviour;
}

export interface Env {
  fleet: FleetAccess;
  timings: Timings;
}

const TERMINAL = new Set<JobExecutionStatus>([
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'REJECTED',
  'REMOVED',
  'CANCELED',
]);
const isTerminal = (status: JobExecutionStatus): boolean => TERMINAL.has(status);

export function newJob(jobId: string, targets: string[], config: JobConfig, at: number): Job {
  return {
    jobId,
    config,
    targets,
    status: 'IN_PROGRESS',
    createdAt: at,
    lastUpdatedAt: at,
    processed: false,
    forceCanceled: false,
    executions: [],
    pacer: startPacer(config.rollout, at),
    evaluatedTo: at,
  };
}

/** When an IN_PROGRESS execution turns TIMED_OUT, if the job has a timeout config. */
export function timesOutAt(job: Job, e: Execution): number | undefined {
  const minutes = job.config.timeoutMinutes;
  return minutes !== undefined && e.status === 'IN_PROGRESS' && e.startedAt !== undefined
    ? e.startedAt + minutes * 60_000
    : undefined;
}

/** The time of the execution's next device step and that step, or undefined when it has none coming. */
function nextStep(
  job: Job,
  e: Execution,
  t: Timings,
): { at: number; status: JobExecutionStatus } | undefined {
  const kind = e.outcome.kind;
  if (e.status === 'QUEUED' && e.notifiedAt !== undefined && kind !== 'offline')
    return { at: e.notifiedAt + t.startMs, status: kind === 'reject' ? 'REJECTED' : 'IN_PROGRESS' };
  if (e.status !== 'IN_PROGRESS' || e.startedAt === undefined) return undefined;
  const finish =
    kind === 'hang'
      ? undefined
      : { at: e.startedAt + t.runMs, status: kind === 'fail' ? 'FAILED' : 'SUCCEEDED' };
  const timeout = timesOutAt(job, e);
  if (timeout !== undefined && (finish === undefined || timeout < finish.at))
    return { at: timeout, status: 'TIMED_OUT' };
  return finish as { at: number; status: JobExecutionStatus } | undefined;
}

const pending = (job: Job): Execution | undefined =>
  job.status === 'IN_PROGRESS'
    ? job.executions.find((e) => e.status === 'QUEUED' && e.notifiedAt === undefined)
    : undefined;

function nextNotification(job: Job): number | undefined {
  const e = pending(job);
  return e === undefined ? undefined : Math.max(job.pacer.nextAt, e.queuedAt);
}

function expand(job: Job, env: Env, at: number): void {
  job.processed = true;
  job.lastUpdatedAt = at;
  job.pacer = { ...job.pacer, nextAt: at };
  for (const thing of env.fleet.thingsOf(job.targets)) queue(job, env, thing, at);
}

function queue(job: Job, env: Env, thingName: string, at: number): void {
  job.executions.push({
    thingName,
    outcome: resolveOutcome(env.fleet.behaviourOf(thingName), job.jobId, thingName),
    status: 'QUEUED',
    queuedAt: at,
    lastUpdatedAt: at,
    forceCanceled: false,
    versionNumber: 1,
  });
}

function tally(job: Job): FailureTally {
  const out: FailureTally = { notified: 0, FAILED: 0, REJECTED: 0, TIMED_OUT: 0 };
  for (const e of job.executions) {
    if (e.notifiedAt !== undefined) out.notified += 1;
    if (e.status === 'FAILED' || e.status === 'REJECTED' || e.status === 'TIMED_OUT') out[e.status] += 1;
  }
  return out;
}

const percent = (n: number): string => `${Math.round(n * 100) / 100}%`;

function abortComment(c: AbortCriterion, t: FailureTally): string {
  const failures = failuresOf(c, t);
  const type = c.failureType === 'ALL' ? 'FAILED, REJECTED or TIMED_OUT' : c.failureType;
  return (
    `Job canceled by its abort config: ${failures} of ${t.notified} notified things ` +
    `(${percent((failures * 100) / t.notified)}) ended ${type}; the threshold is ${percent(c.thresholdPercentage)} ` +
    `once at least ${c.minNumberOfExecutedThings} are notified.`
  );
}

/** After each event: the abort config may cancel the job, and a SNAPSHOT job completes once all is terminal. */
function settle(job: Job, at: number): void {
  if (job.status !== 'IN_PROGRESS') return;
  const criteria = job.config.abort;
  if (criteria && job.processed) {
    const t = tally(job);
    const fired = firedCriterion(criteria, t);
    if (fired) {
      job.abortedBy = fired;
      applyCancel(job, at, {
        force: false,
        reasonCode: 'ABORT_CRITERIA_MET',
        comment: abortComment(fired, t),
      });
      return;
    }
  }
  if (
    job.config.targetSelection === 'SNAPSHOT' &&
    job.processed &&
    job.executions.every((e) => isTerminal(e.status))
  ) {
    job.status = 'COMPLETED';
    job.completedAt = at;
    job.lastUpdatedAt = at;
  }
}

function report(e: Execution, status: JobExecutionStatus, at: number): void {
  e.status = status;
  e.lastUpdatedAt = at;
  if (status === 'IN_PROGRESS') e.startedAt = at;
  if (status !== 'TIMED_OUT') e.versionNumber += 1;
  const reason = e.outcome.kind === 'fail' || e.outcome.kind === 'reject' ? e.outcome.reason : undefined;
  if ((status === 'FAILED' || status === 'REJECTED') && reason !== undefined) e.statusDetails = { reason };
}

/** Plays every event up to `to`, in time order (at one instant: target processing, device steps, notifications). */
export function advance(job: Job, env: Env, to: number): void {
  if (job.status === 'DELETION_IN_PROGRESS') return;
  for (let steps = 0; ; steps++) {
    if (steps > 10 + 5 * job.executions.length) throw new Error(`emulator: job ${job.jobId} does not settle`);
    let at = job.processed ? Infinity : job.createdAt + env.timings.targetProcessingMs;
    for (const e of job.executions) at = Math.min(at, nextStep(job, e, env.timings)?.at ?? Infinity);
    at = Math.min(at, nextNotification(job) ?? Infinity);
    if (at > to) break;
    if (!job.processed && job.createdAt + env.timings.targetProcessingMs === at) {
      expand(job, env, at);
      settle(job, at);
    }
    for (const e of job.executions) {
      const step = nextStep(job, e, env.timings);
      if (step?.at !== at) continue;
      report(e, step.status, at);
      if (step.status === 'SUCCEEDED') job.pacer = afterSuccess(job.config.rollout, job.pacer, at);
      settle(job, at);
    }
    for (let e = pending(job); e !== undefined && nextNotification(job) === at; e = pending(job)) {
      e.notifiedAt = at;
      job.pacer = afterNotification(job.config.rollout, job.pacer, at);
      settle(job, at);
    }
  }
  job.evaluatedTo = Math.max(job.evaluatedTo, to);
}

export interface CancelRequest {
  force: boolean;
  reasonCode?: string;
  comment?: string;
}

/** Cancels at `at` (the job advanced to `at` first): QUEUED executions, and IN_PROGRESS ones too with force. */
function applyCancel(job: Job, at: number, request: CancelRequest): void {
  job.status = 'CANCELED';
  job.lastUpdatedAt = at;
  job.forceCanceled ||= request.force;
  if (request.reasonCode !== undefined) job.reasonCode = request.reasonCode;
  if (request.comment !== undefined) job.comment = request.comment;
  for (const e of job.executions) {
    if (e.status === 'QUEUED' || (request.force && e.status === 'IN_PROGRESS')) {
      e.forceCanceled = e.status === 'IN_PROGRESS';
      e.status = 'CANCELED';
      e.lastUpdatedAt = at;
    }
  }
}

/** CancelJob at `at`. A job still processing its targets gets its executions first, all of them then canceled. */
export function cancel(job: Job, env: Env, at: number, request: CancelRequest): void {
  advance(job, env, at);
  if (!job.processed) expand(job, env, at);
  applyCancel(job, at, request);
}

/** A thing joined a target group of a CONTINUOUS job at `at`: it gets an execution if it has none. */
export function addThing(job: Job, env: Env, thingName: string, at: number): void {
  advance(job, env, at);
  if (job.config.targetSelection !== 'CONTINUOUS' || job.status !== 'IN_PROGRESS' || !job.processed) return;
  if (job.executions.some((e) => e.thingName === thingName)) return;
  if (!env.fleet.thingsOf(job.targets).includes(thingName)) return;
  queue(job, env, thingName, at);
  settle(job, at);
}

/** The public types of the emulator's fleet (things, thing groups, simulated devices) and IoT jobs. */

/**
 * How a simulated device answers a job. 'succeed' (the default), 'fail' (FAILED with detailsMap.reason
 * '0x01000000: 0xfffffffe', as a FreeRTOS agent writes it) or {fail: reason}, 'reject' or {reject: reason}
 * (REJECTED when notified), 'offline' (notified but never answers: stays QUEUED), 'hang' (IN_PROGRESS until the
 * job's timeout turns it TIMED_OUT, else forever), or {failRate, seed, reason?}: fails with probability failRate
 * (0..1), decided by a hash of seed, job id and thing name, so the same inputs always give the same devices.
 */
export type DeviceBehaviour =
  | 'succeed'
  | 'fail'
  | 'reject'
  | 'offline'
  | 'hang'
  | { fail: string }
  | { reject: string }
  | { failRate: number; seed: number; reason?: string };

/** A behaviour resolved for one execution (a failRate becomes fail or succeed). */
export type DeviceOutcome =
  | { kind: 'succeed' }
  | { kind: 'fail'; reason: string }
  | { kind: 'reject'; reason?: string }
  | { kind: 'offline' }
  | { kind: 'hang' };

export interface ThingOption {
  name: string;
  /** Thing groups it belongs to (declared implicitly if thingGroups does not list them). */
  groups?: string[];
  /** Wins over its groups' behaviours. */
  behaviour?: DeviceBehaviour;
}

export interface ThingGroupOption {
  name: string;
  /** The behaviour of its things that have none of their own. */
  behaviour?: DeviceBehaviour;
}

/** Emulated seconds between a device's steps; see index.ts for the defaults. */
export interface DeviceTimings {
  /** Job created → its executions QUEUED (processingTargets set meanwhile). */
  targetProcessingSeconds?: number;
  /** Device notified → IN_PROGRESS (or REJECTED). */
  startSeconds?: number;
  /** IN_PROGRESS → SUCCEEDED or FAILED. */
  runSeconds?: number;
}

export type JobStatus = 'IN_PROGRESS' | 'CANCELED' | 'COMPLETED' | 'DELETION_IN_PROGRESS';

export type JobExecutionStatus =
  'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'REJECTED' | 'REMOVED' | 'CANCELED';

type AbortFailureType = 'FAILED' | 'REJECTED' | 'TIMED_OUT' | 'ALL';

export interface AbortCriterion {
  failureType: AbortFailureType;
  action: 'CANCEL';
  thresholdPercentage: number;
  minNumberOfExecutedThings: number;
}

export interface JobExecutionView {
  thingName: string;
  thingArn: string;
  status: JobExecutionStatus;
  /** What the device does with this job, fixed when the execution was created. */
  outcome: DeviceOutcome;
  executionNumber: number;
  /** 1 when queued, +1 for each status the device reports. */
  versionNumber: number;
  queuedAt: Date;
  /** When the rollout notified the device (not on the wire; IoT does not show it either). */
  notifiedAt?: Date;
  startedAt?: Date;
  lastUpdatedAt: Date;
  statusDetails?: Record<string, string>;
  forceCanceled: boolean;
  /** When an IN_PROGRESS execution turns TIMED_OUT (with a timeout config). */
  timesOutAt?: Date;
}

export interface JobView {
  jobId: string;
  jobArn: string;
  otaUpdateId: string;
  status: JobStatus;
  targetSelection: 'SNAPSHOT' | 'CONTINUOUS';
  targets: string[];
  forceCanceled: boolean;
  reasonCode?: string;
  comment?: string;
  createdAt: Date;
  lastUpdatedAt: Date;
  completedAt?: Date;
  /** The targets still being expanded into executions; undefined once every execution is QUEUED. */
  processingTargets?: string[];
  /** Executions per status (every status present, 0 when none). */
  counts: Record<JobExecutionStatus, number>;
  /** In the order they were queued. */
  executions: JobExecutionView[];
  /** The abort criterion that canceled the job, if one did. */
  abortedBy?: AbortCriterion;
}

/** Jobs as they stand at the current emulated time (each call evaluates them; the views are copies). */
export interface EmulatedJobs {
  get(jobId: string): JobView | undefined;
  all(): JobView[];
}

export interface ThingView {
  name: string;
  arn: string;
  groups: string[];
  /** Its effective behaviour for an execution created now. */
  behaviour: DeviceBehaviour;
}

export interface ThingGroupView {
  name: string;
  arn: string;
  things: string[];
  behaviour?: DeviceBehaviour;
}

export interface EmulatedFleet {
  /** True when no things or thing groups were configured: any target is accepted and registered on first use. */
  readonly open: boolean;
  things(): ThingView[];
  groups(): ThingGroupView[];
}

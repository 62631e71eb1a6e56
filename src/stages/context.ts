/**
 * What every stage works with: the AWS clients, who we are, the log, the clock and timings, the step's
 * cancellation, and where to record what has been done in AWS (so that a failure, or a cancellation, can report it).
 * Built once by the runner and handed to each stage.
 */
import type { OTAUpdateInfo } from '@aws-sdk/client-iot';
import type { AwsClients } from '../aws/clients.js';
import type { CallerIdentity, Clock, FileFacts, Log } from '../types.js';
import type { RolloutRecord } from './rollout.js';

export interface PollSchedule {
  firstDelayMs: number;
  factor: number;
  maxDelayMs: number;
}

export interface RolloutSchedule {
  /** The first DescribeJob comes this long after the call starts (right after CREATE_COMPLETE). */
  firstDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** A progress line at least this often, even when nothing changed (polls permitting). */
  progressEveryMs: number;
  /** Budget of the calls after the verdict or the deadline: the failed devices and CancelJob. */
  wrapUpMs: number;
}

export interface Timing {
  /** GetOTAUpdate polls while an update is created, or while a deleted one goes. */
  creationPoll: PollSchedule;
  /** DescribeJob polls while `wait: rollout` follows the job. */
  rolloutPoll: RolloutSchedule;
  /** Multiplies the action's own waits between attempts, and the rollout's deadline (1 on a real runner). */
  scale: number;
}

/** Where stages record what they changed in AWS, as it happens. */
export interface RunProgress {
  /** files[index] is now at this version (uploaded or reused). */
  uploaded(index: number, facts: FileFacts): void;
  /** A CreateOTAUpdate request went out: from now on the update may exist. */
  createSent(otaUpdateId: string): void;
  /** What IoT says of the update (created, adopted, or polled). */
  updateKnown(info: Partial<OTAUpdateInfo>): void;
  /** What is known of the rollout on the devices, after every change. */
  rolloutKnown(rollout: RolloutRecord): void;
}

export interface StageContext {
  clients: AwsClients;
  identity: CallerIdentity;
  log: Log;
  clock: Clock;
  timing: Timing;
  /** The step's cancellation: aborted when the runner stops the step. */
  signal: AbortSignal;
  progress: RunProgress;
  /** The workflow run's page, named where the action leaves a note in AWS (CancelJob's comment). */
  runUrl: string | undefined;
}

/**
 * What every stage works with: the AWS clients, who we are, the log, the clock and timings, the step's
 * cancellation, and where to record what has been done in AWS (so that a failure, or a cancellation, can report it).
 * Built once by the runner and handed to each stage.
 */
import type { OTAUpdateInfo } from '@aws-sdk/client-iot';
import type { AwsClients } from '../aws/clients.js';
import type { CallerIdentity, Clock, FileFacts, Log } from '../types.js';

export interface PollSchedule {
  firstDelayMs: number;
  factor: number;
  maxDelayMs: number;
}

export interface Timing {
  /** GetOTAUpdate polls while an update is created, or while a deleted one goes. */
  creationPoll: PollSchedule;
  /** Multiplies the action's own waits between attempts (1 on a real runner). */
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
}

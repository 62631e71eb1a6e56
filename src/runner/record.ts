/**
 * What a run has learned and done so far, kept as it happens, so that the report (on success, failure or
 * cancellation alike) can say exactly what exists in AWS: the update's id and ARN once IoT has one, the versions
 * uploaded, whether a create request went out. The stages record into it through RunProgress.
 */
import type { CreateOTAUpdateRequest, OTAUpdateInfo } from '@aws-sdk/client-iot';
import type { Plan, ReleaseFacts } from '../plan/plan.js';
import type { Applied, AppliedResult } from '../stages/apply.js';
import type { RunProgress } from '../stages/context.js';
import type { RolloutRecord } from '../stages/rollout.js';
import type { CallerIdentity, FileFacts, Settings } from '../types.js';

export type RunResult = AppliedResult | 'dry-run';

export class RunRecord implements RunProgress {
  readonly startedAt: number;
  debug = false;
  settings: Settings | undefined;
  identity: CallerIdentity | undefined;
  otaUpdateId: string | undefined;
  targets: string[] = [];
  /** The request as it stands (planned, then as sent or adopted). */
  request: CreateOTAUpdateRequest | undefined;
  files: FileFacts[] = [];
  result: RunResult | undefined;
  /** What IoT last said of the update; undefined until it is known to exist. */
  update: Partial<OTAUpdateInfo> | undefined;
  /** A CreateOTAUpdate request went out (the update may exist although no reply said so). */
  createWasSent = false;
  /** Indexes of the files this run uploaded. */
  readonly uploadedFiles = new Set<number>();
  /** The rollout on the devices, when the run followed it (`wait: rollout`). */
  rollout: RolloutRecord | undefined;

  constructor(now: number) {
    this.startedAt = now;
  }

  parsed(settings: Settings, debug: boolean): void {
    this.settings = settings;
    this.debug = debug;
  }

  connected(identity: CallerIdentity): void {
    this.identity = identity;
  }

  resolved(facts: ReleaseFacts): void {
    this.otaUpdateId = facts.otaUpdateId;
    this.targets = facts.targets;
    this.files = facts.files;
  }

  planned(plan: Plan, dryRun: boolean): void {
    this.request = plan.request;
    this.files = plan.files;
    if (dryRun) this.result = 'dry-run';
    else if (plan.step.kind === 'reuse') this.update = plan.step.existing;
  }

  applied(applied: Applied): void {
    this.request = applied.request;
    this.files = applied.files;
    this.result = applied.result;
  }

  uploaded(index: number, facts: FileFacts): void {
    this.files = this.files.map((f, i) => (i === index ? facts : f));
    this.uploadedFiles.add(index);
  }

  createSent(otaUpdateId: string): void {
    this.otaUpdateId = otaUpdateId;
    this.createWasSent = true;
  }

  rolloutKnown(rollout: RolloutRecord): void {
    this.rollout = rollout;
  }

  updateKnown(info: Partial<OTAUpdateInfo>): void {
    this.update = { ...this.update, ...definedMembers(info) };
  }
}

function definedMembers<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

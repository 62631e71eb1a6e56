/**
 * OTA updates and their life cycle, driven by GetOTAUpdate polls so tests are deterministic:
 * CREATE_PENDING → CREATE_IN_PROGRESS → CREATE_COMPLETE | CREATE_FAILED (or never done), and after
 * DeleteOTAUpdate, DELETE_IN_PROGRESS for a few polls, then gone (or DELETE_FAILED). The update's job is created at
 * CREATE_COMPLETE and deleted with the update when forceDeleteAWSJob says so (see JobHooks).
 */
import type { CreateOutcome, ErrorInfo, OTAUpdateStatus, StoredOtaUpdate } from './types.js';

/** What happens to an update's job as the update goes through its life cycle. */
interface JobHooks {
  /** The update reached CREATE_COMPLETE (or was seeded with a job). */
  created(update: StoredOtaUpdate): void;
  /** DeleteOTAUpdate with forceDeleteAWSJob was accepted. */
  deleting(jobId: string): void;
  /** The update is gone and forceDeleteAWSJob deleted its job. */
  removed(jobId: string): void;
}

export interface OtaStoreOptions {
  pollsToComplete: number;
  deletePolls: number;
  /** `arn:<partition>:iot:<region>:<account>` */
  arnPrefix: string;
  /** Emulated epoch milliseconds, for the updates' dates. */
  now: () => number;
  jobs: JobHooks;
}

export interface DeleteFlags {
  deleteStream: boolean;
  forceDeleteAWSJob: boolean;
}

const DEFAULT_FAILURE: ErrorInfo = { code: 'AWSIotException', message: 'The OTA update failed.' };

export class OtaStore {
  readonly updates = new Map<string, StoredOtaUpdate>();
  readonly #seq = new Map<string, number>();
  #next = 1;

  constructor(readonly options: OtaStoreOptions) {}

  #add(
    id: string,
    request: Record<string, unknown>,
    status: OTAUpdateStatus,
    outcome: CreateOutcome,
  ): StoredOtaUpdate {
    const now = new Date(this.options.now());
    const jobId = `AFR_OTA-${id}`;
    const update: StoredOtaUpdate = {
      otaUpdateId: id,
      request,
      status,
      arn: `${this.options.arnPrefix}:otaupdate/${id}`,
      jobId,
      jobArn: `${this.options.arnPrefix}:job/${jobId}`,
      creationDate: now,
      lastModifiedDate: now,
      polls: 0,
      outcome,
    };
    this.updates.set(id, update);
    this.#seq.set(id, this.#next++);
    return update;
  }

  create(id: string, request: Record<string, unknown>, outcome: CreateOutcome): StoredOtaUpdate {
    const update = this.#add(id, request, 'CREATE_PENDING', outcome);
    this.#advance(update);
    return update;
  }

  seed(
    id: string,
    request: Record<string, unknown>,
    status: OTAUpdateStatus,
    errorInfo: ErrorInfo | undefined,
    outcome: CreateOutcome,
  ): StoredOtaUpdate {
    this.#remove(id);
    const update = this.#add(id, request, status, outcome);
    if (status === 'CREATE_FAILED' || status === 'DELETE_FAILED')
      update.errorInfo = errorInfo ?? DEFAULT_FAILURE;
    if (status === 'CREATE_COMPLETE' || status === 'DELETE_FAILED') this.options.jobs.created(update);
    if (status === 'DELETE_IN_PROGRESS')
      update.deletion = {
        deleteStream: false,
        forceDeleteAWSJob: true,
        pollsLeft: this.options.deletePolls,
        willFail: false,
      };
    return update;
  }

  /** A GetOTAUpdate call: the update one poll further, or undefined when it does not exist (any more). */
  poll(id: string): StoredOtaUpdate | undefined {
    const update = this.updates.get(id);
    if (!update) return undefined;
    update.polls += 1;
    const deletion = update.deletion;
    if (deletion && update.status === 'DELETE_IN_PROGRESS') {
      if (deletion.pollsLeft > 0) {
        deletion.pollsLeft -= 1;
        return update;
      }
      return this.#finishDeletion(update);
    }
    this.#advance(update);
    return update;
  }

  /** A DeleteOTAUpdate call: undefined when there is no such update. */
  delete(id: string, flags: DeleteFlags): StoredOtaUpdate | undefined {
    const update = this.updates.get(id);
    if (!update) return undefined;
    if (update.status === 'DELETE_IN_PROGRESS') return update;
    // The update's job runs once it is created; IoT refuses to delete a running job unless forced.
    const willFail = update.status === 'CREATE_COMPLETE' && !flags.forceDeleteAWSJob;
    update.deletion = { ...flags, pollsLeft: this.options.deletePolls, willFail };
    delete update.errorInfo;
    if (flags.forceDeleteAWSJob) this.options.jobs.deleting(update.jobId);
    this.#set(update, 'DELETE_IN_PROGRESS');
    if (this.options.deletePolls === 0) this.#finishDeletion(update);
    return update;
  }

  /** Updates in creation order after the one with sequence `after`, at most `max`, and the next page's marker. */
  list(filter: { status?: string; after: number; max: number }): { items: StoredOtaUpdate[]; next?: number } {
    const matching = [...this.updates.values()].filter(
      (u) =>
        (filter.status === undefined || u.status === filter.status) &&
        this.sequence(u.otaUpdateId) > filter.after,
    );
    const items = matching.slice(0, filter.max);
    const last = items.at(-1);
    return matching.length > filter.max && last
      ? { items, next: this.sequence(last.otaUpdateId) }
      : { items };
  }

  sequence(id: string): number {
    return this.#seq.get(id) ?? 0;
  }

  clear(): void {
    this.updates.clear();
    this.#seq.clear();
  }

  #advance(update: StoredOtaUpdate): void {
    if (update.status !== 'CREATE_PENDING' && update.status !== 'CREATE_IN_PROGRESS') return;
    const outcome = update.outcome;
    if (outcome === 'never' || update.polls < this.options.pollsToComplete) {
      if (update.polls > 0) this.#set(update, 'CREATE_IN_PROGRESS');
      return;
    }
    if (outcome === 'complete') {
      this.#set(update, 'CREATE_COMPLETE');
    } else {
      update.errorInfo = { ...outcome.failed };
      this.#set(update, 'CREATE_FAILED');
    }
  }

  #finishDeletion(update: StoredOtaUpdate): StoredOtaUpdate | undefined {
    if (update.deletion?.willFail) {
      update.errorInfo = {
        code: 'InvalidRequestException',
        message: `Job ${update.jobId} is in progress; delete it with forceDeleteAWSJob set to true.`,
      };
      this.#set(update, 'DELETE_FAILED');
      return update;
    }
    this.#remove(update.otaUpdateId, update.deletion?.forceDeleteAWSJob ?? false);
    return undefined;
  }

  #remove(id: string, withJob = true): void {
    const update = this.updates.get(id);
    if (update && withJob) this.options.jobs.removed(update.jobId);
    this.updates.delete(id);
    this.#seq.delete(id);
  }

  #set(update: StoredOtaUpdate, status: OTAUpdateStatus): void {
    if (update.status === status) return;
    update.lastModifiedDate = new Date(this.options.now());
    update.status = status;
    if (status === 'CREATE_COMPLETE') this.options.jobs.created(update);
  }
}

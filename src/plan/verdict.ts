/**
 * The verdict of a rollout, from the job as DescribeJob shows it: pending (keep polling), green, or red with a
 * reason. Pure: the same job and share always give the same verdict, so every rule is tested as a table.
 */
import type { JobStatus, TargetSelection } from '@aws-sdk/client-iot';
import { quoted } from './untrusted-text.js';

/** The eight counts of DescribeJob's jobProcessDetails (absent counts are 0). */
export interface JobCounts {
  queued: number;
  inProgress: number;
  succeeded: number;
  failed: number;
  rejected: number;
  timedOut: number;
  canceled: number;
  /** Deleted things, or things removed from a target group: not targeted any more. */
  removed: number;
}

/** What the verdict reads of a job. */
export interface RolloutJob {
  jobId: string;
  jobArn: string | undefined;
  status: JobStatus | undefined;
  targetSelection: TargetSelection;
  /** Targets IoT is still rolling the job out to; empty once it has reached every target. */
  processingTargets: string[];
  counts: JobCounts;
  reasonCode: string | undefined;
  comment: string | undefined;
  forceCanceled: boolean;
}

/** The counts as the outputs show them. */
export interface Tally {
  /** Targeted things: every count but removed. */
  total: number;
  succeeded: number;
  /** Failed, rejected or timed out. */
  failed: number;
  canceled: number;
  /** Queued or in progress. */
  pending: number;
}

interface Note {
  level: 'info' | 'warning';
  text: string;
}

type RedCode = 'RolloutFailed' | 'RolloutCanceled';

export type Verdict =
  | { kind: 'pending'; reason: string }
  | { kind: 'green'; required: number; notes: Note[] }
  | { kind: 'red'; code: RedCode; reason: string };

export function tallyOf(c: JobCounts): Tally {
  const failed = c.failed + c.rejected + c.timedOut;
  const pending = c.queued + c.inProgress;
  return {
    total: pending + c.succeeded + failed + c.canceled,
    succeeded: c.succeeded,
    failed,
    canceled: c.canceled,
    pending,
  };
}

/** `x` as an exact decimal fraction digits / 10^scale (from its shortest round-trip text, as the user wrote it). */
function decimal(x: number): { digits: bigint; scale: number } {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new Error(`not a non-negative finite number: ${x}`);
  const fraction = m[2] ?? '';
  const scale = fraction.length - Number(m[3] ?? 0);
  const digits = BigInt(`${m[1]}${fraction}`);
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 };
}

/** ceil(p/100 × total), computed exactly: 33.3 % of 1000 is 333, not 334. */
export function requiredSuccesses(successPercentage: number, total: number): number {
  const { digits, scale } = decimal(successPercentage);
  const numerator = digits * BigInt(total);
  const denominator = 100n * 10n ** BigInt(scale);
  return Number((numerator + denominator - 1n) / denominator);
}

function things(n: number): string {
  return `${n} ${n === 1 ? 'thing' : 'things'}`;
}

function share(required: number, p: number): string {
  return `${required} (${p} %)`;
}

function whyCanceled(job: RolloutJob): string {
  const what = job.status === 'DELETION_IN_PROGRESS' ? 'is being deleted' : 'was canceled';
  const forced = job.forceCanceled ? ' with force' : '';
  const code = job.reasonCode ? `reason code ${job.reasonCode}` : 'no reason code';
  const comment = job.comment ? `comment ${quoted(job.comment)}` : 'no comment';
  return `the job ${what}${forced} (${code}, ${comment})`;
}

function lostParts(t: Tally): string {
  const parts = [
    t.failed > 0 ? `${t.failed} failed` : '',
    t.canceled > 0 ? `${t.canceled} ${t.canceled === 1 ? 'was' : 'were'} canceled` : '',
  ];
  return parts.filter(Boolean).join(' and ');
}

function greenNotes(job: RolloutJob, t: Tally, required: number): Note[] {
  const notes: Note[] = [];
  if (job.status === 'CANCELED' || job.status === 'DELETION_IN_PROGRESS') {
    notes.push({
      level: 'warning',
      text: `The required share had succeeded, but ${whyCanceled(job)}: things that had not finished will not get the update.`,
    });
  }
  if (t.failed + t.canceled > 0) {
    notes.push({
      level: 'info',
      text: `Of ${things(t.total)}, ${lostParts(t)}: within the ${t.total - required} the success share allows.`,
    });
  }
  if (job.targetSelection === 'CONTINUOUS') {
    notes.push({
      level: 'info',
      text: 'The job is CONTINUOUS: it keeps running, and things that join the target groups later get the update too.',
    });
  } else if (t.pending > 0 && job.status === 'IN_PROGRESS') {
    notes.push({
      level: 'info',
      text: `${things(t.pending)} ${t.pending === 1 ? 'is' : 'are'} still queued or in progress: the job goes on in AWS IoT.`,
    });
  }
  return notes;
}

/**
 * Green once the share has succeeded and IoT has reached every target; red once the share can no longer be reached
 * or the job was canceled (canceled says more, so it wins); pending otherwise.
 */
export function judge(job: RolloutJob, successPercentage: number): Verdict {
  const t = tallyOf(job.counts);
  const required = requiredSuccesses(successPercentage, t.total);
  const processing = job.processingTargets.length > 0;
  const needed = share(required, successPercentage);

  if (!processing && t.total > 0 && t.succeeded >= required) {
    return { kind: 'green', required, notes: greenNotes(job, t, required) };
  }
  if (job.status === 'CANCELED' || job.status === 'DELETION_IN_PROGRESS') {
    const lost = t.failed + t.canceled > t.total - required;
    return {
      kind: 'red',
      code: 'RolloutCanceled',
      reason: `${whyCanceled(job)} with ${t.succeeded} of ${things(t.total)} succeeded; ${needed} must succeed${
        lost ? `, which could no longer happen anyway (${lostParts(t)})` : ''
      }`,
    };
  }
  if (processing) {
    return {
      kind: 'pending',
      reason: `IoT is still rolling the job out to its targets (${job.processingTargets.length} left): the counts are not final`,
    };
  }
  if (t.total === 0) {
    const removed = job.counts.removed > 0 ? ` (${things(job.counts.removed)} removed)` : '';
    return job.targetSelection === 'CONTINUOUS'
      ? {
          kind: 'green',
          required,
          notes: [
            {
              level: 'warning',
              text: `The targets hold no things yet${removed}: the CONTINUOUS job will run on things that join the target groups later.`,
            },
          ],
        }
      : {
          kind: 'red',
          code: 'RolloutFailed',
          reason: `the targets hold no things${removed}: the job has no device to run on`,
        };
  }
  if (t.failed + t.canceled > t.total - required) {
    return {
      kind: 'red',
      code: 'RolloutFailed',
      reason: `of ${things(t.total)}, ${lostParts(t)}, so at most ${t.total - t.failed - t.canceled} can still succeed and ${needed} must`,
    };
  }
  if (job.status === 'COMPLETED') {
    return {
      kind: 'red',
      code: 'RolloutFailed',
      reason: `the job is COMPLETED with ${t.succeeded} of ${things(t.total)} succeeded; ${needed} had to`,
    };
  }
  return { kind: 'pending', reason: `${t.succeeded} of ${things(t.total)} succeeded so far; ${needed} must` };
}

import { describe, expect, it } from 'vitest';
import {
  judge,
  requiredSuccesses,
  tallyOf,
  type JobCounts,
  type RolloutJob,
  type Verdict,
} from '../../../src/plan/verdict.js';

const ZERO: JobCounts = {
  queued: 0,
  inProgress: 0,
  succeeded: 0,
  failed: 0,
  rejected: 0,
  timedOut: 0,
  canceled: 0,
  removed: 0,
};

function job(counts: Partial<JobCounts>, partial: Partial<RolloutJob> = {}): RolloutJob {
  return {
    jobId: 'AFR_OTA-fw',
    jobArn: 'arn:aws:iot:eu-west-1:123456789012:job/AFR_OTA-fw',
    status: 'IN_PROGRESS',
    targetSelection: 'SNAPSHOT',
    processingTargets: [],
    counts: { ...ZERO, ...counts },
    reasonCode: undefined,
    comment: undefined,
    forceCanceled: false,
    ...partial,
  };
}

const PROCESSING = { processingTargets: ['arn:aws:iot:eu-west-1:123456789012:thinggroup/fleet'] };
const CONTINUOUS = { targetSelection: 'CONTINUOUS' } as const;
const KEEPS_RUNNING = {
  level: 'info',
  text: 'The job is CONTINUOUS: it keeps running, and things that join the target groups later get the update too.',
} as const;

describe('judge', () => {
  const rows: [string, RolloutJob, number, Verdict][] = [
    // While IoT is still expanding the targets, the counts are not final.
    [
      'targets still being processed, counts zero',
      job({}, PROCESSING),
      100,
      {
        kind: 'pending',
        reason: 'IoT is still rolling the job out to its targets (1 left): the counts are not final',
      },
    ],
    [
      'targets still being processed, counts that would be green',
      job({ succeeded: 10 }, PROCESSING),
      100,
      {
        kind: 'pending',
        reason: 'IoT is still rolling the job out to its targets (1 left): the counts are not final',
      },
    ],
    [
      'targets still being processed, counts that would be red',
      job({ succeeded: 1, failed: 2 }, PROCESSING),
      50,
      {
        kind: 'pending',
        reason: 'IoT is still rolling the job out to its targets (1 left): the counts are not final',
      },
    ],
    // Green.
    [
      'every thing succeeded (SNAPSHOT, COMPLETED)',
      job({ succeeded: 10 }, { status: 'COMPLETED' }),
      100,
      { kind: 'green', required: 10, notes: [] },
    ],
    [
      'the share succeeded while others are still pending',
      job({ succeeded: 9, queued: 1 }),
      90,
      {
        kind: 'green',
        required: 9,
        notes: [
          {
            level: 'info',
            text: '1 thing is still queued or in progress: the job goes on in AWS IoT.',
          },
        ],
      },
    ],
    [
      'the share succeeded with failures it allows',
      job({ succeeded: 8, failed: 1, timedOut: 1 }, { status: 'COMPLETED' }),
      80,
      {
        kind: 'green',
        required: 8,
        notes: [{ level: 'info', text: 'Of 10 things, 2 failed: within the 2 the success share allows.' }],
      },
    ],
    [
      'removed things do not count',
      job({ succeeded: 9, removed: 3 }, { status: 'COMPLETED' }),
      100,
      { kind: 'green', required: 9, notes: [] },
    ],
    [
      'CONTINUOUS: green on the executions that exist, and it says the job keeps running',
      job({ succeeded: 5 }, CONTINUOUS),
      100,
      { kind: 'green', required: 5, notes: [KEEPS_RUNNING] },
    ],
    [
      'CONTINUOUS with things pending: keeps running (no separate pending note)',
      job({ succeeded: 4, inProgress: 1 }, CONTINUOUS),
      80,
      { kind: 'green', required: 4, notes: [KEEPS_RUNNING] },
    ],
    [
      'the job was canceled after the share had succeeded',
      job({ succeeded: 9, canceled: 1 }, { status: 'CANCELED', reasonCode: 'MANUAL', comment: 'enough' }),
      90,
      {
        kind: 'green',
        required: 9,
        notes: [
          {
            level: 'warning',
            text: 'The required share had succeeded, but the job was canceled (reason code MANUAL, comment "enough"): things that had not finished will not get the update.',
          },
          { level: 'info', text: 'Of 10 things, 1 was canceled: within the 1 the success share allows.' },
        ],
      },
    ],
    // No things once the targets are expanded.
    [
      'SNAPSHOT whose targets hold no things',
      job({}),
      100,
      {
        kind: 'red',
        code: 'RolloutFailed',
        reason: 'the targets hold no things: the job has no device to run on',
      },
    ],
    [
      'SNAPSHOT whose things were all removed',
      job({ removed: 2 }, { status: 'COMPLETED' }),
      100,
      {
        kind: 'red',
        code: 'RolloutFailed',
        reason: 'the targets hold no things (2 things removed): the job has no device to run on',
      },
    ],
    [
      'CONTINUOUS whose targets hold no things yet',
      job({}, CONTINUOUS),
      100,
      {
        kind: 'green',
        required: 0,
        notes: [
          {
            level: 'warning',
            text: 'The targets hold no things yet: the CONTINUOUS job will run on things that join the target groups later.',
          },
        ],
      },
    ],
    // Red: the share can no longer be reached.
    [
      'one failure when every thing must succeed',
      job({ succeeded: 3, failed: 1, queued: 6 }),
      100,
      {
        kind: 'red',
        code: 'RolloutFailed',
        reason: 'of 10 things, 1 failed, so at most 9 can still succeed and 10 (100 %) must',
      },
    ],
    [
      'rejected and timed out count as failed',
      job({ failed: 1, rejected: 1, timedOut: 1, queued: 7 }),
      80,
      {
        kind: 'red',
        code: 'RolloutFailed',
        reason: 'of 10 things, 3 failed, so at most 7 can still succeed and 8 (80 %) must',
      },
    ],
    [
      'canceled executions count against the share',
      job({ failed: 1, canceled: 2, inProgress: 7 }),
      80,
      {
        kind: 'red',
        code: 'RolloutFailed',
        reason:
          'of 10 things, 1 failed and 2 were canceled, so at most 7 can still succeed and 8 (80 %) must',
      },
    ],
    [
      'exactly as many failures as the share allows: still pending',
      job({ failed: 2, succeeded: 5, queued: 3 }),
      80,
      { kind: 'pending', reason: '5 of 10 things succeeded so far; 8 (80 %) must' },
    ],
    [
      'CONTINUOUS: red by the same rule',
      job({ succeeded: 1, failed: 1 }, CONTINUOUS),
      100,
      {
        kind: 'red',
        code: 'RolloutFailed',
        reason: 'of 2 things, 1 failed, so at most 1 can still succeed and 2 (100 %) must',
      },
    ],
    [
      'COMPLETED short of the share (counts IoT had not settled)',
      job({ succeeded: 8, failed: 1, queued: 1 }, { status: 'COMPLETED' }),
      90,
      {
        kind: 'red',
        code: 'RolloutFailed',
        reason: 'the job is COMPLETED with 8 of 10 things succeeded; 9 (90 %) had to',
      },
    ],
    // Red: canceled.
    [
      'canceled by its abort config before green',
      job(
        { succeeded: 2, inProgress: 3 },
        { status: 'CANCELED', reasonCode: 'FAILURE_THRESHOLD', comment: 'Abort config criteria met' },
      ),
      100,
      {
        kind: 'red',
        code: 'RolloutCanceled',
        reason:
          'the job was canceled (reason code FAILURE_THRESHOLD, comment "Abort config criteria met") with 2 of 5 things succeeded; 5 (100 %) must succeed',
      },
    ],
    [
      'canceled and short of the share at once: canceled wins and says both',
      job({ succeeded: 3, failed: 2, canceled: 5 }, { status: 'CANCELED', reasonCode: 'ABORT' }),
      100,
      {
        kind: 'red',
        code: 'RolloutCanceled',
        reason:
          'the job was canceled (reason code ABORT, no comment) with 3 of 10 things succeeded; 10 (100 %) must succeed, which could no longer happen anyway (2 failed and 5 were canceled)',
      },
    ],
    [
      'canceled with force, without reason code or comment',
      job({ canceled: 4 }, { status: 'CANCELED', forceCanceled: true }),
      50,
      {
        kind: 'red',
        code: 'RolloutCanceled',
        reason:
          'the job was canceled with force (no reason code, no comment) with 0 of 4 things succeeded; 2 (50 %) must succeed, which could no longer happen anyway (4 were canceled)',
      },
    ],
    [
      'canceled while IoT was still processing the targets',
      job({}, { ...PROCESSING, status: 'CANCELED' }),
      100,
      {
        kind: 'red',
        code: 'RolloutCanceled',
        reason:
          'the job was canceled (no reason code, no comment) with 0 of 0 things succeeded; 0 (100 %) must succeed',
      },
    ],
    [
      'being deleted',
      job({ succeeded: 1, queued: 1 }, { status: 'DELETION_IN_PROGRESS' }),
      100,
      {
        kind: 'red',
        code: 'RolloutCanceled',
        reason:
          'the job is being deleted (no reason code, no comment) with 1 of 2 things succeeded; 2 (100 %) must succeed',
      },
    ],
    [
      "a comment on several lines is quoted on one (it is someone else's text)",
      job({ queued: 1 }, { status: 'CANCELED', reasonCode: 'X', comment: 'line one\n::error::two\r\n' }),
      100,
      {
        kind: 'red',
        code: 'RolloutCanceled',
        reason:
          'the job was canceled (reason code X, comment "line one ::error::two") with 0 of 1 thing succeeded; 1 (100 %) must succeed',
      },
    ],
    [
      'CONTINUOUS canceled with no things',
      job({}, { ...CONTINUOUS, status: 'CANCELED' }),
      100,
      {
        kind: 'red',
        code: 'RolloutCanceled',
        reason:
          'the job was canceled (no reason code, no comment) with 0 of 0 things succeeded; 0 (100 %) must succeed',
      },
    ],
    // Pending.
    [
      'in progress, the share still reachable',
      job({ succeeded: 3, inProgress: 2, queued: 5 }),
      100,
      { kind: 'pending', reason: '3 of 10 things succeeded so far; 10 (100 %) must' },
    ],
    [
      'scheduled',
      job({ queued: 4 }, { status: 'SCHEDULED' }),
      100,
      { kind: 'pending', reason: '0 of 4 things succeeded so far; 4 (100 %) must' },
    ],
    // Floating point: 33.3 % of 1000 is 333.
    [
      '33.3 % of 1000 with 333 succeeded',
      job({ succeeded: 333, failed: 667 }, { status: 'COMPLETED' }),
      33.3,
      {
        kind: 'green',
        required: 333,
        notes: [
          { level: 'info', text: 'Of 1000 things, 667 failed: within the 667 the success share allows.' },
        ],
      },
    ],
    [
      '33.3 % of 1000 with 668 failed',
      job({ succeeded: 300, failed: 668, queued: 32 }),
      33.3,
      {
        kind: 'red',
        code: 'RolloutFailed',
        reason: 'of 1000 things, 668 failed, so at most 332 can still succeed and 333 (33.3 %) must',
      },
    ],
    [
      '57.7 % of 1000 with 577 succeeded (577.0000000000001 in floating point)',
      job({ succeeded: 577, queued: 423 }, { status: 'IN_PROGRESS' }),
      57.7,
      {
        kind: 'green',
        required: 577,
        notes: [
          { level: 'info', text: '423 things are still queued or in progress: the job goes on in AWS IoT.' },
        ],
      },
    ],
  ];

  it.each(rows)('%s', (_what, given, percentage, expected) => {
    expect(judge(given, percentage)).toEqual(expected);
  });
});

describe('requiredSuccesses', () => {
  it.each([
    [100, 10, 10],
    [100, 0, 0],
    [50, 3, 2],
    [33.3, 1000, 333],
    [33.3, 1001, 334],
    [57.7, 1000, 577],
    [7, 100, 7],
    [28, 25, 7],
    [56, 25, 14],
    [0.07, 10000, 7],
    [66.7, 3, 3],
    [99.9, 1000, 999],
    [0.001, 1, 1],
    [1e-7, 5, 1],
    [12.5, 8, 1],
    [100, 1_000_000, 1_000_000],
  ])('%d %% of %i is %i', (percentage, total, expected) => {
    expect(requiredSuccesses(percentage, total)).toBe(expected);
  });
});

describe('tallyOf', () => {
  it('sums the targeted things, folds rejected and timed out into failed, and leaves removed out', () => {
    expect(
      tallyOf({
        queued: 1,
        inProgress: 2,
        succeeded: 3,
        failed: 4,
        rejected: 5,
        timedOut: 6,
        canceled: 7,
        removed: 8,
      }),
    ).toEqual({ total: 28, succeeded: 3, failed: 15, canceled: 7, pending: 3 });
  });
});

/** The device model's cancellations: the abort config per failure type, CancelJob with and without force, joins. */
import { describe, expect, it } from 'vitest';
import type { AbortCriterion } from '../../../emulator/index.js';
import { group, groupOf, jobWorld, nonZero, statuses } from './jobs-fixture.js';

const criterion = (
  failureType: AbortCriterion['failureType'],
  thresholdPercentage: number,
  minNumberOfExecutedThings: number,
): AbortCriterion => ({ failureType, action: 'CANCEL', thresholdPercentage, minNumberOfExecutedThings });

describe('the abort config', () => {
  // Six devices notified 30 s apart from 10 s: d1 (fails at 65), d2 (rejects at 45), d3 (hangs from 75, times out
  // at 195), d4..d6 succeed at 155, 185, 215. Without an abort the job COMPLETES at 215.
  const scenario = (criteria: AbortCriterion[]) => {
    const w = jobWorld({
      things: groupOf(6, { d1: 'fail', d2: 'reject', d3: 'hang' }),
      timings: { startSeconds: 5, runSeconds: 50 },
    });
    w.create({
      awsJobExecutionsRolloutConfig: { maximumPerMinute: 2 },
      awsJobTimeoutConfig: { inProgressTimeoutInMinutes: 2 },
      awsJobAbortConfig: { abortCriteriaList: criteria },
    });
    return w;
  };
  const completed = { FAILED: 1, REJECTED: 1, TIMED_OUT: 1, SUCCEEDED: 3 };

  it.each([
    [
      'FAILED 30% once 1 is notified: 1 of 2 at 65',
      [criterion('FAILED', 30, 1)],
      65,
      { FAILED: 1, REJECTED: 1, CANCELED: 4 },
    ],
    [
      'FAILED 50%: exactly 1 of 2 at 65 reaches it',
      [criterion('FAILED', 50, 1)],
      65,
      { FAILED: 1, REJECTED: 1, CANCELED: 4 },
    ],
    [
      'REJECTED 30% once 1 is notified: 1 of 2 at 45',
      [criterion('REJECTED', 30, 1)],
      45,
      { FAILED: 1, REJECTED: 1, CANCELED: 4 },
    ],
    ['TIMED_OUT 15%: 1 of 6 at 195, nothing left queued', [criterion('TIMED_OUT', 15, 1)], 195, completed],
    [
      'ALL 60% once 3 are notified: 2 of 3 at the third notification',
      [criterion('ALL', 60, 3)],
      70,
      { FAILED: 1, REJECTED: 1, CANCELED: 4 },
    ],
    ['FAILED 60% once 3 are notified: never', [criterion('FAILED', 60, 3)], undefined, completed],
    ['ALL 10% once 7 are notified: never, the fleet has 6', [criterion('ALL', 10, 7)], undefined, completed],
    [
      'REJECTED 0%: at the first rejection, not before',
      [criterion('REJECTED', 0, 1)],
      45,
      { FAILED: 1, REJECTED: 1, CANCELED: 4 },
    ],
  ])('%s', (_what, criteria, canceledAt, counts) => {
    const view = scenario(criteria).at(10_000);
    expect(nonZero(view)).toEqual(counts);
    if (canceledAt === undefined) {
      expect([view.status, view.completedAt?.getTime(), view.abortedBy]).toEqual([
        'COMPLETED',
        215_000,
        undefined,
      ]);
    } else {
      expect([view.status, view.lastUpdatedAt.getTime(), view.forceCanceled, view.abortedBy]).toEqual([
        'CANCELED',
        canceledAt * 1000,
        false,
        criteria[0],
      ]);
      expect(view.reasonCode).toBe('ABORT_CRITERIA_MET');
    }
  });

  it('lets IN_PROGRESS executions run to their end after the abort', () => {
    const w = scenario([criterion('REJECTED', 30, 1)]);
    expect([w.at(50).status, statuses(w.at(50)).slice(0, 3)]).toEqual([
      'CANCELED',
      ['d1:IN_PROGRESS', 'd2:REJECTED', 'd3:CANCELED'],
    ]);
    expect(statuses(w.at(65))[0]).toBe('d1:FAILED');
  });

  it('says which criterion fired and why in the comment, the first that fires winning', () => {
    const view = scenario([criterion('FAILED', 90, 1), criterion('REJECTED', 30, 1)]).at(1000);
    expect(view.abortedBy).toEqual(criterion('REJECTED', 30, 1));
    expect(view.comment).toBe(
      'Job canceled by its abort config: 1 of 2 notified things (50%) ended REJECTED; the threshold is 30% once at least 1 are notified.',
    );
  });

  it('counts offline devices as notified', () => {
    const w = jobWorld({ things: groupOf(4, { d1: 'fail', d2: 'offline', d3: 'offline', d4: 'offline' }) });
    w.create({ awsJobAbortConfig: { abortCriteriaList: [criterion('FAILED', 30, 4)] } });
    // d1 fails at 140 with 4 notified: 25% < 30%, so the offline devices keep the job IN_PROGRESS.
    const view = w.at(10_000);
    expect([view.status, nonZero(view)]).toEqual(['IN_PROGRESS', { FAILED: 1, QUEUED: 3 }]);
  });
});

describe('CancelJob', () => {
  // Four devices notified 30 s apart from 10 s; at 60, d1 and d2 are IN_PROGRESS, d3 and d4 QUEUED.
  const running = () => {
    const w = jobWorld({ things: groupOf(4) });
    const jobId = w.create({ awsJobExecutionsRolloutConfig: { maximumPerMinute: 2 } });
    w.now = 60;
    return { w, stored: w.jobs.find(jobId)! };
  };

  it('without force cancels the QUEUED executions, records reason and comment, and lets IN_PROGRESS ones finish', () => {
    const { w, stored } = running();
    w.jobs.cancel(stored, { force: false, reasonCode: 'ROLLOUT_FAILED', comment: 'canary failed' });
    const view = w.at(60);
    expect([view.status, view.forceCanceled, view.reasonCode, view.comment]).toEqual([
      'CANCELED',
      false,
      'ROLLOUT_FAILED',
      'canary failed',
    ]);
    expect(statuses(view)).toEqual(['d1:IN_PROGRESS', 'd2:IN_PROGRESS', 'd3:CANCELED', 'd4:CANCELED']);
    const later = w.at(10_000);
    expect([later.status, nonZero(later), later.completedAt]).toEqual([
      'CANCELED',
      { SUCCEEDED: 2, CANCELED: 2 },
      undefined,
    ]);
  });

  it('with force cancels the IN_PROGRESS executions too, marking them force-canceled', () => {
    const { w, stored } = running();
    w.jobs.cancel(stored, { force: true });
    const view = w.at(10_000);
    expect([view.status, view.forceCanceled, nonZero(view)]).toEqual(['CANCELED', true, { CANCELED: 4 }]);
    expect(view.executions.map((e) => e.forceCanceled)).toEqual([true, true, false, false]);
    expect(view.executions.map((e) => e.lastUpdatedAt.getTime())).toEqual([60_000, 60_000, 60_000, 60_000]);
  });

  it('force-cancels a job canceled without force, keeping the first reason when the second gives none', () => {
    const { w, stored } = running();
    w.jobs.cancel(stored, { force: false, reasonCode: 'FIRST' });
    w.now = 100;
    w.jobs.cancel(w.jobs.find(stored.job.jobId)!, { force: true });
    const view = w.at(10_000);
    expect([view.forceCanceled, view.reasonCode, statuses(view)]).toEqual([
      true,
      'FIRST',
      ['d1:CANCELED', 'd2:CANCELED', 'd3:CANCELED', 'd4:CANCELED'],
    ]);
  });

  it('during target processing, creates the executions canceled', () => {
    const w = jobWorld({ things: groupOf(3) });
    const jobId = w.create();
    w.now = 5;
    w.jobs.cancel(w.jobs.find(jobId)!, { force: false });
    const view = w.at(5);
    expect([view.status, view.processingTargets, nonZero(view)]).toEqual([
      'CANCELED',
      undefined,
      { CANCELED: 3 },
    ]);
  });
});

describe('things joining a target group', () => {
  it.each([
    ['CONTINUOUS', ['d1:SUCCEEDED', 'd2:SUCCEEDED', 'd3:SUCCEEDED'], 'IN_PROGRESS'],
    ['SNAPSHOT', ['d1:SUCCEEDED', 'd2:SUCCEEDED'], 'COMPLETED'],
  ])(
    'after processing: a %s job gives the new thing an execution or not',
    (targetSelection, expected, status) => {
      const w = jobWorld({ things: groupOf(2) });
      w.create({ targetSelection });
      w.now = 300;
      w.jobs.addThingToGroup('d3', 'g');
      const view = w.at(10_000);
      expect([view.status, statuses(view)]).toEqual([status, expected]);
      if (targetSelection === 'CONTINUOUS')
        expect(view.executions[2]).toMatchObject({
          queuedAt: new Date(300_000),
          startedAt: new Date(310_000),
        });
    },
  );

  it('paces a new member of a CONTINUOUS job at the rollout rate, and never completes the job', () => {
    const w = jobWorld({ things: groupOf(2) });
    w.create({ targetSelection: 'CONTINUOUS', awsJobExecutionsRolloutConfig: { maximumPerMinute: 1 } });
    w.now = 80;
    w.jobs.addThingToGroup('d3', 'g');
    const view = w.at(10_000);
    expect(view.executions.map((e) => e.notifiedAt?.getTime())).toEqual([10_000, 70_000, 130_000]);
    expect(view.status).toBe('IN_PROGRESS');
  });

  it('counts a thing that joins during target processing once, and ignores joins of other groups or canceled jobs', () => {
    const w = jobWorld({ things: [...groupOf(1), { name: 'x', groups: ['other'] }] });
    const jobId = w.create({ targetSelection: 'CONTINUOUS', targets: [group('g')] });
    w.now = 5;
    w.jobs.addThingToGroup('d2', 'g');
    w.jobs.addThingToGroup('d2', 'g');
    w.now = 20;
    w.jobs.addThingToGroup('y', 'other');
    w.jobs.cancel(w.jobs.find(jobId)!, { force: false });
    w.jobs.addThingToGroup('d3', 'g');
    expect(statuses(w.at(1000))).toEqual(['d1:SUCCEEDED', 'd2:SUCCEEDED']);
  });
});

/** The device model on an injected clock: target processing, rollout pacing, device outcomes, timeouts, COMPLETED. */
import { describe, expect, it } from 'vitest';
import { EmulatedClock } from '../../../emulator/clock.js';
import { DEFAULT_FAILURE_REASON } from '../../../emulator/device-behaviour.js';
import { DEFAULT_TIMINGS } from '../../../emulator/job-model.js';
import { group, groupOf, jobWorld, nonZero, notifiedAt, statuses, thing } from './jobs-fixture.js';

describe('a job without a rollout config (default timings: 10 s processing, 10 s start, 120 s run)', () => {
  it('processes its targets with zero counts, queues every thing, then all start and succeed together', () => {
    expect(DEFAULT_TIMINGS).toEqual({ targetProcessingSeconds: 10, startSeconds: 10, runSeconds: 120 });
    const w = jobWorld({ things: groupOf(3) });
    w.create();
    const first = w.at(9.999);
    expect([first.status, first.processingTargets, first.executions, nonZero(first)]).toEqual([
      'IN_PROGRESS',
      [group('g')],
      [],
      {},
    ]);
    const queued = w.at(10);
    expect([queued.processingTargets, nonZero(queued), notifiedAt(queued)]).toEqual([
      undefined,
      { QUEUED: 3 },
      [10, 10, 10],
    ]);
    expect(nonZero(w.at(19.999))).toEqual({ QUEUED: 3 });
    expect(nonZero(w.at(20))).toEqual({ IN_PROGRESS: 3 });
    expect([w.at(139.999).status, nonZero(w.at(139.999))]).toEqual(['IN_PROGRESS', { IN_PROGRESS: 3 }]);
    const done = w.at(140);
    expect([done.status, nonZero(done), done.completedAt?.getTime()]).toEqual([
      'COMPLETED',
      { SUCCEEDED: 3 },
      140_000,
    ]);
    expect(done.executions[0]).toMatchObject({
      thingArn: thing('d1'),
      queuedAt: new Date(10_000),
      startedAt: new Date(20_000),
      lastUpdatedAt: new Date(140_000),
      versionNumber: 3,
      executionNumber: 1,
      forceCanceled: false,
    });
  });

  it('honours deviceTimings', () => {
    const w = jobWorld({
      things: groupOf(1),
      timings: { targetProcessingSeconds: 0, startSeconds: 1, runSeconds: 2 },
    });
    w.create();
    expect([0, 0.999, 1, 2.999, 3].map((t) => statuses(w.at(t)).join())).toEqual([
      'd1:QUEUED',
      'd1:QUEUED',
      'd1:IN_PROGRESS',
      'd1:IN_PROGRESS',
      'd1:SUCCEEDED',
    ]);
  });

  it('completes a SNAPSHOT job whose targets hold no things once processing ends', () => {
    const w = jobWorld({ thingGroups: [{ name: 'g' }] });
    w.create();
    expect(w.at(9).status).toBe('IN_PROGRESS');
    const view = w.at(10);
    expect([view.status, view.executions.length, view.completedAt?.getTime()]).toEqual([
      'COMPLETED',
      0,
      10_000,
    ]);
  });

  it('gives a thing targeted twice over (two groups and directly) one execution', () => {
    const w = jobWorld({
      things: [
        { name: 'a', groups: ['g', 'h'] },
        { name: 'b', groups: ['h'] },
      ],
    });
    w.create({ targets: [group('g'), group('h'), thing('a'), thing('b')] });
    expect(statuses(w.at(10))).toEqual(['a:QUEUED', 'b:QUEUED']);
  });
});

describe('rollout pacing', () => {
  it.each([
    [
      'maximumPerMinute 2 spaces notifications 30 s apart',
      { maximumPerMinute: 2 },
      5,
      [10, 40, 70, 100, 130],
    ],
    [
      'exponentialRate doubles the rate every 2 notified things',
      {
        exponentialRate: {
          baseRatePerMinute: 1,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfNotifiedThings: 2 },
        },
      },
      6,
      [10, 70, 100, 130, 145, 160],
    ],
    [
      'exponentialRate grows no faster than maximumPerMinute',
      {
        maximumPerMinute: 2,
        exponentialRate: {
          baseRatePerMinute: 1,
          incrementFactor: 5,
          rateIncreaseCriteria: { numberOfNotifiedThings: 1 },
        },
      },
      4,
      [10, 40, 70, 100],
    ],
    [
      'exponentialRate stops at the model’s maximum of 1000 a minute',
      {
        exponentialRate: {
          baseRatePerMinute: 600,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfNotifiedThings: 2 },
        },
      },
      5,
      [10, 10.1, 10.16, 10.22, 10.28],
    ],
  ])('%s', (_what, rollout, count, expected) => {
    const w = jobWorld({ things: groupOf(count) });
    w.create({ awsJobExecutionsRolloutConfig: rollout });
    expect(notifiedAt(w.at(1000))).toEqual(expected);
  });

  it('raises an exponential rate on succeeded things, from the last notification', () => {
    // d1 is notified at 10 and succeeds at 140; at rate 1 the next would go out at 190, at rate 2 at 130 + 30.
    const w = jobWorld({ things: groupOf(4) });
    w.create({
      awsJobExecutionsRolloutConfig: {
        exponentialRate: {
          baseRatePerMinute: 1,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfSucceededThings: 1 },
        },
      },
    });
    expect(notifiedAt(w.at(1000))).toEqual([10, 70, 130, 160]);
  });

  it('keeps the things it has not notified yet QUEUED while earlier ones run', () => {
    const w = jobWorld({ things: groupOf(4) });
    w.create({ awsJobExecutionsRolloutConfig: { maximumPerMinute: 2 } });
    expect(statuses(w.at(59))).toEqual(['d1:IN_PROGRESS', 'd2:IN_PROGRESS', 'd3:QUEUED', 'd4:QUEUED']);
    expect([nonZero(w.at(109)), nonZero(w.at(110))]).toEqual([
      { QUEUED: 1, IN_PROGRESS: 3 },
      { IN_PROGRESS: 4 },
    ]);
  });
});

describe('device behaviours', () => {
  const behaviours = {
    d1: 'fail',
    d2: { fail: '0x01000000: 0x00000003' },
    d3: 'reject',
    d4: { reject: 'version 1.2.0 is not newer' },
    d5: 'offline',
    d6: 'hang',
  } as const;

  it('fails, rejects, stays QUEUED or IN_PROGRESS as each device says; a job with such devices never completes', () => {
    const w = jobWorld({ things: groupOf(7, behaviours) });
    w.create();
    expect(statuses(w.at(20))).toEqual([
      'd1:IN_PROGRESS',
      'd2:IN_PROGRESS',
      'd3:REJECTED',
      'd4:REJECTED',
      'd5:QUEUED',
      'd6:IN_PROGRESS',
      'd7:IN_PROGRESS',
    ]);
    const later = w.at(100_000);
    expect([later.status, nonZero(later)]).toEqual([
      'IN_PROGRESS',
      { QUEUED: 1, IN_PROGRESS: 1, SUCCEEDED: 1, FAILED: 2, REJECTED: 2 },
    ]);
    expect(later.executions.map((e) => e.statusDetails)).toEqual([
      { reason: DEFAULT_FAILURE_REASON },
      { reason: '0x01000000: 0x00000003' },
      undefined,
      { reason: 'version 1.2.0 is not newer' },
      undefined,
      undefined,
      undefined,
    ]);
    expect(later.executions.map((e) => e.versionNumber)).toEqual([3, 3, 2, 2, 1, 2, 3]);
  });

  it('turns a long IN_PROGRESS into TIMED_OUT, and COMPLETES a SNAPSHOT job with FAILED and TIMED_OUT ones', () => {
    const w = jobWorld({ things: groupOf(3, { d1: 'hang', d2: 'fail' }) });
    w.create({ awsJobTimeoutConfig: { inProgressTimeoutInMinutes: 1 } });
    // Started at 20: d1 hangs and times out at 80; d2 and d3 would finish at 140 but time out at 80 as well.
    expect(w.at(79).executions.map((e) => e.timesOutAt?.getTime())).toEqual([80_000, 80_000, 80_000]);
    const done = w.at(80);
    expect([done.status, nonZero(done), done.completedAt?.getTime()]).toEqual([
      'COMPLETED',
      { TIMED_OUT: 3 },
      80_000,
    ]);
    expect(done.executions.map((e) => [e.versionNumber, e.timesOutAt])).toEqual([
      [2, undefined],
      [2, undefined],
      [2, undefined],
    ]);
  });

  it('lets a device that finishes within its timeout end as it would have', () => {
    const w = jobWorld({ things: groupOf(2, { d2: 'fail' }) });
    w.create({ awsJobTimeoutConfig: { inProgressTimeoutInMinutes: 2 } });
    const done = w.at(140);
    expect([done.status, statuses(done)]).toEqual(['COMPLETED', ['d1:SUCCEEDED', 'd2:FAILED']]);
  });

  it('takes a group behaviour for members without their own, and a thing behaviour over it', () => {
    const w = jobWorld({
      thingGroups: [{ name: 'g', behaviour: 'offline' }],
      things: [{ name: 'a', groups: ['g'] }, { name: 'b', groups: ['g'], behaviour: 'fail' }, { name: 'c' }],
    });
    w.create({ targets: [group('g'), thing('c')] });
    expect(statuses(w.at(1000))).toEqual(['a:QUEUED', 'b:FAILED', 'c:SUCCEEDED']);
    expect(w.fleet.things().map((t) => [t.name, t.behaviour])).toEqual([
      ['a', 'offline'],
      ['b', 'fail'],
      ['c', 'succeed'],
    ]);
  });

  it('fails a seeded share of the devices, the same ones for the same seed and job', () => {
    const run = (seed: number) => {
      const w = jobWorld({
        thingGroups: [{ name: 'g', behaviour: { failRate: 0.3, seed, reason: 'flaky' } }],
        things: groupOf(200),
      });
      w.create();
      return w.at(1000);
    };
    const first = run(7);
    const failed = first.executions.filter((e) => e.status === 'FAILED').map((e) => e.thingName);
    expect(
      run(7)
        .executions.filter((e) => e.status === 'FAILED')
        .map((e) => e.thingName),
    ).toEqual(failed);
    expect(
      run(8)
        .executions.filter((e) => e.status === 'FAILED')
        .map((e) => e.thingName),
    ).not.toEqual(failed);
    expect(failed.length).toBeGreaterThan(40);
    expect(failed.length).toBeLessThan(80);
    expect(first.counts.SUCCEEDED + first.counts.FAILED).toBe(200);
    expect(first.executions.find((e) => e.status === 'FAILED')?.statusDetails).toEqual({ reason: 'flaky' });
  });

  it('reads a behaviour when the execution is created: a change after that leaves the execution alone', () => {
    const w = jobWorld({ things: groupOf(2) });
    w.create();
    w.now = 5;
    w.jobs.setThingBehaviour('d1', 'fail');
    w.now = 10;
    w.jobs.setThingBehaviour('d2', 'fail');
    expect(statuses(w.at(1000))).toEqual(['d1:FAILED', 'd2:SUCCEEDED']);
  });
});

describe('emulated time', () => {
  it.each([
    [1, 1000, 1000],
    [60, 1000, 60_000],
    [0.5, 1000, 500],
  ])('with timeScale %d, %d ms of the source clock are %d emulated ms', (scale, elapsed, emulated) => {
    let source = 1_700_000_000_000;
    const clock = new EmulatedClock(() => source, scale);
    source += elapsed;
    expect(clock.now()).toBe(1_700_000_000_000 + emulated);
  });

  it.each([0, -1, Number.NaN, Infinity])('refuses timeScale %d', (scale) => {
    expect(() => new EmulatedClock(Date.now, scale)).toThrow('timeScale must be a number > 0');
  });
});

import * as core from '@actions/core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FailedDevice } from '../../../src/aws/jobs.js';
import type { RolloutJob, Tally } from '../../../src/plan/verdict.js';
import {
  addRolloutSummary,
  progressBar,
  rolloutOutputs,
  setRolloutOutputs,
  verdictSentence,
  type JobPlace,
} from '../../../src/runner/rollout-report.js';
import type { RolloutRecord } from '../../../src/stages/rollout.js';

const JOB = 'AFR_OTA-fw-1';
const place: JobPlace = { partition: 'aws', region: 'eu-west-1', otaUpdateId: 'fw-1', jobId: JOB };
const URL = `https://eu-west-1.console.aws.amazon.com/iot/home?region=eu-west-1#/jobhub/details/${JOB}`;

const job: RolloutJob = {
  jobId: JOB,
  jobArn: undefined,
  status: 'IN_PROGRESS',
  targetSelection: 'SNAPSHOT',
  processingTargets: [],
  counts: {
    queued: 3,
    inProgress: 2,
    succeeded: 4,
    failed: 1,
    rejected: 1,
    timedOut: 0,
    canceled: 1,
    removed: 2,
  },
  reasonCode: undefined,
  comment: undefined,
  forceCanceled: false,
};

function device(thingName: string, details?: Record<string, string>): FailedDevice {
  return {
    thingName,
    thingArn: `arn:aws:iot:eu-west-1:123456789012:thing/${thingName}`,
    status: 'FAILED',
    details,
    detailsError: details ? undefined : 'Reading the execution failed with AccessDeniedException: denied',
  };
}

function record(partial: Partial<RolloutRecord> = {}): RolloutRecord {
  return {
    jobId: JOB,
    successPercentage: 80,
    job,
    tally: { total: 12, succeeded: 4, failed: 2, canceled: 1, pending: 5 },
    verdict: {
      kind: 'red',
      code: 'RolloutFailed',
      reason: 'of 12 things, 2 failed and 1 was canceled, so at most 9 can still succeed and 10 (80 %) must',
    },
    failedDevices: [],
    cancel: undefined,
    timedOut: false,
    ...partial,
  };
}

describe('rolloutOutputs', () => {
  it('sets the status, the counts and the console link', () => {
    expect(rolloutOutputs(record(), place)).toEqual({
      'rollout-status': 'IN_PROGRESS',
      'things-total': '12',
      'things-succeeded': '4',
      'things-failed': '2',
      'things-canceled': '1',
      'things-pending': '5',
      'console-url': URL,
    });
  });

  it('leaves the rollout outputs empty when the run did not follow the rollout, but links the job', () => {
    expect(rolloutOutputs(undefined, place)).toEqual({
      'rollout-status': '',
      'things-total': '',
      'things-succeeded': '',
      'things-failed': '',
      'things-canceled': '',
      'things-pending': '',
      'console-url': URL,
    });
  });

  it('leaves console-url empty when no job exists', () => {
    expect(rolloutOutputs(undefined, undefined)['console-url']).toBe('');
  });

  it.each([
    [
      'aws-cn',
      'cn-north-1',
      `https://console.amazonaws.cn/iot/home?region=cn-north-1#/jobhub/details/${JOB}`,
    ],
    [
      'aws-us-gov',
      'us-gov-west-1',
      `https://console.amazonaws-us-gov.com/iot/home?region=us-gov-west-1#/jobhub/details/${JOB}`,
    ],
  ])('links the %s console', (partition, region, url) => {
    expect(rolloutOutputs(undefined, { ...place, partition, region })['console-url']).toBe(url);
  });

  it('links AFR_OTA-<id> when the job id is not known', () => {
    expect(rolloutOutputs(undefined, { ...place, jobId: undefined })['console-url']).toBe(URL);
  });

  it('setRolloutOutputs sets each of them', () => {
    const outputs: Record<string, string> = {};
    setRolloutOutputs(
      { setOutput: (name: string, value: unknown) => (outputs[name] = String(value)) },
      record(),
      place,
    );
    expect(outputs).toEqual(rolloutOutputs(record(), place));
  });
});

describe('progressBar', () => {
  const t = (succeeded: number, lost: number, pending: number): Tally => ({
    total: succeeded + lost + pending,
    succeeded,
    failed: lost,
    canceled: 0,
    pending,
  });
  it.each([
    ['no things', t(0, 0, 0), '[....................]'],
    ['all succeeded', t(10, 0, 0), '[####################]'],
    ['half', t(5, 0, 5), '[##########..........]'],
    ['a quarter failed', t(5, 5, 10), '[#####xxxxx..........]'],
    ['one failure in a thousand shows', t(999, 1, 0), '[###################x]'],
    ['one pending in a thousand: never a full bar', t(999, 0, 1), '[###################.]'],
    ['one success in a thousand shows', t(1, 0, 999), '[#...................]'],
    ['all failed', t(0, 3, 0), '[xxxxxxxxxxxxxxxxxxxx]'],
    ['thirds, nothing pending', t(1, 2, 0), '[######xxxxxxxxxxxxxx]'],
  ])('%s', (_what, tally, bar) => {
    expect(progressBar(tally)).toBe(bar);
    expect(bar).toHaveLength(22);
  });
});

describe('verdictSentence', () => {
  it.each<[string, Partial<RolloutRecord>, string]>([
    [
      'green',
      {
        verdict: { kind: 'green', required: 10, notes: [] },
        tally: { total: 12, succeeded: 11, failed: 1, canceled: 0, pending: 0 },
      },
      'Green: 11 of 12 things succeeded (10 required, 80 %).',
    ],
    [
      'red',
      {},
      'RolloutFailed: of 12 things, 2 failed and 1 was canceled, so at most 9 can still succeed and 10 (80 %) must.',
    ],
    [
      'timed out',
      { verdict: { kind: 'pending', reason: 'x' }, timedOut: true },
      'RolloutTimeout: no verdict before the deadline (rollout-timeout-minutes); the job continues in AWS IoT.',
    ],
    [
      'timed out and canceled',
      {
        verdict: { kind: 'pending', reason: 'x' },
        timedOut: true,
        cancel: { kind: 'canceled', reasonCode: 'ROLLOUT_TIMEOUT' },
      },
      'RolloutTimeout: no verdict before the deadline (rollout-timeout-minutes).',
    ],
    [
      'stopped before a verdict',
      { verdict: undefined, job: undefined, tally: undefined },
      'No verdict yet: the step stopped following the job; the rollout goes on in AWS IoT.',
    ],
  ])('%s', (_what, partial, sentence) => {
    expect(verdictSentence(record(partial))).toBe(sentence);
  });
});

describe('addRolloutSummary', () => {
  beforeEach(() => {
    core.summary.emptyBuffer();
  });

  it('shows the verdict, the bar, the counts, the link and the failed devices, escaping their text', () => {
    const html = addRolloutSummary(
      core.summary,
      record({
        failedDevices: [
          device('sensor-07', { reason: '<script>alert(1)</script>\n::error::x' }),
          device('sensor-09'),
        ],
        cancel: { kind: 'canceled', reasonCode: 'ROLLOUT_FAILED' },
      }),
      place,
    ).stringify();
    for (const expected of [
      `<h3>Rollout of ${JOB}</h3>`,
      '<strong>RolloutFailed: of 12 things, 2 failed and 1 was canceled, so at most 9 can still succeed and 10 (80 %) must.</strong>',
      '<li>cancel-on-failure canceled the job (not forced): queued devices will not start it; those in progress finish.</li>',
      '<code>[######xxxxx.........]</code> 4/12 succeeded, 3 failed or canceled, 5 pending',
      '<td>Failed</td><td>2 (failed 1, rejected 1, timed out 0)</td>',
      '<td>Pending</td><td>5 (queued 3, in progress 2)</td>',
      '<td>Total</td><td>12 (not counted: 2 removed)</td>',
      '<td>Required</td><td>10 (80 %)</td>',
      `<a href="${URL}">IoT job in the AWS IoT console</a>`,
      '<h4>Failed devices</h4>',
      '<td><code>sensor-07</code></td><td>FAILED</td><td><code>reason</code>: &lt;script&gt;alert(1)&lt;/script&gt; ::error::x</td>',
      '<td>Reading the execution failed with AccessDeniedException: denied</td>',
    ]) {
      expect(html).toContain(expected);
    }
    expect(html).not.toContain('<script>');
  });

  it('says how many failed devices it shows of how many', () => {
    const html = addRolloutSummary(
      core.summary,
      record({
        failedDevices: [device('a', {})],
        tally: { total: 30, succeeded: 5, failed: 25, canceled: 0, pending: 0 },
      }),
      place,
    ).stringify();
    expect(html).toContain('<h4>Failed devices (the first 1 of 25)</h4>');
  });

  it('lists the notes of a green verdict, escaped', () => {
    const html = addRolloutSummary(
      core.summary,
      record({
        verdict: { kind: 'green', required: 1, notes: [{ level: 'warning', text: 'comment "<b>"' }] },
      }),
      place,
    ).stringify();
    expect(html).toContain('<li>comment &quot;&lt;b&gt;&quot;</li>');
  });

  it('shows no counts before the first answer', () => {
    const html = addRolloutSummary(
      core.summary,
      record({ job: undefined, tally: undefined, verdict: undefined }),
      place,
    ).stringify();
    expect(html).not.toContain('<table>');
    expect(html).toContain('No verdict yet');
  });
});

import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../../emulator/index.js';
import { parseOutputs } from '../../../scripts/bench/action.js';
import { lastNumber } from '../../../scripts/bench/process.js';
import { callNames } from '../../../scripts/bench/report.js';
import {
  countBy,
  formatBytes,
  formatMs,
  formatRate,
  formatRatio,
  median,
  pollDelayMs,
  scheduledWaitMs,
  verdict,
} from '../../../scripts/bench/stats.js';
import { renderTable, summarize, type Row } from '../../../scripts/bench/table.js';

describe('median', () => {
  it.each([
    [[], Number.NaN],
    [[7], 7],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 1000, 10], 10],
  ])('%j → %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('leaves its input in order', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('verdict', () => {
  it.each([
    [100, 'at-most', 100, 'PASS'],
    [100.5, 'at-most', 100, 'FAIL'],
    [8, 'at-least', 8, 'PASS'],
    [7.9, 'at-least', 8, 'FAIL'],
    [Number.NaN, 'at-least', 8, 'FAIL'],
    [Number.NaN, 'at-most', 8, 'FAIL'],
  ] as const)('%d %s %d → %s', (value, kind, limit, expected) => {
    expect(verdict(value, kind, limit)).toBe(expected);
  });
});

describe('formatting', () => {
  it.each([
    [formatMs(0.4), '0 ms'],
    [formatMs(1234.5), '1235 ms'],
    [formatMs(12_345), '12.3 s'],
    [formatMs(Number.NaN), 'n/a'],
    [formatBytes(999), '999 B'],
    [formatBytes(1_500), '1.5 kB'],
    [formatBytes(1_442_330), '1.44 MB'],
    [formatBytes(1_073_741_824), '1.07 GB'],
    [formatRate(1024 * 1024 * 1024, 8000), '128 MiB/s'],
    [formatRate(1, 0), 'n/a'],
    [formatRatio(9.14), '9.1×'],
    [formatRatio(Number.POSITIVE_INFINITY), 'n/a'],
  ])('%s = %s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('countBy', () => {
  it('counts in first-seen order', () => {
    expect([...countBy(['b', 'a', 'b', 'c', 'b'])]).toEqual([
      ['b', 3],
      ['a', 1],
      ['c', 1],
    ]);
  });
});

describe('the poll schedule', () => {
  it.each([
    [0, 1000],
    [1, 1500],
    [2, 2250],
    [6, 11_390.625],
    [7, 15_000],
    [20, 15_000],
  ])('delay before poll %i is %d ms', (poll, expected) => {
    expect(pollDelayMs(poll)).toBe(expected);
  });

  it.each([
    [0, 0],
    [1, 1000],
    [3, 4750],
  ])('%i polls wait %d ms in all', (polls, expected) => {
    expect(scheduledWaitMs(polls)).toBe(expected);
  });

  it('follows a given schedule', () => {
    expect(scheduledWaitMs(3, { firstDelayMs: 10, factor: 2, maxDelayMs: 15 })).toBe(10 + 15 + 15);
  });
});

describe('renderTable', () => {
  const rows: Row[] = [
    { section: 'Start-up', measure: 'bare', value: '40 ms' },
    { section: 'Start-up', measure: 'first request', value: '120 ms', target: '≤ 140 ms', result: 'PASS' },
    { section: 'Bundle', measure: 'index.js', value: '1.44 MB', target: '≤ 1.50 MB', result: 'PASS' },
  ];

  it('aligns the columns, names each section once and rules between sections', () => {
    expect(renderTable(rows).split('\n')).toEqual([
      'Section   Measure        Value    Target     Result',
      '--------  -------------  -------  ---------  ------',
      'Start-up  bare           40 ms',
      '          first request  120 ms   ≤ 140 ms   PASS',
      '--------  -------------  -------  ---------  ------',
      'Bundle    index.js       1.44 MB  ≤ 1.50 MB  PASS',
    ]);
  });

  it.each([
    [rows, '2/2 targets met'],
    [
      [
        ...rows,
        { section: 'Upload', measure: 'peak RSS', value: '190 MB', target: '≤ 150 MB', result: 'FAIL' },
      ],
      '2/3 targets met (FAIL: Upload peak RSS)',
    ],
    [[], '0/0 targets met'],
  ] as [Row[], string][])('summarizes the verdicts (%#)', (given, expected) => {
    expect(summarize(given)).toBe(expected);
  });
});

describe('parseOutputs', () => {
  it('reads name=value lines and heredoc blocks as @actions/core writes them', () => {
    const text = [
      'ota-update-id=fw-1',
      'request<<ghadelimiter_42',
      '{',
      '  "a": 1',
      '}',
      'ghadelimiter_42',
      'result=created',
      '',
    ].join('\n');
    expect(parseOutputs(text)).toEqual({
      'ota-update-id': 'fw-1',
      request: '{\n  "a": 1\n}',
      result: 'created',
    });
  });
});

describe('lastNumber', () => {
  it.each([
    ['81234\n', 81234],
    ['Command exited with non-zero status 1\n95000\n', 95000],
    ['VmHWM:\t  123456 kB', 123456],
    ['', 0],
  ])('%j → %i', (text, expected) => {
    expect(lastNumber(text)).toBe(expected);
  });
});

describe('callNames', () => {
  const request = (service: RecordedRequest['service'], operation: string): RecordedRequest => ({
    service,
    operation,
    method: 'POST',
    path: '/',
    query: {},
    headers: {},
    status: 200,
    at: 0,
  });

  it('tells the GetOTAUpdate look-up before the create from the polls after it', () => {
    expect(
      callNames([
        request('oidc', 'OidcToken'),
        request('iot', 'GetOTAUpdate'),
        request('iot', 'CreateOTAUpdate'),
        request('iot', 'GetOTAUpdate'),
        request('iot', 'GetOTAUpdate'),
      ]),
    ).toEqual([
      'oidc:OidcToken',
      'iot:GetOTAUpdate (look-up)',
      'iot:CreateOTAUpdate',
      'iot:GetOTAUpdate (poll)',
      'iot:GetOTAUpdate (poll)',
    ]);
  });

  it('calls every GetOTAUpdate a look-up when nothing was created', () => {
    expect(callNames([request('iot', 'GetOTAUpdate')])).toEqual(['iot:GetOTAUpdate (look-up)']);
  });
});

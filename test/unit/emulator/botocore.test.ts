/** The botocore model reader: shape conversion, Java regex classes, routes and request decoding from the JSON file. */
import { describe, expect, it } from 'vitest';
import { convertShape, decodeInput, matchOperation } from '../../../emulator/botocore.js';
import { modelRegex } from '../../../emulator/model-check.js';
import { JOBS_MODEL } from '../../../emulator/model/iot-jobs.js';

describe('convertShape', () => {
  it.each([
    [
      'a string with bounds and a pattern',
      { type: 'string', min: 1, max: 64, pattern: '[a-z]+' },
      { type: 'string', length: { min: 1, max: 64 }, pattern: '[a-z]+', whole: true },
    ],
    ['an enum', { type: 'string', enum: ['A', 'B'] }, { type: 'enum', values: ['A', 'B'] }],
    [
      'an integer range',
      { type: 'integer', min: 1, max: 250 },
      { type: 'integer', range: { min: 1, max: 250 } },
    ],
    [
      'a list',
      { type: 'list', member: { shape: 'X' }, min: 1 },
      { type: 'list', member: 'X', length: { min: 1 } },
    ],
    [
      'a structure',
      {
        type: 'structure',
        required: ['a'],
        members: { a: { shape: 'A', location: 'uri', locationName: 'a' }, b: { shape: 'B' } },
      },
      { type: 'structure', members: { a: { target: 'A', required: true }, b: { target: 'B' } } },
    ],
  ])('converts %s', (_what, raw, shape) => {
    expect(convertShape('S', raw)).toEqual(shape);
  });

  it.each([
    [{ type: 'string', deprecated: true }, 'botocore model: S: unsupported key deprecated'],
    [{ type: 'union', members: {} }, 'botocore model: S: unsupported type union'],
    [
      { type: 'structure', members: { a: { shape: 'A', idempotencyToken: true } } },
      'S.a: unsupported member key idempotencyToken',
    ],
  ])('refuses %j rather than dropping a constraint', (raw, message) => {
    expect(() => convertShape('S', raw)).toThrow(message);
  });

  it('reads the error statuses of the jobs model', () => {
    expect(JOBS_MODEL.errorStatus).toEqual({
      InvalidRequestException: 400,
      ResourceNotFoundException: 404,
      ThrottlingException: 400,
      ServiceUnavailableException: 503,
      LimitExceededException: 410,
    });
  });
});

describe('modelRegex with botocore patterns', () => {
  it.each([
    ['[\\p{Upper}\\p{Digit}_]+', 'ROLLOUT_FAILED_2', true],
    ['[\\p{Upper}\\p{Digit}_]+', 'Rollout', false],
    ['[\\p{Upper}\\p{Digit}_]+', 'ÄÖ', false],
    ['\\p{Upper}\\p{Digit}', 'A1', true],
    ['[^\\p{C}]+', 'a comment', true],
    ['[^\\p{C}]+', 'two\nlines', false],
    ['[a-zA-Z0-9_-]+', 'job-1', true],
    ['[a-zA-Z0-9_-]+', 'job 1', false],
  ])('%s matches %j as a whole: %s', (pattern, value, matches) => {
    expect(modelRegex(pattern, true).test(value)).toBe(matches);
  });

  it('finds a pattern anywhere without whole', () => {
    expect([modelRegex('[a-z]+').test('job 1'), modelRegex('[a-z]+', true).test('job 1')]).toEqual([
      true,
      false,
    ]);
  });
});

describe('routes and requests from the jobs model', () => {
  const decode = (s: string) => decodeURIComponent(s);

  it.each([
    ['GET', '/jobs/AFR_OTA-fw-1', { operation: 'DescribeJob', labels: { jobId: 'AFR_OTA-fw-1' } }],
    ['GET', '/jobs/j/things', { operation: 'ListJobExecutionsForJob', labels: { jobId: 'j' } }],
    [
      'GET',
      '/things/sensor%3A7/jobs/j',
      { operation: 'DescribeJobExecution', labels: { thingName: 'sensor:7', jobId: 'j' } },
    ],
    ['PUT', '/jobs/j/cancel', { operation: 'CancelJob', labels: { jobId: 'j' } }],
    ['POST', '/jobs/j/cancel', undefined],
    ['GET', '/jobs/', undefined],
    ['GET', '/things/x', undefined],
  ])('%s %s', (method, path, expected) => {
    expect(matchOperation(JOBS_MODEL, method, path.split('/').slice(1), decode)).toEqual(expected);
  });

  it('decodes labels, typed query members and body members by their model location', () => {
    const query = new URLSearchParams('force=true&ignored=1');
    expect(
      decodeInput(JOBS_MODEL, 'CancelJob', { jobId: 'j' }, query, {
        reasonCode: 'X',
        force: false,
        extra: 1,
      }),
    ).toEqual({
      jobId: 'j',
      reasonCode: 'X',
      force: true,
    });
    const list = new URLSearchParams('maxResults=7&status=FAILED&nextToken=abc');
    expect(decodeInput(JOBS_MODEL, 'ListJobExecutionsForJob', { jobId: 'j' }, list, {})).toEqual({
      jobId: 'j',
      status: 'FAILED',
      maxResults: 7,
      nextToken: 'abc',
    });
    expect(
      decodeInput(
        JOBS_MODEL,
        'ListJobExecutionsForJob',
        { jobId: 'j' },
        new URLSearchParams('maxResults=x'),
        {},
      ),
    ).toEqual({
      jobId: 'j',
      maxResults: 'x',
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  defaultRetryPolicy,
  retry,
  type RetryInfo,
  type RetryPolicy,
} from '../../../src/aws/retry.js';
import { awsError, socketError } from './fixtures.js';

/** A clock that only moves when the retry loop sleeps, and records every sleep. */
interface FakeTime extends Pick<RetryPolicy, 'now' | 'random' | 'sleep'> {
  slept: number[];
  retries: RetryInfo[];
  onRetry(info: RetryInfo): void;
}

function fakeTime(random = 0.5): FakeTime {
  let now = 0;
  const slept: number[] = [];
  const retries: RetryInfo[] = [];
  return {
    slept,
    retries,
    now: () => now,
    random: () => random,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    onRetry: (info) => retries.push(info),
  };
}

function failing(errors: unknown[], result = 'ok'): { fn: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    fn: () => {
      const error = errors[calls++];
      return error === undefined ? Promise.resolve(result) : Promise.reject(error);
    },
    calls: () => calls,
  };
}

describe('retry', () => {
  it('retries transient failures with full-jitter exponential backoff, then succeeds', async () => {
    const time = fakeTime(0.5);
    const op = failing([
      awsError('ThrottlingException', 400),
      socketError('ECONNRESET'),
      awsError('ServiceUnavailableException', 503),
    ]);
    await expect(
      retry('iot:GetOTAUpdate', op.fn, { ...time, baseDelayMs: 100, maxDelayMs: 300 }),
    ).resolves.toBe('ok');
    expect(op.calls()).toBe(4);
    // 0.5 × min(300, 100·2^(n-1)) for n = 1, 2, 3
    expect(time.slept).toEqual([50, 100, 150]);
    expect(time.retries.map((r) => [r.operation, r.attempt, r.maxAttempts, r.delayMs, r.kind])).toEqual([
      ['iot:GetOTAUpdate', 1, 8, 50, 'transient'],
      ['iot:GetOTAUpdate', 2, 8, 100, 'transient'],
      ['iot:GetOTAUpdate', 3, 8, 150, 'transient'],
    ]);
  });

  it('gives up on a transient failure after maxAttempts and rethrows the last error unchanged', async () => {
    const time = fakeTime();
    const errors = Array.from({ length: 10 }, (_, i) =>
      awsError('InternalFailureException', 500, `fail ${i}`),
    );
    const op = failing(errors);
    await expect(retry('x', op.fn, { ...time, maxAttempts: 4 })).rejects.toBe(errors[3]);
    expect(op.calls()).toBe(4);
    expect(time.slept).toHaveLength(3);
  });

  it('stops when the next delay would pass the total time budget', async () => {
    const time = fakeTime(0.99);
    const op = failing(Array.from({ length: 20 }, () => socketError('ETIMEDOUT')));
    await expect(
      retry('x', op.fn, { ...time, maxAttempts: 20, baseDelayMs: 1000, maxDelayMs: 1000, totalTimeMs: 3000 }),
    ).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    // three sleeps of 990 ms fit in 3000 ms; a fourth would not
    expect(time.slept).toEqual([990, 990, 990]);
    expect(op.calls()).toBe(4);
  });

  it.each([
    awsError('InvalidRequestException', 400),
    awsError('AccessDeniedException', 403),
    awsError('ResourceNotFoundException', 404),
    awsError('UnauthorizedException', 401),
    new TypeError('bug'),
  ])('fails a permanent error at once: %s', async (error) => {
    const time = fakeTime();
    const op = failing([error]);
    await expect(retry('x', op.fn, time)).rejects.toBe(error);
    expect(op.calls()).toBe(1);
    expect(time.slept).toEqual([]);
  });

  it('tries a quota failure only quotaMaxAttempts times', async () => {
    const time = fakeTime();
    const op = failing(Array.from({ length: 10 }, () => awsError('LimitExceededException', 410)));
    await expect(retry('iot:CreateOTAUpdate', op.fn, time)).rejects.toMatchObject({
      name: 'LimitExceededException',
    });
    expect(op.calls()).toBe(defaultRetryPolicy.quotaMaxAttempts);
    expect(op.calls()).toBe(3);
    expect(time.retries.map((r) => r.kind)).toEqual(['quota', 'quota']);
  });

  it('uses an injected classifier', async () => {
    const time = fakeTime();
    const op = failing([new Error('flaky'), new Error('flaky')]);
    await expect(retry('x', op.fn, { ...time, classify: () => 'transient' })).resolves.toBe('ok');
    expect(op.calls()).toBe(3);
  });

  it('makes no further attempt once the signal is aborted', async () => {
    const controller = new AbortController();
    const time = fakeTime();
    const sleep = (ms: number): Promise<void> => {
      controller.abort();
      return time.sleep(ms);
    };
    const error = socketError('ECONNRESET');
    const op = failing([error, error, error]);
    await expect(retry('x', op.fn, { ...time, sleep, signal: controller.signal })).rejects.toBe(error);
    expect(op.calls()).toBe(1);
  });

  it('keeps the default policy bounded', () => {
    expect(defaultRetryPolicy).toMatchObject({
      maxAttempts: 8,
      quotaMaxAttempts: 3,
      baseDelayMs: 200,
      maxDelayMs: 10_000,
      totalTimeMs: 60_000,
    });
  });
});

describe('backoffDelayMs', () => {
  it.each([
    [1, 0.5, 100],
    [2, 0.5, 200],
    [3, 0.5, 400],
    [6, 0.5, 3200],
    [7, 0.5, 5000],
    [30, 0.999, 9990],
    [3, 0, 0],
  ])('attempt %i with random %f → %i ms', (attempt, random, expected) => {
    expect(backoffDelayMs(attempt, { baseDelayMs: 200, maxDelayMs: 10_000, random: () => random })).toBe(
      expected,
    );
  });
});

import type { OTAUpdateInfo } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { ActionError } from '../../../src/errors.js';
import {
  realClock,
  waitForCreation,
  waitUntilDeleted,
  type Clock,
  type WaitOptions,
} from '../../../src/stages/wait.js';

/** A clock whose sleep advances time at once and records each delay. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

function statuses(
  ...sequence: (OTAUpdateInfo['otaUpdateStatus'] | 'GONE')[]
): () => Promise<OTAUpdateInfo | undefined> {
  let i = 0;
  return async () => {
    const status = sequence[Math.min(i++, sequence.length - 1)];
    if (status === 'GONE') return undefined;
    return {
      otaUpdateId: 'fw',
      otaUpdateArn: 'arn:aws:iot:us-east-1:1:otaupdate/fw',
      otaUpdateStatus: status,
      ...(status === 'CREATE_FAILED'
        ? { errorInfo: { code: 'AWSIotException', message: 'not authorized to perform: iam:PassRole' } }
        : {}),
    };
  };
}

function options(clock: Clock, timeoutMs = 600_000): WaitOptions {
  return {
    otaUpdateId: 'fw',
    timeoutMs,
    clock,
    schedule: { firstDelayMs: 1000, factor: 2, maxDelayMs: 5000 },
  };
}

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('waitForCreation', () => {
  it('polls after a second, backs off to the cap, and returns the completed update', async () => {
    const clock = fakeClock();
    const seen: string[] = [];
    const info = await waitForCreation(
      statuses(
        'CREATE_PENDING',
        'CREATE_IN_PROGRESS',
        'CREATE_IN_PROGRESS',
        'CREATE_IN_PROGRESS',
        'CREATE_COMPLETE',
      ),
      { ...options(clock), onStatus: (s) => seen.push(s) },
    );
    expect(info.otaUpdateStatus).toBe('CREATE_COMPLETE');
    expect(clock.slept).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(seen).toEqual(['CREATE_PENDING', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
  });

  it('fails CREATE_FAILED with errorInfo and the PassRole hint', async () => {
    const error = await rejection(
      waitForCreation(statuses('CREATE_IN_PROGRESS', 'CREATE_FAILED'), options(fakeClock())),
    );
    expect(error.code).toBe('CREATE_FAILED');
    expect(error.message).toBe(
      'OTA update fw ended CREATE_FAILED: AWSIotException: not authorized to perform: iam:PassRole',
    );
    expect(error.hint).toContain('iam:PassRole');
    expect(error.created).toEqual({
      otaUpdateId: 'fw',
      otaUpdateArn: 'arn:aws:iot:us-east-1:1:otaupdate/fw',
    });
  });

  it('fails DELETE_FAILED when the update is deleted under us', async () => {
    const error = await rejection(
      waitForCreation(statuses('CREATE_PENDING', 'DELETE_FAILED'), options(fakeClock())),
    );
    expect(error.code).toBe('DELETE_FAILED');
  });

  it('times out with WaitTimeout, never sleeping past the deadline, and says the update goes on', async () => {
    const clock = fakeClock();
    const error = await rejection(waitForCreation(statuses('CREATE_PENDING'), options(clock, 10_000)));
    expect(error.code).toBe('WaitTimeout');
    expect(error.message).toBe('OTA update fw was not created within 10 s; its creation goes on in AWS IoT.');
    expect(clock.slept).toEqual([1000, 2000, 4000, 3000]);
    expect(clock.now()).toBe(10_000);
  });
});

describe('waitUntilDeleted', () => {
  it('returns once the id is free', async () => {
    const clock = fakeClock();
    await waitUntilDeleted(statuses('DELETE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'GONE'), options(clock));
    expect(clock.slept).toEqual([1000, 2000, 4000]);
  });

  it('fails DELETE_FAILED', async () => {
    const error = await rejection(
      waitUntilDeleted(statuses('DELETE_IN_PROGRESS', 'DELETE_FAILED'), options(fakeClock())),
    );
    expect(error.code).toBe('DELETE_FAILED');
  });

  it('times out with WaitTimeout while the id is still taken', async () => {
    const error = await rejection(
      waitUntilDeleted(statuses('DELETE_IN_PROGRESS'), options(fakeClock(), 3000)),
    );
    expect(error.code).toBe('WaitTimeout');
    expect(error.message).toBe('OTA update fw was still being deleted after 3 s, so its id is not free yet.');
  });
});

describe('realClock.sleep', () => {
  it('resolves after the delay', async () => {
    const started = Date.now();
    await realClock.sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('rejects with the reason as soon as the signal is aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = realClock.sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(new Error('cancelled')), 5);
    await expect(sleeping).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects at once when the signal was already aborted', async () => {
    await expect(realClock.sleep(60_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});

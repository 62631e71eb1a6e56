import { describe, expect, it } from 'vitest';
import { realClock } from '../../src/runner/dependencies.js';
import { bounded, deadlineIn, DeadlineExceeded, isDeadlineExceeded, sleepUnless } from '../../src/signals.js';

describe('deadlineIn', () => {
  it('aborts with DeadlineExceeded once its time is up', async () => {
    const deadline = deadlineIn(20, new AbortController().signal, realClock);
    const error: unknown = await bounded(deadline.signal, () => new Promise(() => undefined)).catch((e) => e);
    expect(isDeadlineExceeded(error)).toBe(true);
    expect((error as DeadlineExceeded).timeoutMs).toBe(20);
    expect(deadline.remainingMs()).toBe(0);
  });

  it('ends with the step cancellation, carrying its reason', async () => {
    const step = new AbortController();
    const deadline = deadlineIn(60_000, step.signal, realClock);
    const reason = new Error('canceled');
    step.abort(reason);
    await expect(sleepUnless(realClock, 60_000, deadline.signal)).rejects.toBe(reason);
    deadline.dispose();
  });
});

describe('bounded', () => {
  it('settles with the call when the signal stays quiet', async () => {
    await expect(bounded(new AbortController().signal, async () => 42)).resolves.toBe(42);
  });

  it('rejects at once, without calling, for a signal aborted before the call', async () => {
    const stop = new AbortController();
    stop.abort(new Error('early'));
    let called = false;
    await expect(
      bounded(stop.signal, async () => {
        called = true;
        return 1;
      }),
    ).rejects.toThrow('early');
    expect(called).toBe(false);
  });
});

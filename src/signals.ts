/**
 * Bounding work in time. Every network call of a run is bounded twice: by the runner's cancellation (SIGINT /
 * SIGTERM) and by the deadline of the stage it belongs to (`wait-timeout-seconds`, `rollout-timeout-minutes`).
 * A Deadline carries both as one AbortSignal; `bounded` settles a call the moment that signal fires, even while the
 * SDK sits in a retry delay, so the step ends on time and says why.
 */
import type { Clock } from './types.js';

/** The reason a deadline's signal carries: its own time ran out (not the step's cancellation). */
export class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the deadline of ${timeoutMs} ms passed`);
    this.name = 'DeadlineExceeded';
  }
}

export interface Deadline {
  /** Aborted when the time runs out (reason DeadlineExceeded) or the step is cancelled (the cancellation's reason). */
  readonly signal: AbortSignal;
  /** Milliseconds left, never below 0. */
  remainingMs(): number;
  /** Stops the timer; call it once the deadline's work is over. */
  dispose(): void;
}

/** A deadline `timeoutMs` from now on `clock`, which also ends with `parent` (the step's cancellation). */
export function deadlineIn(timeoutMs: number, parent: AbortSignal, clock: Clock): Deadline {
  const endsAt = clock.now() + timeoutMs;
  const own = new AbortController();
  const timer = setTimeout(() => own.abort(new DeadlineExceeded(timeoutMs)), timeoutMs);
  timer.unref();
  const signal = AbortSignal.any([parent, own.signal]);
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  return {
    signal,
    remainingMs: () => Math.max(0, endsAt - clock.now()),
    dispose: () => clearTimeout(timer),
  };
}

/** Rejects with the signal's reason as soon as it is aborted. */
function whenAborted(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let dispose = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    dispose = () => signal.removeEventListener('abort', onAbort);
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => dispose() };
}

/**
 * Runs `call` with `signal` and settles with it, or with the signal's reason the moment the signal is aborted: the
 * SDK aborts a request in flight, but not its wait between retries. Once the signal is aborted nothing is called.
 */
export async function bounded<T>(signal: AbortSignal, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  const aborted = whenAborted(signal);
  try {
    return await Promise.race([call(signal), aborted.promise]);
  } finally {
    aborted.dispose();
  }
}

/** Sleeps `ms` on `clock`, or rejects with the signal's reason as soon as it is aborted. */
export function sleepUnless(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return bounded(signal, () => clock.sleep(ms));
}

/** True when `error` is the reason of an exceeded deadline. */
export function isDeadlineExceeded(error: unknown): error is DeadlineExceeded {
  return error instanceof DeadlineExceeded;
}

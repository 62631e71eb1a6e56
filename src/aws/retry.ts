/**
 * The action's one retry loop. The SDK clients make a single attempt (maxAttempts 1); this loop decides, from the
 * failure's kind, whether to try again: transient failures get full-jitter exponential backoff within a bounded
 * total time, quota failures a few tries, permanent failures none. Timings are injectable.
 */
import { classifyError, type FailureKind } from './classify.js';

export interface RetryInfo {
  /** What is being retried, e.g. `iot:GetOTAUpdate`. */
  operation: string;
  /** The attempt that just failed (1-based). */
  attempt: number;
  /** The most attempts this failure's kind allows. */
  maxAttempts: number;
  delayMs: number;
  kind: FailureKind;
  error: unknown;
}

export interface RetryPolicy {
  /** Attempts in all for transient failures. */
  maxAttempts: number;
  /** Attempts in all for quota failures (LimitExceededException). */
  quotaMaxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No attempt starts after this much time has passed since the first one. */
  totalTimeMs: number;
  sleep(ms: number): Promise<void>;
  /** In [0, 1). */
  random(): number;
  now(): number;
  classify(error: unknown): FailureKind;
  onRetry?(info: RetryInfo): void;
  /** Once aborted, no further attempt is made. */
  signal?: AbortSignal;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  quotaMaxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  totalTimeMs: 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
  classify: classifyError,
};

/** Full jitter: uniform in [0, min(maxDelay, base·2^(attempt-1))). */
export function backoffDelayMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * ceiling);
}

/** Runs `fn` until it succeeds or its failure should not be retried; then rethrows that failure unchanged. */
export async function retry<T>(
  operation: string,
  fn: () => Promise<T>,
  overrides: Partial<RetryPolicy> = {},
): Promise<T> {
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...overrides };
  const started = policy.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const kind = policy.classify(error);
      const maxAttempts = kind === 'quota' ? policy.quotaMaxAttempts : policy.maxAttempts;
      if (kind === 'permanent' || attempt >= maxAttempts || isAborted(policy)) throw error;
      const delayMs = backoffDelayMs(attempt, policy);
      if (policy.now() - started + delayMs > policy.totalTimeMs) throw error;
      policy.onRetry?.({ operation, attempt, maxAttempts, delayMs, kind, error });
      await policy.sleep(delayMs);
      if (isAborted(policy)) throw error;
    }
  }
}

function isAborted(policy: RetryPolicy): boolean {
  return policy.signal?.aborted === true;
}

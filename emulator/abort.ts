/**
 * A job's abort config, evaluated as IoT documents it, per criterion: once at least minNumberOfExecutedThings things
 * have been notified, the criterion fires when the executions of its failure type (ALL: FAILED + REJECTED +
 * TIMED_OUT) reach thresholdPercentage of the notified things. A criterion needs at least one such failure, so a
 * threshold of 0 does not cancel a healthy job.
 */
import type { AbortCriterion } from './job-types.js';

export interface FailureTally {
  /** Things the rollout has notified so far (offline ones included). */
  notified: number;
  FAILED: number;
  REJECTED: number;
  TIMED_OUT: number;
}

export function failuresOf(criterion: AbortCriterion, tally: FailureTally): number {
  return criterion.failureType === 'ALL'
    ? tally.FAILED + tally.REJECTED + tally.TIMED_OUT
    : tally[criterion.failureType];
}

/** The first criterion (in list order) that fires for this tally, if any. */
export function firedCriterion(
  criteria: readonly AbortCriterion[],
  tally: FailureTally,
): AbortCriterion | undefined {
  return criteria.find((c) => {
    const failures = failuresOf(c, tally);
    return (
      tally.notified >= c.minNumberOfExecutedThings &&
      failures > 0 &&
      failures * 100 >= c.thresholdPercentage * tally.notified
    );
  });
}

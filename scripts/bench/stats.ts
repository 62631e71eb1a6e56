/** Pure arithmetic and formatting for the benchmark: medians, verdicts against targets, human units. */
import type { PollSchedule } from '../../src/stages/context.js';
import { CREATION_POLL } from '../../src/runner/timing.js';

export type Verdict = 'PASS' | 'FAIL';

/** The middle value (the mean of the two middle ones for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** PASS when `value` is within the limit: `value <= limit` for 'at-most', `value >= limit` for 'at-least'. */
export function verdict(value: number, kind: 'at-most' | 'at-least', limit: number): Verdict {
  if (Number.isNaN(value)) return 'FAIL';
  return (kind === 'at-most' ? value <= limit : value >= limit) ? 'PASS' : 'FAIL';
}

export function formatMs(ms: number): string {
  if (Number.isNaN(ms)) return 'n/a';
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** Decimal units (1 MB = 1,000,000 bytes), as the bundle target is stated. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000_000) return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(2)} MB`;
  if (bytes >= 1_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${bytes} B`;
}

/** MiB per second. */
export function formatRate(bytes: number, ms: number): string {
  if (!(ms > 0)) return 'n/a';
  return `${(bytes / (1024 * 1024) / (ms / 1000)).toFixed(0)} MiB/s`;
}

export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(1)}×` : 'n/a';
}

/** Occurrences of each item, in first-seen order. */
export function countBy(items: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** The action's sleep before its poll number `poll` (0 = the first poll after the create). */
export function pollDelayMs(poll: number, schedule: PollSchedule = CREATION_POLL): number {
  let delay = schedule.firstDelayMs;
  for (let i = 0; i < poll; i++) delay = Math.min(delay * schedule.factor, schedule.maxDelayMs);
  return delay;
}

/** Total sleep before `polls` polls on the schedule: what a release waits on the service, not on itself. */
export function scheduledWaitMs(polls: number, schedule: PollSchedule = CREATION_POLL): number {
  let total = 0;
  for (let i = 0; i < polls; i++) total += pollDelayMs(i, schedule);
  return total;
}

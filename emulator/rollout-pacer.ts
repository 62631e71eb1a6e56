/**
 * The pace at which a job notifies its devices, from the job's rollout config, as pure functions of the pacer's
 * state: notifications evenly spaced at the current rate (60 s / rate apart); `maximumPerMinute` alone is a fixed
 * rate; `exponentialRate` starts at baseRatePerMinute and multiplies the rate by incrementFactor each time another
 * numberOfNotifiedThings have been notified or numberOfSucceededThings have succeeded since the last increase,
 * capped by maximumPerMinute when both are given, else by the model's maximum rate; without either, all at once.
 */
import type { Shape } from './model-check.js';
import { JOBS_MODEL } from './model/iot-jobs.js';

export interface RolloutConfig {
  maximumPerMinute?: number;
  exponentialRate?: {
    baseRatePerMinute: number;
    incrementFactor: number;
    rateIncreaseCriteria: { numberOfNotifiedThings?: number; numberOfSucceededThings?: number };
  };
}

export interface Pacer {
  /** Notifications per minute; Infinity when the job has no rollout config. */
  rate: number;
  /** The earliest time (ms) the next notification may go out. */
  nextAt: number;
  lastAt?: number;
  notifiedSinceIncrease: number;
  succeededSinceIncrease: number;
}

const rateShape: Shape | undefined = JOBS_MODEL.shapes.RolloutRatePerMinute;
/** The highest rollout rate IoT takes (RolloutRatePerMinute's maximum in the model). */
const MAX_RATE_PER_MINUTE = (rateShape?.type === 'integer' ? rateShape.range?.max : undefined) ?? Infinity;

/** The exponential rate's ceiling: maximumPerMinute when given, else the model's maximum rate. */
function cap(config: RolloutConfig): number {
  return config.maximumPerMinute ?? MAX_RATE_PER_MINUTE;
}

const interval = (rate: number): number => (rate === Infinity ? 0 : 60_000 / rate);

export function startPacer(config: RolloutConfig | undefined, at: number): Pacer {
  const base = config?.exponentialRate?.baseRatePerMinute;
  const rate =
    config === undefined
      ? Infinity
      : base !== undefined
        ? Math.min(base, cap(config))
        : (config.maximumPerMinute ?? Infinity);
  return { rate, nextAt: at, notifiedSinceIncrease: 0, succeededSinceIncrease: 0 };
}

function increased(config: RolloutConfig, pacer: Pacer, at: number): Pacer {
  const factor = config.exponentialRate?.incrementFactor ?? 1;
  const rate = Math.min(pacer.rate * factor, cap(config));
  const nextAt = pacer.lastAt === undefined ? at : Math.max(at, pacer.lastAt + interval(rate));
  return { ...pacer, rate, nextAt, notifiedSinceIncrease: 0, succeededSinceIncrease: 0 };
}

/** The pacer after a device was notified at `at`. */
export function afterNotification(config: RolloutConfig | undefined, pacer: Pacer, at: number): Pacer {
  const next: Pacer = {
    ...pacer,
    lastAt: at,
    nextAt: at + interval(pacer.rate),
    notifiedSinceIncrease: pacer.notifiedSinceIncrease + 1,
  };
  const every = config?.exponentialRate?.rateIncreaseCriteria.numberOfNotifiedThings;
  return config && every !== undefined && next.notifiedSinceIncrease >= every
    ? increased(config, next, at)
    : next;
}

/** The pacer after a device reported SUCCEEDED at `at`. */
export function afterSuccess(config: RolloutConfig | undefined, pacer: Pacer, at: number): Pacer {
  const every = config?.exponentialRate?.rateIncreaseCriteria.numberOfSucceededThings;
  if (!config || every === undefined) return pacer;
  const next = { ...pacer, succeededSinceIncrease: pacer.succeededSinceIncrease + 1 };
  return next.succeededSinceIncrease >= every ? increased(config, next, at) : next;
}

/**
 * How long things take: the poll schedules, the waits between attempts and the per-request timeouts. On a real
 * runner these are fixed. The project's emulator tests scale them all down with OTA_ACTION_TIME_SCALE, which is
 * honoured only when every endpoint the run talks to is a loopback address (the emulator): a workflow that sets it
 * by mistake against AWS keeps the real timings.
 */
import { DEFAULT_CONNECTION_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from '../aws/timeouts.js';
import type { PollSchedule, RolloutSchedule, Timing } from '../stages/context.js';
import type { RunEnv } from './inputs.js';

export const CREATION_POLL: PollSchedule = { firstDelayMs: 1000, factor: 1.5, maxDelayMs: 15_000 };

/** The first DescribeJob a few seconds after CREATE_COMPLETE, then backing off to 30 s; a progress line every minute. */
export const ROLLOUT_POLL: RolloutSchedule = {
  firstDelayMs: 5_000,
  factor: 1.5,
  maxDelayMs: 30_000,
  progressEveryMs: 60_000,
  wrapUpMs: 60_000,
};

export interface RunTiming {
  timing: Timing;
  /** Client settings: undefined keeps the clients' defaults. */
  requestTimeoutMs: number | undefined;
  connectionTimeoutMs: number | undefined;
  retryDelayScale: number;
  /** Why OTA_ACTION_TIME_SCALE was ignored, when it was set and not honoured. */
  ignoredScale: string | undefined;
}

function isLoopbackUrl(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    const host = new URL(text).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** Every endpoint of the run is on loopback: IoT, STS and S3 overridden, and the OIDC token URL when there is one. */
export function onlyLoopback(env: RunEnv): boolean {
  const { all, iot, sts, s3 } = env.endpoints;
  const services = [iot ?? all, sts ?? all, s3 ?? all];
  const oidc = env.idTokenRequestUrl === undefined || isLoopbackUrl(env.idTokenRequestUrl);
  return services.every(isLoopbackUrl) && oidc;
}

export function runTiming(env: RunEnv): RunTiming {
  const asked = env.timeScale;
  const honoured = asked !== 1 && onlyLoopback(env);
  const scale = honoured ? asked : 1;
  // Scaled timeouts keep a floor: on a busy machine a loopback request can stall for a few hundred ms.
  const scaled = (ms: number, floor: number): number => Math.max(floor, ms * scale);
  return {
    timing: {
      creationPoll: {
        ...CREATION_POLL,
        firstDelayMs: CREATION_POLL.firstDelayMs * scale,
        maxDelayMs: CREATION_POLL.maxDelayMs * scale,
      },
      rolloutPoll: {
        ...ROLLOUT_POLL,
        firstDelayMs: ROLLOUT_POLL.firstDelayMs * scale,
        maxDelayMs: ROLLOUT_POLL.maxDelayMs * scale,
        progressEveryMs: ROLLOUT_POLL.progressEveryMs * scale,
        wrapUpMs: Math.max(1000, ROLLOUT_POLL.wrapUpMs * scale),
      },
      scale,
    },
    requestTimeoutMs: honoured ? scaled(DEFAULT_REQUEST_TIMEOUT_MS, 1000) : undefined,
    connectionTimeoutMs: honoured ? scaled(DEFAULT_CONNECTION_TIMEOUT_MS, 500) : undefined,
    retryDelayScale: scale,
    ignoredScale:
      asked !== 1 && !honoured
        ? 'OTA_ACTION_TIME_SCALE is ignored: it only applies when every AWS endpoint and the OIDC token URL are loopback addresses (the project’s emulator).'
        : undefined,
  };
}

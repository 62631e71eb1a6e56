import { describe, expect, it } from 'vitest';
import { CREATION_POLL, onlyLoopback, ROLLOUT_POLL, runTiming } from '../../../src/runner/timing.js';
import { runEnv } from '../fixtures.js';

const loopback = {
  endpoints: {
    all: undefined,
    iot: 'http://127.0.0.1:4566',
    sts: 'http://127.0.0.1:4566/sts',
    s3: 'http://localhost:4566/s3',
  },
  idTokenRequestUrl: 'http://127.0.0.1:4566/oidc/token?api-version=2.0',
};

describe('runTiming', () => {
  it('keeps the real timings on a runner that does not ask otherwise', () => {
    const t = runTiming(runEnv('/ws'));
    expect(t.timing).toEqual({ creationPoll: CREATION_POLL, rolloutPoll: ROLLOUT_POLL, scale: 1 });
    expect([t.requestTimeoutMs, t.connectionTimeoutMs, t.retryDelayScale, t.ignoredScale]).toEqual([
      undefined,
      undefined,
      1,
      undefined,
    ]);
  });

  it('scales every delay against a loopback emulator', () => {
    const t = runTiming(runEnv('/ws', { ...loopback, timeScale: 0.01 }));
    expect(t.timing.scale).toBe(0.01);
    expect(t.timing.creationPoll.firstDelayMs).toBe(10);
    expect(t.requestTimeoutMs).toBe(1000);
    expect(t.connectionTimeoutMs).toBe(500);
    expect(t.retryDelayScale).toBe(0.01);
    expect(t.ignoredScale).toBeUndefined();
  });

  it.each([
    [
      'an AWS endpoint',
      { ...loopback, endpoints: { ...loopback.endpoints, iot: 'https://iot.eu-west-1.amazonaws.com' } },
    ],
    ['no endpoint override at all', {}],
    [
      "GitHub's token service",
      { ...loopback, idTokenRequestUrl: 'https://pipelines.actions.githubusercontent.com/x' },
    ],
  ])('ignores OTA_ACTION_TIME_SCALE, and says so, when the run talks to %s', (_label, env) => {
    const t = runTiming(runEnv('/ws', { ...env, timeScale: 0.01 }));
    expect(t.timing.scale).toBe(1);
    expect(t.requestTimeoutMs).toBeUndefined();
    expect(t.ignoredScale).toMatch(/^OTA_ACTION_TIME_SCALE is ignored/);
  });

  it('counts AWS_ENDPOINT_URL for every service and [::1] as loopback', () => {
    expect(
      onlyLoopback(
        runEnv('/ws', {
          endpoints: { all: 'http://[::1]:9', iot: undefined, sts: undefined, s3: undefined },
        }),
      ),
    ).toBe(true);
    expect(
      onlyLoopback(
        runEnv('/ws', {
          endpoints: { all: 'http://127.0.0.1.example.com', iot: undefined, sts: undefined, s3: undefined },
        }),
      ),
    ).toBe(false);
  });
});

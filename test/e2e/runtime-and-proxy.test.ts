/**
 * The bundle on the other runtime it supports (Node 20, this machine's), and a self-hosted runner behind a proxy:
 * HTTP(S)_PROXY carries the OIDC, STS, S3 and IoT calls, NO_PROXY keeps a host off it.
 */
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { FAST, releaseInputs, workspaceWithFirmware } from './fixtures.js';
import { startForwardProxy, type ForwardProxy } from './forward-proxy.js';
import { runAction } from '../../scripts/run-step.js';

let emulator: Emulator;
let proxy: ForwardProxy;

beforeEach(async () => {
  emulator = await startEmulator();
  proxy = await startForwardProxy();
});
afterEach(async () => {
  await Promise.all([emulator.close(), proxy.close()]);
});

it('runs a release on Node 20 as well as on Node 24', async () => {
  const { workspace, firmware } = workspaceWithFirmware(1024);
  const run = await runAction({
    node: process.execPath,
    inputs: releaseInputs(firmware),
    emulator,
    env: { GITHUB_WORKSPACE: workspace, ...FAST },
  });
  expect(process.versions.node.split('.')[0]).not.toBe('24');
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect(run.outputs['ota-update-status']).toBe('CREATE_COMPLETE');
});

describe('behind a proxy', () => {
  /** The emulator under a made-up host name that only the proxy can reach (loopback is never proxied). */
  function viaHostName(name: string): Record<string, string> {
    const port = new URL(emulator.url).port;
    const host = `http://${name}:${port}`;
    return {
      AWS_ENDPOINT_URL_IOT: host,
      AWS_ENDPOINT_URL_STS: `${host}/sts`,
      AWS_ENDPOINT_URL_S3: `${host}/s3`,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${host}/oidc/token?api-version=2.0`,
    };
  }

  it('sends every call, OIDC included, through HTTP_PROXY', async () => {
    const { workspace, firmware } = workspaceWithFirmware(1024);
    const run = await runAction({
      node: inject('node24'),
      inputs: releaseInputs(firmware),
      emulator,
      env: {
        GITHUB_WORKSPACE: workspace,
        ...FAST,
        ...viaHostName('aws.emulator.test'),
        HTTP_PROXY: proxy.url,
      },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const port = new URL(emulator.url).port;
    expect(new Set(proxy.seen)).toEqual(new Set([`aws.emulator.test:${port}`]));
    const services = new Set(emulator.requests.map((r) => r.service));
    expect(services).toEqual(new Set(['oidc', 'sts', 's3', 'iot']));
  });

  it('keeps NO_PROXY hosts off the proxy', async () => {
    const { workspace, firmware } = workspaceWithFirmware(1024);
    const port = new URL(emulator.url).port;
    const env = viaHostName('aws.emulator.test');
    const run = await runAction({
      node: inject('node24'),
      inputs: releaseInputs(firmware),
      emulator,
      env: {
        GITHUB_WORKSPACE: workspace,
        ...FAST,
        ...env,
        // STS straight to the emulator; everything else through the proxy.
        AWS_ENDPOINT_URL_STS: `http://sts.direct.test:${port}/sts`,
        NO_PROXY: 'sts.direct.test',
        HTTP_PROXY: proxy.url,
      },
    });
    // sts.direct.test does not resolve: going direct fails, which proves STS skipped the proxy.
    expect(run.outputs['error-code']).toBe('NetworkError');
    expect(proxy.seen.every((host) => host === `aws.emulator.test:${port}`)).toBe(true);
    expect(emulator.requests.map((r) => r.service)).toEqual(['oidc']);
  });
});

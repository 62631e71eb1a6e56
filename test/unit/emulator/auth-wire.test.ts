/** SigV4 verification over the wire: what the SDK's signed requests meet at the IoT endpoint when something is off. */
import { createHash } from 'node:crypto';
import { GetOTAUpdateCommand, IoTClient, ListOTAUpdatesCommand } from '@aws-sdk/client-iot';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/index.js';
import {
  assumeRole,
  clients,
  createInput,
  failure,
  NodeSha256,
  ROLE_ARN,
  type Credentials,
} from './clients.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
  emulator.s3.putObject('firmware-bucket', 'fw.bin', 'firmware');
});
afterEach(async () => {
  vi.useRealTimers();
  await emulator.close();
});

const list = (credentials: Credentials, region = 'us-east-1') =>
  new IoTClient({ region, endpoint: emulator.url, credentials, maxAttempts: 1 }).send(
    new ListOTAUpdatesCommand({}),
  );

/** Signs a CreateOTAUpdate for `signedBody` with the SDK's signer, then sends `sentBody` instead. */
async function createWithBody(signedBody: string, sentBody: string): Promise<Response> {
  const url = new URL(`${emulator.url}/otaUpdates/fw-1`);
  const signer = new SignatureV4({
    service: 'iot',
    region: 'us-east-1',
    credentials: emulator.staticCredentials,
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: {
      host: url.host,
      'content-type': 'application/json',
      'x-amz-content-sha256': createHash('sha256').update(signedBody).digest('hex'),
    },
    body: signedBody,
  });
  return fetch(url, { method: 'POST', headers: signed.headers, body: sentBody });
}

describe('SigV4 at the IoT endpoint', () => {
  it('accepts a request signed by the SDK signer and refuses the same signature over a tampered body', async () => {
    const body = JSON.stringify(createInput('fw-1'));
    const tampered = JSON.stringify({
      ...createInput('fw-1'),
      roleArn: 'arn:aws:iam::123456789012:role/attacker',
    });
    const refused = await createWithBody(body, tampered);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException:');
    expect(emulator.otaUpdates.size).toBe(0);
    expect((await createWithBody(body, body)).status).toBe(200);
    expect(emulator.otaUpdates.size).toBe(1);
  });

  it.each([
    ['a wrong secret', { secretAccessKey: 'wrong' }, 'InvalidSignatureException'],
    ['an unknown access key', { accessKeyId: 'AKIANOTKNOWN00000000' }, 'UnrecognizedClientException'],
    ['a session token the emulator never issued', { sessionToken: 'forged' }, 'UnrecognizedClientException'],
  ])('answers 403 for %s', async (_what, change, name) => {
    const error = await failure(list({ ...emulator.staticCredentials, ...change }));
    expect([error.name, (error.$metadata as { httpStatusCode: number }).httpStatusCode]).toEqual([name, 403]);
  });

  it('answers 403 for a signature scoped to another region', async () => {
    const error = await failure(list(emulator.staticCredentials, 'eu-west-1'));
    expect([error.name, error.message]).toEqual([
      'InvalidSignatureException',
      'Credential should be scoped to a valid region. ',
    ]);
  });

  it('accepts STS-issued credentials until they expire', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const sts = clients(emulator).sts;
    const out = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: 'short',
        WebIdentityToken: emulator.issueOidcToken(),
        DurationSeconds: 900,
      }),
    );
    const c = out.Credentials!;
    const session = {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
    expect((await list(session)).otaUpdates).toEqual([]);
    vi.setSystemTime(Date.now() + 901_000);
    const error = await failure(list(session));
    expect([error.name, error.message]).toEqual([
      'ExpiredTokenException',
      'The security token included in the request is expired',
    ]);
  });

  it('refuses an unsigned request with MissingAuthenticationTokenException', async () => {
    const res = await fetch(`${emulator.url}/otaUpdates/fw-1`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException:');
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('records the failure and leaves the faults for authenticated calls', async () => {
    emulator.controls.failFirst('GetOTAUpdate', 1, '500');
    const bad = new IoTClient({
      region: 'us-east-1',
      endpoint: emulator.url,
      credentials: { ...emulator.staticCredentials, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    await failure(bad.send(new GetOTAUpdateCommand({ otaUpdateId: 'x' })));
    const good = await failure(
      clients(emulator, await assumeRole(emulator)).iot.send(new GetOTAUpdateCommand({ otaUpdateId: 'x' })),
    );
    expect(good.name).toBe('InternalFailureException');
    expect(emulator.requests.filter((r) => r.service === 'iot').map((r) => [r.status, r.errorCode])).toEqual([
      [403, 'InvalidSignatureException'],
      [500, 'InternalFailureException'],
    ]);
  });
});

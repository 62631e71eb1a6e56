import { GetOTAUpdateCommand } from '@aws-sdk/client-iot';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { afterEach, describe, expect, it } from 'vitest';
import packageJson from '../../../package.json' with { type: 'json' };
import { classifyError } from '../../../src/aws/classify.js';
import {
  ACTION_USER_AGENT,
  createClients,
  DEFAULT_MAX_ATTEMPTS,
  endpointFor,
  type AwsClients,
  type EndpointOverrides,
} from '../../../src/aws/clients.js';
import { toActionError } from '../../../src/aws/error-catalog.js';
import { startLoopback, type Loopback } from './loopback.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' };
const opened: { close(): Promise<void> }[] = [];
const built: AwsClients[] = [];

function clients(...args: Parameters<typeof createClients>): AwsClients {
  const c = createClients(...args);
  built.push(c);
  return c;
}

async function loopback(...args: Parameters<typeof startLoopback>): Promise<Loopback> {
  const server = await startLoopback(...args);
  opened.push(server);
  return server;
}

afterEach(async () => {
  built.splice(0).forEach((c) => c.destroy());
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

describe('endpointFor', () => {
  const all = 'http://all.example:4566';
  it.each<[EndpointOverrides, string | undefined, string | undefined, string | undefined]>([
    [{}, undefined, undefined, undefined],
    [{ all }, all, all, all],
    [{ all, iot: 'http://iot.example' }, 'http://iot.example', all, all],
    [
      { sts: 'http://sts.example', s3: 'http://s3.example' },
      undefined,
      'http://sts.example',
      'http://s3.example',
    ],
  ])('%o → iot %s, sts %s, s3 %s', (endpoints, iot, sts, s3) => {
    expect([
      endpointFor('iot', endpoints),
      endpointFor('sts', endpoints),
      endpointFor('s3', endpoints),
    ]).toEqual([iot, sts, s3]);
  });
});

describe('createClients', () => {
  it('gives each client its endpoint, the region, and the standard retries (none on iotOnce)', async () => {
    const c = clients({
      region: 'eu-west-1',
      credentials,
      endpoints: { all: 'http://127.0.0.1:4566', iot: 'http://127.0.0.1:5000/iot' },
    });
    const s3 = await c.s3();
    expect(await c.s3()).toBe(s3);
    const iotEndpoint = await c.iot.config.endpoint?.();
    const stsEndpoint = await c.sts.config.endpoint?.();
    const s3Endpoint = await s3.config.endpoint?.();
    expect([iotEndpoint?.hostname, iotEndpoint?.port, iotEndpoint?.path]).toEqual([
      '127.0.0.1',
      5000,
      '/iot',
    ]);
    expect([stsEndpoint?.hostname, stsEndpoint?.port]).toEqual(['127.0.0.1', 4566]);
    expect([s3Endpoint?.hostname, s3Endpoint?.port]).toEqual(['127.0.0.1', 4566]);
    expect(s3.config.forcePathStyle).toBe(true);
    for (const client of [c.iot, c.sts, s3]) {
      expect(await client.config.region()).toBe('eu-west-1');
      const strategy = await client.config.retryStrategy();
      expect(strategy).toBeInstanceOf(StandardRetryStrategy);
      expect(await (strategy as StandardRetryStrategy).maxAttempts()).toBe(DEFAULT_MAX_ATTEMPTS);
    }
    const once = await c.iotOnce.config.retryStrategy();
    expect(await (once as StandardRetryStrategy).maxAttempts()).toBe(1);
  });

  it('keeps virtual-host S3 addressing on the default endpoint', async () => {
    const s3 = await clients({ region: 'us-east-1', credentials, endpoints: {} }).s3();
    expect(s3.config.forcePathStyle).toBe(false);
    expect(s3.config.endpoint).toBeUndefined();
  });

  it.each([
    ['iot', DEFAULT_MAX_ATTEMPTS],
    ['iotOnce', 1],
  ] as const)(
    'names the action in the user agent; %s makes %i attempts at a 503',
    async (which, attempts) => {
      expect(ACTION_USER_AGENT).toBe(`aws-iot-ota-update-action/${packageJson.version}`);
      const server = await loopback((_req, res) => {
        res.writeHead(503, {
          'content-type': 'application/json',
          'x-amzn-ErrorType': 'ServiceUnavailableException:',
        });
        res.end('{"message":"try later"}');
      });
      const c = clients({
        region: 'eu-west-1',
        credentials,
        endpoints: { iot: server.url },
        retryDelayScale: 0.01,
      });
      const error: unknown = await c[which]
        .send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' }))
        .catch((e) => e);
      expect(error).toMatchObject({
        name: 'ServiceUnavailableException',
        $metadata: { httpStatusCode: 503 },
      });
      expect(server.requests).toHaveLength(attempts);
      const [request] = server.requests;
      expect(request?.url).toBe('/otaUpdates/fw-1');
      expect(request?.headers['user-agent']).toContain(` ${ACTION_USER_AGENT}`);
    },
  );

  it('addresses S3 by path on an overridden endpoint', async () => {
    const server = await loopback((_req, res) => {
      res.writeHead(200, { 'content-length': '3', 'x-amz-version-id': 'v1' });
      res.end();
    });
    const s3 = await clients({ region: 'eu-west-1', credentials, endpoints: { s3: server.url } }).s3();
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'fw-bucket', Key: 'dir/app.bin' }));
    expect(head.VersionId).toBe('v1');
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['HEAD /fw-bucket/dir/app.bin']);
    expect(server.requests[0]?.headers['user-agent']).toContain(ACTION_USER_AGENT);
  });

  it('fails a request that gets no answer within requestTimeoutMs', async () => {
    const server = await loopback(() => undefined);
    const c = clients({
      region: 'eu-west-1',
      credentials,
      endpoints: { iot: server.url },
      requestTimeoutMs: 300,
    });
    const started = Date.now();
    const error: unknown = await c.iot.send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' })).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(classifyError(error)).toBe('transient');
    expect(toActionError(error, { operation: 'GetOTAUpdate', otaUpdateId: 'fw-1' }).code).toBe(
      'NetworkError',
    );
  });

  it('rebuilds the clients with new credentials, keeping the other options', async () => {
    const server = await loopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"otaUpdateInfo":{"otaUpdateId":"fw-1"}}');
    });
    const options = { region: 'eu-west-1', endpoints: { iot: server.url } };
    const assumed = { accessKeyId: 'ASIAASSUMED', secretAccessKey: 's', sessionToken: 'session-token' };
    const c = clients({ ...options, credentials: assumed });
    await c.iot.send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' }));
    expect(server.requests[0]?.headers.authorization).toContain('Credential=ASIAASSUMED/');
    expect(server.requests[0]?.headers['x-amz-security-token']).toBe('session-token');
  });
});

describe('real SDK errors from the wire, through classification and the catalog', () => {
  const iotError =
    (status: number, type: string, message: string) =>
    (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-ErrorType': `${type}:` });
      res.end(JSON.stringify({ message }));
    };

  it.each([
    [409, 'ResourceAlreadyExistsException', 'permanent'],
    [410, 'LimitExceededException', 'quota'],
    [400, 'ThrottlingException', 'transient'],
    [403, 'AccessDeniedException', 'permanent'],
    [500, 'InternalFailureException', 'transient'],
  ])('IoT %i %s', async (status, type, kind) => {
    const server = await loopback(iotError(status, type, `${type} happened`));
    const c = clients({ region: 'eu-west-1', credentials, endpoints: { iot: server.url } });
    const error: unknown = await c.iot.send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' })).catch((e) => e);
    expect(classifyError(error)).toBe(kind);
    const action = toActionError(error, { operation: 'GetOTAUpdate', otaUpdateId: 'fw-1' });
    expect([action.code, action.message]).toEqual([
      type,
      `Reading OTA update fw-1 failed with ${type}: ${type} happened`,
    ]);
  });

  it.each([
    [400, 'InvalidIdentityToken', 'Incorrect token audience', 'permanent'],
    [403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 'permanent'],
    [400, 'IDPCommunicationError', 'Could not reach the IdP', 'transient'],
  ])('STS %i %s', async (status, code, message, kind) => {
    const server = await loopback((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
      );
    });
    const c = clients({ region: 'eu-west-1', endpoints: { sts: server.url } });
    const error: unknown = await c.sts
      .send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: 'arn:aws:iam::123456789012:role/deployer',
          RoleSessionName: 'gha',
          WebIdentityToken: 'a.b.c',
        }),
      )
      .catch((e) => e);
    expect(classifyError(error)).toBe(kind);
    expect(toActionError(error, { operation: 'AssumeRoleWithWebIdentity' }).code).toBe(code);
  });

  it('STS GetCallerIdentity with a refused connection is a NetworkError', async () => {
    const server = await loopback(() => undefined);
    const url = server.url;
    await server.close();
    opened.pop();
    const c = clients({ region: 'eu-west-1', credentials, endpoints: { sts: url } });
    const error: unknown = await c.sts.send(new GetCallerIdentityCommand({})).catch((e) => e);
    expect(toActionError(error, { operation: 'GetCallerIdentity' }).code).toBe('NetworkError');
    expect(classifyError(error)).toBe('transient');
  });
});

import { CreateOTAUpdateCommand, GetOTAUpdateCommand, IoTClient } from '@aws-sdk/client-iot';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/index.js';
import { clients, createInput, failure } from './clients.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
  emulator.s3.putObject('firmware-bucket', 'fw.bin', 'firmware');
});
afterEach(() => emulator.close());

const iotWith = (maxAttempts: number, requestTimeout?: number) =>
  new IoTClient({
    region: 'us-east-1',
    endpoint: emulator.url,
    credentials: emulator.staticCredentials,
    maxAttempts,
    ...(requestTimeout === undefined
      ? {}
      : { requestHandler: { requestTimeout, throwOnRequestTimeout: true } }),
  });
const create = (iot: IoTClient, id = 'fw-1') => iot.send(new CreateOTAUpdateCommand(createInput(id)));
const trail = () => emulator.requests.map((r) => [r.operation, r.status, r.errorCode]);

describe('failFirst and failAlways', () => {
  it('throttles the first n calls without any effect', async () => {
    emulator.controls.failFirst('CreateOTAUpdate', 2, 'throttle');
    for (let i = 0; i < 2; i++) expect((await failure(create(iotWith(1)))).name).toBe('ThrottlingException');
    await create(iotWith(1));
    expect(trail()).toEqual([
      ['CreateOTAUpdate', 400, 'ThrottlingException'],
      ['CreateOTAUpdate', 400, 'ThrottlingException'],
      ['CreateOTAUpdate', 200, undefined],
    ]);
    expect(emulator.otaUpdates.size).toBe(1);
  });

  it.each([
    ['limit', 'LimitExceededException', 410, 'client'],
    ['500', 'InternalFailureException', 500, 'server'],
    ['503', 'ServiceUnavailableException', 503, 'server'],
    [
      { status: 403, code: 'AccessDeniedException', message: 'no iot:CreateOTAUpdate' },
      'AccessDeniedException',
      403,
      'client',
    ],
  ] as const)('turns fault %j into %s on IoT', async (fault, name, status, fault$) => {
    emulator.controls.failFirst('CreateOTAUpdate', 1, fault);
    const error = await failure(create(iotWith(1)));
    expect([
      error.name,
      (error.$metadata as { httpStatusCode: number }).httpStatusCode,
      error.$fault,
    ]).toEqual([name, status, fault$]);
    expect(emulator.otaUpdates.size).toBe(0);
    await create(iotWith(1));
  });

  it('fails every call with failAlways until clear()', async () => {
    emulator.controls.failAlways('GetOTAUpdate', '503');
    await create(iotWith(1));
    const get = () => iotWith(1).send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' }));
    for (let i = 0; i < 3; i++) expect((await failure(get())).name).toBe('ServiceUnavailableException');
    emulator.controls.clear();
    expect((await get()).otaUpdateInfo?.otaUpdateStatus).toBe('CREATE_IN_PROGRESS');
  });

  it('resets the connection with the reset fault, which the SDK retries', async () => {
    emulator.controls.failFirst('CreateOTAUpdate', 1, 'reset');
    await create(iotWith(2));
    expect(trail()).toEqual([
      ['CreateOTAUpdate', 0, 'ConnectionReset'],
      ['CreateOTAUpdate', 200, undefined],
    ]);
  });

  it('speaks each service: STS XML, S3 SlowDown, OIDC 503', async () => {
    emulator.controls.failFirst('AssumeRoleWithWebIdentity', 1, '503');
    emulator.controls.failFirst('PutObject', 1, 'throttle');
    emulator.controls.failFirst('OidcToken', 1, 'oidc503');
    const sts = await fetch(`${emulator.env.AWS_ENDPOINT_URL_STS}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=AssumeRoleWithWebIdentity&Version=2011-06-15',
    });
    expect(sts.status).toBe(503);
    expect(await sts.text()).toContain(
      '<Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>Service is unavailable.</Message></Error>',
    );
    const s3Error = await failure(
      clients(emulator).s3.send(new PutObjectCommand({ Bucket: 'firmware-bucket', Key: 'k', Body: 'x' })),
    );
    expect([s3Error.name, (s3Error.$metadata as { httpStatusCode: number }).httpStatusCode]).toEqual([
      'SlowDown',
      503,
    ]);
    const oidc = await fetch(emulator.env.ACTIONS_ID_TOKEN_REQUEST_URL!, {
      headers: { authorization: `Bearer ${emulator.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
    });
    expect([oidc.status, await oidc.json()]).toEqual([503, { message: 'Service Unavailable' }]);
  });

  it('refuses unknown operations and faults a service cannot express, when they are set up', () => {
    expect(() => emulator.controls.failFirst('CreateOtaUpdate', 1, 'throttle')).toThrow(
      "emulator: unknown operation 'CreateOtaUpdate'",
    );
    expect(() => emulator.controls.failAlways('PutObject', 'limit')).toThrow(
      "emulator: fault 'limit' has no meaning for s3 operations",
    );
    expect(() => emulator.controls.failFirst('GetOTAUpdate', -1, '500')).toThrow(
      'failFirst n must be a count',
    );
  });
});

describe('loseReply', () => {
  it('stores the update but destroys the connection instead of replying', async () => {
    emulator.controls.loseReply('CreateOTAUpdate');
    const error = await failure(create(iotWith(1)));
    expect(error.name).not.toBe('ResourceAlreadyExistsException');
    expect(emulator.otaUpdates.get('fw-1')?.status).toBe('CREATE_PENDING');
    expect(emulator.requests[0]).toMatchObject({
      operation: 'CreateOTAUpdate',
      status: 200,
      replyLost: true,
    });
    const retried = await failure(create(iotWith(1)));
    expect(retried.name).toBe('ResourceAlreadyExistsException');
  });
});

describe('delay', () => {
  it('holds the reply for the given time', async () => {
    emulator.controls.delay('CreateOTAUpdate', 250, 1);
    const started = Date.now();
    await create(iotWith(1));
    expect(Date.now() - started).toBeGreaterThanOrEqual(245);
    const second = Date.now();
    await create(iotWith(1), 'fw-2');
    expect(Date.now() - second).toBeLessThan(200);
  });

  it('lets a delayed create take effect after the client timed out', async () => {
    emulator.controls.delay('CreateOTAUpdate', 300);
    const error = await failure(create(iotWith(1, 100)));
    expect(error.name).toBe('TimeoutError');
    expect(emulator.otaUpdates.has('fw-1')).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(emulator.otaUpdates.has('fw-1')).toBe(true);
  });
});

describe('reset', () => {
  it('clears requests, updates and controls but keeps buckets and objects', async () => {
    emulator.controls.failAlways('GetOTAUpdate', '500');
    emulator.controls.createOutcome('never');
    await create(iotWith(1));
    emulator.reset();
    expect([emulator.requests.length, emulator.otaUpdates.size]).toEqual([0, 0]);
    await create(iotWith(1));
    await iotWith(1).send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' }));
    const info = (await iotWith(1).send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' }))).otaUpdateInfo;
    expect(info?.otaUpdateStatus).toBe('CREATE_COMPLETE');
    expect(emulator.s3.versions('firmware-bucket', 'fw.bin')).toHaveLength(1);
  });
});

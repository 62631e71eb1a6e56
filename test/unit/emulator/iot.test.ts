import {
  CreateOTAUpdateCommand,
  DeleteOTAUpdateCommand,
  GetOTAUpdateCommand,
  ListOTAUpdatesCommand,
  type CreateOTAUpdateCommandInput,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../emulator/index.js';
import { clients, createInput, failure, OTA_ROLE_ARN, THING_GROUP } from './clients.js';

let emulator: Emulator;
let iot: IoTClient;
let versionId: string;

async function start(options: EmulatorOptions = {}): Promise<void> {
  emulator = await startEmulator(options);
  iot = clients(emulator).iot;
  versionId = emulator.s3.putObject('firmware-bucket', 'fw.bin', 'firmware bytes');
}

const statusOf = async (id: string) =>
  (await iot.send(new GetOTAUpdateCommand({ otaUpdateId: id }))).otaUpdateInfo;

beforeEach(() => start());
afterEach(() => emulator.close());

describe('CreateOTAUpdate and GetOTAUpdate', () => {
  it('creates an update that completes over two polls and echoes it as otaUpdateFiles', async () => {
    const input: CreateOTAUpdateCommandInput = {
      ...createInput('fw-1', versionId),
      description: 'Release v1.2.0',
      protocols: ['HTTP', 'MQTT'],
      targetSelection: 'CONTINUOUS',
      awsJobExecutionsRolloutConfig: { maximumPerMinute: 50 },
      awsJobPresignedUrlConfig: { expiresInSec: 600 },
      additionalParameters: { release: 'v1.2.0' },
      files: [
        {
          fileName: 'fw.bin',
          fileLocation: { s3Location: { bucket: 'firmware-bucket', key: 'fw.bin', version: versionId } },
          codeSigning: {
            customCodeSigning: {
              signature: { inlineDocument: new Uint8Array([0, 1, 2]) },
              certificateChain: { certificateName: 'ota-cert' },
              hashAlgorithm: 'SHA256',
              signatureAlgorithm: 'ECDSA',
            },
          },
        },
      ],
    };
    const created = await iot.send(new CreateOTAUpdateCommand(input));
    expect(created).toMatchObject({
      otaUpdateId: 'fw-1',
      otaUpdateArn: 'arn:aws:iot:us-east-1:123456789012:otaupdate/fw-1',
      awsIotJobId: 'AFR_OTA-fw-1',
      awsIotJobArn: 'arn:aws:iot:us-east-1:123456789012:job/AFR_OTA-fw-1',
      otaUpdateStatus: 'CREATE_PENDING',
    });

    const first = await statusOf('fw-1');
    expect(first?.otaUpdateStatus).toBe('CREATE_IN_PROGRESS');
    const done = await statusOf('fw-1');
    expect(done).toEqual({
      otaUpdateId: 'fw-1',
      otaUpdateArn: 'arn:aws:iot:us-east-1:123456789012:otaupdate/fw-1',
      creationDate: emulator.otaUpdates.get('fw-1')!.creationDate,
      lastModifiedDate: emulator.otaUpdates.get('fw-1')!.lastModifiedDate,
      description: 'Release v1.2.0',
      targets: [THING_GROUP],
      protocols: ['HTTP', 'MQTT'],
      targetSelection: 'CONTINUOUS',
      awsJobExecutionsRolloutConfig: { maximumPerMinute: 50 },
      awsJobPresignedUrlConfig: { expiresInSec: 600 },
      otaUpdateFiles: [
        {
          fileName: 'fw.bin',
          fileLocation: { s3Location: { bucket: 'firmware-bucket', key: 'fw.bin', version: versionId } },
          codeSigning: {
            customCodeSigning: {
              signature: { inlineDocument: new Uint8Array([0, 1, 2]) },
              certificateChain: { certificateName: 'ota-cert' },
              hashAlgorithm: 'SHA256',
              signatureAlgorithm: 'ECDSA',
            },
          },
        },
      ],
      otaUpdateStatus: 'CREATE_COMPLETE',
      awsIotJobId: 'AFR_OTA-fw-1',
      awsIotJobArn: 'arn:aws:iot:us-east-1:123456789012:job/AFR_OTA-fw-1',
      additionalParameters: { release: 'v1.2.0' },
    });
    const stored = emulator.otaUpdates.get('fw-1')!;
    expect(stored.request.files).toEqual([
      expect.objectContaining({
        codeSigning: expect.objectContaining({
          customCodeSigning: expect.objectContaining({ signature: { inlineDocument: 'AAEC' } }),
        }),
      }),
    ]);
    expect(stored.polls).toBe(2);
  });

  it('answers GetOTAUpdate defaults the way IoT fills them in', async () => {
    await iot.send(new CreateOTAUpdateCommand(createInput('fw-1')));
    expect(await statusOf('fw-1')).toMatchObject({ protocols: ['MQTT'], targetSelection: 'SNAPSHOT' });
  });

  it.each([
    [0, ['CREATE_COMPLETE', 'CREATE_COMPLETE']],
    [1, ['CREATE_COMPLETE', 'CREATE_COMPLETE']],
    [3, ['CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE']],
  ])('with otaPollsToComplete %i the polls see %j', async (polls, expected) => {
    await emulator.close();
    await start({ otaPollsToComplete: polls });
    await iot.send(new CreateOTAUpdateCommand(createInput('fw-1')));
    const seen: (string | undefined)[] = [];
    for (let i = 0; i < expected.length; i++) seen.push((await statusOf('fw-1'))?.otaUpdateStatus);
    expect(seen).toEqual(expected);
  });

  it('ends CREATE_FAILED with errorInfo and no job when the outcome says so', async () => {
    const errorInfo = { code: 'AWSIotException', message: 'not authorized to perform: iam:PassRole' };
    emulator.controls.createOutcome({ failed: errorInfo });
    await iot.send(new CreateOTAUpdateCommand(createInput('fw-1')));
    await statusOf('fw-1');
    const info = await statusOf('fw-1');
    expect(info?.otaUpdateStatus).toBe('CREATE_FAILED');
    expect(info?.errorInfo).toEqual(errorInfo);
    expect(info?.awsIotJobId).toBeUndefined();
  });

  it('never finishes when the outcome is never', async () => {
    emulator.controls.createOutcome('never');
    await iot.send(new CreateOTAUpdateCommand(createInput('fw-1')));
    for (let i = 0; i < 5; i++) expect((await statusOf('fw-1'))?.otaUpdateStatus).toBe('CREATE_IN_PROGRESS');
  });

  it('refuses an existing id with ResourceAlreadyExistsException naming it', async () => {
    await iot.send(new CreateOTAUpdateCommand(createInput('fw-1')));
    const error = await failure(iot.send(new CreateOTAUpdateCommand(createInput('fw-1'))));
    expect(error.name).toBe('ResourceAlreadyExistsException');
    expect(error.message).toBe('OTA Update fw-1 already exists');
    expect(error.resourceId).toBe('fw-1');
    expect(error.resourceArn).toBe('arn:aws:iot:us-east-1:123456789012:otaupdate/fw-1');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(409);
    expect(emulator.otaUpdates.size).toBe(1);
  });

  it.each([
    [
      'a version S3 does not have',
      { version: 'nope' },
      'S3 object s3://firmware-bucket/fw.bin version nope does not exist',
    ],
    [
      'a key S3 does not have',
      { key: 'other.bin' },
      'S3 object s3://firmware-bucket/other.bin does not exist',
    ],
    ['a bucket S3 does not have', { bucket: 'other-bucket' }, 'S3 bucket other-bucket does not exist'],
  ])('answers ResourceNotFoundException for %s', async (_what, location, message) => {
    const input = createInput('fw-1');
    const s3Location = { ...input.files[0]!.fileLocation.s3Location, ...location };
    const error = await failure(
      iot.send(
        new CreateOTAUpdateCommand({
          ...input,
          files: [{ fileName: 'fw.bin', fileLocation: { s3Location } }],
        }),
      ),
    );
    expect([error.name, error.message]).toEqual(['ResourceNotFoundException', message]);
    expect(emulator.otaUpdates.size).toBe(0);
  });

  it('reports every violation of the model in one InvalidRequestException', async () => {
    const error = await failure(
      iot.send(
        new CreateOTAUpdateCommand({ otaUpdateId: 'bad id', targets: [], roleArn: 'short', files: [] }),
      ),
    );
    expect(error.name).toBe('InvalidRequestException');
    expect(error.message).toBe(
      "4 validation errors detected: Value 'bad id' at 'otaUpdateId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$; " +
        "Value '[]' at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '[]' at 'files' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value 'short' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
    );
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
  });

  it('rejects a documented rule the model does not encode', async () => {
    const error = await failure(
      iot.send(
        new CreateOTAUpdateCommand({
          ...createInput('fw-1'),
          awsJobPresignedUrlConfig: { expiresInSec: 60 },
        }),
      ),
    );
    expect([error.name, error.message]).toEqual([
      'InvalidRequestException',
      'awsJobPresignedUrlConfig is only valid when protocols includes HTTP',
    ]);
  });

  it('sends the IoT error wire format: x-amzn-ErrorType with a colon, {message}, a request id', async () => {
    const error = await failure(statusOf('missing'));
    const response = error.$response as { statusCode: number; headers: Record<string, string> };
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('OTA Update missing does not exist');
    expect(response.statusCode).toBe(404);
    expect(response.headers['x-amzn-errortype']).toBe('ResourceNotFoundException:');
    expect(response.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect((error.$metadata as { requestId: string }).requestId).toBe(response.headers['x-amzn-requestid']);
  });
});

describe('DeleteOTAUpdate', () => {
  it('keeps the update DELETE_IN_PROGRESS for deletePolls polls with its id taken, then frees it', async () => {
    await iot.send(new CreateOTAUpdateCommand(createInput('fw-1')));
    await iot.send(
      new DeleteOTAUpdateCommand({ otaUpdateId: 'fw-1', deleteStream: true, forceDeleteAWSJob: true }),
    );
    expect(emulator.otaUpdates.get('fw-1')?.deletion).toEqual({
      deleteStream: true,
      forceDeleteAWSJob: true,
      pollsLeft: 2,
      willFail: false,
    });
    expect((await failure(iot.send(new CreateOTAUpdateCommand(createInput('fw-1'))))).name).toBe(
      'ResourceAlreadyExistsException',
    );
    expect((await statusOf('fw-1'))?.otaUpdateStatus).toBe('DELETE_IN_PROGRESS');
    expect((await statusOf('fw-1'))?.otaUpdateStatus).toBe('DELETE_IN_PROGRESS');
    expect((await failure(statusOf('fw-1'))).name).toBe('ResourceNotFoundException');
    await iot.send(new CreateOTAUpdateCommand(createInput('fw-1')));
    expect(emulator.otaUpdates.get('fw-1')?.status).toBe('CREATE_PENDING');
    expect(emulator.requests.find((r) => r.operation === 'DeleteOTAUpdate')?.query).toEqual({
      deleteStream: 'true',
      forceDeleteAWSJob: 'true',
    });
  });

  it('ends DELETE_FAILED when the job is running and forceDeleteAWSJob is false', async () => {
    await iot.send(new CreateOTAUpdateCommand(createInput('fw-1')));
    await statusOf('fw-1');
    await statusOf('fw-1');
    await iot.send(new DeleteOTAUpdateCommand({ otaUpdateId: 'fw-1' }));
    await statusOf('fw-1');
    await statusOf('fw-1');
    const info = await statusOf('fw-1');
    expect(info?.otaUpdateStatus).toBe('DELETE_FAILED');
    expect(info?.errorInfo).toEqual({
      code: 'InvalidRequestException',
      message: 'Job AFR_OTA-fw-1 is in progress; delete it with forceDeleteAWSJob set to true.',
    });
  });

  it('frees the id at once with deletePolls 0, and answers 404 for an unknown id', async () => {
    await emulator.close();
    await start({ deletePolls: 0 });
    await iot.send(new CreateOTAUpdateCommand(createInput('fw-1')));
    await iot.send(new DeleteOTAUpdateCommand({ otaUpdateId: 'fw-1', forceDeleteAWSJob: true }));
    expect(emulator.otaUpdates.has('fw-1')).toBe(false);
    const error = await failure(iot.send(new DeleteOTAUpdateCommand({ otaUpdateId: 'fw-1' })));
    expect([error.name, error.message]).toEqual([
      'ResourceNotFoundException',
      'OTA Update fw-1 does not exist',
    ]);
  });
});

describe('ListOTAUpdates', () => {
  beforeEach(async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) await iot.send(new CreateOTAUpdateCommand(createInput(id)));
    await statusOf('a');
    await statusOf('a');
  });

  it('pages with maxResults and nextToken in creation order', async () => {
    const ids: string[][] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 5; page++) {
      const out = await iot.send(new ListOTAUpdatesCommand({ maxResults: 2, nextToken }));
      ids.push((out.otaUpdates ?? []).map((u) => u.otaUpdateId!));
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    expect(ids).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('filters by status and summarizes each update', async () => {
    const out = await iot.send(new ListOTAUpdatesCommand({ otaUpdateStatus: 'CREATE_COMPLETE' }));
    expect(out.otaUpdates).toEqual([
      {
        otaUpdateId: 'a',
        otaUpdateArn: 'arn:aws:iot:us-east-1:123456789012:otaupdate/a',
        creationDate: emulator.otaUpdates.get('a')!.creationDate,
      },
    ]);
    expect(out.nextToken).toBeUndefined();
  });

  it.each([
    [
      { maxResults: 251 },
      "Value '251' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 250",
    ],
    [{ nextToken: 'forged' }, 'The nextToken is not valid'],
  ])('rejects %j', async (input, message) => {
    const error = await failure(iot.send(new ListOTAUpdatesCommand(input)));
    expect(error.name).toBe('InvalidRequestException');
    expect(error.message).toContain(message);
  });
});

describe('seedOtaUpdate', () => {
  it('makes an update exist as if created earlier, in any status', async () => {
    emulator.seedOtaUpdate('old', { targets: [THING_GROUP], roleArn: OTA_ROLE_ARN, files: [] });
    emulator.seedOtaUpdate('broken', { files: [] }, 'CREATE_FAILED', {
      code: 'AccessDenied',
      message: 'no PassRole',
    });
    emulator.seedOtaUpdate('going', { files: [] }, 'DELETE_IN_PROGRESS');
    expect(await statusOf('old')).toMatchObject({
      otaUpdateStatus: 'CREATE_COMPLETE',
      targets: [THING_GROUP],
    });
    expect(await statusOf('broken')).toMatchObject({
      otaUpdateStatus: 'CREATE_FAILED',
      errorInfo: { code: 'AccessDenied', message: 'no PassRole' },
    });
    expect((await statusOf('going'))?.otaUpdateStatus).toBe('DELETE_IN_PROGRESS');
    expect((await failure(iot.send(new CreateOTAUpdateCommand(createInput('old'))))).name).toBe(
      'ResourceAlreadyExistsException',
    );
  });
});

describe('routing', () => {
  it('answers an unknown IoT path with 404 UnknownOperationException', async () => {
    const res = await fetch(`${emulator.url}/things/x`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException:');
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });

  it('records each request with its operation, status and body', async () => {
    await iot.send(new CreateOTAUpdateCommand(createInput('fw-1')));
    await failure(statusOf('nope'));
    expect(
      emulator.requests.map((r) => [r.service, r.operation, r.method, r.path, r.status, r.errorCode]),
    ).toEqual([
      ['iot', 'CreateOTAUpdate', 'POST', '/otaUpdates/fw-1', 200, undefined],
      ['iot', 'GetOTAUpdate', 'GET', '/otaUpdates/nope', 404, 'ResourceNotFoundException'],
    ]);
    expect(JSON.parse(emulator.requests[0]!.bodyText!)).toEqual({
      targets: [THING_GROUP],
      roleArn: OTA_ROLE_ARN,
      files: createInput('fw-1').files,
    });
  });
});

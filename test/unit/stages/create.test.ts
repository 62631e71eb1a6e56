import {
  CreateOTAUpdateCommand,
  GetOTAUpdateCommand,
  IoTClient,
  ResourceAlreadyExistsException,
  InvalidRequestException,
  type CreateOTAUpdateRequest,
  type OTAUpdateInfo,
} from '@aws-sdk/client-iot';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createOrAdopt, type CreateOptions } from '../../../src/stages/create.js';
import { ActionError } from '../../../src/errors.js';

const iotMock = mockClient(IoTClient);
const iot = new IoTClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
});

const request: CreateOTAUpdateRequest = {
  otaUpdateId: 'fw-1',
  targets: ['arn:aws:iot:us-east-1:123456789012:thinggroup/fleet'],
  roleArn: 'arn:aws:iam::123456789012:role/ota-service',
  files: [{ fileName: 'fw.bin', fileLocation: { s3Location: { bucket: 'b', key: 'k', version: 'v2' } } }],
};

const existing = (overrides: Partial<OTAUpdateInfo> = {}): OTAUpdateInfo => ({
  otaUpdateId: 'fw-1',
  otaUpdateArn: 'arn:aws:iot:us-east-1:123456789012:otaupdate/fw-1',
  otaUpdateStatus: 'CREATE_IN_PROGRESS',
  targets: request.targets,
  otaUpdateFiles: request.files,
  ...overrides,
});

const alreadyExists = () =>
  new ResourceAlreadyExistsException({
    message: 'OTA Update fw-1 already exists',
    $metadata: { httpStatusCode: 409 },
  });

function resetError(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

function options(
  overrides: Partial<CreateOptions> = {},
): CreateOptions & { slept: number[]; deletionsAwaited: number } {
  const slept: number[] = [];
  const state = { slept, deletionsAwaited: 0 };
  return Object.assign(state, {
    ifExists: 'reuse' as const,
    alignWith: async () => request,
    awaitDeletion: async () => {
      state.deletionsAwaited++;
    },
    sleep: async (ms: number) => {
      slept.push(ms);
    },
    ...overrides,
  });
}

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

beforeEach(() => iotMock.reset());

describe('createOrAdopt', () => {
  it('creates once and returns the reply', async () => {
    iotMock.on(CreateOTAUpdateCommand).resolves({
      otaUpdateId: 'fw-1',
      otaUpdateArn: 'arn:aws:iot:us-east-1:123456789012:otaupdate/fw-1',
      otaUpdateStatus: 'CREATE_PENDING',
    });
    const outcome = await createOrAdopt(iot, request, options());
    expect(outcome).toEqual({
      info: {
        otaUpdateId: 'fw-1',
        otaUpdateArn: 'arn:aws:iot:us-east-1:123456789012:otaupdate/fw-1',
        otaUpdateStatus: 'CREATE_PENDING',
        awsIotJobId: undefined,
        awsIotJobArn: undefined,
      },
      request,
      adopted: false,
    });
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(1);
    expect(iotMock.commandCalls(GetOTAUpdateCommand)).toHaveLength(0);
  });

  it('adopts its own update after a lost reply instead of creating a second one', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(resetError());
    iotMock.on(GetOTAUpdateCommand).resolves({ otaUpdateInfo: existing() });
    const outcome = await createOrAdopt(iot, request, options({ ifExists: 'fail' }));
    expect(outcome.adopted).toBe(true);
    expect(outcome.info.otaUpdateStatus).toBe('CREATE_IN_PROGRESS');
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(1);
  });

  it('creates again after a lost reply when the first attempt did not take effect', async () => {
    iotMock
      .on(CreateOTAUpdateCommand)
      .rejectsOnce(resetError())
      .resolves({ otaUpdateStatus: 'CREATE_PENDING' });
    iotMock.on(GetOTAUpdateCommand).rejects(
      Object.assign(new Error('not found'), {
        name: 'ResourceNotFoundException',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const opts = options();
    const outcome = await createOrAdopt(iot, request, opts);
    expect(outcome.adopted).toBe(false);
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(2);
    expect(opts.slept).toEqual([500]);
  });

  it('recognises a concurrent run of the same release through ResourceAlreadyExists', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(alreadyExists());
    iotMock.on(GetOTAUpdateCommand).resolves({
      otaUpdateInfo: existing({
        otaUpdateFiles: [
          { fileName: 'fw.bin', fileLocation: { s3Location: { bucket: 'b', key: 'k', version: 'v1' } } },
        ],
      }),
    });
    // The concurrent run uploaded the same bytes as another version: aligning re-points the request at it.
    const aligned = {
      ...request,
      files: [{ fileName: 'fw.bin', fileLocation: { s3Location: { bucket: 'b', key: 'k', version: 'v1' } } }],
    };
    const outcome = await createOrAdopt(iot, request, options({ alignWith: async () => aligned }));
    expect(outcome).toMatchObject({ adopted: true, request: aligned });
  });

  it('fails with ExistingUpdateDiffers when someone else took the id with another release', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(alreadyExists());
    iotMock
      .on(GetOTAUpdateCommand)
      .resolves({ otaUpdateInfo: existing({ targets: ['arn:aws:iot:us-east-1:123456789012:thing/x'] }) });
    const error = await rejection(createOrAdopt(iot, request, options()));
    expect(error.code).toBe('ExistingUpdateDiffers');
    expect(error.message).toContain('targets: existing ["arn:aws:iot:us-east-1:123456789012:thing/x"]');
  });

  it('honours if-exists fail for an update that is not ours', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(alreadyExists());
    iotMock.on(GetOTAUpdateCommand).resolves({ otaUpdateInfo: existing() });
    const error = await rejection(createOrAdopt(iot, request, options({ ifExists: 'fail' })));
    expect(error.code).toBe('ResourceAlreadyExistsException');
  });

  it('waits for a concurrent deletion, then creates', async () => {
    iotMock
      .on(CreateOTAUpdateCommand)
      .rejectsOnce(alreadyExists())
      .resolves({ otaUpdateStatus: 'CREATE_PENDING' });
    iotMock
      .on(GetOTAUpdateCommand)
      .resolves({ otaUpdateInfo: existing({ otaUpdateStatus: 'DELETE_IN_PROGRESS' }) });
    const opts = options();
    const outcome = await createOrAdopt(iot, request, opts);
    expect(outcome.adopted).toBe(false);
    expect(opts.deletionsAwaited).toBe(1);
  });

  it('fails at once on a refusal, without looking the id up', async () => {
    iotMock
      .on(CreateOTAUpdateCommand)
      .rejects(
        new InvalidRequestException({ message: 'roleArn is invalid', $metadata: { httpStatusCode: 400 } }),
      );
    const error = await rejection(createOrAdopt(iot, request, options()));
    expect(error.code).toBe('InvalidRequestException');
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(1);
    expect(iotMock.commandCalls(GetOTAUpdateCommand)).toHaveLength(0);
  });

  it('gives up after a bounded number of lost replies', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(resetError());
    iotMock.on(GetOTAUpdateCommand).rejects(
      Object.assign(new Error('not found'), {
        name: 'ResourceNotFoundException',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const error = await rejection(createOrAdopt(iot, request, options({ maxAttempts: 3 })));
    expect(error.code).toBe('NetworkError');
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(3);
  });
});

describe('createOrAdopt retries answers that changed nothing', () => {
  it('retries a throttled create with backoff and creates once', async () => {
    const throttled = () =>
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    iotMock
      .on(CreateOTAUpdateCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ otaUpdateStatus: 'CREATE_PENDING' });
    const opts = options();
    const outcome = await createOrAdopt(iot, request, opts);
    expect(outcome.adopted).toBe(false);
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(3);
    expect(iotMock.commandCalls(GetOTAUpdateCommand)).toHaveLength(0);
    expect(opts.slept).toEqual([500, 1000]);
  });

  it('gives a quota answer three tries, then fails LimitExceededException', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(
      Object.assign(new Error('Limit exceeded'), {
        name: 'LimitExceededException',
        $fault: 'client',
        $metadata: { httpStatusCode: 410 },
      }),
    );
    const error = await rejection(createOrAdopt(iot, request, options()));
    expect(error.code).toBe('LimitExceededException');
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(3);
  });
});

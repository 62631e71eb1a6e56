import {
  CreateOTAUpdateCommand,
  GetOTAUpdateCommand,
  IoTClient,
  ListTagsForResourceCommand,
  ResourceAlreadyExistsException,
  InvalidRequestException,
  type CreateOTAUpdateRequest,
  type OTAUpdateInfo,
} from '@aws-sdk/client-iot';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createOrAdopt, type CreateOptions } from '../../../src/stages/create.js';
import { ActionError } from '../../../src/errors.js';
import { fingerprintTags } from '../../../src/plan/fingerprint.js';
import { testContext } from './context.js';

const iotMock = mockClient(IoTClient);

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

function options(overrides: Partial<CreateOptions> = {}): CreateOptions & { deletionsAwaited: number } {
  const state = { deletionsAwaited: 0 };
  return Object.assign(state, {
    ifExists: 'reuse' as const,
    realign: async () => ({ request, files: [] }),
    awaitDeletion: async () => {
      state.deletionsAwaited++;
    },
    ...overrides,
  });
}

let ctx = testContext();
const create = (opts: CreateOptions) => createOrAdopt(request, opts, ctx);

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

beforeEach(() => {
  iotMock.reset();
  // What ListTagsForResource says of an update this action created from `request`.
  iotMock.on(ListTagsForResourceCommand).resolves({ tags: fingerprintTags(request) });
  ctx = testContext();
});

describe('createOrAdopt', () => {
  it('creates once and returns the reply', async () => {
    iotMock.on(CreateOTAUpdateCommand).resolves({
      otaUpdateId: 'fw-1',
      otaUpdateArn: 'arn:aws:iot:us-east-1:123456789012:otaupdate/fw-1',
      otaUpdateStatus: 'CREATE_PENDING',
    });
    const outcome = await create(options());
    expect(outcome).toEqual({
      info: {
        otaUpdateId: 'fw-1',
        otaUpdateArn: 'arn:aws:iot:us-east-1:123456789012:otaupdate/fw-1',
        otaUpdateStatus: 'CREATE_PENDING',
        awsIotJobId: undefined,
        awsIotJobArn: undefined,
      },
      request,
      adopted: undefined,
    });
    expect(ctx.recorded.createsSent).toBe(1);
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(1);
    expect(iotMock.commandCalls(GetOTAUpdateCommand)).toHaveLength(0);
  });

  it('adopts its own update after a lost reply instead of creating a second one', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(resetError());
    iotMock.on(GetOTAUpdateCommand).resolves({ otaUpdateInfo: existing() });
    const outcome = await create(options({ ifExists: 'fail' }));
    expect(outcome.adopted).toEqual([]);
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
    const outcome = await create(opts);
    expect(outcome.adopted).toBeUndefined();
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(2);
    expect(ctx.clock.slept).toEqual([500]);
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
    const outcome = await create(options({ realign: async () => ({ request: aligned, files: [] }) }));
    expect(outcome).toMatchObject({ adopted: [], request: aligned });
  });

  it('fails with ExistingUpdateDiffers when someone else took the id with another release', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(alreadyExists());
    iotMock
      .on(GetOTAUpdateCommand)
      .resolves({ otaUpdateInfo: existing({ targets: ['arn:aws:iot:us-east-1:123456789012:thing/x'] }) });
    const error = await rejection(create(options()));
    expect(error.code).toBe('ExistingUpdateDiffers');
    expect(error.message).toContain('targets: existing ["arn:aws:iot:us-east-1:123456789012:thing/x"]');
  });

  it('honours if-exists fail for an update that is not ours', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(alreadyExists());
    iotMock.on(GetOTAUpdateCommand).resolves({ otaUpdateInfo: existing() });
    const error = await rejection(create(options({ ifExists: 'fail' })));
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
    const outcome = await create(opts);
    expect(outcome.adopted).toBeUndefined();
    expect(opts.deletionsAwaited).toBe(1);
  });

  it('fails at once on a refusal, without looking the id up', async () => {
    iotMock
      .on(CreateOTAUpdateCommand)
      .rejects(
        new InvalidRequestException({ message: 'roleArn is invalid', $metadata: { httpStatusCode: 400 } }),
      );
    const error = await rejection(create(options()));
    expect(error.code).toBe('InvalidRequestException');
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(1);
    expect(iotMock.commandCalls(GetOTAUpdateCommand)).toHaveLength(0);
  });

  it('gives up after a bounded number of lost replies (5 attempts)', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(resetError());
    iotMock.on(GetOTAUpdateCommand).rejects(
      Object.assign(new Error('not found'), {
        name: 'ResourceNotFoundException',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const error = await rejection(create(options()));
    expect(error.code).toBe('NetworkError');
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(5);
  });
});

describe('createOrAdopt reports with its context', () => {
  it('names the OTA role in the hint for an access refusal', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: iam:PassRole'), {
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const error = await rejection(create(options()));
    expect(error.code).toBe('AccessDeniedException');
    expect(error.hint).toBe(
      'Allow the credentials running this step iot:CreateOTAUpdate in us-east-1, and iam:PassRole on the OTA role ota-role-arn (arn:aws:iam::123456789012:role/ota-service) with iam:PassedToService iot.amazonaws.com.',
    );
  });

  it('stops at once when the step is canceled, with the cancellation as the reason', async () => {
    const stop = new AbortController();
    const reason = new ActionError('Canceled', 'The step was canceled (SIGTERM).');
    ctx = testContext({ signal: stop.signal });
    iotMock.on(CreateOTAUpdateCommand).callsFake(() => {
      stop.abort(reason);
      return new Promise(() => undefined);
    });
    await expect(create(options())).rejects.toBe(reason);
    expect(iotMock.commandCalls(GetOTAUpdateCommand)).toHaveLength(0);
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
    const outcome = await create(opts);
    expect(outcome.adopted).toBeUndefined();
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(3);
    expect(iotMock.commandCalls(GetOTAUpdateCommand)).toHaveLength(0);
    expect(ctx.clock.slept).toEqual([500, 1000]);
  });

  it('gives a quota answer three tries, then fails LimitExceededException', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(
      Object.assign(new Error('Limit exceeded'), {
        name: 'LimitExceededException',
        $fault: 'client',
        $metadata: { httpStatusCode: 410 },
      }),
    );
    const error = await rejection(create(options()));
    expect(error.code).toBe('LimitExceededException');
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(3);
  });
});

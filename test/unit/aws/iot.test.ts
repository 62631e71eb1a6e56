import {
  CreateOTAUpdateCommand,
  DeleteOTAUpdateCommand,
  GetOTAUpdateCommand,
  InternalFailureException,
  IoTClient,
  ResourceNotFoundException,
  type CreateOTAUpdateRequest,
} from '@aws-sdk/client-iot';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsErrorCode, classifyError, isMaybeApplied } from '../../../src/aws/classify.js';
import { createOtaUpdateOnce, deleteOtaUpdate, getOtaUpdate } from '../../../src/aws/iot.js';
import { ActionError } from '../../../src/errors.js';
import { awsError, socketError, timeoutError } from './fixtures.js';

const iotMock = mockClient(IoTClient);
const iot = new IoTClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const live = new AbortController().signal;

const request: CreateOTAUpdateRequest = {
  otaUpdateId: 'fw-1',
  targets: ['arn:aws:iot:eu-west-1:123456789012:thinggroup/fleet'],
  files: [{ fileName: 'app.bin', fileLocation: { s3Location: { bucket: 'b', key: 'k', version: 'v1' } } }],
  roleArn: 'arn:aws:iam::123456789012:role/ota-service',
};

beforeEach(() => iotMock.reset());

describe('createOtaUpdateOnce', () => {
  it('sends the request once and returns the reply', async () => {
    iotMock.on(CreateOTAUpdateCommand).resolves({
      otaUpdateId: 'fw-1',
      otaUpdateArn: 'arn:aws:iot:eu-west-1:123456789012:otaupdate/fw-1',
      otaUpdateStatus: 'CREATE_PENDING',
    });
    await expect(createOtaUpdateOnce(iot, request, live)).resolves.toMatchObject({
      otaUpdateId: 'fw-1',
      otaUpdateStatus: 'CREATE_PENDING',
    });
    expect(iotMock.commandCalls(CreateOTAUpdateCommand).map((c) => c.args[0].input)).toEqual([request]);
  });

  it.each([
    [awsError('ServiceUnavailableException', 503), true],
    [awsError('InternalFailureException', 500), true],
    [socketError('ECONNRESET', 'socket hang up'), true],
    [timeoutError(), true],
    [socketError('ECONNREFUSED'), false],
    [awsError('ThrottlingException', 400), false],
    [awsError('InvalidRequestException', 400), false],
    [awsError('ResourceAlreadyExistsException', 409), false],
  ])(
    'never retries, and rethrows the SDK error for the caller to judge (%s)',
    async (error, maybeApplied) => {
      iotMock.on(CreateOTAUpdateCommand).rejects(error);
      const thrown: unknown = await createOtaUpdateOnce(iot, request, live).catch((e) => e);
      expect(thrown).toBe(error);
      expect(isMaybeApplied(thrown)).toBe(maybeApplied);
      expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(1);
    },
  );
});

describe('getOtaUpdate', () => {
  it('returns the update', async () => {
    iotMock
      .on(GetOTAUpdateCommand)
      .resolves({ otaUpdateInfo: { otaUpdateId: 'fw-1', otaUpdateStatus: 'CREATE_COMPLETE' } });
    await expect(getOtaUpdate(iot, 'fw-1', live)).resolves.toEqual({
      otaUpdateId: 'fw-1',
      otaUpdateStatus: 'CREATE_COMPLETE',
    });
    expect(iotMock.commandCalls(GetOTAUpdateCommand).map((c) => c.args[0].input)).toEqual([
      { otaUpdateId: 'fw-1' },
    ]);
  });

  it.each([
    awsError('ResourceNotFoundException', 404, 'Not Found'),
    new ResourceNotFoundException({ message: 'Not Found', $metadata: {} }),
  ])('returns undefined when no update has the id', async (error) => {
    iotMock.on(GetOTAUpdateCommand).rejects(error);
    await expect(getOtaUpdate(iot, 'fw-1', live)).resolves.toBeUndefined();
    expect(iotMock.commandCalls(GetOTAUpdateCommand)).toHaveLength(1);
  });

  it("rejects with the signal's reason as soon as it is aborted, even while a call hangs", async () => {
    iotMock.on(GetOTAUpdateCommand).callsFake(() => new Promise(() => undefined));
    const stop = new AbortController();
    const reason = new ActionError('Canceled', 'The step was canceled (SIGINT).');
    const pending = getOtaUpdate(iot, 'fw-1', stop.signal);
    stop.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it.each([
    [
      awsError('AccessDeniedException', 403, 'denied'),
      1,
      'AccessDeniedException',
      'Reading OTA update fw-1 failed with AccessDeniedException: denied',
    ],
    [
      socketError('ECONNRESET', 'read ECONNRESET'),
      1,
      'NetworkError',
      'Reading OTA update fw-1 failed with NetworkError: AWS could not be reached (ECONNRESET: read ECONNRESET)',
    ],
  ])('reports a failure as a typed ActionError (%s)', async (error, calls, code, message) => {
    iotMock.on(GetOTAUpdateCommand).rejects(error);
    const thrown: unknown = await getOtaUpdate(iot, 'fw-1', live).catch((e) => e);
    expect(thrown).toBeInstanceOf(ActionError);
    expect(thrown).toMatchObject({ code, message });
    expect(iotMock.commandCalls(GetOTAUpdateCommand)).toHaveLength(calls);
  });

  it('refuses an answer without otaUpdateInfo', async () => {
    iotMock.on(GetOTAUpdateCommand).resolves({});
    await expect(getOtaUpdate(iot, 'fw-1', live)).rejects.toMatchObject({
      code: 'UnexpectedResponse',
      message:
        'Reading OTA update fw-1 failed with UnexpectedResponse: AWS IoT answered without otaUpdateInfo',
    });
  });
});

describe('deleteOtaUpdate', () => {
  it('deletes the update with its job and its stream (IoT keeps a stream the user supplied)', async () => {
    iotMock.on(DeleteOTAUpdateCommand).resolves({});
    await expect(deleteOtaUpdate(iot, 'fw-1', live)).resolves.toBe('deleted');
    expect(iotMock.commandCalls(DeleteOTAUpdateCommand).map((c) => c.args[0].input)).toEqual([
      { otaUpdateId: 'fw-1', deleteStream: true, forceDeleteAWSJob: true },
    ]);
  });

  it('treats an id that is already gone as not-found', async () => {
    iotMock.on(DeleteOTAUpdateCommand).rejects(awsError('ResourceNotFoundException', 404));
    await expect(deleteOtaUpdate(iot, 'fw-1', live)).resolves.toBe('not-found');
  });

  it('reports a delete conflict as VersionConflictException', async () => {
    iotMock.on(DeleteOTAUpdateCommand).rejects(awsError('VersionConflictException', 409, 'conflict'));
    await expect(deleteOtaUpdate(iot, 'fw-1', live)).rejects.toMatchObject({
      code: 'VersionConflictException',
      message: 'Deleting OTA update fw-1 failed with VersionConflictException: conflict',
      hint: 'OTA update fw-1 changed while it was being deleted: re-run the step.',
    });
  });
});

describe('SDK exceptions built without an HTTP status still classify by their fault', () => {
  it.each([
    [
      new ResourceNotFoundException({ message: 'x', $metadata: {} }),
      'ResourceNotFoundException',
      'permanent',
      false,
    ],
    [
      new InternalFailureException({ message: 'x', $metadata: {} }),
      'InternalFailureException',
      'transient',
      true,
    ],
  ])('%s', (error, code, kind, maybeApplied) => {
    expect([awsErrorCode(error), classifyError(error), isMaybeApplied(error)]).toEqual([
      code,
      kind,
      maybeApplied,
    ]);
  });
});

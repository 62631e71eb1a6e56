/**
 * The IoT Jobs operations when something is off: unknown jobs, requests the model refuses, signatures, scenario
 * controls on the new operation names, and every reply checked against the model's output shapes.
 */
import {
  CancelJobCommand,
  CreateOTAUpdateCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  GetOTAUpdateCommand,
  IoTClient,
  ListJobExecutionsForJobCommand,
} from '@aws-sdk/client-iot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/index.js';
import { JOBS_MODEL } from '../../../emulator/model/iot-jobs.js';
import { checkShape } from '../../../emulator/model-check.js';
import { clients, createInput, failure, signedIot } from './clients.js';

let emulator: Emulator;
let iot: IoTClient;
let now = 1_700_000_000_000;

beforeEach(async () => {
  emulator = await startEmulator({ clock: () => now, things: [{ name: 'sensor-01', groups: ['fleet'] }] });
  iot = clients(emulator).iot;
  emulator.s3.putObject('firmware-bucket', 'fw.bin', 'firmware bytes');
});
afterEach(() => emulator.close());

async function release(): Promise<void> {
  await iot.send(new CreateOTAUpdateCommand(createInput('fw-1')));
  for (let i = 0; i < 2; i++) await iot.send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' }));
}

const jobId = 'AFR_OTA-fw-1';
const status = (e: Record<string, unknown>) => (e.$metadata as { httpStatusCode: number }).httpStatusCode;

describe('unknown jobs', () => {
  it.each([
    ['DescribeJob', () => iot.send(new DescribeJobCommand({ jobId: 'AFR_OTA-nope' }))],
    [
      'ListJobExecutionsForJob',
      () => iot.send(new ListJobExecutionsForJobCommand({ jobId: 'AFR_OTA-nope' })),
    ],
    ['CancelJob', () => iot.send(new CancelJobCommand({ jobId: 'AFR_OTA-nope' }))],
  ])('%s answers 404 ResourceNotFoundException in IoT’s wire format', async (_op, call) => {
    const error = await failure(call());
    const response = error.$response as { headers: Record<string, string> };
    expect([error.name, error.message, status(error)]).toEqual([
      'ResourceNotFoundException',
      'Job AFR_OTA-nope does not exist',
      404,
    ]);
    expect(response.headers['x-amzn-errortype']).toBe('ResourceNotFoundException:');
  });

  it('has no job until its update reaches CREATE_COMPLETE', async () => {
    await iot.send(new CreateOTAUpdateCommand(createInput('fw-1')));
    await iot.send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' }));
    expect((await failure(iot.send(new DescribeJobCommand({ jobId })))).name).toBe(
      'ResourceNotFoundException',
    );
    await iot.send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' }));
    expect((await iot.send(new DescribeJobCommand({ jobId }))).job?.status).toBe('IN_PROGRESS');
  });
});

describe('requests the model refuses', () => {
  const message = (value: string, member: string, constraint: string) =>
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must ${constraint}`;

  it.each([
    [
      'maxResults 0',
      () => iot.send(new ListJobExecutionsForJobCommand({ jobId, maxResults: 0 })),
      message('0', 'maxResults', 'have value greater than or equal to 1'),
    ],
    [
      'maxResults 251',
      () => iot.send(new ListJobExecutionsForJobCommand({ jobId, maxResults: 251 })),
      message('251', 'maxResults', 'have value less than or equal to 250'),
    ],
    [
      'an unknown status',
      () => iot.send(new ListJobExecutionsForJobCommand({ jobId, status: 'DONE' as 'QUEUED' })),
      message(
        'DONE',
        'status',
        'satisfy enum value set: [QUEUED, IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED]',
      ),
    ],
    [
      'a job id with a space',
      () => iot.send(new DescribeJobCommand({ jobId: 'bad id' })),
      message('bad id', 'jobId', 'satisfy regular expression pattern: [a-zA-Z0-9_-]+'),
    ],
    [
      'a job id of 65 characters',
      () => iot.send(new DescribeJobCommand({ jobId: 'j'.repeat(65) })),
      message('j'.repeat(65), 'jobId', 'have length less than or equal to 64'),
    ],
    [
      'a thing name with a slash',
      () => iot.send(new DescribeJobExecutionCommand({ jobId, thingName: 'a/b' })),
      message('a/b', 'thingName', 'satisfy regular expression pattern: [a-zA-Z0-9:_-]+'),
    ],
    [
      'a lower-case reason code',
      () => iot.send(new CancelJobCommand({ jobId, reasonCode: 'Failed' })),
      message('Failed', 'reasonCode', 'satisfy regular expression pattern: [\\p{Upper}\\p{Digit}_]+'),
    ],
  ])('%s: 400 InvalidRequestException worded as AWS words it', async (_what, call, expected) => {
    await release();
    const error = await failure(call());
    expect([error.name, error.message, status(error)]).toEqual(['InvalidRequestException', expected, 400]);
  });

  it('lists every violation of one request, two for one member', async () => {
    const error = await failure(
      iot.send(new CancelJobCommand({ jobId, reasonCode: 'no', comment: `line\nbreak${'x'.repeat(2028)}` })),
    );
    expect(error.message).toMatch(
      /^3 validation errors detected: Value 'no' at 'reasonCode' .*; Value '.*' at 'comment' /s,
    );
    expect(error.message).toContain('Member must have length less than or equal to 2028');
    expect(error.message).toContain('Member must satisfy regular expression pattern: [^\\p{C}]+');
  });

  it.each([
    [
      'force=maybe',
      'PUT',
      `/jobs/${jobId}/cancel`,
      { force: 'maybe' },
      '',
      message('maybe', 'force', 'be a boolean'),
    ],
    [
      'executionNumber=one',
      'GET',
      `/things/sensor-01/jobs/${jobId}`,
      { executionNumber: 'one' },
      '',
      message('one', 'executionNumber', 'be an integer (long)'),
    ],
    [
      'a forged nextToken',
      'GET',
      `/jobs/${jobId}/things`,
      { nextToken: 'forged' },
      '',
      'The nextToken is not valid',
    ],
    [
      'a body that is not JSON',
      'PUT',
      `/jobs/${jobId}/cancel`,
      {},
      '{nope',
      'Could not parse request body into json',
    ],
  ])('%s, sent raw, answers InvalidRequestException', async (_what, method, path, query, body, expected) => {
    await release();
    const res = await signedIot(emulator, method, path, query, body);
    const json = (await res.json()) as { message: string };
    expect([res.status, res.headers.get('x-amzn-errortype')]).toEqual([400, 'InvalidRequestException:']);
    expect(json.message).toContain(expected);
  });
});

describe('signatures and scenario controls', () => {
  it('refuses an unsigned or wrongly signed jobs request', async () => {
    await release();
    const unsigned = await fetch(`${emulator.url}/jobs/${jobId}`);
    expect([unsigned.status, unsigned.headers.get('x-amzn-errortype')]).toEqual([
      403,
      'MissingAuthenticationTokenException:',
    ]);
    const wrong = new IoTClient({
      region: 'us-east-1',
      endpoint: emulator.url,
      credentials: { ...emulator.staticCredentials, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    const error = await failure(wrong.send(new CancelJobCommand({ jobId })));
    expect([error.name, status(error)]).toEqual(['InvalidSignatureException', 403]);
    expect(emulator.jobs.get(jobId)?.status).toBe('IN_PROGRESS');
  });

  it('throttles DescribeJob with failFirst, and loses a CancelJob reply after it took effect', async () => {
    await release();
    emulator.controls.failFirst('DescribeJob', 2, 'throttle');
    emulator.controls.loseReply('CancelJob');
    for (let i = 0; i < 2; i++)
      expect((await failure(iot.send(new DescribeJobCommand({ jobId })))).name).toBe('ThrottlingException');
    expect((await iot.send(new DescribeJobCommand({ jobId }))).job?.status).toBe('IN_PROGRESS');
    await failure(iot.send(new CancelJobCommand({ jobId })));
    expect(emulator.jobs.get(jobId)?.status).toBe('CANCELED');
    expect(emulator.requests.slice(-4).map((r) => [r.operation, r.status, r.errorCode, r.replyLost])).toEqual(
      [
        ['DescribeJob', 400, 'ThrottlingException', undefined],
        ['DescribeJob', 400, 'ThrottlingException', undefined],
        ['DescribeJob', 200, undefined, undefined],
        ['CancelJob', 200, undefined, true],
      ],
    );
  });
});

/** Members the reply carries that its shape does not have, as dotted paths. */
function unknownMembers(shape: string, value: unknown, path: string): string[] {
  const s = JOBS_MODEL.shapes[shape];
  if (s?.type === 'structure' && typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => {
      const m = s.members[k];
      return m ? unknownMembers(m.target, v, `${path}.${k}`) : [`${path}.${k}`];
    });
  if (s?.type === 'list' && Array.isArray(value))
    return value.flatMap((v, i) => unknownMembers(s.member, v, `${path}.${i}`));
  return [];
}

describe('replies', () => {
  it.each([
    ['DescribeJob', `/jobs/${jobId}`, 'DescribeJobResponse'],
    ['ListJobExecutionsForJob', `/jobs/${jobId}/things`, 'ListJobExecutionsForJobResponse'],
    ['DescribeJobExecution', `/things/sensor-01/jobs/${jobId}`, 'DescribeJobExecutionResponse'],
  ])('%s answers exactly the model’s output shape', async (_op, path, shape) => {
    emulator.controls.deviceBehaviour('sensor-01', { fail: 'bad image' });
    await release();
    now += 1_000_000;
    const res = await signedIot(emulator, 'GET', path);
    const body: unknown = await res.json();
    expect(res.headers.get('content-type')).toBe('application/json');
    expect([checkShape(JOBS_MODEL.shapes, shape, body, ''), unknownMembers(shape, body, '')]).toEqual([
      [],
      [],
    ]);
  });
});

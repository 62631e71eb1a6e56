/** The IoT Jobs operations over the wire with the real SDK, on an injected clock: shapes, paging, cancel, errors. */
import {
  CancelJobCommand,
  CreateOTAUpdateCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  GetOTAUpdateCommand,
  ListJobExecutionsForJobCommand,
  type CreateOTAUpdateCommandInput,
  type IoTClient,
  type JobExecutionStatus,
} from '@aws-sdk/client-iot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/index.js';
import { clients, createInput, failure, THING_GROUP } from './clients.js';

const T0 = 1_700_000_000_000;
const THINGS = ['sensor-01', 'sensor-02', 'sensor-03', 'sensor-04', 'sensor-05'];
const thingArn = (name: string) => `arn:aws:iot:us-east-1:123456789012:thing/${name}`;

let emulator: Emulator;
let iot: IoTClient;
let now = T0;
const at = (seconds: number) => (now = T0 + seconds * 1000);

beforeEach(async () => {
  now = T0;
  emulator = await startEmulator({
    clock: () => now,
    things: THINGS.map((name) => ({
      name,
      groups: ['fleet'],
      ...(name === 'sensor-03' ? { behaviour: 'fail' as const } : {}),
      ...(name === 'sensor-05' ? { behaviour: 'hang' as const } : {}),
    })),
  });
  iot = clients(emulator).iot;
  emulator.s3.putObject('firmware-bucket', 'fw.bin', 'firmware bytes');
});
afterEach(() => emulator.close());

/** Creates the update and polls it to CREATE_COMPLETE, which creates its job at the current emulated time. */
async function release(extra: Partial<CreateOTAUpdateCommandInput> = {}, id = 'fw-1'): Promise<string> {
  await iot.send(new CreateOTAUpdateCommand({ ...createInput(id), ...extra }));
  for (let i = 0; i < 2; i++) await iot.send(new GetOTAUpdateCommand({ otaUpdateId: id }));
  return `AFR_OTA-${id}`;
}

const paced = {
  description: 'Release v1.2.0',
  awsJobExecutionsRolloutConfig: { maximumPerMinute: 2 },
  awsJobTimeoutConfig: { inProgressTimeoutInMinutes: 5 },
  awsJobAbortConfig: {
    abortCriteriaList: [
      { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 80, minNumberOfExecutedThings: 5 },
    ],
  },
} satisfies Partial<CreateOTAUpdateCommandInput>;

const describeJob = async (jobId: string) => (await iot.send(new DescribeJobCommand({ jobId }))).job!;
const zeroCounts = {
  numberOfCanceledThings: 0,
  numberOfSucceededThings: 0,
  numberOfFailedThings: 0,
  numberOfRejectedThings: 0,
  numberOfQueuedThings: 0,
  numberOfInProgressThings: 0,
  numberOfRemovedThings: 0,
  numberOfTimedOutThings: 0,
};

describe('DescribeJob', () => {
  it('shows the job of a completed update processing its targets, with the configs of the create request', async () => {
    const jobId = await release(paced);
    const created = await iot.send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' }));
    expect(await describeJob(jobId)).toEqual({
      jobArn: created.otaUpdateInfo?.awsIotJobArn,
      jobId: 'AFR_OTA-fw-1',
      targetSelection: 'SNAPSHOT',
      status: 'IN_PROGRESS',
      forceCanceled: false,
      targets: [THING_GROUP],
      description: 'Release v1.2.0',
      jobExecutionsRolloutConfig: { maximumPerMinute: 2 },
      abortConfig: { criteriaList: paced.awsJobAbortConfig.abortCriteriaList },
      timeoutConfig: { inProgressTimeoutInMinutes: 5 },
      createdAt: new Date(T0),
      lastUpdatedAt: new Date(T0),
      jobProcessDetails: { processingTargets: [THING_GROUP], ...zeroCounts },
    });
  });

  it('counts the executions as devices progress, and completes with completedAt', async () => {
    const jobId = await release(paced);
    at(60);
    expect((await describeJob(jobId)).jobProcessDetails).toEqual({
      ...zeroCounts,
      numberOfQueuedThings: 3,
      numberOfInProgressThings: 2,
    });
    at(1000);
    const done = await describeJob(jobId);
    expect([done.status, done.completedAt, done.lastUpdatedAt, done.jobProcessDetails]).toEqual([
      'COMPLETED',
      new Date(T0 + 440_000),
      new Date(T0 + 440_000),
      { ...zeroCounts, numberOfSucceededThings: 3, numberOfFailedThings: 1, numberOfTimedOutThings: 1 },
    ]);
  });
});

describe('ListJobExecutionsForJob', () => {
  const list = (
    jobId: string,
    input: { status?: JobExecutionStatus; maxResults?: number; nextToken?: string },
  ) => iot.send(new ListJobExecutionsForJobCommand({ jobId, ...input }));

  it('pages with maxResults and nextToken in queue order', async () => {
    const jobId = await release(paced);
    at(1000);
    const pages: string[][] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 5; page++) {
      const out = await list(jobId, { maxResults: 2, nextToken });
      pages.push((out.executionSummaries ?? []).map((s) => s.thingArn!));
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    expect(pages).toEqual(
      [THINGS.slice(0, 2), THINGS.slice(2, 4), THINGS.slice(4)].map((p) => p.map(thingArn)),
    );
  });

  it.each([
    ['FAILED', ['sensor-03']],
    ['TIMED_OUT', ['sensor-05']],
    ['SUCCEEDED', ['sensor-01', 'sensor-02', 'sensor-04']],
    ['QUEUED', []],
  ] as const)('filters by status %s', async (status, things) => {
    const jobId = await release(paced);
    at(1000);
    const out = await list(jobId, { status, maxResults: 2 });
    const all = [...(out.executionSummaries ?? [])];
    if (out.nextToken)
      all.push(...((await list(jobId, { status, nextToken: out.nextToken })).executionSummaries ?? []));
    expect(all.map((s) => s.thingArn)).toEqual(things.map(thingArn));
  });

  it('summarizes each execution', async () => {
    const jobId = await release(paced);
    at(1000);
    const out = await list(jobId, { status: 'FAILED' });
    expect(out).toMatchObject({
      executionSummaries: [
        {
          thingArn: thingArn('sensor-03'),
          jobExecutionSummary: {
            status: 'FAILED',
            queuedAt: new Date(T0 + 10_000),
            startedAt: new Date(T0 + 80_000),
            lastUpdatedAt: new Date(T0 + 200_000),
            executionNumber: 1,
            retryAttempt: 0,
          },
        },
      ],
    });
    expect(out.nextToken).toBeUndefined();
  });
});

describe('DescribeJobExecution', () => {
  const describeExecution = (thingName: string, jobId = 'AFR_OTA-fw-1', executionNumber?: number) =>
    iot.send(new DescribeJobExecutionCommand({ jobId, thingName, executionNumber }));

  it('shows a failed device with the reason its agent wrote', async () => {
    await release(paced);
    at(1000);
    expect((await describeExecution('sensor-03')).execution).toEqual({
      jobId: 'AFR_OTA-fw-1',
      status: 'FAILED',
      forceCanceled: false,
      statusDetails: { detailsMap: { reason: '0x01000000: 0xfffffffe' } },
      thingArn: thingArn('sensor-03'),
      queuedAt: new Date(T0 + 10_000),
      startedAt: new Date(T0 + 80_000),
      lastUpdatedAt: new Date(T0 + 200_000),
      executionNumber: 1,
      versionNumber: 3,
    });
  });

  it('says how long an IN_PROGRESS device has before it times out', async () => {
    await release(paced);
    at(200);
    expect((await describeExecution('sensor-05')).execution).toMatchObject({
      status: 'IN_PROGRESS',
      startedAt: new Date(T0 + 140_000),
      approximateSecondsBeforeTimedOut: 240,
    });
  });

  it.each([
    ['a thing the job does not target', 'stranger', 'AFR_OTA-fw-1', undefined],
    ['another execution number', 'sensor-01', 'AFR_OTA-fw-1', 2],
    ['a job that does not exist', 'sensor-01', 'AFR_OTA-nope', undefined],
  ])('answers 404 ResourceNotFoundException for %s', async (_what, thing, jobId, number) => {
    await release(paced);
    const error = await failure(describeExecution(thing, jobId, number));
    expect([error.name, error.message]).toEqual([
      'ResourceNotFoundException',
      `No job execution of job ${jobId} exists on thing ${thing}`,
    ]);
  });
});

describe('CancelJob', () => {
  const cancel = (jobId: string, force?: boolean) =>
    iot.send(new CancelJobCommand({ jobId, force, reasonCode: 'ROLLOUT_FAILED', comment: 'canary failed' }));

  it('cancels without force, refuses to again, force-cancels once, then refuses', async () => {
    const jobId = await release(paced);
    at(60);
    expect(await cancel(jobId)).toMatchObject({
      jobArn: emulator.jobs.get(jobId)?.jobArn,
      jobId,
      description: 'Release v1.2.0',
    });
    const canceled = await describeJob(jobId);
    expect([canceled.status, canceled.forceCanceled, canceled.reasonCode, canceled.comment]).toEqual([
      'CANCELED',
      false,
      'ROLLOUT_FAILED',
      'canary failed',
    ]);
    expect(canceled.jobProcessDetails).toEqual({
      ...zeroCounts,
      numberOfInProgressThings: 2,
      numberOfCanceledThings: 3,
    });
    const again = await failure(cancel(jobId, false));
    expect([
      again.name,
      again.message,
      (again.$metadata as { httpStatusCode: number }).httpStatusCode,
    ]).toEqual(['InvalidRequestException', 'Job AFR_OTA-fw-1 cannot be canceled in status CANCELED', 400]);
    await cancel(jobId, true);
    const forced = await describeJob(jobId);
    expect([forced.forceCanceled, forced.jobProcessDetails?.numberOfCanceledThings]).toEqual([true, 5]);
    expect((await failure(cancel(jobId, true))).name).toBe('InvalidRequestException');
    expect(
      emulator.requests.filter((r) => r.operation === 'CancelJob').map((r) => [r.query, r.status]),
    ).toEqual([
      [{}, 200],
      [{ force: 'false' }, 400],
      [{ force: 'true' }, 200],
      [{ force: 'true' }, 400],
    ]);
    expect(JSON.parse(emulator.requests.find((r) => r.operation === 'CancelJob')!.bodyText!)).toEqual({
      reasonCode: 'ROLLOUT_FAILED',
      comment: 'canary failed',
    });
  });

  it.each([false, true])('refuses a COMPLETED job (force %s)', async (force) => {
    const jobId = await release({ targets: [thingArn('sensor-01')] });
    at(140);
    expect((await describeJob(jobId)).status).toBe('COMPLETED');
    const error = await failure(cancel(jobId, force));
    expect([error.name, error.message]).toEqual([
      'InvalidRequestException',
      'Job AFR_OTA-fw-1 cannot be canceled in status COMPLETED',
    ]);
  });
});

import {
  CancelJobCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  IoTClient,
  ListJobExecutionsForJobCommand,
} from '@aws-sdk/client-iot';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  cancelComment,
  cancelJob,
  describeJob,
  failedDevices,
  listFailedExecutions,
} from '../../../src/aws/jobs.js';
import { ActionError } from '../../../src/errors.js';
import { awsError } from './fixtures.js';

const iotMock = mockClient(IoTClient);
const iot = new IoTClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const JOB = 'AFR_OTA-fw-1';
const arn = (thing: string) => `arn:aws:iot:eu-west-1:123456789012:thing/${thing}`;
const signal = new AbortController().signal;

beforeEach(() => iotMock.reset());

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof ActionError) return error;
  throw new Error(`expected an ActionError, got ${String(error)}`);
}

/** The options of each send call: the abort signal the call was bounded by. */
function signalsOf(calls: { args: unknown[] }[]): unknown[] {
  return calls.map((c) => (c.args[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal);
}

describe('describeJob', () => {
  it('reads the job, its counts and its state, bounded by the signal', async () => {
    iotMock.on(DescribeJobCommand).resolves({
      job: {
        jobId: JOB,
        jobArn: `arn:aws:iot:eu-west-1:123456789012:job/${JOB}`,
        status: 'CANCELED',
        targetSelection: 'CONTINUOUS',
        forceCanceled: false,
        reasonCode: 'FAILURE_THRESHOLD',
        comment: 'abort config',
        jobProcessDetails: {
          processingTargets: ['arn:aws:iot:eu-west-1:123456789012:thinggroup/fleet'],
          numberOfQueuedThings: 1,
          numberOfInProgressThings: 2,
          numberOfSucceededThings: 3,
          numberOfFailedThings: 4,
          numberOfRejectedThings: 5,
          numberOfTimedOutThings: 6,
          numberOfCanceledThings: 7,
          numberOfRemovedThings: 8,
        },
      },
    });
    await expect(describeJob(iot, JOB, signal)).resolves.toEqual({
      jobId: JOB,
      jobArn: `arn:aws:iot:eu-west-1:123456789012:job/${JOB}`,
      status: 'CANCELED',
      targetSelection: 'CONTINUOUS',
      processingTargets: ['arn:aws:iot:eu-west-1:123456789012:thinggroup/fleet'],
      counts: {
        queued: 1,
        inProgress: 2,
        succeeded: 3,
        failed: 4,
        rejected: 5,
        timedOut: 6,
        canceled: 7,
        removed: 8,
      },
      reasonCode: 'FAILURE_THRESHOLD',
      comment: 'abort config',
      forceCanceled: false,
    });
    const calls = iotMock.commandCalls(DescribeJobCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([{ jobId: JOB }]);
    expect(signalsOf(calls)).toEqual([signal]);
  });

  it('reads absent counts as 0, null processingTargets as none, and no selection as SNAPSHOT', async () => {
    iotMock.on(DescribeJobCommand).resolves({ job: { jobId: JOB, status: 'IN_PROGRESS' } });
    const job = await describeJob(iot, JOB, signal);
    expect(job).toMatchObject({ targetSelection: 'SNAPSHOT', processingTargets: [], forceCanceled: false });
    expect(Object.values(job.counts)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('turns a failure into the ActionError the step reports', async () => {
    iotMock.on(DescribeJobCommand).rejects(awsError('ResourceNotFoundException', 404, 'Job not found'));
    const error = await rejection(describeJob(iot, JOB, signal));
    expect([error.code, error.message]).toEqual([
      'ResourceNotFoundException',
      `Reading IoT job ${JOB} failed with ResourceNotFoundException: Job not found`,
    ]);
  });

  it('fails UnexpectedResponse when the answer has no job', async () => {
    iotMock.on(DescribeJobCommand).resolves({});
    expect((await rejection(describeJob(iot, JOB, signal))).code).toBe('UnexpectedResponse');
  });

  it('rejects at once when the signal fires during the call, even if the call never ends', async () => {
    iotMock.on(DescribeJobCommand).callsFake(() => new Promise(() => undefined));
    const controller = new AbortController();
    const pending = describeJob(iot, JOB, controller.signal);
    const reason = new ActionError('Canceled', 'The step was canceled (SIGINT).');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('sends nothing once the signal has fired', async () => {
    const controller = new AbortController();
    const reason = new Error('deadline');
    controller.abort(reason);
    await expect(describeJob(iot, JOB, controller.signal)).rejects.toBe(reason);
    expect(iotMock.commandCalls(DescribeJobCommand)).toHaveLength(0);
  });
});

describe('listFailedExecutions', () => {
  it('pages through FAILED, TIMED_OUT and REJECTED, asking only for what is still needed', async () => {
    iotMock
      .on(ListJobExecutionsForJobCommand, { status: 'FAILED', nextToken: undefined })
      .resolves({ executionSummaries: [{ thingArn: arn('a') }, { thingArn: arn('b') }], nextToken: 'p2' });
    iotMock
      .on(ListJobExecutionsForJobCommand, { status: 'FAILED', nextToken: 'p2' })
      .resolves({ executionSummaries: [{ thingArn: arn('c') }] });
    iotMock
      .on(ListJobExecutionsForJobCommand, { status: 'TIMED_OUT' })
      .resolves({ executionSummaries: [{ thingArn: arn('d') }, { thingArn: arn('e') }], nextToken: 'more' });
    const found = await listFailedExecutions(iot, JOB, ['FAILED', 'TIMED_OUT', 'REJECTED'], signal, 5);
    expect(found).toEqual([
      { thingArn: arn('a'), thingName: 'a', status: 'FAILED' },
      { thingArn: arn('b'), thingName: 'b', status: 'FAILED' },
      { thingArn: arn('c'), thingName: 'c', status: 'FAILED' },
      { thingArn: arn('d'), thingName: 'd', status: 'TIMED_OUT' },
      { thingArn: arn('e'), thingName: 'e', status: 'TIMED_OUT' },
    ]);
    const calls = iotMock.commandCalls(ListJobExecutionsForJobCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([
      { jobId: JOB, status: 'FAILED', maxResults: 5 },
      { jobId: JOB, status: 'FAILED', maxResults: 3, nextToken: 'p2' },
      { jobId: JOB, status: 'TIMED_OUT', maxResults: 2 },
    ]);
    expect(signalsOf(calls)).toEqual([signal, signal, signal]);
  });

  it('asks for at most 250 a page and 20 in all by default', async () => {
    iotMock.on(ListJobExecutionsForJobCommand).resolves({
      executionSummaries: Array.from({ length: 30 }, (_, i) => ({ thingArn: arn(`t${i}`) })),
      nextToken: 'more',
    });
    const found = await listFailedExecutions(iot, JOB, ['REJECTED'], signal);
    expect(found).toHaveLength(20);
    expect(iotMock.commandCalls(ListJobExecutionsForJobCommand).map((c) => c.args[0].input)).toEqual([
      { jobId: JOB, status: 'REJECTED', maxResults: 20 },
    ]);
    iotMock.reset();
    iotMock.on(ListJobExecutionsForJobCommand).resolves({ executionSummaries: [] });
    await listFailedExecutions(iot, JOB, ['FAILED'], signal, 1000);
    expect(iotMock.commandCalls(ListJobExecutionsForJobCommand)[0]?.args[0].input.maxResults).toBe(250);
  });

  it('names the status whose listing failed', async () => {
    iotMock.on(ListJobExecutionsForJobCommand).rejects(awsError('ThrottlingException', 400, 'Rate exceeded'));
    const error = await rejection(listFailedExecutions(iot, JOB, ['TIMED_OUT'], signal));
    expect(error.message).toBe(
      `Listing the TIMED_OUT executions of IoT job ${JOB} failed with ThrottlingException: Rate exceeded`,
    );
  });
});

describe('failedDevices', () => {
  it('describes each failed execution and keeps its statusDetails; a device that cannot be read stays listed', async () => {
    iotMock
      .on(ListJobExecutionsForJobCommand, { status: 'FAILED' })
      .resolves({ executionSummaries: [{ thingArn: arn('sensor-07') }, { thingArn: arn('sensor-09') }] });
    iotMock
      .on(ListJobExecutionsForJobCommand, { status: 'REJECTED' })
      .resolves({ executionSummaries: [{ thingArn: arn('gone') }] });
    iotMock
      .on(DescribeJobExecutionCommand, { thingName: 'sensor-07' })
      .resolves({
        execution: { status: 'FAILED', statusDetails: { detailsMap: { reason: '0x01000000: 0xfffffffe' } } },
      })
      .on(DescribeJobExecutionCommand, { thingName: 'sensor-09' })
      .resolves({ execution: { status: 'FAILED', statusDetails: { detailsMap: {} } } })
      .on(DescribeJobExecutionCommand, { thingName: 'gone' })
      .rejects(awsError('ResourceNotFoundException', 404, 'No such thing'));
    const devices = await failedDevices(iot, JOB, ['FAILED', 'REJECTED'], signal);
    expect(devices).toEqual([
      {
        thingName: 'sensor-07',
        thingArn: arn('sensor-07'),
        status: 'FAILED',
        details: { reason: '0x01000000: 0xfffffffe' },
        detailsError: undefined,
      },
      {
        thingName: 'sensor-09',
        thingArn: arn('sensor-09'),
        status: 'FAILED',
        details: undefined,
        detailsError: undefined,
      },
      {
        thingName: 'gone',
        thingArn: arn('gone'),
        status: 'REJECTED',
        details: undefined,
        detailsError: `Reading the execution of IoT job ${JOB} on thing gone failed with ResourceNotFoundException: No such thing`,
      },
    ]);
    const calls = iotMock.commandCalls(DescribeJobExecutionCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([
      { jobId: JOB, thingName: 'sensor-07' },
      { jobId: JOB, thingName: 'sensor-09' },
      { jobId: JOB, thingName: 'gone' },
    ]);
    expect(signalsOf(calls)).toEqual([signal, signal, signal]);
  });

  it('stops when the signal fires', async () => {
    const controller = new AbortController();
    iotMock.on(ListJobExecutionsForJobCommand).resolves({ executionSummaries: [{ thingArn: arn('a') }] });
    const reason = new Error('deadline');
    iotMock.on(DescribeJobExecutionCommand).callsFake(() => {
      controller.abort(reason);
      return new Promise(() => undefined);
    });
    await expect(failedDevices(iot, JOB, ['FAILED'], controller.signal)).rejects.toBe(reason);
  });
});

describe('cancelJob', () => {
  it('cancels without force, with the reason code and comment', async () => {
    iotMock.on(CancelJobCommand).resolves({ jobId: JOB });
    await cancelJob(iot, JOB, { reasonCode: 'ROLLOUT_FAILED', comment: 'Canceled by the action.' }, signal);
    const calls = iotMock.commandCalls(CancelJobCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([
      { jobId: JOB, force: false, reasonCode: 'ROLLOUT_FAILED', comment: 'Canceled by the action.' },
    ]);
    expect(signalsOf(calls)).toEqual([signal]);
  });

  it.each(['rollout_failed', 'WITH SPACE', '', 'X'.repeat(129)])(
    'refuses a reason code outside [A-Z0-9_]{1,128} without calling AWS (it is a bug)',
    async (reasonCode) => {
      await expect(cancelJob(iot, JOB, { reasonCode, comment: 'c' }, signal)).rejects.toThrow(
        'does not match [A-Z0-9_]{1,128}',
      );
      expect(iotMock.commandCalls(CancelJobCommand)).toHaveLength(0);
    },
  );

  it('reports a refusal as an ActionError', async () => {
    iotMock.on(CancelJobCommand).rejects(awsError('InvalidRequestException', 400, 'Job is completed'));
    const error = await rejection(cancelJob(iot, JOB, { reasonCode: 'X', comment: 'c' }, signal));
    expect([error.code, error.message]).toEqual([
      'InvalidRequestException',
      `Canceling IoT job ${JOB} failed with InvalidRequestException: Job is completed`,
    ]);
  });
});

describe('cancelComment', () => {
  it.each([
    ['plain text', 'plain', 'plain'],
    ['control characters', 'two\nlines\t and a\u200btab', 'two lines and a tab'],
    ['3000 characters', 'x'.repeat(3000), 'x'.repeat(2028)],
    ['2100 emoji (cut between characters)', '😀'.repeat(2100), '😀'.repeat(2028)],
  ])('%s fit CancelJob', (_what, text, expected) => {
    const comment = cancelComment(text);
    expect(comment).toBe(expected);
    expect(comment).toMatch(/^[^\p{C}]+$/u);
  });
});

/**
 * The action's job-following code (src/aws/jobs.ts and followRollout) against moto_server's IoT jobs, a second,
 * independent server: things and a job are made there with the SDK's CreateJobCommand (moto has no OTA updates),
 * then the action's own calls read, list, describe and cancel it.
 *
 * What moto (5.2.1) implements of the path, checked against its source and its answers:
 * - DescribeJob: the job, its targets, reasonCode, comment and forceCanceled. But its status starts QUEUED (not a
 *   JobStatus of the API; IoT says IN_PROGRESS), processingTargets keeps every target forever and
 *   numberOfQueuedThings is always 1, so a job on moto never leaves the "counts not final" state.
 * - ListJobExecutionsForJob with the status filter and nextToken paging; one execution per target ARN (a thing
 *   group target is not expanded into its things).
 * - DescribeJobExecution, with an empty statusDetails.detailsMap; 404 ResourceNotFoundException for a thing that
 *   has no execution.
 * - CancelJob sets CANCELED, reasonCode and comment, not forced.
 * What it does not: no device ever moves (moto has no IoT Jobs data plane, UpdateJobExecution), so no execution
 * succeeds, fails, is rejected or times out, and green or red by failure share cannot be reached there; CancelJob
 * leaves the queued executions QUEUED and numberOfCanceledThings 0; CancelJob of an unknown job answers 500 with
 * an HTML page. Those assertions are left out below, each with a comment.
 */
import {
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  IoTClient,
  ListJobExecutionsForJobCommand,
} from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelJob,
  describeExecutionDetails,
  describeJob,
  failedDevices,
  FAILURE_STATUSES,
} from '../../src/aws/jobs.js';
import { ActionError } from '../../src/errors.js';
import { judge } from '../../src/plan/verdict.js';
import { realClock } from '../../src/runner/dependencies.js';
import type { RolloutSchedule } from '../../src/stages/context.js';
import { followRollout } from '../../src/stages/rollout.js';
import { findTool, startMotoServer, type MotoServer } from './tools.js';

const motoServer = findTool('moto_server', 'the moto IoT jobs conformance suite');
const PREFIX = 'arn:aws:iot:us-east-1:123456789012';
const THINGS = ['sensor-01', 'sensor-02', 'sensor-03'];
const signal = () => AbortSignal.timeout(5000);
/** The rollout schedule scaled down: polls 20 ms apart, backing off to 80 ms. */
const SCHEDULE: RolloutSchedule = {
  firstDelayMs: 20,
  factor: 2,
  maxDelayMs: 80,
  progressEveryMs: 1000,
  wrapUpMs: 2000,
};

function quietLog() {
  const lines: string[] = [];
  return { lines, info: (m: string) => lines.push(m), warning: (m: string) => lines.push(`warning: ${m}`) };
}

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof ActionError) return error;
  throw new Error(`expected an ActionError, got ${String(error)}`);
}

describe.skipIf(!motoServer)('the job-following calls against moto_server', () => {
  let moto: MotoServer | undefined;
  let iot: IoTClient;

  async function createJob(jobId: string, targets: string[]): Promise<void> {
    await iot.send(new CreateJobCommand({ jobId, targets, document: '{}', targetSelection: 'SNAPSHOT' }));
  }

  beforeAll(async () => {
    const server = await startMotoServer(motoServer!);
    moto = server;
    iot = new IoTClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'AKIAMOTOEXAMPLE', secretAccessKey: 'moto' },
      maxAttempts: 1,
    });
    for (const thingName of THINGS) await iot.send(new CreateThingCommand({ thingName }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'field-fleet' }));
  }, 30_000);

  afterAll(async () => {
    iot?.destroy();
    await moto?.stop();
  });

  it('describeJob reads the job as the verdict needs it; the counts are not final, so the verdict waits', async () => {
    await createJob(
      'AFR_OTA-describe',
      THINGS.map((t) => `${PREFIX}:thing/${t}`),
    );
    const job = await describeJob(iot, 'AFR_OTA-describe', signal());
    expect(job).toMatchObject({
      jobId: 'AFR_OTA-describe',
      jobArn: `${PREFIX}:job/AFR_OTA-describe`,
      targetSelection: 'SNAPSHOT',
      reasonCode: undefined,
      comment: undefined,
      forceCanceled: false,
    });
    expect(job.counts).toMatchObject({ succeeded: 0, failed: 0, rejected: 0, timedOut: 0, canceled: 0 });
    // moto: status QUEUED where IoT says IN_PROGRESS, and numberOfQueuedThings is 1 whatever the targets, so the
    // status and the queued count are not asserted.
    expect(job.processingTargets).toHaveLength(3);
    expect(judge(job, 100)).toMatchObject({ kind: 'pending' });
  });

  it('the failed devices: an empty list when nothing failed; an execution without statusDetails has none', async () => {
    await createJob('AFR_OTA-devices', [`${PREFIX}:thing/sensor-01`, `${PREFIX}:thinggroup/field-fleet`]);
    // moto cannot make an execution FAILED, TIMED_OUT or REJECTED (no UpdateJobExecution), so the listing is only
    // tested on empty answers; the emulator's and the AWS CLI's suites cover listed devices.
    expect(await failedDevices(iot, 'AFR_OTA-devices', FAILURE_STATUSES, signal())).toEqual([]);
    expect(await describeExecutionDetails(iot, 'AFR_OTA-devices', 'sensor-01', signal())).toBeUndefined();
    const missing = await rejection(describeExecutionDetails(iot, 'AFR_OTA-devices', 'sensor-09', signal()));
    expect(missing.code).toBe('ResourceNotFoundException');
  });

  it('ListJobExecutionsForJob pages with nextToken and filters by status, as listFailedExecutions reads it', async () => {
    await createJob(
      'AFR_OTA-paging',
      THINGS.map((t) => `${PREFIX}:thing/${t}`),
    );
    const first = await iot.send(
      new ListJobExecutionsForJobCommand({ jobId: 'AFR_OTA-paging', status: 'QUEUED', maxResults: 2 }),
    );
    expect(first.executionSummaries?.map((s) => s.thingArn)).toEqual([
      `${PREFIX}:thing/sensor-01`,
      `${PREFIX}:thing/sensor-02`,
    ]);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await iot.send(
      new ListJobExecutionsForJobCommand({
        jobId: 'AFR_OTA-paging',
        status: 'QUEUED',
        maxResults: 2,
        nextToken: first.nextToken,
      }),
    );
    expect(second.executionSummaries?.map((s) => s.thingArn)).toEqual([`${PREFIX}:thing/sensor-03`]);
    expect(second.nextToken).toBeUndefined();
  });

  it('cancelJob cancels without force, with the reason code and comment DescribeJob then shows', async () => {
    await createJob('AFR_OTA-cancel', [`${PREFIX}:thing/sensor-01`]);
    await cancelJob(
      iot,
      'AFR_OTA-cancel',
      { reasonCode: 'ROLLOUT_FAILED', comment: 'Canceled by\naws-iot-ota-update-action' },
      signal(),
    );
    const job = await describeJob(iot, 'AFR_OTA-cancel', signal());
    expect(job).toMatchObject({
      status: 'CANCELED',
      reasonCode: 'ROLLOUT_FAILED',
      comment: 'Canceled by aws-iot-ota-update-action',
      forceCanceled: false,
    });
    // moto leaves the queued execution QUEUED and numberOfCanceledThings 0 (IoT cancels it): not asserted.
    expect(judge(job, 100)).toMatchObject({ kind: 'red', code: 'RolloutCanceled' });
  });

  it('followRollout: no verdict on moto (its counts are never final), so a timeout; cancel-on-failure cancels', async () => {
    await createJob('AFR_OTA-follow', [`${PREFIX}:thing/sensor-02`]);
    const log = quietLog();
    const options = {
      jobId: 'AFR_OTA-follow',
      successPercentage: 100,
      cancelOnFailure: true,
      timeoutMs: 300,
      timeoutMinutes: 5,
      schedule: SCHEDULE,
      clock: realClock,
      log,
      runUrl: 'https://github.com/octo/firmware/actions/runs/1',
    };
    const timeout = await rejection(followRollout(iot, options));
    expect(timeout.code).toBe('RolloutTimeout');
    expect(timeout.message).toContain('had no rollout verdict within 5 minutes');
    expect(timeout.message).toContain('The job was canceled (cancel-on-failure, not forced)');
    expect(log.lines).toContain(
      'rollout: canceled IoT job AFR_OTA-follow (ROLLOUT_TIMEOUT, not forced): queued devices will not start it.',
    );

    // Following it again reads moto's canceled job: RolloutCanceled, with the action's own reason and comment.
    const canceled = await rejection(followRollout(iot, { ...options, timeoutMs: 2000 }));
    expect(canceled.code).toBe('RolloutCanceled');
    expect(canceled.message).toContain(
      'the job was canceled (reason code ROLLOUT_TIMEOUT, comment "Canceled by aws-iot-ota-update-action (cancel-on-failure, https://github.com/octo/firmware/actions/runs/1): no verdict within 5 minutes.")',
    );
    // A canceled job is not the action's to cancel again.
    expect(log.lines.filter((line) => line.startsWith('rollout: canceled IoT job'))).toHaveLength(1);
  });

  it('an unknown job: DescribeJob answers ResourceNotFoundException, which the action names', async () => {
    const error = await rejection(describeJob(iot, 'AFR_OTA-nope', signal()));
    expect(error.code).toBe('ResourceNotFoundException');
    expect(error.message).toContain('AFR_OTA-nope');
    // moto answers CancelJob of an unknown job with a 500 HTML page (IoT: 404 ResourceNotFoundException): not
    // asserted.
  });
});

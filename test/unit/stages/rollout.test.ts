import type { RolloutSchedule } from '../../../src/stages/context.js';
import {
  CancelJobCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  IoTClient,
  ListJobExecutionsForJobCommand,
  type DescribeJobResponse,
  type JobProcessDetails,
  type JobStatus,
} from '@aws-sdk/client-iot';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ActionError } from '../../../src/errors.js';
import { followRollout, type RolloutOptions, type RolloutRecord } from '../../../src/stages/rollout.js';
import type { Clock } from '../../../src/types.js';
import { awsError } from '../aws/fixtures.js';

const iotMock = mockClient(IoTClient);
const iot = new IoTClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const JOB = 'AFR_OTA-fw-1';
const arn = (thing: string) => `arn:aws:iot:eu-west-1:123456789012:thing/${thing}`;
const SCHEDULE: RolloutSchedule = {
  firstDelayMs: 5_000,
  factor: 1.5,
  maxDelayMs: 30_000,
  progressEveryMs: 60_000,
  wrapUpMs: 60_000,
};

beforeEach(() => iotMock.reset());

/** A clock whose sleep advances time at once and records each delay. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

function recordingLog() {
  const lines: string[] = [];
  return {
    lines,
    info: (m: string) => lines.push(`info: ${m}`),
    warning: (m: string) => lines.push(`warning: ${m}`),
  };
}

function reply(
  status: JobStatus,
  d: JobProcessDetails,
  extra: Partial<NonNullable<DescribeJobResponse['job']>> = {},
): DescribeJobResponse {
  return { job: { jobId: JOB, status, targetSelection: 'SNAPSHOT', jobProcessDetails: d, ...extra } };
}

const processing = reply('IN_PROGRESS', { processingTargets: ['arn:aws:iot:eu-west-1:1:thinggroup/fleet'] });
const queued = reply('IN_PROGRESS', { numberOfQueuedThings: 10 });
const partly = reply('IN_PROGRESS', { numberOfQueuedThings: 6, numberOfSucceededThings: 4 });
const done = reply('COMPLETED', { numberOfSucceededThings: 10 });
const oneFailed = reply('IN_PROGRESS', {
  numberOfSucceededThings: 4,
  numberOfFailedThings: 1,
  numberOfQueuedThings: 5,
});

function setup(partial: Partial<RolloutOptions> = {}) {
  const clock = fakeClock();
  const log = recordingLog();
  const records: RolloutRecord[] = [];
  const options: RolloutOptions = {
    jobId: JOB,
    successPercentage: 100,
    cancelOnFailure: false,
    timeoutMs: 60 * 60_000,
    schedule: SCHEDULE,
    clock,
    log,
    onRecord: (r) => records.push(r),
    ...partial,
  };
  return { clock, log, records, options };
}

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof ActionError) return error;
  throw new Error(`expected an ActionError, got ${String(error)}`);
}

function failedDevicesAnswer(details: Record<string, string> = { reason: '0x01000000: 0xfffffffe' }) {
  iotMock
    .on(ListJobExecutionsForJobCommand, { status: 'FAILED' })
    .resolves({ executionSummaries: [{ thingArn: arn('sensor-07') }] });
  iotMock
    .on(DescribeJobExecutionCommand)
    .resolves({ execution: { status: 'FAILED', statusDetails: { detailsMap: details } } });
}

describe('followRollout: green', () => {
  it('polls a few seconds after the start, backs off to 30 s, logs progress and returns the record', async () => {
    iotMock
      .on(DescribeJobCommand)
      .resolvesOnce(processing)
      .resolvesOnce(queued)
      .resolvesOnce(queued)
      .resolvesOnce(partly)
      .resolvesOnce(partly)
      .resolvesOnce(partly)
      .resolves(done);
    const { clock, log, records, options } = setup();
    const record = await followRollout(iot, options);
    expect(clock.slept).toEqual([5_000, 7_500, 11_250, 16_875, 25_312.5, 30_000, 30_000]);
    expect(iotMock.commandCalls(DescribeJobCommand).map((c) => c.args[0].input)).toEqual(
      Array.from({ length: 7 }, () => ({ jobId: JOB })),
    );
    expect(log.lines).toEqual([
      'info: rollout: 0/0 succeeded, 0 failed, 0 pending (IN_PROGRESS; IoT is still processing the targets)',
      'info: rollout: 0/10 succeeded, 0 failed, 10 pending (IN_PROGRESS)',
      'info: rollout: 4/10 succeeded, 0 failed, 6 pending (IN_PROGRESS)',
      // Unchanged, but waiting for the next poll would leave more than a minute without a line.
      'info: rollout: 4/10 succeeded, 0 failed, 6 pending (IN_PROGRESS)',
      'info: rollout: 10/10 succeeded, 0 failed, 0 pending (COMPLETED)',
      'info: rollout: green: 10 of 10 succeeded (10 required, 100 %)',
    ]);
    expect(record).toEqual({
      jobId: JOB,
      successPercentage: 100,
      job: expect.objectContaining({ status: 'COMPLETED' }),
      tally: { total: 10, succeeded: 10, failed: 0, canceled: 0, pending: 0 },
      verdict: { kind: 'green', required: 10, notes: [] },
      failedDevices: [],
      cancel: undefined,
      timedOut: false,
    });
    expect(records).toHaveLength(7);
    expect(records[0]?.verdict?.kind).toBe('pending');
    expect(records.at(-1)).toEqual(record);
    expect(iotMock.commandCalls(ListJobExecutionsForJobCommand)).toHaveLength(0);
  });

  it('prints an unchanged state at least once a minute, and not at every poll', async () => {
    iotMock.on(DescribeJobCommand).resolves(partly);
    const { clock, options } = setup({ timeoutMs: 10 * 60_000 });
    const at: number[] = [];
    options.log = { info: () => at.push(clock.now()), warning: () => undefined };
    await rejection(followRollout(iot, options));
    const polls = iotMock.commandCalls(DescribeJobCommand).length;
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000);
    expect(at.length).toBeLessThan(polls);
    expect(at.length).toBeGreaterThanOrEqual(9);
  });

  it('green with failures it allows: lists the failed devices for the summary and logs the notes', async () => {
    iotMock
      .on(DescribeJobCommand)
      .resolves(
        reply(
          'IN_PROGRESS',
          { numberOfSucceededThings: 9, numberOfFailedThings: 1 },
          { targetSelection: 'CONTINUOUS' },
        ),
      );
    failedDevicesAnswer();
    const { log, options } = setup({ successPercentage: 90 });
    const record = await followRollout(iot, options);
    expect(record.failedDevices.map((d) => d.thingName)).toEqual(['sensor-07']);
    expect(log.lines.slice(1)).toEqual([
      'info: rollout: failed device sensor-07 (FAILED: reason=0x01000000: 0xfffffffe)',
      'info: rollout: green: 9 of 10 succeeded (9 required, 90 %)',
      'info: Of 10 things, 1 failed: within the 1 the success share allows.',
      'info: The job is CONTINUOUS: it keeps running, and things that join the target groups later get the update too.',
    ]);
  });

  it('logs a throttled poll and tries again at the next one', async () => {
    iotMock
      .on(DescribeJobCommand)
      .rejectsOnce(awsError('ThrottlingException', 400, 'Rate exceeded'))
      .rejectsOnce(awsError('ServiceUnavailableException', 503, 'Try later'))
      .resolves(done);
    const { clock, log, options } = setup();
    await followRollout(iot, options);
    expect(clock.slept).toEqual([5_000, 7_500, 11_250]);
    expect(log.lines.slice(0, 2)).toEqual([
      `warning: rollout: Reading IoT job ${JOB} failed with ThrottlingException: Rate exceeded; trying again at the next poll.`,
      `warning: rollout: Reading IoT job ${JOB} failed with ServiceUnavailableException: Try later; trying again at the next poll.`,
    ]);
  });
});

describe('followRollout: red', () => {
  it('RolloutFailed as soon as the share cannot be reached, naming the failed devices', async () => {
    iotMock.on(DescribeJobCommand).resolvesOnce(partly).resolves(oneFailed);
    failedDevicesAnswer();
    const { records, options } = setup();
    const error = await rejection(followRollout(iot, options));
    expect(error.code).toBe('RolloutFailed');
    expect(error.message).toBe(
      `The rollout of IoT job ${JOB} failed: of 10 things, 1 failed, so at most 9 can still succeed and 10 (100 %) must. Failed devices: sensor-07 (FAILED: reason=0x01000000: 0xfffffffe).`,
    );
    expect(error.hint).toBe(
      "Look at the failed devices' statusDetails (FreeRTOS writes its reason code there) in the job summary or the AWS IoT console, fix the firmware or the devices, then ship a new release. The job continues in AWS IoT; cancel-on-failure: true would cancel it so queued devices stop.",
    );
    expect(iotMock.commandCalls(CancelJobCommand)).toHaveLength(0);
    expect(iotMock.commandCalls(DescribeJobCommand)).toHaveLength(2);
    expect(records.at(-1)).toMatchObject({
      verdict: { kind: 'red', code: 'RolloutFailed' },
      tally: { total: 10, succeeded: 4, failed: 1, canceled: 0, pending: 5 },
      failedDevices: [{ thingName: 'sensor-07', details: { reason: '0x01000000: 0xfffffffe' } }],
      timedOut: false,
    });
  });

  it('cancel-on-failure cancels an in-progress job without force, saying why, and keeps the verdict', async () => {
    iotMock.on(DescribeJobCommand).resolves(oneFailed);
    iotMock.on(CancelJobCommand).resolves({ jobId: JOB });
    failedDevicesAnswer();
    const { log, records, options } = setup({
      cancelOnFailure: true,
      runUrl: 'https://github.com/acme/fw/actions/runs/42',
    });
    const error = await rejection(followRollout(iot, options));
    expect(error.code).toBe('RolloutFailed');
    expect(error.hint).toContain(
      'The job was canceled (cancel-on-failure, not forced): queued devices will not start it; those in progress finish.',
    );
    expect(iotMock.commandCalls(CancelJobCommand).map((c) => c.args[0].input)).toEqual([
      {
        jobId: JOB,
        force: false,
        reasonCode: 'ROLLOUT_FAILED',
        comment:
          'Canceled by aws-iot-ota-update-action (cancel-on-failure, https://github.com/acme/fw/actions/runs/42): of 10 things, 1 failed, so at most 9 can still succeed and 10 (100 %) must.',
      },
    ]);
    expect(log.lines).toContain(
      `info: rollout: canceled IoT job ${JOB} (ROLLOUT_FAILED, not forced): queued devices will not start it.`,
    );
    expect(records.at(-1)?.cancel).toEqual({ kind: 'canceled', reasonCode: 'ROLLOUT_FAILED' });
  });

  it('cancel-on-failure leaves a COMPLETED job alone and says so', async () => {
    iotMock
      .on(DescribeJobCommand)
      .resolves(reply('COMPLETED', { numberOfSucceededThings: 9, numberOfFailedThings: 1 }));
    failedDevicesAnswer();
    const { log, records, options } = setup({ cancelOnFailure: true });
    const error = await rejection(followRollout(iot, options));
    expect(error.code).toBe('RolloutFailed');
    expect(iotMock.commandCalls(CancelJobCommand)).toHaveLength(0);
    expect(log.lines).toContain(
      `info: rollout: IoT job ${JOB} is already COMPLETED: cancel-on-failure leaves it alone.`,
    );
    expect(error.hint).toContain(
      'The job had already ended (COMPLETED), so cancel-on-failure left it alone.',
    );
    expect(records.at(-1)?.cancel).toEqual({ kind: 'left-alone', status: 'COMPLETED' });
  });

  it('a failing CancelJob is a warning: the verdict keeps its code', async () => {
    iotMock.on(DescribeJobCommand).resolves(oneFailed);
    iotMock.on(CancelJobCommand).rejects(awsError('AccessDeniedException', 403, 'not authorized'));
    failedDevicesAnswer();
    const { log, records, options } = setup({ cancelOnFailure: true });
    const error = await rejection(followRollout(iot, options));
    expect(error.code).toBe('RolloutFailed');
    const message = `Canceling IoT job ${JOB} failed with AccessDeniedException: not authorized`;
    expect(log.lines).toContain(`warning: rollout: could not cancel IoT job ${JOB}: ${message}`);
    expect(error.hint).toContain(
      `Canceling it failed (${message}): cancel IoT job ${JOB} in the AWS IoT console so queued devices stop.`,
    );
    expect(records.at(-1)?.cancel).toEqual({ kind: 'failed', message });
  });

  it('RolloutCanceled when the abort config canceled the job, with its reason code and comment; never cancels', async () => {
    iotMock
      .on(DescribeJobCommand)
      .resolves(
        reply(
          'CANCELED',
          { numberOfSucceededThings: 2, numberOfFailedThings: 3, numberOfCanceledThings: 5 },
          { reasonCode: 'FAILURE_THRESHOLD', comment: 'abort config\n::error::x' },
        ),
      );
    failedDevicesAnswer();
    const { options } = setup({ cancelOnFailure: true });
    const error = await rejection(followRollout(iot, options));
    expect(error.code).toBe('RolloutCanceled');
    expect(error.message).toBe(
      `The rollout of IoT job ${JOB} was stopped: the job was canceled (reason code FAILURE_THRESHOLD, comment "abort config ::error::x") with 2 of 10 things succeeded; 10 (100 %) must succeed, which could no longer happen anyway (3 failed and 5 were canceled). Failed devices: sensor-07 (FAILED: reason=0x01000000: 0xfffffffe); and 2 more (the job summary lists the first 20).`,
    );
    expect(iotMock.commandCalls(CancelJobCommand)).toHaveLength(0);
  });

  it('a failure to list the failed devices is a warning; the verdict stands', async () => {
    iotMock.on(DescribeJobCommand).resolves(oneFailed);
    iotMock.on(ListJobExecutionsForJobCommand).rejects(awsError('AccessDeniedException', 403, 'denied'));
    const { log, options } = setup();
    const error = await rejection(followRollout(iot, options));
    expect(error.code).toBe('RolloutFailed');
    expect(error.message).toBe(
      `The rollout of IoT job ${JOB} failed: of 10 things, 1 failed, so at most 9 can still succeed and 10 (100 %) must.`,
    );
    expect(log.lines).toContain(
      `warning: rollout: could not list the failed devices: Listing the FAILED executions of IoT job ${JOB} failed with AccessDeniedException: denied`,
    );
  });

  it("never lets a device's statusDetails start a workflow command in the log", async () => {
    iotMock.on(DescribeJobCommand).resolves(oneFailed);
    failedDevicesAnswer({ reason: 'x\n::add-mask::secret ##[error]y' });
    const { log, options } = setup();
    await rejection(followRollout(iot, options));
    expect(log.lines).toContain(
      'info: rollout: failed device sensor-07 (FAILED: reason=x ::add-mask::secret # #[error]y)',
    );
    expect(log.lines.filter((l) => /##\[|\n/.test(l))).toEqual([]);
  });

  it('a permanent failure of DescribeJob ends the wait at once with its own error', async () => {
    iotMock.on(DescribeJobCommand).rejects(awsError('AccessDeniedException', 403, 'not authorized'));
    const { options } = setup();
    const error = await rejection(followRollout(iot, options));
    expect([error.code, error.message]).toEqual([
      'AccessDeniedException',
      `Reading IoT job ${JOB} failed with AccessDeniedException: not authorized`,
    ]);
    expect(iotMock.commandCalls(DescribeJobCommand)).toHaveLength(1);
  });
});

describe('followRollout: timeout', () => {
  it('RolloutTimeout with the last counts; no poll after the deadline; the job continues', async () => {
    iotMock.on(DescribeJobCommand).resolves(partly);
    const { clock, records, options } = setup({ timeoutMs: 2 * 60_000 });
    const error = await rejection(followRollout(iot, options));
    expect(error.code).toBe('RolloutTimeout');
    expect(error.message).toBe(
      `IoT job ${JOB} had no rollout verdict within 2 minutes (rollout-timeout-minutes); last counts 4/10 succeeded, 0 failed, 6 pending (IN_PROGRESS). The job continues in AWS IoT; cancel-on-failure: true would cancel it so queued devices stop.`,
    );
    expect(error.hint).toBe(
      'Devices that never connect stay QUEUED and keep a job IN_PROGRESS: check that they are online, raise rollout-timeout-minutes or lower rollout-success-percentage. Re-run the step to follow the same job again (if-exists: reuse finds the update).',
    );
    expect(clock.slept).toEqual([5_000, 7_500, 11_250, 16_875, 25_312.5, 30_000, 24_062.5]);
    expect(clock.now()).toBe(120_000);
    expect(iotMock.commandCalls(DescribeJobCommand)).toHaveLength(6);
    expect(records.at(-1)).toMatchObject({ timedOut: true, verdict: { kind: 'pending' } });
  });

  it('with cancel-on-failure, cancels the job at the deadline', async () => {
    iotMock.on(DescribeJobCommand).resolves(queued);
    iotMock.on(CancelJobCommand).resolves({});
    const { options } = setup({ timeoutMs: 60_000, cancelOnFailure: true });
    const error = await rejection(followRollout(iot, options));
    expect(error.code).toBe('RolloutTimeout');
    expect(error.message).toContain(
      'The job was canceled (cancel-on-failure, not forced): queued devices will not start it; those in progress finish.',
    );
    expect(iotMock.commandCalls(CancelJobCommand).map((c) => c.args[0].input)).toEqual([
      {
        jobId: JOB,
        force: false,
        reasonCode: 'ROLLOUT_TIMEOUT',
        comment: 'Canceled by aws-iot-ota-update-action (cancel-on-failure): no verdict within 1 minute.',
      },
    ]);
  });

  it('names rollout-timeout-minutes as given when the deadline is scaled (OTA_ACTION_TIME_SCALE)', async () => {
    iotMock.on(DescribeJobCommand).resolves(queued);
    iotMock.on(CancelJobCommand).resolves({});
    const { options } = setup({ timeoutMs: 600, timeoutMinutes: 1, cancelOnFailure: true });
    const error = await rejection(followRollout(iot, options));
    expect(error.message).toContain('had no rollout verdict within 1 minute (rollout-timeout-minutes)');
    expect(iotMock.commandCalls(CancelJobCommand)[0]?.args[0].input.comment).toBe(
      'Canceled by aws-iot-ota-update-action (cancel-on-failure): no verdict within 1 minute.',
    );
  });

  it('says why when every poll failed', async () => {
    iotMock.on(DescribeJobCommand).rejects(awsError('ThrottlingException', 400, 'Rate exceeded'));
    const { records, options } = setup({ timeoutMs: 60_000 });
    const error = await rejection(followRollout(iot, options));
    expect(error.message).toBe(
      `IoT job ${JOB} had no rollout verdict within 1 minute (rollout-timeout-minutes). The job continues in AWS IoT; cancel-on-failure: true would cancel it so queued devices stop. The last poll failed: Reading IoT job ${JOB} failed with ThrottlingException: Rate exceeded.`,
    );
    expect(records.at(-1)).toMatchObject({ job: undefined, timedOut: true });
  });

  it('aborts a call that is still running at the deadline', async () => {
    iotMock.on(DescribeJobCommand).callsFake(() => new Promise(() => undefined));
    const { options } = setup({ timeoutMs: 50, schedule: { ...SCHEDULE, firstDelayMs: 1 } });
    const started = Date.now();
    const error = await rejection(followRollout(iot, options));
    expect(error.code).toBe('RolloutTimeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('followRollout: the step is canceled', () => {
  it('stops at once during a sleep, says the rollout goes on, and never cancels the job', async () => {
    const controller = new AbortController();
    iotMock.on(DescribeJobCommand).resolves(oneFailed);
    const { options } = setup({
      signal: controller.signal,
      cancelOnFailure: true,
      successPercentage: 50,
      onRecord: () => controller.abort(new Error('SIGTERM')),
    });
    const error = await rejection(followRollout(iot, options));
    expect(error.code).toBe('Canceled');
    expect(error.message).toBe(
      `The step was canceled while it followed IoT job ${JOB} (4/10 succeeded, 1 failed, 5 pending (IN_PROGRESS)); the rollout goes on in AWS IoT.`,
    );
    expect(error.hint).toBe(
      'Follow it in the AWS IoT console. Re-run the step to follow the same job again (if-exists: reuse finds the update).',
    );
    expect(iotMock.commandCalls(DescribeJobCommand)).toHaveLength(1);
    expect(iotMock.commandCalls(CancelJobCommand)).toHaveLength(0);
  });

  it('stops at once during a call that would never end', async () => {
    const controller = new AbortController();
    iotMock.on(DescribeJobCommand).callsFake(() => {
      setTimeout(() => controller.abort(), 5);
      return new Promise(() => undefined);
    });
    const { options } = setup({ signal: controller.signal });
    const error = await rejection(followRollout(iot, options));
    expect(error.code).toBe('Canceled');
    expect(error.message).toBe(
      `The step was canceled while it followed IoT job ${JOB}; the rollout goes on in AWS IoT.`,
    );
  });
});

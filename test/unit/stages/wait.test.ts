import { GetOTAUpdateCommand, IoTClient, type OTAUpdateInfo } from '@aws-sdk/client-iot';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ActionError } from '../../../src/errors.js';
import { realClock } from '../../../src/runner/dependencies.js';
import type { StageContext } from '../../../src/stages/context.js';
import { waitForCreation, waitUntilDeleted, type WaitOptions } from '../../../src/stages/wait.js';
import { awsError } from '../aws/fixtures.js';
import { testContext } from './context.js';

const iotMock = mockClient(IoTClient);
beforeEach(() => iotMock.reset());

type Status = OTAUpdateInfo['otaUpdateStatus'] | 'GONE';

function info(status: Exclude<Status, 'GONE'>): OTAUpdateInfo {
  return {
    otaUpdateId: 'fw',
    otaUpdateArn: 'arn:aws:iot:us-east-1:1:otaupdate/fw',
    otaUpdateStatus: status,
    ...(status === 'CREATE_FAILED'
      ? { errorInfo: { code: 'AWSIotException', message: 'not authorized to perform: iam:PassRole' } }
      : {}),
  };
}

/** GetOTAUpdate answers these in turn, then the last one forever. */
function answers(...sequence: (Status | Error)[]): void {
  let i = 0;
  iotMock.on(GetOTAUpdateCommand).callsFake(async () => {
    const next = sequence[Math.min(i++, sequence.length - 1)];
    if (next instanceof Error) throw next;
    if (next === 'GONE' || next === undefined) throw awsError('ResourceNotFoundException', 404);
    return { otaUpdateInfo: info(next) };
  });
}

const options = (timeoutMs = 600_000): WaitOptions => ({
  otaUpdateId: 'fw',
  timeoutMs,
  what: 'OTA update fw',
});

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  const error: unknown = await promise.catch((e) => e);
  if (error instanceof ActionError) return error;
  throw new Error(`expected an ActionError, got ${String(error)}`);
}

describe('waitForCreation', () => {
  it('polls after a second, backs off to the cap, logs each new status and records what it saw', async () => {
    const ctx = testContext();
    answers(
      'CREATE_PENDING',
      'CREATE_IN_PROGRESS',
      'CREATE_IN_PROGRESS',
      'CREATE_IN_PROGRESS',
      'CREATE_COMPLETE',
    );
    const done = await waitForCreation(options(), ctx);
    expect(done.otaUpdateStatus).toBe('CREATE_COMPLETE');
    expect(ctx.clock.slept).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(ctx.recorded.log).toEqual([
      'info: OTA update fw: CREATE_PENDING',
      'info: OTA update fw: CREATE_IN_PROGRESS',
      'info: OTA update fw: CREATE_COMPLETE',
    ]);
    expect(ctx.recorded.updates.at(-1)?.otaUpdateStatus).toBe('CREATE_COMPLETE');
  });

  it('fails CREATE_FAILED with errorInfo and the PassRole hint, having recorded the update', async () => {
    const ctx = testContext();
    answers('CREATE_IN_PROGRESS', 'CREATE_FAILED');
    const error = await rejection(waitForCreation(options(), ctx));
    expect(error.code).toBe('CREATE_FAILED');
    expect(error.message).toBe(
      'OTA update fw ended CREATE_FAILED: AWSIotException: not authorized to perform: iam:PassRole',
    );
    expect(error.hint).toContain('iam:PassRole');
    expect(ctx.recorded.updates.at(-1)?.otaUpdateArn).toBe('arn:aws:iot:us-east-1:1:otaupdate/fw');
  });

  it('fails DELETE_FAILED when the update is deleted under us', async () => {
    answers('CREATE_PENDING', 'DELETE_FAILED');
    expect((await rejection(waitForCreation(options(), testContext()))).code).toBe('DELETE_FAILED');
  });

  it('times out with WaitTimeout, never sleeping past the deadline, and says the update goes on', async () => {
    const ctx = testContext();
    answers('CREATE_PENDING');
    const error = await rejection(waitForCreation(options(10_000), ctx));
    expect(error.code).toBe('WaitTimeout');
    expect(error.message).toBe('OTA update fw was not created within 10 s; its creation goes on in AWS IoT.');
    expect(ctx.clock.slept).toEqual([1000, 2000, 4000, 3000]);
    expect(ctx.clock.now()).toBe(10_000);
  });

  it('ends WaitTimeout on time when a GetOTAUpdate hangs', async () => {
    const ctx = testContext({ clock: realClock });
    ctx.timing = { ...ctx.timing, creationPoll: { firstDelayMs: 1, factor: 1, maxDelayMs: 1 } };
    iotMock.on(GetOTAUpdateCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    const error = await rejection(waitForCreation(options(300), ctx));
    expect(error.code).toBe('WaitTimeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops at once when the step is canceled, with the cancellation as the reason', async () => {
    const stop = new AbortController();
    const reason = new ActionError('Canceled', 'The step was canceled (SIGINT).');
    const ctx = testContext({ signal: stop.signal });
    iotMock.on(GetOTAUpdateCommand).callsFake(() => {
      stop.abort(reason);
      return new Promise(() => undefined);
    });
    await expect(waitForCreation(options(), ctx)).rejects.toBe(reason);
  });

  it('outlasts two failed polls in a row, warning about each', async () => {
    const ctx = testContext();
    answers(
      awsError('ServiceUnavailableException', 503),
      awsError('ThrottlingException', 400),
      'CREATE_COMPLETE',
    );
    await expect(waitForCreation(options(), ctx)).resolves.toMatchObject({
      otaUpdateStatus: 'CREATE_COMPLETE',
    });
    expect(ctx.recorded.log.filter((l) => l.startsWith('warning:'))).toHaveLength(2);
  });

  it('fails with the third failed poll in a row, and at once on a permanent failure', async () => {
    answers(
      awsError('ServiceUnavailableException', 503),
      awsError('ServiceUnavailableException', 503),
      awsError('ServiceUnavailableException', 503),
    );
    expect((await rejection(waitForCreation(options(), testContext()))).code).toBe(
      'ServiceUnavailableException',
    );
    expect(iotMock.commandCalls(GetOTAUpdateCommand)).toHaveLength(3);
    iotMock.reset();
    answers(awsError('AccessDeniedException', 403, 'denied'));
    expect((await rejection(waitForCreation(options(), testContext()))).code).toBe('AccessDeniedException');
    expect(iotMock.commandCalls(GetOTAUpdateCommand)).toHaveLength(1);
  });
});

describe('waitUntilDeleted', () => {
  const deletion = (ctx: StageContext, timeoutMs?: number) => waitUntilDeleted(options(timeoutMs), ctx);

  it('returns once the id is free', async () => {
    const ctx = testContext();
    answers('DELETE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'GONE');
    await deletion(ctx);
    expect(ctx.clock.slept).toEqual([1000, 2000, 4000]);
  });

  it('fails DELETE_FAILED', async () => {
    answers('DELETE_IN_PROGRESS', 'DELETE_FAILED');
    expect((await rejection(deletion(testContext()))).code).toBe('DELETE_FAILED');
  });

  it('times out with WaitTimeout while the id is still taken', async () => {
    answers('DELETE_IN_PROGRESS');
    const error = await rejection(deletion(testContext(), 3000));
    expect(error.code).toBe('WaitTimeout');
    expect(error.message).toBe('OTA update fw was still being deleted after 3 s, so its id is not free yet.');
  });
});

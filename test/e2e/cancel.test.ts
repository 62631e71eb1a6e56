/**
 * Cancellation as the runner does it: SIGINT (then SIGTERM) to the step while it is in each phase. The step stops
 * within about a second, exits 1 with error-code Canceled, and its outputs and summary say what exists in AWS.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, type ActionRun } from '../../scripts/run-step.js';
import { FAST, releaseInputs, workspaceWithFirmware } from './fixtures.js';

const node = inject('node24');
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const calls = (operation: string) => emulator?.requests.filter((r) => r.operation === operation) ?? [];

/** Runs a release, sends `signal` once `ready` holds, and returns the run with the time from the signal to the exit. */
async function cancelWhen(
  ready: () => boolean,
  inputs: Record<string, string> = {},
  signal: 'SIGINT' | 'SIGTERM' = 'SIGINT',
): Promise<{ run: ActionRun; stoppedInMs: number }> {
  if (!emulator) throw new Error('no emulator');
  const { workspace, firmware } = workspaceWithFirmware();
  const cancel = new AbortController();
  const running = runAction({
    node,
    emulator,
    inputs: releaseInputs(firmware, inputs),
    env: { GITHUB_WORKSPACE: workspace, ...FAST },
    cancel: cancel.signal,
    cancelWith: signal,
    timeoutMs: 30_000,
  });
  for (let i = 0; i < 400 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(ready()).toBe(true);
  const sentAt = Date.now();
  cancel.abort();
  const run = await running;
  return { run, stoppedInMs: Date.now() - sentAt };
}

function expectCanceled(run: ActionRun, stoppedInMs: number): void {
  expect(run.exitCode, run.stdout + run.stderr).toBe(1);
  expect(run.outputs['error-code']).toBe('Canceled');
  expect(run.errorLines).toHaveLength(1);
  // Well within the 7.5 s the runner allows before SIGTERM, let alone SIGKILL.
  expect(stoppedInMs).toBeLessThan(1500);
}

describe('the step is canceled', () => {
  it('while the OIDC token is requested: nothing was created', async () => {
    emulator = await startEmulator();
    emulator.controls.delay('OidcToken', 10_000);
    const { run, stoppedInMs } = await cancelWhen(() => calls('OidcToken').length > 0);
    expectCanceled(run, stoppedInMs);
    expect(run.summary).toContain('Nothing was created in AWS.');
    expect(calls('AssumeRoleWithWebIdentity')).toHaveLength(0);
  });

  it('while the role is assumed, on SIGTERM too: nothing was created', async () => {
    emulator = await startEmulator();
    emulator.controls.delay('AssumeRoleWithWebIdentity', 10_000);
    const { run, stoppedInMs } = await cancelWhen(
      () => calls('AssumeRoleWithWebIdentity').length > 0,
      {},
      'SIGTERM',
    );
    expectCanceled(run, stoppedInMs);
    expect(run.summary).toContain('Nothing was created in AWS.');
  });

  it('while the create call is out: the summary says the update may exist', async () => {
    emulator = await startEmulator();
    emulator.controls.delay('CreateOTAUpdate', 10_000);
    const { run, stoppedInMs } = await cancelWhen(() => calls('CreateOTAUpdate').length > 0);
    expectCanceled(run, stoppedInMs);
    expect(run.summary).toMatch(
      /A CreateOTAUpdate request for <code>firmware-v1-2-0-[0-9a-f]{8}<\/code> went out/,
    );
    expect(run.summary).toMatch(/Uploaded: <code>s3:\/\/firmware-bucket\//);
  });

  it('while it waits for the update: the outputs carry the update, the summary says it exists', async () => {
    emulator = await startEmulator();
    emulator.controls.createOutcome('never');
    const { run, stoppedInMs } = await cancelWhen(() => calls('GetOTAUpdate').length > 2);
    expectCanceled(run, stoppedInMs);
    const id = run.outputs['ota-update-id'] ?? '';
    expect(id).toMatch(/^firmware-v1-2-0-[0-9a-f]{8}$/);
    expect(run.outputs['ota-update-arn']).toBe(`arn:aws:iot:us-east-1:123456789012:otaupdate/${id}`);
    expect(run.summary).toContain(`Exists in AWS: OTA update <code>${id}</code>`);
  });

  it('while it follows the rollout: it stops at once, saying the rollout goes on', async () => {
    emulator = await startEmulator({
      things: [{ name: 'sensor-01', groups: ['field-fleet'], behaviour: 'offline' }, { name: 'bench-01' }],
      timeScale: 100,
    });
    const { run, stoppedInMs } = await cancelWhen(() => calls('DescribeJob').length > 0, { wait: 'rollout' });
    expectCanceled(run, stoppedInMs);
    expect(run.errorLines[0]).toMatch(/the rollout goes on in AWS IoT/);
    expect(run.outputs['console-url']).toMatch(/jobhub\/details\/AFR_OTA-/);
    expect(calls('CancelJob')).toHaveLength(0);
  });
});

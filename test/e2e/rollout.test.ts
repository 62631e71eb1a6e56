/**
 * `wait: rollout` end to end: the bundled action follows the update's IoT job on the emulator's simulated devices to
 * its verdict. Device time and action time are scaled alike (the emulator ×100, OTA_ACTION_TIME_SCALE 0.01), so
 * one action "minute" is 600 ms; without a rollout config every device is notified at once and they all move in
 * step, which makes the counts at the verdict exact.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  startEmulator,
  type DeviceBehaviour,
  type Emulator,
  type ThingOption,
} from '../../emulator/index.js';
import { runAction, type ActionRun } from '../../scripts/run-step.js';
import { FAST, releaseInputs, workspaceWithFirmware } from './fixtures.js';

const node = inject('node24');
let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** The fleet the release targets: thinggroup/field-fleet (four sensors) and thing/bench-01. */
const SENSORS = ['sensor-01', 'sensor-02', 'sensor-03', 'sensor-04'];
const TIMINGS = { targetProcessingSeconds: 2, startSeconds: 2, runSeconds: 10 };
const JOB_URL =
  /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/iot\/home\?region=us-east-1#\/jobhub\/details\/AFR_OTA-firmware-v1-2-0-[0-9a-f]{8}$/;

/** An emulator with the fleet, every device succeeding unless `behaviours` says otherwise. */
async function fleet(behaviours: Record<string, DeviceBehaviour> = {}): Promise<void> {
  const thing = (name: string, groups: string[]): ThingOption => ({
    name,
    groups,
    ...(behaviours[name] ? { behaviour: behaviours[name] } : {}),
  });
  emulator = await startEmulator({
    things: [...SENSORS.map((name) => thing(name, ['field-fleet'])), thing('bench-01', [])],
    thingGroups: [{ name: 'field-fleet' }, { name: 'empty-group' }],
    timeScale: 100,
    deviceTimings: TIMINGS,
  });
}

async function release(extra: Record<string, string> = {}, seed = 1): Promise<ActionRun> {
  if (!emulator) throw new Error('no emulator');
  const { workspace, firmware } = workspaceWithFirmware(4096, seed);
  return runAction({
    node,
    emulator,
    inputs: releaseInputs(firmware, { wait: 'rollout', ...extra }),
    env: { GITHUB_WORKSPACE: workspace, ...FAST },
  });
}

const calls = (operation: string) => emulator?.requests.filter((r) => r.operation === operation) ?? [];
const things = (run: ActionRun) =>
  Object.fromEntries(
    [
      'rollout-status',
      'things-total',
      'things-succeeded',
      'things-failed',
      'things-canceled',
      'things-pending',
    ].map((name) => [name, run.outputs[name]]),
  );
/**
 * Workflow commands the runner would act on (`::name…::` at a line's start, `##[` anywhere), but for the masks and
 * debug lines the action writes before it follows the job.
 */
const commands = (run: ActionRun) =>
  run.stdout
    .split('\n')
    .filter((line) => /^\s*::[a-z-]+( [^:]*)?::/.test(line) || line.includes('##['))
    .filter(
      (line) =>
        !/^::(add-mask|debug)::/.test(line) && !line.startsWith('::warning::The firmware is not signed'),
    );

describe('green', () => {
  it('every device succeeds: COMPLETED, the counts exact, the console link, the counts table and a full bar', async () => {
    await fleet();
    const run = await release();
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(things(run)).toEqual({
      'rollout-status': 'COMPLETED',
      'things-total': '5',
      'things-succeeded': '5',
      'things-failed': '0',
      'things-canceled': '0',
      'things-pending': '0',
    });
    expect(run.outputs['error-code']).toBe('');
    expect(run.outputs['console-url']).toMatch(JOB_URL);
    expect(run.stdout).toMatch(/^rollout: 5\/5 succeeded, 0 failed, 0 pending \(COMPLETED\)$/m);
    expect(run.stdout).toContain('rollout: green: 5 of 5 succeeded (5 required, 100 %)');
    expect(run.summary).toContain('Green: 5 of 5 things succeeded (5 required, 100 %).');
    expect(run.summary).toContain('<code>[####################]</code> 5/5 succeeded');
    expect(run.summary).toMatch(/<td>Succeeded<\/td><td>5<\/td>/);
    expect(run.summary).toMatch(/<td>Total<\/td><td>5 \(not counted: 0 removed\)<\/td>/);
    expect(run.summary).toContain(`href="${run.outputs['console-url']}"`);
    expect(run.errorLines).toEqual([]);
    expect(calls('CancelJob')).toHaveLength(0);
    expect(calls('ListJobExecutionsForJob')).toHaveLength(0);
  });

  it('CONTINUOUS: green on the executions that exist, with the note that the job keeps running', async () => {
    await fleet();
    const run = await release({ 'target-selection': 'CONTINUOUS' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(things(run)).toMatchObject({
      'rollout-status': 'IN_PROGRESS',
      'things-total': '5',
      'things-succeeded': '5',
    });
    const note =
      'The job is CONTINUOUS: it keeps running, and things that join the target groups later get the update too.';
    expect(run.stdout).toContain(note);
    expect(run.summary).toContain(note);
  });

  it('CONTINUOUS with no things yet: green with a warning', async () => {
    await fleet();
    const run = await release({ targets: 'thinggroup/empty-group', 'target-selection': 'CONTINUOUS' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(things(run)).toMatchObject({ 'rollout-status': 'IN_PROGRESS', 'things-total': '0' });
    expect(run.stdout).toMatch(
      /^::warning::The targets hold no things yet: the CONTINUOUS job will run on things that join/m,
    );
  });
});

describe('red', () => {
  it('by failure share: RolloutFailed, the failed devices named with their statusDetails, one ::error:: line', async () => {
    await fleet({ 'sensor-02': { fail: '0x01000000: 0xfffffffe' }, 'sensor-04': 'reject' });
    const run = await release({ 'rollout-success-percentage': '80' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('RolloutFailed');
    expect(things(run)).toEqual({
      'rollout-status': 'COMPLETED',
      'things-total': '5',
      'things-succeeded': '3',
      'things-failed': '2',
      'things-canceled': '0',
      'things-pending': '0',
    });
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain(
      'of 5 things, 2 failed, so at most 3 can still succeed and 4 (80 %) must',
    );
    expect(run.errorLines[0]).toContain('sensor-02 (FAILED: reason=0x01000000: 0xfffffffe)');
    expect(run.errorLines[0]).toContain('sensor-04 (REJECTED: no statusDetails)');
    expect(run.summary).toContain('<h4>Failed devices</h4>');
    expect(run.summary).toContain(
      '<td><code>sensor-02</code></td><td>FAILED</td><td><code>reason</code>: 0x01000000: 0xfffffffe</td>',
    );
    expect(run.summary).toContain('<td><code>sensor-04</code></td><td>REJECTED</td>');
    expect(run.summary).toContain(
      '<code>[############xxxxxxxx]</code> 3/5 succeeded, 2 failed or canceled, 0 pending',
    );
    expect(run.outputs['console-url']).toMatch(JOB_URL);
    expect(calls('DescribeJobExecution')).toHaveLength(2);
  });

  it('by abort config: RolloutCanceled with the job reasonCode and comment, queued devices canceled', async () => {
    await fleet({ 'sensor-01': 'fail' });
    const run = await release({
      'rollout-config': 'maximumPerMinute: 6',
      'abort-config': [
        'abortCriteriaList:',
        '  - {failureType: FAILED, action: CANCEL, thresholdPercentage: 10, minNumberOfExecutedThings: 1}',
      ].join('\n'),
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('RolloutCanceled');
    const job = emulator?.jobs.all()[0];
    expect(job?.status).toBe('CANCELED');
    expect(job?.reasonCode).toBe('ABORT_CRITERIA_MET');
    expect(things(run)).toEqual({
      'rollout-status': 'CANCELED',
      'things-total': '5',
      'things-succeeded': '0',
      'things-failed': '1',
      'things-canceled': '4',
      'things-pending': '0',
    });
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain(`reason code ABORT_CRITERIA_MET, comment "${job?.comment}"`);
    expect(run.errorLines[0]).toContain('sensor-01 (FAILED: reason=0x01000000: 0xfffffffe)');
    expect(run.summary).toContain('RolloutCanceled: the job was canceled (reason code ABORT_CRITERIA_MET');
    expect(calls('CancelJob')).toHaveLength(0);
  });

  it('a SNAPSHOT job whose targets hold no things: RolloutFailed', async () => {
    await fleet();
    const run = await release({ targets: 'thinggroup/empty-group' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('RolloutFailed');
    expect(things(run)).toMatchObject({ 'rollout-status': 'COMPLETED', 'things-total': '0' });
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain('the targets hold no things: the job has no device to run on');
  });
});

describe('timeout', () => {
  it('an offline device keeps the job IN_PROGRESS: RolloutTimeout with the last counts; the job continues', async () => {
    await fleet({ 'bench-01': 'offline' });
    const run = await release({ 'rollout-timeout-minutes': '1' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('RolloutTimeout');
    expect(things(run)).toEqual({
      'rollout-status': 'IN_PROGRESS',
      'things-total': '5',
      'things-succeeded': '4',
      'things-failed': '0',
      'things-canceled': '0',
      'things-pending': '1',
    });
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain(
      'had no rollout verdict within 1 minute (rollout-timeout-minutes); last counts 4/5 succeeded, 0 failed, 1 pending (IN_PROGRESS). The job continues in AWS IoT',
    );
    expect(run.summary).toContain(
      'RolloutTimeout: no verdict before the deadline (rollout-timeout-minutes); the job continues in AWS IoT.',
    );
    expect(emulator?.jobs.all()[0]?.status).toBe('IN_PROGRESS');
    expect(calls('CancelJob')).toHaveLength(0);
  });
});

describe('cancel-on-failure', () => {
  it('a failing job still in progress is canceled once, not forced; queued devices are canceled', async () => {
    await fleet({ 'sensor-03': 'fail', 'bench-01': 'offline' });
    const run = await release({ 'cancel-on-failure': 'true' });
    expect(run.outputs['error-code']).toBe('RolloutFailed');
    const cancels = calls('CancelJob');
    expect(cancels).toHaveLength(1);
    expect(cancels[0]?.query).toEqual({ force: 'false' });
    expect(JSON.parse(cancels[0]?.bodyText ?? '{}')).toMatchObject({ reasonCode: 'ROLLOUT_FAILED' });
    const job = emulator?.jobs.all()[0];
    expect(job?.status).toBe('CANCELED');
    expect(job?.forceCanceled).toBe(false);
    expect(job?.executions.find((e) => e.thingName === 'bench-01')?.status).toBe('CANCELED');
    expect(run.stdout).toMatch(/^rollout: canceled IoT job AFR_OTA-\S+ \(ROLLOUT_FAILED, not forced\)/m);
    expect(run.summary).toContain('cancel-on-failure canceled the job (not forced)');
    expect(run.errorLines).toHaveLength(1);
  });

  it('a job already COMPLETED is left alone, and the log says so', async () => {
    await fleet({ 'sensor-03': 'fail' });
    const run = await release({ 'cancel-on-failure': 'true' });
    expect(run.outputs['error-code']).toBe('RolloutFailed');
    expect(run.outputs['rollout-status']).toBe('COMPLETED');
    expect(calls('CancelJob')).toHaveLength(0);
    expect(run.stdout).toMatch(
      /^rollout: IoT job AFR_OTA-\S+ is already COMPLETED: cancel-on-failure leaves it alone\.$/m,
    );
    expect(run.summary).toContain('cancel-on-failure left the job alone: it had already ended (COMPLETED).');
  });

  it('a timeout cancels the job so the offline device never starts it', async () => {
    await fleet({ 'bench-01': 'offline' });
    const run = await release({ 'rollout-timeout-minutes': '1', 'cancel-on-failure': 'true' });
    expect(run.outputs['error-code']).toBe('RolloutTimeout');
    const cancels = calls('CancelJob');
    expect(cancels).toHaveLength(1);
    expect(JSON.parse(cancels[0]?.bodyText ?? '{}')).toMatchObject({ reasonCode: 'ROLLOUT_TIMEOUT' });
    expect(emulator?.jobs.all()[0]?.status).toBe('CANCELED');
    expect(run.summary).not.toContain('the job continues');
  });
});

describe('re-runs', () => {
  it('a re-run of the same release follows the existing job to the same verdict; no second update', async () => {
    await fleet({ 'sensor-01': 'fail' });
    const { workspace, firmware } = workspaceWithFirmware(4096, 3);
    const step = (wait: string) =>
      runAction({
        node,
        emulator: emulator!,
        inputs: releaseInputs(firmware, { wait }),
        env: { GITHUB_WORKSPACE: workspace, ...FAST },
      });
    const created = await step('created');
    expect(created.exitCode, created.stdout).toBe(0);
    expect(things(created)).toEqual(Object.fromEntries(Object.keys(things(created)).map((k) => [k, ''])));
    expect(created.outputs['console-url']).toMatch(JOB_URL);

    const first = await step('rollout');
    const second = await step('rollout');
    for (const run of [first, second]) {
      expect(run.stdout).toMatch(/^OTA update \S+ exists \(CREATE_COMPLETE\) and holds this release\.$/m);
      expect(run.outputs['error-code']).toBe('RolloutFailed');
      expect(run.errorLines).toHaveLength(1);
    }
    expect(things(second)).toEqual(things(first));
    expect(things(first)).toMatchObject({
      'things-total': '5',
      'things-succeeded': '4',
      'things-failed': '1',
    });
    expect(second.outputs['ota-update-id']).toBe(created.outputs['ota-update-id']);
    expect(calls('CreateOTAUpdate')).toHaveLength(1);
    expect(emulator?.otaUpdates.size).toBe(1);
    expect(emulator?.jobs.all()).toHaveLength(1);
  });
});

describe('device text is someone else’s input', () => {
  const HOSTILE = '::error::x ##[group]owned <script>alert(1)</script> & more';

  /** The one command a failed step writes: its ::error:: line; nothing the devices or AWS said becomes another. */
  function expectOnlyTheErrorCommand(run: ActionRun): void {
    expect(commands(run)).toEqual([
      expect.stringMatching(/^::error title=OTA update failed%3A RolloutFailed::/),
    ]);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).not.toMatch(/[\r\n]/);
    expect(run.summary).not.toContain('<script>');
    expect(run.summary).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
  }

  it('a statusDetails holding ::error::, ##[ and <script> stays text in the log and is escaped in the summary', async () => {
    // IoT's DetailsValue pattern ([^\p{C}]+) refuses control characters, so a device cannot send a line break
    // here; the emulator refuses one too. The error-message case below carries the line break.
    await fleet({ 'sensor-02': { fail: HOSTILE } });
    const run = await release();
    expect(run.outputs['error-code']).toBe('RolloutFailed');
    expectOnlyTheErrorCommand(run);
    expect(run.errorLines[0]).toContain('sensor-02 (FAILED: reason=::error::x # #[group]owned <script>');
    expect(run.stdout).toMatch(
      /^rollout: failed device sensor-02 \(FAILED: reason=::error::x # #\[group\]owned/m,
    );
    expect(run.summary).toContain('<td><code>reason</code>: ::error::x ##[group]owned &lt;script&gt;');
  });

  it('an AWS error message with a line break, ::error:: and <script> in place of the details: the same', async () => {
    await fleet({ 'sensor-02': 'fail' });
    emulator?.controls.failAlways('DescribeJobExecution', {
      status: 400,
      code: 'InvalidRequestException',
      message: `no details\n${HOSTILE}`,
    });
    const run = await release();
    expect(run.outputs['error-code']).toBe('RolloutFailed');
    expectOnlyTheErrorCommand(run);
    expect(run.stdout).not.toMatch(/^::error::x/m);
    expect(run.stdout).toMatch(
      /^rollout: failed device sensor-02 \(FAILED: .*no details ::error::x # #\[group\]/m,
    );
  });
});

describe('if-exists: replace', () => {
  it('refuses RolloutInProgress while devices install the update, and deletes nothing', async () => {
    await fleet({ 'sensor-01': 'hang', 'sensor-02': 'hang' });
    const first = await release({ wait: 'created', 'ota-update-id': 'fw-pinned' });
    expect(first.exitCode, first.stdout).toBe(0);
    // Let the devices take the job: the two that hang stay IN_PROGRESS.
    for (let i = 0; i < 100 && (emulator?.jobs.get('AFR_OTA-fw-pinned')?.counts.IN_PROGRESS ?? 0) < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const run = await release({ wait: 'created', 'ota-update-id': 'fw-pinned', 'if-exists': 'replace' }, 2);
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('RolloutInProgress');
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toMatch(
      /^OTA update fw-pinned cannot be replaced: 2 of the 5 things of its job AFR_OTA-fw-pinned/,
    );
    expect(calls('DeleteOTAUpdate')).toHaveLength(0);
    expect(emulator?.otaUpdates.get('fw-pinned')?.status).toBe('CREATE_COMPLETE');
  });
});

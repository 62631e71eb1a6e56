/**
 * What `npm run demo` shows, as data: the emulator's account and fleet, the three steps it runs and what each must
 * produce. A tag release v2.4.0 with `wait: rollout` to the field fleet (green), its re-run (the update reused,
 * the same job followed again), then v2.5.0 to the canary group, whose devices fail to boot the image: the abort
 * config cancels the job and the step is red, RolloutCanceled, with the failed devices listed.
 *
 * Device time runs 100× faster in the emulator and the action's waits are scaled to match (OTA_ACTION_TIME_SCALE
 * 0.01, honoured against loopback only), so a rollout of minutes takes about two seconds.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';
import { runAction, type ActionRun, type GitHubContextOptions } from './run-step.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
export const DEMO_REPOSITORY = 'acme/sensor-firmware';
/** The reason code a FreeRTOS OTA agent writes when the new image fails its self-test. */
export const CANARY_FAILURE = '0x01000000: 0xfffffffe';
const SENSORS = Array.from({ length: 8 }, (_, i) => `sensor-0${i + 1}`);
export const CANARIES = Array.from({ length: 6 }, (_, i) => `canary-0${i + 1}`);

/**
 * The release step of the README's quick start, following the rollout to the devices (`wait: rollout`), at 5
 * things a minute instead of 50 so that its progress shows on a fleet of nine.
 */
export const DEMO_INPUTS = {
  'role-to-assume': `arn:aws:iam::${ACCOUNT}:role/github-ota-deployer`,
  'aws-region': REGION,
  'ota-role-arn': `arn:aws:iam::${ACCOUNT}:role/iot-ota-service`,
  targets: 'thinggroup/field-fleet\nthing/bench-device-01',
  firmware: 'build/firmware.bin',
  's3-bucket': 'acme-firmware-releases',
  'rollout-config': 'maximumPerMinute: 5',
  'abort-config': [
    'abortCriteriaList:',
    '  - failureType: FAILED',
    '    action: CANCEL',
    '    thresholdPercentage: 10',
    '    minNumberOfExecutedThings: 5',
  ].join('\n'),
  'timeout-config': 'inProgressTimeoutInMinutes: 60',
  wait: 'rollout',
};

export const DEMO_TIME_SCALE = 100;

/** The field fleet and the bench device get v2.4.0; the canary group, kept out of the fleet, fails v2.5.0. */
export const DEMO_EMULATOR: EmulatorOptions = {
  region: REGION,
  accountId: ACCOUNT,
  roles: [{ arn: DEMO_INPUTS['role-to-assume'], trustedSubs: [`repo:${DEMO_REPOSITORY}:ref:refs/tags/*`] }],
  oidcClaims: { repository: DEMO_REPOSITORY, ref: 'refs/tags/v2.4.0' },
  buckets: [{ name: DEMO_INPUTS['s3-bucket'], versioned: true }],
  thingGroups: [{ name: 'field-fleet' }, { name: 'canary', behaviour: { fail: CANARY_FAILURE } }],
  things: [
    ...SENSORS.map((name) => ({ name, groups: ['field-fleet'] })),
    { name: 'bench-device-01' },
    ...CANARIES.map((name) => ({ name, groups: ['canary'] })),
  ],
  timeScale: DEMO_TIME_SCALE,
};

/** One outcome a step must have: what, and whether it held (with what was found when it did not). */
export interface Check {
  what: string;
  ok: boolean;
  found: string;
}

/** What the checks may look at besides the run: the emulator, and the runs before this one. */
export interface DemoWorld {
  emulator: Pick<Emulator, 'requests' | 'otaUpdates' | 'jobs'>;
  earlier: readonly ActionRun[];
}

export interface DemoStep {
  title: string;
  tag: string;
  /** Seeds the firmware bytes: the same seed is the same release. */
  firmwareSeed: number;
  inputs: Record<string, string>;
  checks(run: ActionRun, world: DemoWorld): Check[];
}

function is(what: string, found: unknown, wanted: unknown): Check {
  return { what, ok: found === wanted, found: String(found) };
}

function holds(what: string, ok: boolean, found: string): Check {
  return { what, ok, found };
}

const creates = (world: DemoWorld) =>
  world.emulator.requests.filter((r) => r.operation === 'CreateOTAUpdate');

function greenFleet(run: ActionRun): Check[] {
  const fleet = String(SENSORS.length + 1);
  return [
    is('the step passes', run.exitCode, 0),
    is('rollout-status', run.outputs['rollout-status'], 'COMPLETED'),
    is('things-total', run.outputs['things-total'], fleet),
    is('things-succeeded', run.outputs['things-succeeded'], fleet),
    holds(
      'progress lines in the log',
      /^rollout: \d+\/\d+ succeeded/m.test(run.stdout),
      `${run.stdout.match(/^rollout: /gm)?.length ?? 0} lines`,
    ),
    holds('the counts table in the summary', run.summary.includes('<td>Succeeded</td>'), 'no table'),
  ];
}

export const DEMO_STEPS: readonly DemoStep[] = [
  {
    title: 'Release v2.4.0 to the field fleet, following the rollout',
    tag: 'v2.4.0',
    firmwareSeed: 7,
    inputs: DEMO_INPUTS,
    checks: (run, world) => [
      ...greenFleet(run),
      is('result', run.outputs.result, 'created'),
      is('CreateOTAUpdate calls', creates(world).length, 1),
    ],
  },
  {
    title: 'Re-run of v2.4.0: the same update, its job followed again',
    tag: 'v2.4.0',
    firmwareSeed: 7,
    inputs: DEMO_INPUTS,
    checks: (run, world) => [
      ...greenFleet(run),
      is('result', run.outputs.result, 'reused'),
      is('ota-update-id', run.outputs['ota-update-id'], world.earlier[0]?.outputs['ota-update-id']),
      is('CreateOTAUpdate calls (no second update)', creates(world).length, 1),
    ],
  },
  {
    title: 'Release v2.5.0 to the canary group: the image fails there',
    tag: 'v2.5.0',
    firmwareSeed: 8,
    inputs: { ...DEMO_INPUTS, targets: 'thinggroup/canary' },
    checks: (run, world) => {
      const job = world.emulator.jobs.get(run.outputs['aws-iot-job-id'] ?? '');
      const error = run.errorLines.join('\n');
      return [
        is('the step fails', run.exitCode, 1),
        is('error-code', run.outputs['error-code'], 'RolloutCanceled'),
        is('::error:: lines', run.errorLines.length, 1),
        holds('the error gives the reason code', error.includes('reason code ABORT_CRITERIA_MET'), error),
        holds(
          'the error lists the failed devices',
          error.includes(`canary-01 (FAILED: reason=${CANARY_FAILURE})`),
          error,
        ),
        holds('the summary lists them', run.summary.includes('<h4>Failed devices'), 'no list'),
        is('the job', job?.status, 'CANCELED'),
        is('its reasonCode', job?.reasonCode, 'ABORT_CRITERIA_MET'),
        is('CreateOTAUpdate calls', creates(world).length, 2),
      ];
    },
  },
];

/** The GitHub context of a tag push of `tag`. */
export function tagPush(tag: string): Partial<GitHubContextOptions> {
  return { repository: DEMO_REPOSITORY, ref: `refs/tags/${tag}`, refName: tag, refType: 'tag' };
}

/** Deterministic firmware bytes. */
export function demoFirmware(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

export interface PlayedStep {
  step: DemoStep;
  run: ActionRun;
  checks: Check[];
}

/**
 * Runs the steps in order against one emulator and checks each; `onStep` sees every step as it ends. Returns the
 * steps with their checks and the emulator's requests (the emulator is closed by then).
 */
export async function playDemo(
  node: string,
  onStep: (played: PlayedStep, emulator: Emulator) => void = () => undefined,
): Promise<{ played: PlayedStep[]; requests: Emulator['requests'] }> {
  const workspace = mkdtempSync(join(tmpdir(), 'ota-demo-'));
  const emulator = await startEmulator(DEMO_EMULATOR);
  try {
    mkdirSync(join(workspace, 'build'));
    const played: PlayedStep[] = [];
    for (const step of DEMO_STEPS) {
      writeFileSync(join(workspace, DEMO_INPUTS.firmware), demoFirmware(256 * 1024, step.firmwareSeed));
      const run = await runAction({
        node,
        inputs: step.inputs,
        emulator,
        github: tagPush(step.tag),
        env: { GITHUB_WORKSPACE: workspace, OTA_ACTION_TIME_SCALE: String(1 / DEMO_TIME_SCALE) },
      });
      const checks = step.checks(run, { emulator, earlier: played.map((p) => p.run) });
      played.push({ step, run, checks });
      onStep({ step, run, checks }, emulator);
    }
    return { played, requests: [...emulator.requests] };
  } finally {
    await emulator.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

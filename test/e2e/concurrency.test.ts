/**
 * Runs of the same release started together against one emulator (a re-run clicked twice, two workflows on the
 * same tag): they end with one OTA update and every step green, reporting the same id. Repeated a few times, with
 * a fresh emulator each round, to shake out races between the uploads and the creates.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, type ActionRun } from '../../scripts/run-step.js';
import { expectNoLeaks, tapSts, type StsTap } from './leaks.js';

const node = inject('node24');
const ROUNDS = 4;
const BUCKET = 'firmware-bucket';
const KEY = 'firmware/v1.2.0/firmware.bin';
const FIRMWARE = Buffer.from(Array.from({ length: 48 * 1024 }, (_, i) => (i * 13 + 5) & 0xff));

const INPUTS = {
  'role-to-assume': 'arn:aws:iam::123456789012:role/ota-deployer',
  'ota-role-arn': 'arn:aws:iam::123456789012:role/ota-service',
  targets: 'thinggroup/fleet\nthing/bench-01',
  firmware: 'firmware.bin',
  's3-bucket': BUCKET,
  'aws-region': 'us-east-1',
};

/** Each run checks out the repository into its own workspace; the firmware bytes are the same. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ota-concurrent-'));
  writeFileSync(join(dir, 'firmware.bin'), FIRMWARE);
  return dir;
}

async function together(emulator: Emulator, tap: StsTap, runs: number): Promise<ActionRun[]> {
  const dirs = Array.from({ length: runs }, workspace);
  try {
    return await Promise.all(
      dirs.map((dir, i) =>
        runAction({
          node,
          emulator,
          inputs: INPUTS,
          github: { runId: `${100 + i}` },
          env: { GITHUB_WORKSPACE: dir, OTA_ACTION_TIME_SCALE: '0.01', ...tap.env },
        }),
      ),
    );
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

function expectOneUpdateAllGreen(emulator: Emulator, tap: StsTap, runs: ActionRun[]): void {
  for (const run of runs) {
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.errorLines).toEqual([]);
    expect(run.outputs['ota-update-status']).toBe('CREATE_COMPLETE');
    expectNoLeaks(run, emulator, { tap });
  }
  const ids = new Set(runs.map((r) => r.outputs['ota-update-id']));
  expect(ids.size).toBe(1);
  expect(emulator.otaUpdates.size).toBe(1);
  const [id] = ids;
  const stored = emulator.otaUpdates.get(id ?? '');
  expect(stored?.status).toBe('CREATE_COMPLETE');
  // Every run reports the version the update really ships, whichever run uploaded it.
  const shipped = (stored?.request.files as { fileLocation: { s3Location: { version: string } } }[])[0];
  for (const run of runs)
    expect(run.outputs['firmware-s3-version']).toBe(shipped?.fileLocation.s3Location.version);
  const results = runs.map((r) => r.outputs.result).sort();
  expect(results.filter((r) => r === 'created')).toHaveLength(1);
  expect(results.filter((r) => r === 'reused')).toHaveLength(runs.length - 1);
  // Whatever was uploaded holds the same bytes.
  for (const version of emulator.s3.versions(BUCKET, KEY)) expect(version.size).toBe(FIRMWARE.length);
  expect(emulator.s3.pendingUploads(BUCKET)).toEqual([]);
}

async function withEmulator(test: (emulator: Emulator, tap: StsTap) => Promise<void>): Promise<void> {
  const emulator = await startEmulator();
  const tap = await tapSts(emulator);
  try {
    await test(emulator, tap);
  } finally {
    await tap.close();
    await emulator.close();
  }
}

describe('the same release started twice at once', () => {
  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'round %i: one update, both steps green with the same id',
    (round) =>
      withEmulator(async (emulator, tap) => {
        const runs = await together(emulator, tap, 2);
        expectOneUpdateAllGreen(emulator, tap, runs);
        expect(
          emulator.requests.filter((r) => r.operation === 'CreateOTAUpdate').length,
          `round ${round}`,
        ).toBeLessThanOrEqual(2);
      }),
    60_000,
  );

  it(
    'three at once while IoT answers slowly: still one update',
    () =>
      withEmulator(async (emulator, tap) => {
        emulator.controls.delay('CreateOTAUpdate', 100);
        emulator.controls.delay('GetOTAUpdate', 20);
        const runs = await together(emulator, tap, 3);
        expectOneUpdateAllGreen(emulator, tap, runs);
      }),
    60_000,
  );
});

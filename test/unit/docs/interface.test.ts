/**
 * One source of truth for the public interface: action.yml, the README's tables and src/names.ts must agree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseActionYaml,
  readSection,
  regenerateReadme,
  renderInputsTable,
  renderOutputsTable,
  replaceSection,
  updateReadme,
} from '../../../scripts/readme-inputs.js';
import { INPUTS, OUTPUTS } from '../../../src/runner/names.js';
import { documentedInputs, documentedOutputs, tableRows } from './readme-tables.js';

const root = join(import.meta.dirname, '../../..');
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const actionYaml = readFileSync(join(root, 'action.yml'), 'utf8');
const action = parseActionYaml(actionYaml);

describe('action.yml, the README tables and src/names.ts agree', () => {
  it('on the inputs: names in order, required and defaults', () => {
    const fromAction = action.inputs.map(({ name, required, default: value }) => ({
      name,
      required,
      default: value,
    }));
    expect(documentedInputs(readme)).toEqual(fromAction);
    expect(fromAction.map((i) => i.name)).toEqual(Object.values(INPUTS));
  });

  it('on the outputs', () => {
    const fromAction = action.outputs.map((o) => o.name);
    expect(documentedOutputs(readme)).toEqual(fromAction);
    expect(fromAction).toEqual(Object.values(OUTPUTS));
  });

  it('the README is exactly what `npm run docs:inputs` writes (descriptions included)', async () => {
    expect(await regenerateReadme(readme, actionYaml, readmePath)).toBe(readme);
  });

  it('every input and output has a description', () => {
    expect(action.inputs.filter((i) => i.description.length < 10).map((i) => i.name)).toEqual([]);
    expect(action.outputs.filter((o) => o.description.length < 10).map((o) => o.name)).toEqual([]);
  });
});

describe('a disagreement is caught', () => {
  const edited = (from: string, to: string): string => {
    expect(actionYaml).toContain(from);
    return actionYaml.replace(from, to);
  };
  const interfaceOf = (yaml: string): { name: string; required: boolean; default: string | undefined }[] =>
    parseActionYaml(yaml).inputs.map(({ name, required, default: value }) => ({
      name,
      required,
      default: value,
    }));

  it.each([
    ['a renamed input', '  wait:\n    description: Wait', '  wait-for-it:\n    description: Wait'],
    ['a changed default', "default: '600'", "default: '900'"],
    [
      'an input made required',
      'Empty uses the credentials already in the environment.\n    required: false',
      'Empty uses the credentials already in the environment.\n    required: true',
    ],
  ])('%s in action.yml no longer matches the README table', (_what, from, to) => {
    const changed = interfaceOf(edited(from, to));
    expect(changed).not.toEqual(documentedInputs(readme));
    expect(documentedInputs(updateReadme(readme, parseActionYaml(edited(from, to))))).toEqual(changed);
  });

  it('an output added to action.yml no longer matches the README or src/names.ts', () => {
    const yaml = actionYaml.replace('outputs:\n', 'outputs:\n  extra:\n    description: Something new.\n');
    const names = parseActionYaml(yaml).outputs.map((o) => o.name);
    expect(names).not.toEqual(documentedOutputs(readme));
    expect(names).not.toEqual(Object.values(OUTPUTS));
  });
});

describe('scripts/readme-inputs.ts', () => {
  const yaml = `inputs:
  alpha:
    description: First | with a pipe.
    required: true
  beta:
    description: |
      Two
      lines.
    required: 'false'
    default: 600
  gamma:
    description: Third.
    default: ''
outputs:
  out:
    description: An output.
`;

  it('parses inputs and outputs in file order', () => {
    expect(parseActionYaml(yaml)).toEqual({
      inputs: [
        { name: 'alpha', description: 'First | with a pipe.', required: true, default: undefined },
        { name: 'beta', description: 'Two\nlines.', required: false, default: '600' },
        { name: 'gamma', description: 'Third.', required: false, default: '' },
      ],
      outputs: [{ name: 'out', description: 'An output.' }],
    });
  });

  it('renders the inputs table with escaped pipes and joined lines', () => {
    expect(renderInputsTable(parseActionYaml(yaml).inputs)).toBe(
      [
        '| name | required | default | description |',
        '| --- | --- | --- | --- |',
        '| `alpha` | yes |  | First \\| with a pipe. |',
        '| `beta` | no | `600` | Two lines. |',
        '| `gamma` | no | `` | Third. |',
      ].join('\n'),
    );
  });

  it('renders the outputs table', () => {
    expect(renderOutputsTable(parseActionYaml(yaml).outputs)).toBe(
      ['| name | description |', '| --- | --- |', '| `out` | An output. |'].join('\n'),
    );
  });

  it('reads back what it renders', () => {
    expect(tableRows(renderInputsTable(parseActionYaml(yaml).inputs))).toEqual([
      ['`alpha`', 'yes', '', 'First | with a pipe.'],
      ['`beta`', 'no', '`600`', 'Two lines.'],
      ['`gamma`', 'no', '``', 'Third.'],
    ]);
  });

  it('replaces only the text between the markers', () => {
    const doc = 'before\n<!-- inputs:start -->\nold\n<!-- inputs:end -->\nafter\n';
    expect(replaceSection(doc, 'inputs', 'new')).toBe(
      'before\n<!-- inputs:start -->\n\nnew\n\n<!-- inputs:end -->\nafter\n',
    );
    expect(readSection(replaceSection(doc, 'inputs', 'new'), 'inputs')).toBe('new');
  });

  it.each([
    ['no markers', 'text'],
    ['only the start marker', '<!-- outputs:start -->'],
    ['markers in the wrong order', '<!-- outputs:end -->\n<!-- outputs:start -->'],
  ])('refuses a README with %s', (_what, doc) => {
    expect(() => replaceSection(doc, 'outputs', 'x')).toThrow(
      'README: markers <!-- outputs:start --> … <!-- outputs:end --> not found',
    );
  });

  it.each([
    ['not a mapping', '- a', 'action.yml: not a mapping'],
    [
      'an input without a description',
      'inputs:\n  a:\n    required: true\n',
      'input a: description is missing',
    ],
    ['an output that is not a mapping', 'outputs:\n  o: text\n', 'action.yml: output o is not a mapping'],
  ])('rejects action.yml with %s', (_what, source, message) => {
    expect(() => parseActionYaml(source)).toThrow(message);
  });
});

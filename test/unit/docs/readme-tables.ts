/** Reading the README's generated tables back: rows of cells, and the interface they describe. */
import { readSection, type Section } from '../../../scripts/readme-inputs.js';

/** The body rows of the first Markdown table in `text`, each as its trimmed cells (`\|` unescaped). */
export function tableRows(text: string): string[][] {
  const lines = text.split('\n').filter((line) => line.trim().startsWith('|'));
  return lines.slice(2).map((line) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim().replace(/\\\|/g, '|')),
  );
}

/** `` `name` `` → `name`; anything else is returned as it is, so a malformed cell shows in the comparison. */
function unquote(cell: string): string {
  const m = /^`([^`]*)`$/.exec(cell);
  return m ? (m[1] ?? '') : cell;
}

export interface DocumentedInput {
  name: string;
  required: boolean;
  default: string | undefined;
}

export function documentedInputs(readme: string): DocumentedInput[] {
  return rows(readme, 'inputs').map(([name = '', required = '', value = '']) => ({
    name: unquote(name),
    required: required === 'yes',
    default: value === '' ? undefined : unquote(value),
  }));
}

export function documentedOutputs(readme: string): string[] {
  return rows(readme, 'outputs').map(([name = '']) => unquote(name));
}

function rows(readme: string, section: Section): string[][] {
  return tableRows(readSection(readme, section));
}

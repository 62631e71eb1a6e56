/** The benchmark's output: rows grouped by section, rendered as an aligned plain-text table. */
import type { Verdict } from './stats.js';

export interface Row {
  section: string;
  measure: string;
  value: string;
  /** The target as text ('≤ 1.50 MB'); empty for figures without one. */
  target?: string;
  result?: Verdict;
}

const HEADER = ['Section', 'Measure', 'Value', 'Target', 'Result'] as const;

function cells(row: Row): string[] {
  return [row.section, row.measure, row.value, row.target ?? '', row.result ?? ''];
}

/**
 * One line per row, columns padded to their widest cell; a section's name is printed on its first row only, and a
 * rule separates sections.
 */
export function renderTable(rows: readonly Row[]): string {
  const body = rows.map((row, i) => {
    const c = cells(row);
    if (i > 0 && rows[i - 1]!.section === row.section) c[0] = '';
    return c;
  });
  const all = [[...HEADER], ...body];
  const widths = HEADER.map((_, col) => Math.max(...all.map((c) => [...c[col]!].length)));
  const line = (c: string[]) =>
    c
      .map((cell, col) => cell + ' '.repeat(widths[col]! - [...cell].length))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line([...HEADER]), rule];
  body.forEach((c, i) => {
    if (i > 0 && c[0] !== '') out.push(rule);
    out.push(line(c));
  });
  return out.join('\n');
}

/** The verdicts as one summary line: `4/5 targets met (FAIL: bundle)`. */
export function summarize(rows: readonly Row[]): string {
  const judged = rows.filter((r) => r.result !== undefined);
  const failed = judged.filter((r) => r.result === 'FAIL');
  const passed = judged.length - failed.length;
  const suffix =
    failed.length === 0 ? '' : ` (FAIL: ${failed.map((r) => `${r.section} ${r.measure}`).join('; ')})`;
  return `${passed}/${judged.length} targets met${suffix}`;
}

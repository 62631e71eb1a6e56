import * as core from '@actions/core';
import { describe, expect, it } from 'vitest';
import { logLine } from '../../../src/plan/untrusted-text.js';
import type { ActionsCore } from '../../../src/runner/dependencies.js';
import { safeCore } from '../../../src/runner/safe-core.js';

/** What the runner would read as a workflow command in one stdout line. */
function isCommand(line: string): boolean {
  return /^\s*::/.test(line) || line.includes('##[');
}

const HOSTILE = [
  'x\n::error::forged',
  'x\r::add-mask::secret',
  'x\r\n::stop-commands::abc',
  '   ::warning::indented',
  '::debug::at the start',
  'mid ##[stop-commands]x',
  'a\u2028::error::line separator',
  'a\u0085::error::next line',
  'a\u000b\u000c::error::vertical',
];

describe('logLine', () => {
  it.each(HOSTILE)('%j stays one inert line', (text) => {
    const line = logLine(text);
    expect(line.split(/\r\n|\r|\n/)).toHaveLength(1);
    expect(isCommand(line)).toBe(false);
  });

  it('keeps indentation and ordinary text as they are', () => {
    expect(logLine('  "description": "v1.2.0: the fix"')).toBe('  "description": "v1.2.0: the fix"');
  });
});

describe('safeCore', () => {
  it('makes every log call inert, whichever level', () => {
    const seen: string[] = [];
    const record = (message: string | Error, properties?: core.AnnotationProperties) =>
      void seen.push(`${String(message)}|${properties?.title ?? ''}`);
    const raw: ActionsCore = {
      setOutput: () => undefined,
      info: record,
      debug: record,
      notice: record,
      warning: record,
      error: record,
      summary: core.summary,
      getIDToken: () => Promise.resolve(''),
      setSecret: () => undefined,
    };
    const safe = safeCore(raw);
    for (const text of HOSTILE) {
      safe.info(text);
      safe.debug(text);
      safe.notice(text);
      safe.warning(new Error(text));
      safe.error(text, { title: text });
    }
    expect(seen).toHaveLength(HOSTILE.length * 5);
    for (const entry of seen) {
      for (const part of entry.split('|')) {
        expect(part.split(/\r\n|\r|\n/)).toHaveLength(1);
        expect(isCommand(part)).toBe(false);
      }
    }
  });
});

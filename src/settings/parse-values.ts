/**
 * Parsers for the kinds of text an input holds: YAML/JSON documents, string maps, booleans, integers, lists and
 * base64. Each reports what is wrong into `problems` (naming the input) and returns undefined instead of throwing,
 * so that every problem of a run is reported together.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { InputProblem } from '../errors.js';
import { describeValue, isPlainObject } from './values.js';

export type Problems = InputProblem[];

/**
 * A YAML 1.2 (core schema) or JSON document. `failsafe` keeps every scalar a string exactly as written, for maps
 * whose values are strings (`version: 1.10` stays "1.10").
 */
export function parseYaml(
  input: string,
  text: string,
  problems: Problems,
  schema: 'core' | 'failsafe' = 'core',
): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema, uniqueKeys: true, prettyErrors: false, lineCounter });
  const error = doc.errors[0];
  if (error) {
    const { line } = lineCounter.linePos(error.pos[0]);
    const what =
      error.code === 'DUPLICATE_KEY'
        ? 'a key appears twice'
        : error.code === 'MULTIPLE_DOCS'
          ? 'it holds more than one document (a --- line)'
          : error.message.split('\n')[0];
    problems.push({ input, message: `is not valid YAML/JSON: ${what} (line ${line})` });
    return undefined;
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    problems.push({
      input,
      message: `is not valid YAML/JSON: ${e instanceof Error ? e.message : String(e)}`,
    });
    return undefined;
  }
}

/** A YAML/JSON mapping (an object in the API's shape). */
export function parseYamlObject(
  input: string,
  text: string,
  problems: Problems,
): Record<string, unknown> | undefined {
  const value = parseYaml(input, text, problems);
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    problems.push({ input, message: `must be a YAML/JSON mapping, got ${describeValue(value)}` });
    return undefined;
  }
  return value;
}

/** `key=value`, unless the key part looks like YAML (`a: b=c`, `{`, `- x`, quotes). */
const KEY_VALUE_LINE = /^([^=]*)=(.*)$/;

function isKeyValueLine(line: string): boolean {
  const m = KEY_VALUE_LINE.exec(line);
  if (!m) return false;
  const key = (m[1] ?? '').trim();
  return !/^[{[\-"'#]/.test(key) && !key.includes(': ') && !key.endsWith(':');
}

/** The most entries a map input takes, and what they are called in the message (`tags`, `entries`). */
export interface MapLimit {
  max: number;
  noun: string;
}

/**
 * A map of strings, written as a YAML/JSON mapping or as `key=value` lines (blank lines and `#` comments
 * skipped), with at most `limit.max` entries. The values are not checked here: validate them against the map's
 * shape.
 */
export function parseStringMap(
  input: string,
  text: string,
  problems: Problems,
  limit: MapLimit,
): Record<string, unknown> | undefined {
  const tooMany = (count: number): boolean => {
    if (count <= limit.max) return false;
    problems.push({ input, message: `must have at most ${limit.max} ${limit.noun}, got ${count}` });
    return true;
  };
  const lines = text
    .split(/\r?\n/)
    .map((line, i) => ({ text: line.trim(), number: i + 1 }))
    .filter((l) => l.text !== '' && !l.text.startsWith('#'));
  if (lines.length > 0 && lines.every((l) => isKeyValueLine(l.text))) {
    if (tooMany(lines.length)) return undefined;
    const map: Record<string, string> = {};
    const seenOn = new Map<string, number>();
    let ok = true;
    for (const line of lines) {
      const eq = line.text.indexOf('=');
      const key = line.text.slice(0, eq).trim();
      const previous = seenOn.get(key);
      if (key === '') {
        problems.push({ input, message: `line ${line.number} has no key before "="` });
        ok = false;
      } else if (previous !== undefined) {
        problems.push({
          input,
          message: `key "${key}" appears twice (lines ${previous} and ${line.number})`,
        });
        ok = false;
      } else {
        seenOn.set(key, line.number);
        // defineProperty: a plain assignment would drop a key named __proto__ without a word.
        Object.defineProperty(map, key, {
          value: line.text.slice(eq + 1).trim(),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return ok ? map : undefined;
  }
  const value = parseYaml(input, text, problems, 'failsafe');
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    problems.push({
      input,
      message: `must be a YAML/JSON mapping or key=value lines, got ${describeValue(value)}`,
    });
    return undefined;
  }
  return tooMany(Object.keys(value).length) ? undefined : value;
}

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

/** A YAML 1.2 boolean; `fallback` when the input is empty. */
export function parseBoolean(input: string, text: string, fallback: boolean, problems: Problems): boolean {
  if (text === '') return fallback;
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  problems.push({ input, message: `must be true or false, got ${describeValue(text)}` });
  return fallback;
}

/** A decimal integer in min..max; `fallback` when the input is empty. */
export function parseInteger(
  input: string,
  text: string,
  fallback: number,
  bounds: { min: number; max: number },
  problems: Problems,
): number {
  if (text === '') return fallback;
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < bounds.min || n > bounds.max) {
    problems.push({
      input,
      message: `must be an integer ${bounds.min}..${bounds.max}, got ${describeValue(text)}`,
    });
    return fallback;
  }
  return n;
}

/** Items separated by newlines or commas, trimmed, empty ones dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The bytes of standard base64 text (whitespace allowed, padding required); undefined when it is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact === '' || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/**
 * A generic validator driven by the generated model (model.generated.ts), plus the rules the API documentation
 * states but the model leaves out (documented.ts). The SDK validates nothing, so this is what stands between a typo
 * in a workflow file and an InvalidRequestException (or a half-created update).
 */
import type { CreateOTAUpdateRequest } from '@aws-sdk/client-iot';
import { InvalidInputError, type InputProblem } from '../errors.js';
import { DOCUMENTED, type Documented } from './documented.js';
import { type Bounds, type Member, type Shape, type ShapeName, SHAPES } from './model.generated.js';
import { describeValue, isPlainObject, joinPath, own } from './values.js';

const MODEL: Readonly<Record<ShapeName, Shape>> = SHAPES;
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const compiledPatterns = new Map<string, RegExp>();

function modelPattern(source: string): RegExp {
  let re = compiledPatterns.get(source);
  if (!re) {
    re = new RegExp(source, 'u');
    compiledPatterns.set(source, re);
  }
  return re;
}

function boundsText(b: Bounds): string {
  if (b.min !== undefined && b.max !== undefined) return `${b.min}..${b.max}`;
  if (b.min !== undefined) return `of at least ${b.min}`;
  if (b.max !== undefined) return `of at most ${b.max}`;
  return '';
}

function lengthText(b: Bounds): string {
  if (b.min !== undefined && b.min > 0 && b.max !== undefined)
    return `must be ${b.min}..${b.max} characters long`;
  if (b.max !== undefined) return `must be at most ${b.max} characters long`;
  return b.min === 1 ? 'must not be empty' : `must be at least ${b.min} characters long`;
}

function bytesText(b: Bounds): string {
  if (b.min !== undefined && b.min > 0 && b.max !== undefined) return `must be ${b.min}..${b.max} bytes long`;
  return `must be at most ${b.max} bytes long`;
}

function decimalPlaces(n: number): number {
  const text = String(n);
  if (text.includes('e')) return Number.POSITIVE_INFINITY;
  return text.split('.')[1]?.length ?? 0;
}

function inBounds(n: number, b: Bounds): boolean {
  return (b.min === undefined || n >= b.min) && (b.max === undefined || n <= b.max);
}

type Report = (path: string, text: string) => void;

function checkNumber(
  shape: Extract<Shape, { type: 'integer' | 'long' | 'double' }>,
  doc: Documented | undefined,
  value: unknown,
  path: string,
  report: Report,
): void {
  const range = doc?.range ?? shape.range ?? {};
  const decimals = doc?.decimals;
  let wanted: string;
  let ok: boolean;
  if (shape.type === 'double') {
    const constraints = [
      boundsText(range),
      decimals === undefined ? '' : `with at most ${decimals} decimal${decimals === 1 ? '' : 's'}`,
    ];
    wanted = ['a number', ...constraints].filter(Boolean).join(' ');
    ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      inBounds(value, range) &&
      (decimals === undefined || decimalPlaces(value) <= decimals);
  } else {
    const effective =
      shape.type === 'integer' ? { min: range.min ?? INT32.min, max: range.max ?? INT32.max } : range;
    const fitsModel = typeof value === 'number' && Number.isSafeInteger(value) && inBounds(value, range);
    ok = fitsModel && inBounds(value, effective);
    // Name the 32-bit bounds only when they, not the model's range, are what the value breaks.
    wanted = ['an integer', boundsText(fitsModel ? effective : range)].filter(Boolean).join(' ');
  }
  if (!ok) report(path, `must be ${wanted}, got ${describeValue(value)}`);
}

function checkString(
  shape: Extract<Shape, { type: 'string' }>,
  doc: Documented | undefined,
  value: unknown,
  path: string,
  report: Report,
): void {
  if (doc?.values) {
    if (typeof value !== 'string' || !doc.values.includes(value)) {
      report(path, `must be one of ${doc.values.join(', ')}, got ${describeValue(value)}`);
    }
    return;
  }
  if (typeof value !== 'string') {
    // YAML reads `version: 1.0` as a number; quoting keeps the text as written.
    const hint = typeof value === 'number' || typeof value === 'boolean' ? ' (quote it in YAML)' : '';
    report(path, `must be a string, got ${describeValue(value)}${hint}`);
    return;
  }
  const limit = doc?.length ?? shape.length;
  const length = [...value].length;
  if (limit !== undefined && !inBounds(length, limit)) {
    report(
      path,
      length === 0 && limit.min === 1 ? 'must not be empty' : `${lengthText(limit)}, got ${length}`,
    );
    return;
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (doc?.bytes !== undefined && !inBounds(bytes, doc.bytes)) {
    report(path, bytes === 0 ? 'must not be empty' : `${bytesText(doc.bytes)} (UTF-8), got ${bytes}`);
    return;
  }
  const pattern = doc?.pattern ?? (shape.pattern === undefined ? undefined : modelPattern(shape.pattern));
  if (pattern !== undefined && !pattern.test(value)) {
    report(path, `must ${doc?.patternText ?? `match ${pattern.source}`}, got ${describeValue(value)}`);
  }
}

function checkBlob(doc: Documented | undefined, value: unknown, path: string, report: Report): void {
  if (!(value instanceof Uint8Array)) {
    report(path, `must be bytes, got ${describeValue(value)}`);
  } else if (doc?.bytes !== undefined && !inBounds(value.length, doc.bytes)) {
    report(path, value.length === 0 ? 'must not be empty' : `${bytesText(doc.bytes)}, got ${value.length}`);
  }
}

/** `must have at most 2 items, got 3`; undefined when the count is within bounds. */
function countProblem(
  count: number,
  bounds: Bounds | undefined,
  [one, many]: [string, string],
): string | undefined {
  const { min, max } = bounds ?? {};
  const plural = (n: number) => `${n} ${n === 1 ? one : many}`;
  if (min !== undefined && count < min) return `must have at least ${plural(min)}, got ${count}`;
  if (max !== undefined && count > max) return `must have at most ${plural(max)}, got ${count}`;
  return undefined;
}

function checkStructure(
  shape: Extract<Shape, { type: 'structure' }>,
  doc: Documented | undefined,
  value: unknown,
  path: string,
  report: Report,
): void {
  if (!isPlainObject(value)) {
    report(path, `must be a mapping, got ${describeValue(value)}`);
    return;
  }
  const members: Readonly<Record<string, Member>> = shape.members;
  const allowed = Object.keys(members);
  for (const [key, memberValue] of Object.entries(value)) {
    const member = own(members, key);
    if (member === undefined) {
      const near = allowed.find((a) => a.toLowerCase() === key.toLowerCase());
      const hint = near === undefined ? `valid keys: ${allowed.join(', ')}` : `did you mean ${near}?`;
      report(joinPath(path, key), `is not a valid key (${hint})`);
    } else if (memberValue !== undefined) {
      walk(member.target, memberValue, joinPath(path, key), report);
    }
  }
  const required = new Set([...allowed.filter((k) => own(members, k)?.required), ...(doc?.required ?? [])]);
  for (const key of required) {
    if (own(value, key) === undefined) report(joinPath(path, key), 'is required');
  }
  if (doc?.exactlyOne) {
    const present = doc.exactlyOne.filter((k) => own(value, k) !== undefined);
    if (present.length !== 1) {
      const got = present.length === 0 ? 'none' : present.join(' and ');
      report(path, `must set exactly one of ${doc.exactlyOne.join(', ')}, got ${got}`);
    }
  }
}

function walk(name: ShapeName, value: unknown, path: string, report: Report): void {
  const shape = MODEL[name];
  const doc = DOCUMENTED[name];
  let found = 0;
  const counting: Report = (p, t) => {
    found += 1;
    report(p, t);
  };
  switch (shape.type) {
    case 'structure':
      checkStructure(shape, doc, value, path, counting);
      break;
    case 'list':
      if (!Array.isArray(value)) {
        counting(path, `must be a list, got ${describeValue(value)}`);
        break;
      }
      {
        const limit = doc?.length ?? shape.length;
        const tooMany = countProblem(value.length, limit, ['item', 'items']);
        if (tooMany !== undefined) counting(path, tooMany);
        // Over its limit a list is reported by its count alone: ten thousand entries are not ten thousand lines.
        if (limit?.max !== undefined && value.length > limit.max) break;
        value.forEach((item: unknown, i) => walk(shape.member, item, joinPath(path, i), counting));
      }
      break;
    case 'map':
      if (!isPlainObject(value)) {
        counting(path, `must be a mapping, got ${describeValue(value)}`);
        break;
      }
      {
        const entries = Object.entries(value);
        const tooMany = countProblem(entries.length, doc?.length, ['entry', 'entries']);
        if (tooMany !== undefined) {
          counting(path, tooMany);
          break;
        }
        for (const [k, v] of entries) {
          walk(shape.key, k, `${path ? `${path} ` : ''}key ${describeValue(k)}`, counting);
          walk(shape.value, v, joinPath(path, k), counting);
        }
      }
      break;
    case 'string':
      checkString(shape, doc, value, path, counting);
      break;
    case 'enum':
      if (typeof value !== 'string' || !shape.values.includes(value)) {
        counting(path, `must be one of ${shape.values.join(', ')}, got ${describeValue(value)}`);
      }
      break;
    case 'integer':
    case 'long':
    case 'double':
      checkNumber(shape, doc, value, path, counting);
      break;
    case 'blob':
      checkBlob(doc, value, path, counting);
      break;
  }
  if (found === 0 && doc?.rule) {
    const problem = doc.rule(value);
    if (problem !== undefined) report(path, problem);
  }
}

/**
 * Every way `value` breaks the constraints of `shapeName`. Messages start with the JSON path inside the input
 * (`path` is the prefix, e.g. `[0]` for the first entry of `files`), so
 * `validateShape('AwsJobExecutionsRolloutConfig', v, 'rollout-config')` can say
 * `exponentialRate.baseRatePerMinute must be an integer 1..1000, got 0`.
 */
export function validateShape(
  shapeName: ShapeName,
  value: unknown,
  input: string,
  path = '',
): InputProblem[] {
  const problems: InputProblem[] = [];
  walk(shapeName, value, path, (p, text) => problems.push({ input, message: p ? `${p} ${text}` : text }));
  return problems;
}

/** Every way a finished request breaks the model or the documented rules, reported as input `request`. */
export function requestProblems(request: CreateOTAUpdateRequest): InputProblem[] {
  return validateShape('CreateOTAUpdateRequest', request, 'request');
}

/**
 * Defence in depth before the create call: throws InvalidInputError when the request breaks the model (which
 * means a bug here, since every input was validated on its own).
 */
export function validateRequest(request: CreateOTAUpdateRequest): void {
  const problems = requestProblems(request);
  if (problems.length > 0) throw new InvalidInputError(problems);
}

/**
 * A validator driven by Smithy shape data (model/*.ts): checks a decoded request value against its shape and
 * reports each violation the way AWS's request validation words it ("1 validation error detected: Value 'x' at
 * 'files.1.member.fileType' failed to satisfy constraint: Member must have value less than or equal to 255").
 */

export interface Bounds {
  min?: number;
  max?: number;
}

export interface MemberRef {
  target: string;
  required?: boolean;
}

export type Shape =
  | { type: 'structure'; members: Record<string, MemberRef> }
  | { type: 'list'; member: string; length?: Bounds }
  | { type: 'map'; key: string; value: string; length?: Bounds }
  | {
      type: 'string';
      length?: Bounds;
      pattern?: string;
      /** The pattern must match the whole value (botocore patterns are unanchored but applied like Java's matches()). */
      whole?: boolean;
      sensitive?: boolean;
    }
  | { type: 'enum'; values: string[] }
  | { type: 'integer' | 'long' | 'double'; range?: Bounds }
  | { type: 'boolean' | 'blob' | 'timestamp' };

export type Shapes = Record<string, Shape>;

export interface Violation {
  /** Dotted member path as AWS prints it, lists as `name.<1-based index>.member`. */
  path: string;
  /** Undefined for a sensitive member: its value is never echoed. */
  shown: string | undefined;
  constraint: string;
}

const PRELUDE = new Set(['string', 'integer', 'long', 'double', 'boolean', 'blob', 'timestamp']);
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

const regexCache = new Map<string, RegExp>();

/** Java's POSIX classes (US-ASCII), which JS regexes do not know, as the ranges they stand for. */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  Digit: '0-9',
  Alpha: 'a-zA-Z',
  Alnum: 'a-zA-Z0-9',
  XDigit: '0-9a-fA-F',
};

/** Rewrites `\p{Upper}` and its kin as ranges: bare inside a character class, bracketed outside one. */
function posixToRanges(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const posix = /^p\{(\w+)\}/.exec(pattern.slice(i + 1));
      const range = posix ? POSIX_CLASSES[posix[1]!] : undefined;
      if (posix && range !== undefined) {
        out += inClass ? range : `[${range}]`;
        i += posix[0].length;
      } else {
        out += pattern.slice(i, i + 2);
        i += 1;
      }
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
  }
  return out;
}

/**
 * Smithy and botocore patterns are Java regexes: the STS model writes astral code points as `\u10000`, which JS
 * spells `\u{10000}`, and botocore uses Java's POSIX classes (`\p{Upper}`). `whole` anchors the pattern at both ends.
 */
export function modelRegex(pattern: string, whole = false): RegExp {
  const key = `${whole ? 'whole' : 'find'}:${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    const js = posixToRanges(pattern).replace(/\\u([0-9A-Fa-f]{5,6})/g, (_m, hex: string) => `\\u{${hex}}`);
    re = new RegExp(whole ? `^(?:${js})$` : js, 'u');
    regexCache.set(key, re);
  }
  return re;
}

function resolve(shapes: Shapes, name: string): Shape {
  const shape = shapes[name];
  if (shape) return shape;
  if (PRELUDE.has(name)) return { type: name } as Shape;
  throw new Error(`model-check: unknown shape ${name}`);
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value))
    return `'[${value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')}]'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

function lengthViolations(size: number, length: Bounds | undefined): string[] {
  const out: string[] = [];
  if (length?.min !== undefined && size < length.min)
    out.push(`Member must have length greater than or equal to ${length.min}`);
  if (length?.max !== undefined && size > length.max)
    out.push(`Member must have length less than or equal to ${length.max}`);
  return out;
}

function rangeViolations(value: number, range: Bounds | undefined): string[] {
  const out: string[] = [];
  if (range?.min !== undefined && value < range.min)
    out.push(`Member must have value greater than or equal to ${range.min}`);
  if (range?.max !== undefined && value > range.max)
    out.push(`Member must have value less than or equal to ${range.max}`);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The constraints `value` breaks at `path`, its own first, then its members' (depth first, in model order). */
export function checkShape(shapes: Shapes, shapeName: string, value: unknown, path: string): Violation[] {
  const shape = resolve(shapes, shapeName);
  const sensitive = shape.type === 'string' && shape.sensitive === true;
  const here = (constraints: string[]): Violation[] =>
    constraints.map((constraint) => ({ path, shown: sensitive ? undefined : show(value), constraint }));
  const at = (child: string): string => (path === '' ? child : `${path}.${child}`);

  switch (shape.type) {
    case 'structure': {
      if (!isPlainObject(value)) return here(['Member must be a structure']);
      const out: Violation[] = [];
      for (const [name, member] of Object.entries(shape.members)) {
        const v = value[name];
        if (v === undefined || v === null) {
          if (member.required)
            out.push({ path: at(name), shown: 'null', constraint: 'Member must not be null' });
          continue;
        }
        out.push(...checkShape(shapes, member.target, v, at(name)));
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) return here(['Member must be a list']);
      const out = here(lengthViolations(value.length, shape.length));
      value.forEach((item, i) => out.push(...checkShape(shapes, shape.member, item, at(`${i + 1}.member`))));
      return out;
    }
    case 'map': {
      if (!isPlainObject(value)) return here(['Member must be a map']);
      const out = here(lengthViolations(Object.keys(value).length, shape.length));
      for (const [k, v] of Object.entries(value)) {
        out.push(...checkShape(shapes, shape.key, k, at(k)));
        out.push(...checkShape(shapes, shape.value, v, at(k)));
      }
      return out;
    }
    case 'string': {
      if (typeof value !== 'string') return here(['Member must be a string']);
      const out = lengthViolations([...value].length, shape.length);
      if (shape.pattern !== undefined && !modelRegex(shape.pattern, shape.whole).test(value))
        out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      return here(out);
    }
    case 'enum':
      if (typeof value === 'string' && shape.values.includes(value)) return [];
      return here([`Member must satisfy enum value set: [${shape.values.join(', ')}]`]);
    case 'integer':
    case 'long': {
      const bounds =
        shape.type === 'integer' ? INT32 : { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
      if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds.min || value > bounds.max)
        return here([`Member must be an ${shape.type === 'integer' ? 'integer' : 'integer (long)'}`]);
      return here(rangeViolations(value, shape.range));
    }
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) return here(['Member must be a number']);
      return here(rangeViolations(value, shape.range));
    case 'boolean':
      return typeof value === 'boolean' ? [] : here(['Member must be a boolean']);
    case 'timestamp':
      return typeof value === 'number' && Number.isFinite(value) ? [] : here(['Member must be a timestamp']);
    case 'blob':
      return typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0
        ? []
        : here(['Member must be base64-encoded binary']);
  }
}

/** One message for all violations, worded like AWS's validation errors. */
export function formatViolations(violations: readonly Violation[]): string {
  const n = violations.length;
  const items = violations.map((v) =>
    v.shown === undefined
      ? `Value at '${v.path}' failed to satisfy constraint: ${v.constraint}`
      : `Value ${v.shown} at '${v.path}' failed to satisfy constraint: ${v.constraint}`,
  );
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${items.join('; ')}`;
}

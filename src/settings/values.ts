/**
 * Small helpers for values read from inputs (parsed YAML/JSON is untrusted data): what counts as a mapping, an
 * own-property lookup that never reaches Object.prototype, the key names reserved for it, and how a value or a path
 * is quoted in a message.
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/** `object[key]` when `key` is the object's own property, else undefined: `constructor` is nobody's member. */
export function own<T>(object: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** The names of the properties every plain object inherits (`constructor`, `__proto__`, `toString`, …) and `prototype`. */
const BUILTIN_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

/** Whether `key` names a built-in of JavaScript objects: never taken as a key of a mapping an input holds. */
export function isBuiltinName(key: string): boolean {
  return BUILTIN_NAMES.has(key);
}

/** A short, readable rendering of a value for "got …" in messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'string') {
    const chars = [...value];
    return chars.length > 60
      ? `${JSON.stringify(chars.slice(0, 40).join(''))}… (${chars.length} characters)`
      : JSON.stringify(value);
  }
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** `a.b`, `a[0]`, `a["odd key"]`; a key too long to quote whole is quoted in part. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z_$][\w$]{0,59}$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${describeValue(key)}]`;
}

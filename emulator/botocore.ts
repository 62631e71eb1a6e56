/**
 * A botocore JSON model (model/*-shapes.json) as the emulator uses it: its shapes converted for model-check.ts, its
 * operations' HTTP routes matched against a request, a request decoded from its URI labels, query string and JSON
 * body by each member's `location`, and the HTTP status of each modeled error. Nothing here is retyped from the model.
 */
import { readFileSync } from 'node:fs';
import type { Bounds, MemberRef, Shape, Shapes } from './model-check.js';

type Obj = Record<string, unknown>;

interface BotocoreOperation {
  name: string;
  method: string;
  /** The URI template's segments, e.g. ['jobs', '{jobId}', 'things']. */
  segments: string[];
  input: string;
}

interface BotocoreMember {
  shape: string;
  location?: 'uri' | 'querystring' | 'header';
  locationName?: string;
}

export interface BotocoreModel {
  shapes: Shapes;
  operations: Record<string, BotocoreOperation>;
  /** The raw members of each structure, with their HTTP locations. */
  members: Record<string, Record<string, BotocoreMember>>;
  /** httpStatusCode of each modeled error shape. */
  errorStatus: Record<string, number>;
}

const SHAPE_KEYS = new Set([
  'type',
  'members',
  'required',
  'member',
  'key',
  'value',
  'min',
  'max',
  'pattern',
  'enum',
  'exception',
  'error',
  'fault',
  'sensitive',
]);
const MEMBER_KEYS = new Set(['shape', 'location', 'locationName']);
const SCALARS = new Set(['boolean', 'timestamp', 'blob']);
const NUMBERS = new Set(['integer', 'long', 'double']);

function fail(message: string): never {
  throw new Error(`botocore model: ${message}`);
}

const asObj = (v: unknown, where: string): Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : fail(`${where} is not an object`);

function boundsOf(shape: Obj): Bounds | undefined {
  const b: Bounds = {};
  if (typeof shape.min === 'number') b.min = shape.min;
  if (typeof shape.max === 'number') b.max = shape.max;
  return b.min === undefined && b.max === undefined ? undefined : b;
}

const refOf = (v: unknown, where: string): string => {
  const shape = asObj(v, where).shape;
  return typeof shape === 'string' ? shape : fail(`${where} names no shape`);
};

/** One botocore shape as model-check data; throws on a key it does not know, so no constraint is dropped silently. */
export function convertShape(name: string, raw: Obj): Shape {
  for (const key of Object.keys(raw)) if (!SHAPE_KEYS.has(key)) fail(`${name}: unsupported key ${key}`);
  const type = String(raw.type);
  const length = boundsOf(raw);
  const withLength = <T extends object>(s: T): T => (length ? { ...s, length } : s);
  if (type === 'structure') {
    const required = new Set(Array.isArray(raw.required) ? (raw.required as string[]) : []);
    const members: Record<string, MemberRef> = {};
    for (const [member, ref] of Object.entries(asObj(raw.members ?? {}, `${name}.members`))) {
      for (const key of Object.keys(asObj(ref, `${name}.${member}`)))
        if (!MEMBER_KEYS.has(key)) fail(`${name}.${member}: unsupported member key ${key}`);
      members[member] = {
        target: refOf(ref, `${name}.${member}`),
        ...(required.has(member) ? { required: true } : {}),
      };
    }
    return { type: 'structure', members };
  }
  if (type === 'list') return withLength({ type: 'list', member: refOf(raw.member, `${name}.member`) });
  if (type === 'map')
    return withLength({
      type: 'map',
      key: refOf(raw.key, `${name}.key`),
      value: refOf(raw.value, `${name}.value`),
    });
  if (type === 'string' && Array.isArray(raw.enum)) return { type: 'enum', values: raw.enum.map(String) };
  if (type === 'string')
    return withLength({
      type: 'string',
      ...(typeof raw.pattern === 'string' ? { pattern: raw.pattern, whole: true } : {}),
      ...(raw.sensitive === true ? { sensitive: true } : {}),
    });
  if (NUMBERS.has(type)) {
    const range = boundsOf(raw);
    return { type: type as 'integer' | 'long' | 'double', ...(range ? { range } : {}) };
  }
  if (type === 'float') return { type: 'double', ...(length ? { range: length } : {}) };
  if (SCALARS.has(type)) return { type: type as 'boolean' | 'timestamp' | 'blob' };
  return fail(`${name}: unsupported type ${type}`);
}

function parseBotocoreModel(json: unknown): BotocoreModel {
  const root = asObj(json, 'the model');
  const shapes: Shapes = {};
  const members: BotocoreModel['members'] = {};
  const errorStatus: Record<string, number> = {};
  for (const [name, value] of Object.entries(asObj(root.shapes, 'shapes'))) {
    const raw = asObj(value, name);
    shapes[name] = convertShape(name, raw);
    if (raw.type === 'structure')
      members[name] = asObj(raw.members ?? {}, name) as Record<string, BotocoreMember>;
    const status =
      raw.exception === true ? asObj(raw.error ?? {}, `${name}.error`).httpStatusCode : undefined;
    if (typeof status === 'number') errorStatus[name] = status;
  }
  const operations: Record<string, BotocoreOperation> = {};
  for (const [name, value] of Object.entries(asObj(root.operations, 'operations'))) {
    const http = asObj(asObj(value, name).http, `${name}.http`);
    const uri = String(http.requestUri).split('?')[0]!;
    operations[name] = {
      name,
      method: String(http.method),
      segments: uri.split('/').slice(1),
      input: refOf(asObj(value, name).input, `${name}.input`),
    };
  }
  return { shapes, operations, members, errorStatus };
}

export function loadBotocoreModel(file: URL): BotocoreModel {
  return parseBotocoreModel(JSON.parse(readFileSync(file, 'utf8')));
}

/** The operation whose method and URI template match, with its decoded labels; undefined when none does. */
export function matchOperation(
  model: BotocoreModel,
  method: string,
  segments: readonly string[],
  decode: (segment: string) => string,
): { operation: string; labels: Record<string, string> } | undefined {
  for (const op of Object.values(model.operations)) {
    if (op.method !== method || op.segments.length !== segments.length) continue;
    const labels: Record<string, string> = {};
    const matches = op.segments.every((template, i) => {
      const segment = segments[i]!;
      const label = /^\{(\w+)\}$/.exec(template);
      if (!label) return template === segment;
      labels[label[1]!] = decode(segment);
      return segment !== '';
    });
    if (matches) return { operation: op.name, labels };
  }
  return undefined;
}

/** A query-string value as the member's type reads it; anything unreadable stays a string for the validator to flag. */
function fromQuery(shape: Shape | undefined, raw: string): unknown {
  if (shape?.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (shape?.type === 'integer' || shape?.type === 'long') return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  return raw;
}

/** The operation's input as one object: labels, query members and the JSON body's members, by model location. */
export function decodeInput(
  model: BotocoreModel,
  operation: string,
  labels: Readonly<Record<string, string>>,
  query: URLSearchParams,
  body: Obj,
): Obj {
  const input = model.operations[operation]?.input ?? fail(`no operation ${operation}`);
  const out: Obj = {};
  for (const [name, member] of Object.entries(model.members[input] ?? {})) {
    const wire = member.locationName ?? name;
    if (member.location === 'uri') out[name] = labels[wire];
    else if (member.location === 'querystring') {
      const raw = query.get(wire);
      if (raw !== null) out[name] = fromQuery(model.shapes[member.shape], raw);
    } else if (member.location === undefined && body[name] !== undefined) out[name] = body[name];
  }
  return out;
}

/**
 * The emulator CLI's fleet file (`--fleet fleet.yaml`): thing groups and things, each a name or an object, with
 * behaviours in the CLI's text form (`fail:0x01000000`) or as objects ({fail: reason}, {failRate, seed}).
 *
 * ```yaml
 * thingGroups:
 *   - field-fleet
 *   - { name: basement, behaviour: offline }
 * things:
 *   - { name: sensor-01, groups: [field-fleet] }
 *   - { name: sensor-07, groups: [field-fleet], behaviour: "fail:0x01000000: 0xfffffffe" }
 *   - bench-device-01
 * ```
 */
import { parse } from 'yaml';
import { checkBehaviour, parseBehaviour } from './device-behaviour.js';
import type { DeviceBehaviour, ThingGroupOption, ThingOption } from './job-types.js';

export interface FleetFile {
  things: ThingOption[];
  thingGroups: ThingGroupOption[];
}

type Obj = Record<string, unknown>;

function fail(where: string, message: string): never {
  throw new Error(`emulator: ${where}: ${message}`);
}

function keysOf(value: Obj, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) fail(where, `unknown key '${key}' (expected ${allowed.join(', ')})`);
}

function behaviourOf(value: unknown, where: string): DeviceBehaviour {
  return typeof value === 'string' ? parseBehaviour(value, where) : checkBehaviour(value, where);
}

/** A list entry: a bare name, or an object with a name and the given keys. */
function entry(value: unknown, allowed: readonly string[], where: string): Obj {
  if (typeof value === 'string') return { name: value };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(where, 'expected a name or an object with a name');
  keysOf(value as Obj, ['name', ...allowed], where);
  if (typeof (value as Obj).name !== 'string') fail(where, 'name must be a string');
  return value as Obj;
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : fail(where, 'expected a list');
}

export function parseFleetFile(text: string, source: string): FleetFile {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    fail(source, (error as Error).message);
  }
  if (doc === null || doc === undefined) return { things: [], thingGroups: [] };
  if (typeof doc !== 'object' || Array.isArray(doc))
    fail(source, 'expected a mapping with things and thingGroups');
  keysOf(doc as Obj, ['things', 'thingGroups'], source);
  const root = doc as Obj;
  const thingGroups = list(root.thingGroups, `${source}: thingGroups`).map((raw, i): ThingGroupOption => {
    const where = `${source}: thingGroups.${i + 1}`;
    const g = entry(raw, ['behaviour'], where);
    return {
      name: g.name as string,
      ...(g.behaviour !== undefined ? { behaviour: behaviourOf(g.behaviour, where) } : {}),
    };
  });
  const things = list(root.things, `${source}: things`).map((raw, i): ThingOption => {
    const where = `${source}: things.${i + 1}`;
    const t = entry(raw, ['groups', 'behaviour'], where);
    const groups = list(t.groups, `${where}.groups`).map((g) =>
      typeof g === 'string' ? g : fail(where, 'groups are names'),
    );
    return {
      name: t.name as string,
      ...(groups.length > 0 ? { groups } : {}),
      ...(t.behaviour !== undefined ? { behaviour: behaviourOf(t.behaviour, where) } : {}),
    };
  });
  return { things, thingGroups };
}

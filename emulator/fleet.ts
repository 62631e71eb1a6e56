/**
 * The registry of things and thing groups: membership, each device's behaviour (configured, and scenario overrides
 * on top), and which things a job's targets reach. With nothing configured it is open: every target is accepted, an
 * unknown thing is registered as a device that succeeds and an unknown thing group as an empty one.
 */
import type {
  DeviceBehaviour,
  ThingGroupOption,
  ThingGroupView,
  ThingOption,
  ThingView,
} from './job-types.js';
import { checkBehaviour } from './device-behaviour.js';
import { checkShape, formatViolations } from './model-check.js';
import { JOBS_MODEL } from './model/iot-jobs.js';

export interface FleetOptions {
  things?: ThingOption[];
  thingGroups?: ThingGroupOption[];
  /** `arn:<partition>:iot:<region>:<account>` */
  arnPrefix: string;
}

interface ThingRecord {
  groups: string[];
  behaviour?: DeviceBehaviour;
}

interface GroupRecord {
  things: string[];
  behaviour?: DeviceBehaviour;
}

type Target = { kind: 'thing' | 'thinggroup'; name: string };

const TARGET = /:(thing|thinggroup)\/([^/]+)$/;

/** The kind and name in a target ARN (the create request's rules have checked its form already). */
function parseTarget(arn: string): Target | undefined {
  const m = TARGET.exec(arn);
  return m ? { kind: m[1] as Target['kind'], name: m[2]! } : undefined;
}

/** Thing group names follow the same rule as thing names ([a-zA-Z0-9:_-]+, 1..128). */
function checkName(name: unknown, where: string): string {
  const violations = checkShape(JOBS_MODEL.shapes, 'ThingName', name, where);
  if (violations.length > 0) throw new Error(`emulator: ${formatViolations(violations)}`);
  return name as string;
}

export class Fleet {
  readonly open: boolean;
  readonly #options: FleetOptions;
  #things = new Map<string, ThingRecord>();
  #groups = new Map<string, GroupRecord>();
  #thingOverrides = new Map<string, DeviceBehaviour>();
  #groupOverrides = new Map<string, DeviceBehaviour>();

  constructor(options: FleetOptions) {
    this.#options = options;
    this.open = options.things === undefined && options.thingGroups === undefined;
    this.restore();
  }

  /** Back to the configured fleet: drops things registered on first use, joins and behaviour overrides. */
  restore(): void {
    this.#things = new Map();
    this.#groups = new Map();
    this.clearOverrides();
    for (const [i, g] of (this.#options.thingGroups ?? []).entries()) {
      const name = checkName(g.name, `thingGroups.${i + 1}.name`);
      if (this.#groups.has(name)) throw new Error(`emulator: thing group ${name} is declared twice`);
      this.#groups.set(name, {
        things: [],
        ...(g.behaviour !== undefined
          ? { behaviour: checkBehaviour(g.behaviour, `thing group ${name}`) }
          : {}),
      });
    }
    for (const [i, t] of (this.#options.things ?? []).entries()) {
      const name = checkName(t.name, `things.${i + 1}.name`);
      if (this.#things.has(name)) throw new Error(`emulator: thing ${name} is declared twice`);
      this.#things.set(name, {
        groups: [],
        ...(t.behaviour !== undefined ? { behaviour: checkBehaviour(t.behaviour, `thing ${name}`) } : {}),
      });
      for (const group of t.groups ?? []) this.#join(name, checkName(group, `things.${i + 1}.groups`));
    }
  }

  clearOverrides(): void {
    this.#thingOverrides = new Map();
    this.#groupOverrides = new Map();
  }

  thingArn(name: string): string {
    return `${this.#options.arnPrefix}:thing/${name}`;
  }

  groupArn(name: string): string {
    return `${this.#options.arnPrefix}:thinggroup/${name}`;
  }

  /** The targets that do not exist, each worded as CreateOTAUpdate's 404 names it; always none when open. */
  missingTargets(targets: readonly string[]): string[] {
    if (this.open) return [];
    return targets.flatMap((arn) => {
      const t = parseTarget(arn);
      if (t?.kind === 'thing' && !this.#things.has(t.name)) return [`Thing ${t.name} does not exist`];
      if (t?.kind === 'thinggroup' && !this.#groups.has(t.name))
        return [`Thing group ${t.name} does not exist`];
      return [];
    });
  }

  /** In the open registry, registers the targets it has not seen: things that succeed, empty groups. */
  register(targets: readonly string[]): void {
    if (!this.open) return;
    for (const arn of targets) {
      const t = parseTarget(arn);
      if (t?.kind === 'thing' && !this.#things.has(t.name)) this.#things.set(t.name, { groups: [] });
      if (t?.kind === 'thinggroup' && !this.#groups.has(t.name)) this.#groups.set(t.name, { things: [] });
    }
  }

  /** The things the targets reach, each once, in target order (a group's things in the order they joined). */
  thingsOf(targets: readonly string[]): string[] {
    const out = new Set<string>();
    for (const arn of targets) {
      const t = parseTarget(arn);
      if (t?.kind === 'thing' && this.#things.has(t.name)) out.add(t.name);
      if (t?.kind === 'thinggroup')
        for (const thing of this.#groups.get(t.name)?.things ?? []) out.add(thing);
    }
    return [...out];
  }

  /** A thing's own behaviour, else its first group's that has one (overrides first), else 'succeed'. */
  behaviourOf(thing: string): DeviceBehaviour {
    const own = this.#thingOverrides.get(thing) ?? this.#things.get(thing)?.behaviour;
    if (own !== undefined) return own;
    for (const group of this.#things.get(thing)?.groups ?? []) {
      const b = this.#groupOverrides.get(group) ?? this.#groups.get(group)?.behaviour;
      if (b !== undefined) return b;
    }
    return 'succeed';
  }

  setThingBehaviour(thing: string, behaviour: DeviceBehaviour): void {
    this.#requireThing(thing);
    this.#thingOverrides.set(thing, checkBehaviour(behaviour, `thing ${thing}`));
  }

  setGroupBehaviour(group: string, behaviour: DeviceBehaviour): void {
    this.#requireGroup(group);
    this.#groupOverrides.set(group, checkBehaviour(behaviour, `thing group ${group}`));
  }

  /** Adds the thing (registering a new one) to the group; false when it was a member already. */
  addThingToGroup(thing: string, group: string): boolean {
    checkName(thing, 'thingName');
    checkName(group, 'thingGroupName');
    if (!this.#groups.has(group)) {
      if (!this.open) throw new Error(`emulator: no thing group ${group} (the fleet is configured)`);
      this.#groups.set(group, { things: [] });
    }
    if (!this.#things.has(thing)) this.#things.set(thing, { groups: [] });
    return this.#join(thing, group);
  }

  things(): ThingView[] {
    return [...this.#things].map(([name, t]) => ({
      name,
      arn: this.thingArn(name),
      groups: [...t.groups],
      behaviour: this.behaviourOf(name),
    }));
  }

  groups(): ThingGroupView[] {
    return [...this.#groups].map(([name, g]) => {
      const behaviour = this.#groupOverrides.get(name) ?? g.behaviour;
      return { name, arn: this.groupArn(name), things: [...g.things], ...(behaviour ? { behaviour } : {}) };
    });
  }

  #join(thing: string, group: string): boolean {
    const g = this.#groups.get(group) ?? { things: [] };
    this.#groups.set(group, g);
    const t = this.#things.get(thing)!;
    if (g.things.includes(thing)) return false;
    g.things.push(thing);
    t.groups.push(group);
    return true;
  }

  #requireThing(thing: string): void {
    if (this.#things.has(thing)) return;
    if (!this.open) throw new Error(`emulator: no thing ${thing} (the fleet is configured)`);
    this.#things.set(checkName(thing, 'thingName'), { groups: [] });
  }

  #requireGroup(group: string): void {
    if (this.#groups.has(group)) return;
    if (!this.open) throw new Error(`emulator: no thing group ${group} (the fleet is configured)`);
    this.#groups.set(checkName(group, 'thingGroupName'), { things: [] });
  }
}

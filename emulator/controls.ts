/** Scenario controls: faults, lost replies and delays per operation, how new OTA updates end, and the devices. */
import { faultError } from './faults.js';
import type { DeviceBehaviour } from './job-types.js';
import { OPERATIONS } from './router.js';
import type { CreateOutcome, Fault, ScenarioControls } from './types.js';

/** The fleet changes a scenario makes (the job store applies them at the current emulated time). */
export interface FleetChanges {
  setThingBehaviour(thing: string, behaviour: DeviceBehaviour): void;
  setGroupBehaviour(group: string, behaviour: DeviceBehaviour): void;
  clearBehaviours(): void;
  addThingToGroup(thing: string, group: string): void;
}

interface CountedRule<T> {
  op: string;
  remaining: number;
  value: T;
}

/** What happens to one call of an operation, decided when it arrives. */
export interface CallPlan {
  fault: Fault | undefined;
  loseReply: boolean;
  delayMs: number;
}

function checkCount(n: number, what: string): void {
  if (!(Number.isInteger(n) && n >= 0) && n !== Infinity)
    throw new Error(`emulator: ${what} must be a count ≥ 0`);
}

function checkOp(op: string, fault?: Fault): void {
  const service = OPERATIONS[op];
  if (!service)
    throw new Error(`emulator: unknown operation '${op}' (known: ${Object.keys(OPERATIONS).join(', ')})`);
  // Fail now, in the test that set the fault up, rather than on the request it was meant for.
  if (fault !== undefined && fault !== 'reset') faultError(service, fault);
}

function take<T>(rules: CountedRule<T>[], op: string): T | undefined {
  const rule = rules.find((r) => r.op === op && r.remaining > 0);
  if (!rule) return undefined;
  rule.remaining -= 1;
  return rule.value;
}

export class Controls implements ScenarioControls {
  #faults: CountedRule<Fault>[] = [];
  #losses: CountedRule<true>[] = [];
  #delays: CountedRule<number>[] = [];
  #outcome: CreateOutcome = 'complete';

  constructor(readonly fleet: FleetChanges) {}

  failFirst(op: string, n: number, fault: Fault): void {
    checkOp(op, fault);
    checkCount(n, 'failFirst n');
    this.#faults.push({ op, remaining: n, value: fault });
  }

  failAlways(op: string, fault: Fault): void {
    checkOp(op, fault);
    this.#faults.push({ op, remaining: Infinity, value: fault });
  }

  loseReply(op: string, n = 1): void {
    checkOp(op);
    checkCount(n, 'loseReply n');
    this.#losses.push({ op, remaining: n, value: true });
  }

  delay(op: string, ms: number, n = Infinity): void {
    checkOp(op);
    checkCount(n, 'delay n');
    if (!(ms >= 0)) throw new Error('emulator: delay ms must be ≥ 0');
    this.#delays.push({ op, remaining: n, value: ms });
  }

  createOutcome(outcome: CreateOutcome): void {
    this.#outcome = outcome;
  }

  deviceBehaviour(thing: string, behaviour: DeviceBehaviour): void {
    this.fleet.setThingBehaviour(thing, behaviour);
  }

  groupBehaviour(group: string, behaviour: DeviceBehaviour): void {
    this.fleet.setGroupBehaviour(group, behaviour);
  }

  addThingToGroup(thing: string, group: string): void {
    this.fleet.addThingToGroup(thing, group);
  }

  clear(): void {
    this.#faults = [];
    this.#losses = [];
    this.#delays = [];
    this.#outcome = 'complete';
    this.fleet.clearBehaviours();
  }

  /** Consumes this call's share of the rules: a fault wins over a lost reply (a failed call has no effect to lose). */
  plan(op: string): CallPlan {
    const fault = take(this.#faults, op);
    const loseReply = fault === undefined && take(this.#losses, op) === true;
    return { fault, loseReply, delayMs: take(this.#delays, op) ?? 0 };
  }

  get outcome(): CreateOutcome {
    return this.#outcome;
  }
}

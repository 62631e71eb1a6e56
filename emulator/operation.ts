/** Runs one authenticated operation under the scenario controls: fault, delay, effect, then reply (or lose it). */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Controls } from './controls.js';
import type { Exchange, Reply } from './exchange.js';
import { faultError, type WireError } from './faults.js';
import type { Service } from './types.js';

export type ErrorReplier = (error: WireError) => Reply;

export async function runOperation(
  ex: Exchange,
  service: Service,
  controls: Controls,
  toReply: ErrorReplier,
  execute: () => Promise<Reply>,
): Promise<void> {
  const plan = controls.plan(ex.record.operation);
  if (plan.fault === 'reset') {
    ex.reset();
    return;
  }
  if (plan.fault !== undefined) {
    await ex.send(toReply(faultError(service, plan.fault)));
    return;
  }
  // The delay comes before the effect, and the effect happens even if the client gave up meanwhile, as a slow
  // service still completes work whose caller timed out.
  if (plan.delayMs > 0) await sleep(plan.delayMs);
  const reply = await execute();
  if (plan.loseReply) ex.loseReply(reply);
  else await ex.send(reply);
}

/**
 * Device behaviours: checking one given as an option or in a fleet file, reading the CLI's text form
 * (`fail:0x01000000`, `fail-rate:0.2:7`), and resolving one into what a device does with a given job.
 */
import { createHash } from 'node:crypto';
import type { DeviceBehaviour, DeviceOutcome } from './job-types.js';
import { checkShape, formatViolations } from './model-check.js';
import { JOBS_MODEL } from './model/iot-jobs.js';

/** What a FreeRTOS OTA agent writes as detailsMap.reason when an update fails ("<OtaErr>: <sub-code>"). */
export const DEFAULT_FAILURE_REASON = '0x01000000: 0xfffffffe';

const NAMED = new Set(['succeed', 'fail', 'reject', 'offline', 'hang']);

export const BEHAVIOUR_FORMS =
  'succeed | fail | fail:REASON | reject | reject:REASON | offline | hang | fail-rate:RATE:SEED[:REASON]';

function checkReason(reason: unknown, where: string): string {
  const violations = checkShape(JOBS_MODEL.shapes, 'DetailsValue', reason, `${where} reason`);
  if (violations.length > 0) throw new Error(`emulator: ${formatViolations(violations)}`);
  return reason as string;
}

/** `value` as a DeviceBehaviour; throws naming `where` when it is not one. */
export function checkBehaviour(value: unknown, where: string): DeviceBehaviour {
  if (typeof value === 'string' && NAMED.has(value)) return value as DeviceBehaviour;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o).sort().join(',');
    if (keys === 'fail') return { fail: checkReason(o.fail, where) };
    if (keys === 'reject') return { reject: checkReason(o.reject, where) };
    if (keys === 'failRate,seed' || keys === 'failRate,reason,seed') {
      const { failRate, seed } = o;
      if (typeof failRate !== 'number' || !(failRate >= 0 && failRate <= 1))
        throw new Error(`emulator: ${where} failRate must be a number from 0 to 1, got ${String(failRate)}`);
      if (typeof seed !== 'number' || !Number.isInteger(seed))
        throw new Error(`emulator: ${where} seed must be an integer, got ${String(seed)}`);
      return o.reason === undefined
        ? { failRate, seed }
        : { failRate, seed, reason: checkReason(o.reason, where) };
    }
  }
  throw new Error(
    `emulator: ${where} is not a device behaviour: ${JSON.stringify(value)} (one of 'succeed', 'fail', 'reject', ` +
      `'offline', 'hang', {fail: reason}, {reject: reason}, {failRate, seed, reason?})`,
  );
}

/** The CLI's text form of a behaviour (BEHAVIOUR_FORMS); throws naming `where` otherwise. */
export function parseBehaviour(text: string, where: string): DeviceBehaviour {
  if (NAMED.has(text)) return text as DeviceBehaviour;
  const colon = text.indexOf(':');
  const [kind, rest] = colon < 0 ? [text, ''] : [text.slice(0, colon), text.slice(colon + 1)];
  if (kind === 'fail' && rest !== '') return checkBehaviour({ fail: rest }, where);
  if (kind === 'reject' && rest !== '') return checkBehaviour({ reject: rest }, where);
  const rate = /^([\d.]+):(-?\d+)(?::(.+))?$/.exec(rest);
  if (kind === 'fail-rate' && rate) {
    const [, failRate, seed, reason] = rate;
    return checkBehaviour(
      { failRate: Number(failRate), seed: Number(seed), ...(reason ? { reason } : {}) },
      where,
    );
  }
  throw new Error(`emulator: ${where}: '${text}' is not a device behaviour (${BEHAVIOUR_FORMS})`);
}

/** A number in [0, 1) from a hash of the parts: the same parts always give the same number. */
function seededUnit(...parts: (string | number)[]): number {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** What the device does with job `jobId`. */
export function resolveOutcome(behaviour: DeviceBehaviour, jobId: string, thingName: string): DeviceOutcome {
  if (behaviour === 'fail') return { kind: 'fail', reason: DEFAULT_FAILURE_REASON };
  if (typeof behaviour === 'string') return { kind: behaviour };
  if ('fail' in behaviour) return { kind: 'fail', reason: behaviour.fail };
  if ('reject' in behaviour) return { kind: 'reject', reason: behaviour.reject };
  return seededUnit(behaviour.seed, jobId, thingName) < behaviour.failRate
    ? { kind: 'fail', reason: behaviour.reason ?? DEFAULT_FAILURE_REASON }
    : { kind: 'succeed' };
}

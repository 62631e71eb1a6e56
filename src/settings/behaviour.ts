/**
 * The behaviour inputs: what to do about an existing id, how far to wait (created, rollout or not at all), what a
 * rollout is judged by, and dry-run. Rollout inputs are checked whatever `wait` says, so a typo is caught before
 * anyone relies on it; without `wait: rollout` they have no effect, and a warning says so.
 */
import type { BehaviourSettings, IfExists, RolloutSettings, WaitMode } from '../types.js';
import { INPUTS, type InputName } from '../runner/names.js';
import { parseBoolean, parseInteger, type Problems } from './parse-values.js';
import { describeValue } from './values.js';

const IF_EXISTS: readonly IfExists[] = ['reuse', 'fail', 'replace'];

/** The spellings `@actions/core`'s getBooleanInput accepts (YAML 1.2 core schema). */
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

const ROLLOUT_DEFAULTS: RolloutSettings = {
  successPercentage: 100,
  timeoutMinutes: 60,
  cancelOnFailure: false,
};

/** 4320 minutes (3 days): GitHub-hosted jobs stop at 6 h, self-hosted ones may run for days. */
const ROLLOUT_TIMEOUT_MAX_MINUTES = 4320;

const ROLLOUT_INPUTS: readonly InputName[] = [
  INPUTS.rolloutSuccessPercentage,
  INPUTS.rolloutTimeoutMinutes,
  INPUTS.cancelOnFailure,
];

function parseWaitMode(text: string, problems: Problems): WaitMode {
  if (text === '' || text === 'created' || TRUE.includes(text)) return 'created';
  if (text === 'rollout') return 'rollout';
  if (FALSE.includes(text)) return 'none';
  problems.push({
    input: INPUTS.wait,
    message: `must be created, rollout or false (true means created), got ${describeValue(text)}`,
  });
  return 'created';
}

/** A share in percent: a decimal number, 0 < p ≤ 100. */
function parsePercentage(input: InputName, text: string, fallback: number, problems: Problems): number {
  if (text === '') return fallback;
  const n = /^(\d+(\.\d+)?|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  if (!(n > 0 && n <= 100)) {
    problems.push({
      input,
      message: `must be a number greater than 0 and at most 100 (a share in percent, e.g. 100 or 99.5), got ${describeValue(text)}`,
    });
    return fallback;
  }
  return n;
}

function parseRollout(get: (n: InputName) => string, problems: Problems): RolloutSettings {
  return {
    successPercentage: parsePercentage(
      INPUTS.rolloutSuccessPercentage,
      get(INPUTS.rolloutSuccessPercentage),
      ROLLOUT_DEFAULTS.successPercentage,
      problems,
    ),
    timeoutMinutes: parseInteger(
      INPUTS.rolloutTimeoutMinutes,
      get(INPUTS.rolloutTimeoutMinutes),
      ROLLOUT_DEFAULTS.timeoutMinutes,
      { min: 1, max: ROLLOUT_TIMEOUT_MAX_MINUTES },
      problems,
    ),
    cancelOnFailure: parseBoolean(
      INPUTS.cancelOnFailure,
      get(INPUTS.cancelOnFailure),
      ROLLOUT_DEFAULTS.cancelOnFailure,
      problems,
    ),
  };
}

export function parseBehaviour(
  get: (n: InputName) => string,
  problems: Problems,
  warnings: string[],
): BehaviourSettings {
  const ifExistsText = get(INPUTS.ifExists) || 'reuse';
  const ifExists = IF_EXISTS.find((v) => v === ifExistsText);
  if (ifExists === undefined) {
    problems.push({
      input: INPUTS.ifExists,
      message: `must be one of ${IF_EXISTS.join(', ')}, got ${describeValue(ifExistsText)}`,
    });
  }
  const wait = parseWaitMode(get(INPUTS.wait), problems);
  const rollout = parseRollout(get, problems);
  const ignored = ROLLOUT_INPUTS.filter((name) => get(name) !== '');
  if (wait !== 'rollout' && ignored.length > 0) {
    warnings.push(
      `${ignored.join(', ')} ${ignored.length === 1 ? 'applies' : 'apply'} only with wait: rollout (wait is ${get(INPUTS.wait) || 'created'}), so ${ignored.length === 1 ? 'it is' : 'they are'} ignored`,
    );
  }
  return {
    ifExists: ifExists ?? 'reuse',
    wait,
    rollout: wait === 'rollout' ? rollout : undefined,
    waitTimeoutSeconds: parseInteger(
      INPUTS.waitTimeoutSeconds,
      get(INPUTS.waitTimeoutSeconds),
      600,
      { min: 1, max: 21600 },
      problems,
    ),
    dryRun: parseBoolean(INPUTS.dryRun, get(INPUTS.dryRun), false, problems),
  };
}

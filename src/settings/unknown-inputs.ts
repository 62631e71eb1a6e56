/**
 * INPUT_* variables that name no input of the action. The runner only warns about a `with:` key that action.yml
 * does not declare, and still sets its variable, so a typo such as `rollout-configuration` would silently ship
 * without its rate limit. Each one fails the step with the nearest valid name, unless `unknown-inputs: warn` says
 * the variables come from the job's `env:`.
 */
import { INPUTS } from '../runner/names.js';
import type { Problems } from './parse-values.js';
import { describeValue } from './values.js';

const MODES = ['fail', 'warn'] as const;
type Mode = (typeof MODES)[number];

/** Levenshtein distance: the fewest insertions, deletions and substitutions that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The valid input nearest to `name`, when it is near enough to be what was meant. */
export function nearestInput(name: string): string | undefined {
  let best: { input: string; distance: number } | undefined;
  for (const input of Object.values(INPUTS)) {
    const distance = editDistance(name, input);
    if (best === undefined || distance < best.distance) best = { input, distance };
  }
  return best && best.distance <= Math.max(2, Math.ceil(name.length / 3)) ? best.input : undefined;
}

/** `INPUT_ROLLOUT-CONFIGURATION` as the user wrote it in `with:`: `rollout-configuration`, quoted when odd. */
function spelling(variable: string): string {
  const name = variable.slice('INPUT_'.length).toLowerCase();
  return /^[a-z0-9_.-]{1,64}$/.test(name) ? name : describeValue(name);
}

/** Problems (with `fail`, the default) or warnings (with `warn`) for each unknown INPUT_* variable. */
export function checkUnknownInputs(
  modeText: string,
  variables: readonly string[],
  problems: Problems,
  warnings: string[],
): void {
  const mode: Mode | undefined = modeText === '' ? 'fail' : MODES.find((m) => m === modeText);
  if (mode === undefined) {
    problems.push({
      input: INPUTS.unknownInputs,
      message: `must be ${MODES.join(' or ')}, got ${describeValue(modeText)}`,
    });
  }
  for (const variable of variables) {
    const name = spelling(variable);
    const near = nearestInput(name);
    const meant = near === undefined ? 'see the inputs in action.yml' : `did you mean ${near}?`;
    if (mode === 'warn') {
      warnings.push(
        `${name} is not an input of this action (${meant}); ${describeValue(variable)} is ignored`,
      );
    } else {
      problems.push({
        input: name,
        message: `is not an input of this action: ${meant} (set unknown-inputs: warn if ${describeValue(variable)} comes from env: rather than with:)`,
      });
    }
  }
}

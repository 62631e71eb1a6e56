/**
 * An INPUT_* variable that names no input of action.yml fails the step, naming it as the user wrote it and the
 * nearest valid input; `unknown-inputs: warn` turns that into a warning for setups whose `env:` sets such variables.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nearestInput } from '../../../src/settings/unknown-inputs.js';
import { makeWorkspace, parseIn, problemsIn, type Scenario } from '../fixtures.js';

let ws: string;
beforeAll(() => {
  ws = makeWorkspace();
});

const unknown = (variables: string[], inputs: Scenario['inputs'] = {}): Scenario => ({
  inputs,
  env: { unknownInputVariables: variables },
});
const fromEnv = (variable: string) =>
  `(set unknown-inputs: warn if "${variable}" comes from env: rather than with:)`;

describe('an input the action does not have', () => {
  const cases: [string, Scenario, string[]][] = [
    [
      'rollout-configuration, the typo of rollout-config',
      unknown(['INPUT_ROLLOUT-CONFIGURATION']),
      [
        `rollout-configuration: is not an input of this action: did you mean rollout-config? ${fromEnv('INPUT_ROLLOUT-CONFIGURATION')}`,
      ],
    ],
    [
      'a name with a letter swapped',
      unknown(['INPUT_TARGTES']),
      [`targtes: is not an input of this action: did you mean targets? ${fromEnv('INPUT_TARGTES')}`],
    ],
    [
      'underscores where the name has dashes',
      unknown(['INPUT_DRY_RUN']),
      [`dry_run: is not an input of this action: did you mean dry-run? ${fromEnv('INPUT_DRY_RUN')}`],
    ],
    [
      'a name like none of the inputs',
      unknown(['INPUT_FOO']),
      [`foo: is not an input of this action: see the inputs in action.yml ${fromEnv('INPUT_FOO')}`],
    ],
    [
      'a name with a line break, quoted',
      unknown(['INPUT_A\n::ERROR::X']),
      [
        `"a\\n::error::x": is not an input of this action: see the inputs in action.yml (set unknown-inputs: warn if "INPUT_A\\n::ERROR::X" comes from env: rather than with:)`,
      ],
    ],
    [
      'reported first, before what it may explain (targets missing because of target)',
      unknown(['INPUT_TARGET'], { targets: '' }),
      [
        `target: is not an input of this action: did you mean targets? ${fromEnv('INPUT_TARGET')}`,
        'targets: is required: thing or thing-group ARNs, thing/NAME or thinggroup/NAME, newline- or comma-separated',
      ],
    ],
    [
      'unknown-inputs fail says the same',
      unknown(['INPUT_FOO'], { 'unknown-inputs': 'fail' }),
      [`foo: is not an input of this action: see the inputs in action.yml ${fromEnv('INPUT_FOO')}`],
    ],
    [
      'unknown-inputs that is neither fail nor warn, and the unknown input still fails',
      unknown(['INPUT_FOO'], { 'unknown-inputs': 'ignore' }),
      [
        `foo: is not an input of this action: see the inputs in action.yml ${fromEnv('INPUT_FOO')}`,
        'unknown-inputs: must be fail or warn, got "ignore"',
      ],
    ],
  ];
  it.each(cases)('%s', (_name, scenario, expected) => {
    expect(problemsIn(ws, scenario)).toEqual(expected);
  });

  it('with unknown-inputs: warn, each is a warning and the run goes on', () => {
    const { warnings } = parseIn(
      ws,
      unknown(['INPUT_ROLLOUT-CONFIGURATION', 'INPUT_FOO'], {
        'unknown-inputs': 'warn',
        'signer-job-id': 'job-1',
      }),
    );
    expect(warnings).toEqual([
      'rollout-configuration is not an input of this action (did you mean rollout-config?); "INPUT_ROLLOUT-CONFIGURATION" is ignored',
      'foo is not an input of this action (see the inputs in action.yml); "INPUT_FOO" is ignored',
    ]);
  });
});

describe('nearestInput', () => {
  it.each([
    ['rollout-configuration', 'rollout-config'],
    ['rolloutconfig', 'rollout-config'],
    ['signingprofile', 'signing-profile'],
    ['s3-buckets', 's3-bucket'],
    ['waits', 'wait'],
    ['dryrun', 'dry-run'],
    ['x', undefined],
    ['completely-unrelated-name', undefined],
  ])('%s → %s', (name, expected) => {
    expect(nearestInput(name)).toBe(expected);
  });
});

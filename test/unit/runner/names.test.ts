import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUTS, SINGLE_FILE_INPUTS } from '../../../src/runner/names.js';

const root = join(import.meta.dirname, '../../..');
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
};

describe('action.yml and names.ts', () => {
  it('declare the same inputs', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(INPUTS).sort());
  });

  it('give no action.yml default to an input whose default depends on the mode', () => {
    const modeDependent = [
      ...SINGLE_FILE_INPUTS,
      INPUTS.awsRegion,
      INPUTS.roleSessionName,
      INPUTS.otaUpdateId,
      INPUTS.description,
    ];
    expect(modeDependent.filter((name) => action.inputs[name]?.default !== undefined)).toEqual([]);
  });

  it('mark exactly ota-role-arn and targets required', () => {
    const required = Object.entries(action.inputs)
      .filter(([, spec]) => spec.required === true)
      .map(([name]) => name);
    expect(required.sort()).toEqual([INPUTS.otaRoleArn, INPUTS.targets].sort());
  });
});

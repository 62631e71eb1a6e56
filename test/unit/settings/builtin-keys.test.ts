/**
 * A key named like an object built-in (`constructor`, `__proto__`, `toString`, …) in any structured input is an
 * unknown key of that input: never an internal error, never dropped, never a prototype.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, problemsIn, type Scenario } from '../fixtures.js';

let ws: string;
beforeAll(() => {
  ws = makeWorkspace();
});

const BUILTINS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
const RESERVED =
  'is not a valid key (the names of JavaScript object built-ins such as constructor, __proto__ and toString are reserved)';
const FILE_KEYS = 'fileName, fileType, fileVersion, fileLocation, codeSigning, attributes';
const CRITERIA =
  '"failureType": "ALL", "action": "CANCEL", "thresholdPercentage": 5, "minNumberOfExecutedThings": 1';
const STREAM = '"fileLocation": {"stream": {"streamId": "s"}}';
const NO_SINGLE_FILE = { firmware: '', 's3-bucket': '' };

/** Each structured input with the key `k` in one of its objects, and the exact problem it is refused with. */
const places: [string, (k: string) => Scenario, (k: string) => string][] = [
  [
    'rollout-config',
    (k) => ({ inputs: { 'rollout-config': `{"${k}": 5}` } }),
    (k) => `rollout-config: ${k} is not a valid key (valid keys: maximumPerMinute, exponentialRate)`,
  ],
  [
    'rollout-config exponentialRate.rateIncreaseCriteria',
    (k) => ({
      inputs: {
        'rollout-config': `{"exponentialRate": {"baseRatePerMinute": 5, "incrementFactor": 2, "rateIncreaseCriteria": {"${k}": 1}}}`,
      },
    }),
    (k) =>
      `rollout-config: exponentialRate.rateIncreaseCriteria.${k} is not a valid key (valid keys: numberOfNotifiedThings, numberOfSucceededThings)`,
  ],
  [
    'abort-config',
    (k) => ({ inputs: { 'abort-config': `{"abortCriteriaList": [{${CRITERIA}}], "${k}": 1}` } }),
    (k) => `abort-config: ${k} is not a valid key (valid keys: abortCriteriaList)`,
  ],
  [
    'abort-config abortCriteriaList[0]',
    (k) => ({ inputs: { 'abort-config': `{"abortCriteriaList": [{${CRITERIA}, "${k}": 1}]}` } }),
    (k) =>
      `abort-config: abortCriteriaList[0].${k} is not a valid key (valid keys: failureType, action, thresholdPercentage, minNumberOfExecutedThings)`,
  ],
  [
    'timeout-config',
    (k) => ({ inputs: { 'timeout-config': `{"${k}": 5}` } }),
    (k) => `timeout-config: ${k} is not a valid key (valid keys: inProgressTimeoutInMinutes)`,
  ],
  [
    'presigned-url-config',
    (k) => ({ inputs: { protocols: 'HTTP', 'presigned-url-config': `{"${k}": 60}` } }),
    (k) => `presigned-url-config: ${k} is not a valid key (valid keys: expiresInSec)`,
  ],
  [
    'files[0]',
    (k) => ({ inputs: { ...NO_SINGLE_FILE, files: `[{${STREAM}, "${k}": 1}]` } }),
    (k) => `files: [0].${k} is not a valid key (valid keys: ${FILE_KEYS})`,
  ],
  [
    'files[0].fileLocation.stream',
    (k) => ({
      inputs: { ...NO_SINGLE_FILE, files: `[{"fileLocation": {"stream": {"streamId": "s", "${k}": 1}}}]` },
    }),
    (k) => `files: [0].fileLocation.stream.${k} is not a valid key (valid keys: streamId, fileId)`,
  ],
  [
    'files[0].codeSigning',
    (k) => ({
      inputs: {
        ...NO_SINGLE_FILE,
        files: `[{${STREAM}, "codeSigning": {"awsSignerJobId": "j", "${k}": 1}}]`,
      },
    }),
    (k) =>
      `files: [0].codeSigning.${k} is not a valid key (valid keys: awsSignerJobId, startSigningJobParameter, customCodeSigning)`,
  ],
  [
    'files[0].attributes',
    (k) => ({ inputs: { ...NO_SINGLE_FILE, files: `[{${STREAM}, "attributes": {"${k}": "v"}}]` } }),
    (k) => `files: [0].attributes key "${k}" ${RESERVED}`,
  ],
  ['tags as JSON', (k) => ({ inputs: { tags: `{"${k}": "v"}` } }), (k) => `tags: key "${k}" ${RESERVED}`],
  ['tags as key=value lines', (k) => ({ inputs: { tags: `${k}=v` } }), (k) => `tags: key "${k}" ${RESERVED}`],
  [
    'file-attributes as JSON',
    (k) => ({ inputs: { 'file-attributes': `{"${k}": "v"}` } }),
    (k) => `file-attributes: key "${k}" ${RESERVED}`,
  ],
  [
    'file-attributes as key=value lines',
    (k) => ({ inputs: { 'file-attributes': `a=1\n${k}=v` } }),
    (k) => `file-attributes: key "${k}" ${RESERVED}`,
  ],
  [
    'additional-parameters as JSON',
    (k) => ({ inputs: { 'additional-parameters': `{"${k}": "v"}` } }),
    (k) => `additional-parameters: key "${k}" ${RESERVED}`,
  ],
  [
    'additional-parameters as key=value lines',
    (k) => ({ inputs: { 'additional-parameters': `${k}=v` } }),
    (k) => `additional-parameters: key "${k}" ${RESERVED}`,
  ],
];

describe('a key named like an object built-in', () => {
  const cases = places.flatMap(([where, scenario, message]) =>
    BUILTINS.map((key): [string, string, Scenario, string] => [where, key, scenario(key), message(key)]),
  );
  it.each(cases)('%s: %s is an unknown key of the input', (_where, _key, scenario, expected) => {
    expect(problemsIn(ws, scenario)).toEqual([expected]);
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is not a prototype: a __proto__ mapping is one unknown key, its members are not looked at', () => {
    expect(
      problemsIn(ws, {
        inputs: { 'rollout-config': '{"__proto__": {"polluted": 1, "maximumPerMinute": 5}}' },
      }),
    ).toEqual([
      'rollout-config: __proto__ is not a valid key (valid keys: maximumPerMinute, exponentialRate)',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

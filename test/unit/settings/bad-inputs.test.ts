/**
 * The bad-input cases that left the end-to-end corpus (test/fixtures/bad-inputs.yaml keeps a representative set and
 * runs it through dist/index.js): each one here with the exact problems parseSettings reports, from the corpus's
 * base release (an OIDC release of firmware.bin to firmware-bucket in us-east-1). Cases that settings.test.ts already
 * has with the same inputs and messages are not repeated here.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.js';
import type { InputName } from '../../../src/runner/names.js';
import { parseSettings } from '../../../src/settings/settings.js';
import { githubContext, rawInputs, runEnv, type Scenario } from '../fixtures.js';

/** The corpus's base release (test/e2e/bad-inputs.test.ts). */
const BASE: Partial<Record<InputName, string>> = {
  'role-to-assume': 'arn:aws:iam::123456789012:role/ota-deployer',
  'ota-role-arn': 'arn:aws:iam::123456789012:role/ota-service',
  targets: 'thinggroup/fleet',
  firmware: 'firmware.bin',
  's3-bucket': 'firmware-bucket',
  'aws-region': 'us-east-1',
};

/** The corpus's workspace: firmware.bin, empty.sig and a directory build/. */
let ws: string;
beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'ota-bad-inputs-'));
  writeFileSync(join(ws, 'firmware.bin'), 'firmware bytes');
  writeFileSync(join(ws, 'empty.sig'), '');
  mkdirSync(join(ws, 'build'));
});

function problems(scenario: Scenario): string[] {
  try {
    parseSettings(
      rawInputs({ ...BASE, ...scenario.inputs }),
      githubContext(),
      runEnv(ws, { awsRegion: 'us-east-1', ...scenario.env }),
    );
    return [];
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return error.problems.map((p) => `${p.input}: ${p.message}`.replaceAll(ws, '<ws>'));
  }
}

const cases: [string, Scenario, string[]][] = [
  [
    'no region anywhere',
    { inputs: { 'aws-region': '' }, env: { awsRegion: undefined, awsDefaultRegion: undefined } },
    ['aws-region: is required: set aws-region, or AWS_REGION / AWS_DEFAULT_REGION in the environment'],
  ],
  [
    'AWS_REGION from the environment is not a region',
    { inputs: { 'aws-region': '' }, env: { awsRegion: 'europe' } },
    ['aws-region: must be an AWS region such as us-east-1, got "europe" (from AWS_REGION)'],
  ],
  [
    'role-session-name over 64 characters',
    { inputs: { 'role-session-name': 's'.repeat(65) } },
    [
      'role-session-name: must be 2..64 characters of letters, digits and \'_+=,.@-\', got "ssssssssssssssssssssssssssssssssssssssss"\u2026 (65 characters)',
    ],
  ],
  [
    'role-duration-seconds in hex',
    { inputs: { 'role-duration-seconds': '0xE10' } },
    ['role-duration-seconds: must be an integer 900..43200, got "0xE10"'],
  ],
  [
    'role-duration-seconds as a decimal',
    { inputs: { 'role-duration-seconds': '3600.0' } },
    ['role-duration-seconds: must be an integer 900..43200, got "3600.0"'],
  ],
  [
    'ota-update-id with command substitution',
    { inputs: { 'ota-update-id': '$(id)' } },
    ["ota-update-id: must use only letters, digits, '_' and '-', got \"$(id)\""],
  ],
  [
    'ota-update-id with a non-ASCII letter',
    { inputs: { 'ota-update-id': 'fw-\u00fc' } },
    ["ota-update-id: must use only letters, digits, '_' and '-', got \"fw-\u00fc\""],
  ],
  [
    'ota-update-id over 128 characters',
    { inputs: { 'ota-update-id': 'i'.repeat(129) } },
    [
      "ota-update-id: must be at most 56 characters long (IoT names the update's job AFR_OTA-<id>, and job ids stop at 64), got 129",
    ],
  ],
  [
    'targets missing',
    { inputs: { targets: '' } },
    [
      'targets: is required: thing or thing-group ARNs, thing/NAME or thinggroup/NAME, newline- or comma-separated',
    ],
  ],
  [
    'targets only separators',
    { inputs: { targets: ' ,, \n , ' } },
    [
      'targets: is required: thing or thing-group ARNs, thing/NAME or thinggroup/NAME, newline- or comma-separated',
    ],
  ],
  [
    'target without a kind',
    { inputs: { targets: 'dev-1' } },
    ['targets: "dev-1" is not a target: use a thing or thing-group ARN, thing/NAME or thinggroup/NAME'],
  ],
  [
    'target ARN of a topic',
    { inputs: { targets: 'arn:aws:iot:us-east-1:123456789012:topic/updates' } },
    [
      'targets: "arn:aws:iot:us-east-1:123456789012:topic/updates" is not a thing or thing-group ARN: use a thing or thing-group ARN, thing/NAME or thinggroup/NAME',
    ],
  ],
  [
    'target name with a semicolon command',
    { inputs: { targets: 'thing/dev;reboot' } },
    [
      "targets: \"thing/dev;reboot\" has an invalid name: names are 1..128 of letters, digits, ':', '_' and '-'",
    ],
  ],
  [
    'target name in backticks',
    { inputs: { targets: 'thinggroup/`id`' } },
    [
      "targets: \"thinggroup/`id`\" has an invalid name: names are 1..128 of letters, digits, ':', '_' and '-'",
    ],
  ],
  [
    'target name over 128 characters',
    { inputs: { targets: 'thing/' + 'd'.repeat(129) } },
    [
      "targets: \"thing/dddddddddddddddddddddddddddddddddd\"\u2026 (135 characters) has an invalid name: names are 1..128 of letters, digits, ':', '_' and '-'",
    ],
  ],
  [
    'firmware is a directory',
    { inputs: { firmware: 'build' } },
    [
      'firmware: must name a regular file (not a directory, FIFO, socket or device), got "build" (resolved to "<ws>/build")',
    ],
  ],
  [
    'bucket given as a URL',
    { inputs: { 's3-bucket': 's3://firmware-bucket/firmware.bin' } },
    [
      "s3-bucket: must be an S3 bucket name (letters, digits, '.', '-', '_'; not a URL or path), got \"s3://firmware-bucket/firmware.bin\"",
    ],
  ],
  [
    'bucket with a pipe',
    { inputs: { 's3-bucket': 'bucket|tee /tmp/x' } },
    [
      "s3-bucket: must be an S3 bucket name (letters, digits, '.', '-', '_'; not a URL or path), got \"bucket|tee /tmp/x\"",
    ],
  ],
  [
    'neither firmware nor s3-key',
    { inputs: { firmware: '' } },
    ['s3-key: is required when firmware is not set (the key of an existing object)'],
  ],
  [
    'existing object key ending in a slash, no file-name',
    { inputs: { firmware: '', 's3-key': 'builds/' } },
    ['file-name: is required when s3-key ends with "/" (got "builds/")'],
  ],
  [
    'file-type above 255',
    { inputs: { 'file-type': '256' } },
    ['file-type: must be an integer 0..255, got 256'],
  ],
  ['file-type negative', { inputs: { 'file-type': '-1' } }, ['file-type: must be an integer 0..255, got -1']],
  [
    'signing-profile with a space',
    { inputs: { 'signing-profile': 'my profile' } },
    [
      'signing-profile: must be an AWS Signer profile name (2..64 letters, digits and \'_\'), got "my profile"',
    ],
  ],
  [
    'signing-destination-bucket without signing-profile',
    { inputs: { 'signing-destination-bucket': 'signed-bucket' } },
    ['signing-destination-bucket: only applies with signing-profile'],
  ],
  [
    'signing-destination-prefix without signing-profile',
    { inputs: { 'signing-destination-prefix': 'signed/' } },
    ['signing-destination-prefix: only applies with signing-profile'],
  ],
  [
    'signing-profile and signer-job-id together',
    { inputs: { 'signing-profile': 'fw_signer', 'signer-job-id': 'job-1' } },
    [
      'signer-job-id: cannot be combined with signing-profile: choose one code-signing mode (signing-profile, signer-job-id, or signature / signature-file)',
    ],
  ],
  [
    'signature that is not base64',
    { inputs: { signature: 'not base64!' } },
    ["signature: must be base64 text (A-Z, a-z, 0-9, '+', '/', '=' padding)"],
  ],
  [
    'signature without its padding',
    { inputs: { signature: 'AAECAw' } },
    ["signature: must be base64 text (A-Z, a-z, 0-9, '+', '/', '=' padding)"],
  ],
  [
    'signature and signature-file together',
    { inputs: { signature: 'AAEC', 'signature-file': 'empty.sig' } },
    ['signature-file: cannot be combined with signature: give the signature once'],
  ],
  [
    'hash-algorithm MD5',
    { inputs: { signature: 'AAEC', 'hash-algorithm': 'MD5' } },
    ['hash-algorithm: must be one of SHA256, SHA1, got "MD5"'],
  ],
  [
    'signature-algorithm in lower case',
    { inputs: { signature: 'AAEC', 'signature-algorithm': 'ecdsa' } },
    ['signature-algorithm: must be one of ECDSA, RSA, got "ecdsa"'],
  ],
  [
    'certificate-name without a signature',
    { inputs: { 'certificate-name': 'ota.pem' } },
    [
      'signature: is required for custom code signing (certificate-name, hash-algorithm or signature-algorithm is set): give signature or signature-file',
    ],
  ],
  [
    'files together with the single-file inputs',
    { inputs: { files: '[{"fileName": "a", "fileLocation": {"stream": {"streamId": "s"}}}]' } },
    ['files: cannot be combined with the single-file inputs (firmware, s3-bucket): use one or the other'],
  ],
  [
    'files as malformed JSON',
    { inputs: { firmware: '', 's3-bucket': '', files: '[{"fileName": "a",]' } },
    [
      'files: is not valid YAML/JSON: Flow map in block collection must be sufficiently indented and end with a } (line 1)',
    ],
  ],
  [
    'files with a local path and a pinned version',
    {
      inputs: {
        firmware: '',
        's3-bucket': '',
        files:
          '[{"path": "firmware.bin", "fileLocation": {"s3Location": {"bucket": "b", "key": "k", "version": "v"}}}]',
      },
    },
    [
      'files: [0].path cannot be combined with fileLocation.s3Location.version: the upload creates the version',
    ],
  ],
  [
    'description with a bell character',
    { inputs: { description: 'release\u0007three' } },
    ['description: must not contain control characters such as line breaks, got "release\\u0007three"'],
  ],
  [
    'description over 2028 characters',
    { inputs: { description: 'd'.repeat(2029) } },
    ['description: must be at most 2028 characters long, got 2029'],
  ],
  [
    'rollout-config with a key in the wrong case',
    { inputs: { 'rollout-config': 'maximumperminute: 5' } },
    ['rollout-config: maximumperminute is not a valid key (did you mean maximumPerMinute?)'],
  ],
  [
    'presigned-url-config without the HTTP protocol',
    { inputs: { 'presigned-url-config': 'expiresInSec: 3600' } },
    ['presigned-url-config: only applies when protocols include HTTP (protocols is MQTT)'],
  ],
  [
    'additional-parameters value over 4096 characters',
    { inputs: { 'additional-parameters': 'a=' + 'v'.repeat(4097) } },
    ['additional-parameters: a must be at most 4096 characters long, got 4097'],
  ],
  [
    'tag key in the aws namespace',
    { inputs: { tags: 'aws:owner=me' } },
    ['tags: key "aws:owner" must not start with "aws:" (reserved by AWS)'],
  ],
  [
    'tag value that is a mapping',
    { inputs: { tags: 'team: {name: fw}' } },
    ['tags: team must be a string, got a mapping'],
  ],
  [
    'if-exists capitalised',
    { inputs: { 'if-exists': 'Reuse' } },
    ['if-exists: must be one of reuse, fail, replace, got "Reuse"'],
  ],
  [
    'rollout-success-percentage zero',
    { inputs: { wait: 'rollout', 'rollout-success-percentage': '0' } },
    [
      'rollout-success-percentage: must be a number greater than 0 and at most 100 (a share in percent, e.g. 100 or 99.5), got "0"',
    ],
  ],
  [
    'rollout-success-percentage above 100',
    { inputs: { wait: 'rollout', 'rollout-success-percentage': '100.5' } },
    [
      'rollout-success-percentage: must be a number greater than 0 and at most 100 (a share in percent, e.g. 100 or 99.5), got "100.5"',
    ],
  ],
  [
    'rollout-success-percentage with a percent sign',
    { inputs: { wait: 'rollout', 'rollout-success-percentage': '90%' } },
    [
      'rollout-success-percentage: must be a number greater than 0 and at most 100 (a share in percent, e.g. 100 or 99.5), got "90%"',
    ],
  ],
  [
    'rollout-timeout-minutes above three days',
    { inputs: { wait: 'rollout', 'rollout-timeout-minutes': '4321' } },
    ['rollout-timeout-minutes: must be an integer 1..4320, got "4321"'],
  ],
  [
    'wait-timeout-seconds negative',
    { inputs: { 'wait-timeout-seconds': '-5' } },
    ['wait-timeout-seconds: must be an integer 1..21600, got "-5"'],
  ],
  [
    'wait-timeout-seconds of 40 digits',
    { inputs: { 'wait-timeout-seconds': '9'.repeat(40) } },
    ['wait-timeout-seconds: must be an integer 1..21600, got "9999999999999999999999999999999999999999"'],
  ],
  [
    'dry-run in mixed case',
    { inputs: { 'dry-run': 'tRUE' } },
    ['dry-run: must be true or false, got "tRUE"'],
  ],
];

describe('a bad input from the corpus', () => {
  it('keeps every case the end-to-end corpus dropped, each named once', () => {
    expect(new Set(cases.map(([name]) => name)).size).toBe(cases.length);
  });

  it.each(cases)('%s', (_name, scenario, expected) => {
    expect(problems(scenario)).toEqual(expected);
  });
});

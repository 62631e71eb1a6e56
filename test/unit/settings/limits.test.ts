/**
 * Free text gets its real limits: S3 keys, names, ids and versions by the model, S3's and AWS Signer's rules or a
 * stated bound; no control characters where they have no business (a line break could forge a workflow command);
 * and every input has an upper bound, so that no 100 kB value reaches the network or the log, and an oversized
 * value is quoted only in part.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { INPUTS, type InputName } from '../../../src/runner/names.js';
import { makeWorkspace, problemsIn, type Scenario } from '../fixtures.js';

let ws: string;
beforeAll(() => {
  ws = makeWorkspace();
});

const x = (n: number) => 'x'.repeat(n);
const NO_CONTROL = 'must not contain control characters such as line breaks';
const FORGED = 'v1\n::error::forged';
const FORGED_Q = '"v1\\n::error::forged"';
const EXISTING = { firmware: '', 's3-key': 'builds/app.bin' } as const;
const NO_SINGLE_FILE = { firmware: '', 's3-bucket': '' } as const;
const s3File = (key: string) =>
  JSON.stringify([{ fileName: 'a', fileLocation: { s3Location: { bucket: 'b', key } } }]);

describe('S3 keys (s3-key, files[].fileLocation.s3Location.key, signing-destination-prefix)', () => {
  const places: [string, (v: string) => Scenario, string][] = [
    ['s3-key', (v) => ({ inputs: { ...EXISTING, 's3-key': v } }), 's3-key: '],
    [
      'files key',
      (v) => ({ inputs: { ...NO_SINGLE_FILE, files: s3File(v) } }),
      'files: [0].fileLocation.s3Location.key ',
    ],
    [
      'signing-destination-prefix',
      (v) => ({ inputs: { 'signing-profile': 'fw_signer', 'signing-destination-prefix': v } }),
      'signing-destination-prefix: ',
    ],
  ];
  const values: [string, string, string][] = [
    ['1025 bytes of UTF-8 (513 characters)', 'é'.repeat(513), 'must be 1..1024 bytes long (UTF-8), got 1026'],
    [
      'a leading slash',
      '/releases/fw.bin',
      'must not start with "/" (keys are relative to the bucket), got "/releases/fw.bin"',
    ],
    [
      'a .. segment',
      'releases/../secrets/fw.bin',
      'must not have a ".." segment, got "releases/../secrets/fw.bin"',
    ],
    ['only ..', '..', 'must not have a ".." segment, got ".."'],
    ['a line break', 'fw.bin\n::error::forged', `${NO_CONTROL}, got "fw.bin\\n::error::forged"`],
    ['a carriage return', 'fw.bin\r::add-mask::x', `${NO_CONTROL}, got "fw.bin\\r::add-mask::x"`],
    ['a NUL', 'fw\u0000.bin', `${NO_CONTROL}, got "fw\\u0000.bin"`],
    ['a right-to-left override', 'fw\u202Enib.exe', `${NO_CONTROL}, got "fw\u202Enib.exe"`],
    ['a line separator', 'fw\u2028::error::x', `${NO_CONTROL}, got "fw\u2028::error::x"`],
  ];
  const cases = places.flatMap(([where, scenario, prefix]) =>
    values.map(([what, value, message]): [string, string, Scenario, string] => [
      where,
      what,
      scenario(value),
      // A prefix may be empty: it has no lower bound.
      `${prefix}${where === 'signing-destination-prefix' ? message.replace('1..1024', 'at most 1024') : message}`,
    ]),
  );
  it.each(cases)('%s with %s', (_where, _what, scenario, expected) => {
    expect(problemsIn(ws, scenario)).toEqual([expected]);
  });

  it.each([
    ['1024 bytes', { ...EXISTING, 's3-key': 'é'.repeat(512) }],
    ['dots inside names and empty segments', { ...EXISTING, 's3-key': 'a/..b/c../.../d//e.bin' }],
    [
      'an empty signing-destination-prefix',
      { 'signing-profile': 'fw_signer', 'signing-destination-prefix': '' },
    ],
    ['a prefix that ends in /', { 'signing-profile': 'fw_signer', 'signing-destination-prefix': 'signed/' }],
  ])('accepts %s', (_what, inputs) => {
    expect(problemsIn(ws, { inputs })).toEqual([]);
  });
});

describe('names, ids and versions', () => {
  const cases: [string, Scenario, string[]][] = [
    [
      'file-name over 1024 characters',
      { inputs: { 'file-name': x(1025) } },
      ['file-name: must be 1..1024 characters long, got 1025'],
    ],
    [
      'file-name with a line break',
      { inputs: { 'file-name': FORGED } },
      [`file-name: ${NO_CONTROL}, got ${FORGED_Q}`],
    ],
    [
      'file-version over 1024 characters',
      { inputs: { 'file-version': x(1025) } },
      ['file-version: must be 1..1024 characters long, got 1025'],
    ],
    [
      'file-version with a line break',
      { inputs: { 'file-version': FORGED } },
      [`file-version: ${NO_CONTROL}, got ${FORGED_Q}`],
    ],
    [
      'certificate-name over 1024 characters',
      { inputs: { signature: 'AAEC', 'certificate-name': x(1025) } },
      ['certificate-name: must be 1..1024 characters long, got 1025'],
    ],
    [
      'certificate-name with a line break',
      { inputs: { signature: 'AAEC', 'certificate-name': FORGED } },
      [`certificate-name: ${NO_CONTROL}, got ${FORGED_Q}`],
    ],
    [
      'signer-job-id with a space',
      { inputs: { 'signer-job-id': 'job 1' } },
      [
        `signer-job-id: must be an AWS Signer job id (1..128 letters, digits, '_' and '-', e.g. a UUID), got "job 1"`,
      ],
    ],
    [
      'signer-job-id over 128 characters',
      { inputs: { 'signer-job-id': x(129) } },
      [
        `signer-job-id: must be an AWS Signer job id (1..128 letters, digits, '_' and '-', e.g. a UUID), got "${x(40)}"… (129 characters)`,
      ],
    ],
    [
      's3-version with a space',
      { inputs: { ...EXISTING, 's3-version': 'v 1' } },
      ['s3-version: must be an S3 version id (no spaces or control characters), got "v 1"'],
    ],
    [
      's3-version over 1024 bytes',
      { inputs: { ...EXISTING, 's3-version': x(1025) } },
      ['s3-version: must be 1..1024 bytes long (UTF-8), got 1025'],
    ],
    [
      'files[].fileLocation.s3Location.version with a line break',
      {
        inputs: {
          ...NO_SINGLE_FILE,
          files: JSON.stringify([
            { fileLocation: { s3Location: { bucket: 'b', key: 'k', version: FORGED } } },
          ]),
        },
      },
      [
        `files: [0].fileLocation.s3Location.version must be an S3 version id (no spaces or control characters), got ${FORGED_Q}`,
      ],
    ],
    [
      'audience over 255 characters',
      { inputs: { audience: x(256) } },
      [
        `audience: must be 1..255 characters without control characters (a client ID of the account's GitHub OIDC provider, such as sts.amazonaws.com), got "${x(40)}"… (256 characters)`,
      ],
    ],
    [
      'audience with a line break',
      { inputs: { audience: 'sts.amazonaws.com\n::add-mask::x' } },
      [
        `audience: must be 1..255 characters without control characters (a client ID of the account's GitHub OIDC provider, such as sts.amazonaws.com), got "sts.amazonaws.com\\n::add-mask::x"`,
      ],
    ],
    [
      'role-session-name with a line break',
      { inputs: { 'role-session-name': 'ci\n::error::x' } },
      [`role-session-name: must be 2..64 characters of letters, digits and '_+=,.@-', got "ci\\n::error::x"`],
    ],
    [
      'aws-region over 32 characters',
      { inputs: { 'aws-region': `us-${'east'.repeat(8)}-1` } },
      [`aws-region: must be an AWS region such as us-east-1, got "us-${'east'.repeat(8)}-1"`],
    ],
    [
      'files[].fileName, certificateName and certificatePathOnDevice with control characters',
      {
        inputs: {
          ...NO_SINGLE_FILE,
          files: JSON.stringify([
            {
              fileName: FORGED,
              fileLocation: { stream: { streamId: 's' } },
              codeSigning: {
                startSigningJobParameter: {
                  signingProfileName: 'fw_signer',
                  signingProfileParameter: { certificatePathOnDevice: FORGED, platform: 'Amazon FreeRTOS' },
                },
              },
            },
          ]),
        },
      },
      [
        `files: [0].fileName ${NO_CONTROL}, got ${FORGED_Q}`,
        `files: [0].codeSigning.startSigningJobParameter.signingProfileParameter.certificatePathOnDevice ${NO_CONTROL}, got ${FORGED_Q}`,
        `files: [0].codeSigning.startSigningJobParameter.signingProfileParameter.platform must be an AWS Signer platform id (1..128 letters, digits, '_' and '-'), got "Amazon FreeRTOS"`,
      ],
    ],
    [
      'files[].codeSigning.customCodeSigning.certificateChain with a bad name and an escape in the PEM',
      {
        inputs: {
          ...NO_SINGLE_FILE,
          files: JSON.stringify([
            {
              fileLocation: { stream: { streamId: 's' } },
              codeSigning: {
                customCodeSigning: {
                  signature: { inlineDocument: 'AAEC' },
                  certificateChain: { certificateName: '', inlineDocument: '-----BEGIN\u001b[2J' },
                },
              },
            },
          ]),
        },
      },
      [
        'files: [0].codeSigning.customCodeSigning.certificateChain.certificateName must not be empty',
        'files: [0].codeSigning.customCodeSigning.certificateChain.inlineDocument must not contain control characters other than tabs and line breaks, got "-----BEGIN\\u001b[2J"',
      ],
    ],
  ];
  it.each(cases)('%s', (_name, scenario, expected) => {
    expect(problemsIn(ws, scenario)).toEqual(expected);
  });

  it.each([
    ['a Signer job id (a UUID)', { 'signer-job-id': '2065c468-73e2-4385-a6c9-0123456789ab' }],
    ['an S3 version id', { ...EXISTING, 's3-version': '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' }],
    ['a device path as file-name', { 'file-name': '/lfs/firmware/app-image.bin' }],
    ['a version with a build suffix', { 'file-version': '2.4.0+build.17' }],
    ['an audience of another partition', { audience: 'sts.amazonaws.com.cn' }],
  ])('accepts %s', (_what, inputs) => {
    expect(problemsIn(ws, { inputs })).toEqual([]);
  });
});

describe('maps: keys and values of tags, file-attributes and additional-parameters', () => {
  const VALUE_CONTROL = 'must not contain control characters other than tabs and line breaks';
  const cases: [string, Scenario, string[]][] = [
    [
      'a tag value with a line break',
      { inputs: { tags: JSON.stringify({ team: FORGED }) } },
      [`tags: team ${NO_CONTROL}, got ${FORGED_Q}`],
    ],
    [
      'a tag key with a line break',
      { inputs: { tags: JSON.stringify({ [FORGED]: 'x' }) } },
      [`tags: key ${FORGED_Q} must use only letters, digits, spaces and '_.:/=+-@', got ${FORGED_Q}`],
    ],
    [
      'a file-attributes key with a line break',
      { inputs: { 'file-attributes': JSON.stringify({ [FORGED]: 'x' }) } },
      [`file-attributes: key ${FORGED_Q} ${NO_CONTROL}, got ${FORGED_Q}`],
    ],
    [
      'a file-attributes key over 128 characters',
      { inputs: { 'file-attributes': `${x(129)}=v` } },
      [`file-attributes: key "${x(40)}"… (129 characters) must be 1..128 characters long, got 129`],
    ],
    [
      'a file-attributes value with an escape sequence',
      { inputs: { 'file-attributes': 'note=\u001b[31mred' } },
      [`file-attributes: note ${VALUE_CONTROL}, got "\\u001b[31mred"`],
    ],
    [
      'an additional-parameters key with a NUL',
      { inputs: { 'additional-parameters': JSON.stringify({ 'a\u0000b': 'v' }) } },
      [`additional-parameters: key "a\\u0000b" ${NO_CONTROL}, got "a\\u0000b"`],
    ],
    [
      'an additional-parameters value with a bell',
      { inputs: { 'additional-parameters': JSON.stringify({ a: 'ding\u0007' }) } },
      [`additional-parameters: a ${VALUE_CONTROL}, got "ding\\u0007"`],
    ],
    [
      'files[].attributes with a key line break and a value escape',
      {
        inputs: {
          ...NO_SINGLE_FILE,
          files: JSON.stringify([
            { fileLocation: { stream: { streamId: 's' } }, attributes: { [FORGED]: '\u001b' } },
          ]),
        },
      },
      [
        `files: [0].attributes key ${FORGED_Q} ${NO_CONTROL}, got ${FORGED_Q}`,
        `files: [0].attributes["v1\\n::error::forged"] ${VALUE_CONTROL}, got "\\u001b"`,
      ],
    ],
    [
      '51 file-attributes',
      { inputs: { 'file-attributes': Array.from({ length: 51 }, (_, i) => `k${i}=v`).join('\n') } },
      ['file-attributes: must have at most 50 entries, got 51'],
    ],
    [
      '51 additional-parameters as JSON',
      {
        inputs: {
          'additional-parameters': JSON.stringify(
            Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
          ),
        },
      },
      ['additional-parameters: must have at most 50 entries, got 51'],
    ],
    [
      '51 files[].attributes',
      {
        inputs: {
          ...NO_SINGLE_FILE,
          files: JSON.stringify([
            {
              fileLocation: { stream: { streamId: 's' } },
              attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
            },
          ]),
        },
      },
      ['files: [0].attributes must have at most 50 entries, got 51'],
    ],
  ];
  it.each(cases)('%s', (_name, scenario, expected) => {
    expect(problemsIn(ws, scenario)).toEqual(expected);
  });

  it('keeps line breaks and tabs in map values, as the model allows (a PEM, a JSON document)', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\tAA==\r\n-----END CERTIFICATE-----';
    expect(problemsIn(ws, { inputs: { 'additional-parameters': JSON.stringify({ cert: pem }) } })).toEqual(
      [],
    );
  });
});

describe('how many', () => {
  const criterion = {
    failureType: 'ALL',
    action: 'CANCEL',
    thresholdPercentage: 5,
    minNumberOfExecutedThings: 1,
  };
  const cases: [string, Scenario, string[]][] = [
    [
      '101 targets',
      { inputs: { targets: Array.from({ length: 101 }, (_, i) => `thing/t${i}`).join(',') } },
      [
        'targets: must name at most 100 targets (the most an IoT job takes; use thing groups for more things), got 101',
      ],
    ],
    [
      '11 files',
      {
        inputs: {
          ...NO_SINGLE_FILE,
          files: JSON.stringify(
            Array.from({ length: 11 }, () => ({ fileLocation: { stream: { streamId: 's' } } })),
          ),
        },
      },
      ['files: must have at most 10 items, got 11'],
    ],
    [
      '5 abort criteria',
      { inputs: { 'abort-config': JSON.stringify({ abortCriteriaList: Array(5).fill(criterion) }) } },
      ['abort-config: abortCriteriaList must have at most 4 items, got 5'],
    ],
    [
      'a signature of 4097 bytes',
      { inputs: { signature: Buffer.alloc(4097, 7).toString('base64') } },
      ['signature: must be 1..4096 bytes long, got 4097'],
    ],
    [
      'a files signature of 4097 bytes',
      {
        inputs: {
          ...NO_SINGLE_FILE,
          files: JSON.stringify([
            {
              fileLocation: { stream: { streamId: 's' } },
              codeSigning: {
                customCodeSigning: { signature: { inlineDocument: Buffer.alloc(4097).toString('base64') } },
              },
            },
          ]),
        },
      },
      [
        'files: [0].codeSigning.customCodeSigning.signature.inlineDocument must be 1..4096 bytes long, got 4097',
      ],
    ],
  ];
  it.each(cases)('%s', (_name, scenario, expected) => {
    expect(problemsIn(ws, scenario)).toEqual(expected);
  });
});

/** 100 kB in each input, shaped as that input's valid values are, and what else the value needs. */
const K100 = 100_000;
const oversized: Record<InputName, [string, Partial<Record<InputName, string>>?]> = {
  'aws-region': [`us-${'e'.repeat(K100)}-1`],
  'role-to-assume': [`arn:aws:iam::123456789012:role/${x(K100)}`],
  'role-session-name': [x(K100)],
  'role-duration-seconds': ['9'.repeat(K100)],
  audience: [x(K100)],
  'ota-update-id': [x(K100)],
  'ota-role-arn': [`arn:aws:iam::123456789012:role/${x(K100)}`],
  targets: ['thing/a,'.repeat(K100 / 8)],
  firmware: ['d/'.repeat(K100 / 2)],
  's3-bucket': [x(K100)],
  's3-key': [x(K100)],
  's3-version': [x(K100), EXISTING],
  'file-name': [x(K100)],
  'file-version': [x(K100)],
  'file-type': ['1'.repeat(K100)],
  'file-attributes': [`a=${x(K100)}`],
  'signing-profile': [x(K100)],
  'signing-destination-bucket': [x(K100), { 'signing-profile': 'fw_signer' }],
  'signing-destination-prefix': ['p/'.repeat(K100 / 2), { 'signing-profile': 'fw_signer' }],
  'signer-job-id': [x(K100)],
  signature: ['AAAA'.repeat(K100 / 4)],
  'signature-file': ['d/'.repeat(K100 / 2)],
  'certificate-name': [x(K100), { signature: 'AAEC' }],
  'hash-algorithm': [x(K100), { signature: 'AAEC' }],
  'signature-algorithm': [x(K100), { signature: 'AAEC' }],
  files: [
    JSON.stringify(Array(K100 / 40).fill({ fileLocation: { stream: { streamId: 's' } } })),
    NO_SINGLE_FILE,
  ],
  protocols: ['MQTT,'.repeat(K100 / 5)],
  'target-selection': [x(K100)],
  description: [x(K100)],
  'rollout-config': [JSON.stringify({ [x(K100)]: 1 })],
  'abort-config': [JSON.stringify({ abortCriteriaList: Array(K100 / 100).fill({ failureType: 'ALL' }) })],
  'timeout-config': [JSON.stringify({ inProgressTimeoutInMinutes: x(K100) })],
  'presigned-url-config': [JSON.stringify({ expiresInSec: x(K100) }), { protocols: 'HTTP' }],
  'additional-parameters': [JSON.stringify({ a: x(K100) })],
  tags: [`team=${x(K100)}`],
  'if-exists': [x(K100)],
  wait: [x(K100)],
  'wait-timeout-seconds': ['9'.repeat(K100)],
  'rollout-success-percentage': ['9'.repeat(K100)],
  'rollout-timeout-minutes': ['9'.repeat(K100)],
  'cancel-on-failure': [x(K100)],
  'dry-run': [x(K100)],
  'unknown-inputs': [x(K100)],
};

describe('every input has an upper bound', () => {
  it('covers every input', () => {
    expect(Object.keys(oversized).sort()).toEqual(Object.values(INPUTS).sort());
  });

  it.each(Object.entries(oversized))(
    '100 kB in %s is refused in one short message',
    (name, [value, needs]) => {
      const problems = problemsIn(ws, { inputs: { ...needs, [name]: value } });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${name}: `));
      expect(problems[0]?.length).toBeLessThan(300);
    },
  );
});

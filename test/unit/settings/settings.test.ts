import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.js';
import { INPUTS, type InputName } from '../../../src/runner/names.js';
import type { Settings } from '../../../src/types.js';
import { parseSettings } from '../../../src/settings/settings.js';
import {
  githubContext,
  makeWorkspace,
  MINIMAL,
  parseIn,
  problemsIn,
  rawInputs,
  ROLE,
  runEnv,
  type Scenario,
} from '../fixtures.js';

let ws: string;
beforeAll(() => {
  ws = makeWorkspace();
});

const MODE_CONFLICT =
  'choose one code-signing mode (signing-profile, signer-job-id, or signature / signature-file)';
const EXISTING = { firmware: '', 's3-key': 'builds/app.bin' } as const;
const long = (n: number) => 'x'.repeat(n);
const UNSIGNED =
  'The firmware is not signed, and stock FreeRTOS OTA agents reject unsigned firmware. Sign it in one of three ways: signing-profile (AWS Signer signs it during the update), signer-job-id (a completed AWS Signer job), or signature / signature-file (your own signature, with certificate-name).';
const UNSIGNED_FILES =
  'No entry of files has codeSigning, and stock FreeRTOS OTA agents reject unsigned firmware. Sign each file in one of three ways: codeSigning.startSigningJobParameter (AWS Signer signs it during the update), codeSigning.awsSignerJobId (a completed AWS Signer job), or codeSigning.customCodeSigning (your own signature).';

describe('parseSettings defaults', () => {
  it('fills every default for a tag push with a firmware file', () => {
    const { settings, warnings } = parseIn(ws, {});
    expect(warnings).toEqual([UNSIGNED]);
    expect(settings).toEqual({
      auth: {
        region: 'eu-west-1',
        roleToAssume: undefined,
        roleSessionName: 'ota-42-2',
        roleDurationSeconds: 3600,
        audience: 'sts.amazonaws.com',
      },
      otaUpdateId: undefined,
      roleArn: ROLE,
      targets: [{ kind: 'thing', name: 'dev-1' }],
      files: [
        {
          origin: 'firmware',
          fileName: 'fw.bin',
          fileType: undefined,
          fileVersion: 'v1.2.0',
          attributes: undefined,
          codeSigning: undefined,
          source: {
            kind: 's3',
            bucket: 'fw-bucket',
            key: 'widget/v1.2.0/fw.bin',
            version: undefined,
            localPath: join(ws, 'fw.bin'),
          },
        },
      ],
      protocols: ['MQTT'],
      targetSelection: 'SNAPSHOT',
      description: 'acme/widget@v1.2.0 (abcdef0)',
      rolloutConfig: undefined,
      abortConfig: undefined,
      timeoutConfig: undefined,
      presignedUrlConfig: undefined,
      additionalParameters: undefined,
      tags: undefined,
      behaviour: {
        ifExists: 'reuse',
        wait: 'created',
        rollout: undefined,
        waitTimeoutSeconds: 600,
        dryRun: false,
      },
      release: { repoName: 'widget', refName: 'v1.2.0' },
    } satisfies Settings);
  });

  const cases: [string, Scenario, (s: Settings) => unknown, unknown][] = [
    [
      'region from AWS_REGION',
      { inputs: { 'aws-region': '' }, env: { awsRegion: 'us-east-2' } },
      (s) => s.auth.region,
      'us-east-2',
    ],
    [
      'region from AWS_DEFAULT_REGION',
      { inputs: { 'aws-region': '' }, env: { awsDefaultRegion: 'cn-north-1' } },
      (s) => s.auth.region,
      'cn-north-1',
    ],
    [
      'the aws-region input wins over the environment',
      {
        inputs: { 'aws-region': 'us-gov-west-1' },
        env: { awsRegion: 'us-east-2', awsDefaultRegion: 'eu-west-3' },
      },
      (s) => s.auth.region,
      'us-gov-west-1',
    ],
    [
      'AWS_REGION wins over AWS_DEFAULT_REGION',
      { inputs: { 'aws-region': '' }, env: { awsRegion: 'us-east-2', awsDefaultRegion: 'eu-west-3' } },
      (s) => s.auth.region,
      'us-east-2',
    ],
    [
      'role-to-assume with a path',
      { inputs: { 'role-to-assume': 'arn:aws-cn:iam::123456789012:role/ci/deploy' } },
      (s) => s.auth.roleToAssume,
      'arn:aws-cn:iam::123456789012:role/ci/deploy',
    ],
    [
      'role-session-name as given',
      { inputs: { 'role-session-name': 'a.b@c=d,e+f_g-h' } },
      (s) => s.auth.roleSessionName,
      'a.b@c=d,e+f_g-h',
    ],
    [
      'the default session name without a run id',
      { context: { runId: '', runAttempt: '' } },
      (s) => s.auth.roleSessionName,
      'ota',
    ],
    [
      'role-duration-seconds',
      { inputs: { 'role-duration-seconds': '43200' } },
      (s) => s.auth.roleDurationSeconds,
      43200,
    ],
    [
      'audience',
      { inputs: { audience: 'sts.amazonaws.com.cn' } },
      (s) => s.auth.audience,
      'sts.amazonaws.com.cn',
    ],
    ['ota-update-id', { inputs: { 'ota-update-id': 'fw_1-2' } }, (s) => s.otaUpdateId, 'fw_1-2'],
    [
      'targets: ARNs, shorthand, commas and newlines, blank entries',
      {
        inputs: {
          targets:
            'arn:aws:iot:eu-west-1:123456789012:thinggroup/fleet-a,\n thing/dev:1 ,, \nthinggroup/beta_2\n',
        },
      },
      (s) => s.targets,
      [
        { kind: 'arn', arn: 'arn:aws:iot:eu-west-1:123456789012:thinggroup/fleet-a' },
        { kind: 'thing', name: 'dev:1' },
        { kind: 'thinggroup', name: 'beta_2' },
      ],
    ],
    [
      's3-key as given',
      { inputs: { 's3-key': 'a/b/c.bin' } },
      (s) => s.files[0]?.source,
      {
        kind: 's3',
        bucket: 'fw-bucket',
        key: 'a/b/c.bin',
        version: undefined,
        localPath: expect.stringMatching(/fw\.bin$/),
      },
    ],
    [
      'the default key and version on a branch push',
      { context: { ref: 'refs/heads/feature/x', refName: 'feature/x', refType: 'branch' } },
      (s) => [s.files[0]?.fileVersion, s.files[0]?.source.kind === 's3' && s.files[0].source.key],
      ['abcdef0', 'widget/feature/x/fw.bin'],
    ],
    [
      'an existing object with a version',
      { inputs: { ...EXISTING, 's3-version': 'v-3' } },
      (s) => s.files[0],
      {
        origin: 's3-key',
        fileName: 'app.bin',
        fileType: undefined,
        fileVersion: 'v1.2.0',
        attributes: undefined,
        codeSigning: undefined,
        source: {
          kind: 's3',
          bucket: 'fw-bucket',
          key: 'builds/app.bin',
          version: 'v-3',
          localPath: undefined,
        },
      },
    ],
    [
      'file-name, file-version, file-type and file-attributes',
      {
        inputs: {
          'file-name': '/device/app.bin',
          'file-version': '7',
          'file-type': '255',
          'file-attributes': 'build=release\nurl=https://x/y?a=b',
        },
      },
      (s) => [s.files[0]?.fileName, s.files[0]?.fileVersion, s.files[0]?.fileType, s.files[0]?.attributes],
      ['/device/app.bin', '7', 255, { build: 'release', url: 'https://x/y?a=b' }],
    ],
    [
      'file-attributes as YAML keep scalars as written',
      { inputs: { 'file-attributes': 'version: 1.10\nflag: yes\n"q": ~' } },
      (s) => s.files[0]?.attributes,
      { version: '1.10', flag: 'yes', q: '~' },
    ],
    [
      'file-attributes as JSON',
      { inputs: { 'file-attributes': '{"a": "b", "c": 1}' } },
      (s) => s.files[0]?.attributes,
      { a: 'b', c: '1' },
    ],
    [
      'signing-profile with the destination defaulting to s3-bucket',
      { inputs: { 'signing-profile': 'fw_signer' } },
      (s) => s.files[0]?.codeSigning,
      {
        startSigningJobParameter: {
          signingProfileName: 'fw_signer',
          destination: { s3Destination: { bucket: 'fw-bucket' } },
        },
      },
    ],
    [
      'signing-profile with destination bucket and prefix',
      {
        inputs: {
          'signing-profile': 'fw_signer',
          'signing-destination-bucket': 'signed',
          'signing-destination-prefix': 'out/',
        },
      },
      (s) => s.files[0]?.codeSigning,
      {
        startSigningJobParameter: {
          signingProfileName: 'fw_signer',
          destination: { s3Destination: { bucket: 'signed', prefix: 'out/' } },
        },
      },
    ],
    [
      'signer-job-id',
      { inputs: { 'signer-job-id': 'job-1' } },
      (s) => s.files[0]?.codeSigning,
      { awsSignerJobId: 'job-1' },
    ],
    [
      'signature with the algorithm defaults',
      { inputs: { signature: 'AAEC /w==' } },
      (s) => s.files[0]?.codeSigning,
      {
        customCodeSigning: {
          signature: { inlineDocument: new Uint8Array([0, 1, 2, 255]) },
          hashAlgorithm: 'SHA256',
          signatureAlgorithm: 'ECDSA',
        },
      },
    ],
    [
      'signature-file, certificate-name and explicit algorithms',
      {
        inputs: {
          'signature-file': 'sig.bin',
          'certificate-name': '/certs/ota.pem',
          'hash-algorithm': 'SHA1',
          'signature-algorithm': 'RSA',
        },
      },
      (s) => s.files[0]?.codeSigning,
      {
        customCodeSigning: {
          signature: { inlineDocument: new Uint8Array([1, 2, 3]) },
          certificateChain: { certificateName: '/certs/ota.pem' },
          hashAlgorithm: 'SHA1',
          signatureAlgorithm: 'RSA',
        },
      },
    ],
    [
      'files: s3 with a local path, stream, and every OTAUpdateFile member',
      {
        inputs: {
          firmware: '',
          's3-bucket': '',
          files: [
            '- fileName: app.bin',
            '  fileType: 1',
            '  fileVersion: "2.0"',
            '  path: fw.bin',
            '  fileLocation: {s3Location: {bucket: b, key: k/app.bin}}',
            '  attributes: {a: b}',
            '  codeSigning:',
            '    customCodeSigning:',
            '      signature: {inlineDocument: AAEC}',
            '      certificateChain: {certificateName: c.pem, inlineDocument: PEM}',
            '      hashAlgorithm: SHA256',
            '      signatureAlgorithm: ECDSA',
            '- fileLocation: {stream: {streamId: s-1, fileId: 0}}',
            '  codeSigning: {awsSignerJobId: j}',
            '- fileLocation: {s3Location: {bucket: b, key: k/x, version: "3"}}',
          ].join('\n'),
        },
      },
      (s) => s.files,
      [
        {
          origin: 'files[0]',
          fileName: 'app.bin',
          fileType: 1,
          fileVersion: '2.0',
          attributes: { a: 'b' },
          codeSigning: {
            customCodeSigning: {
              signature: { inlineDocument: new Uint8Array([0, 1, 2]) },
              certificateChain: { certificateName: 'c.pem', inlineDocument: 'PEM' },
              hashAlgorithm: 'SHA256',
              signatureAlgorithm: 'ECDSA',
            },
          },
          source: {
            kind: 's3',
            bucket: 'b',
            key: 'k/app.bin',
            version: undefined,
            localPath: expect.stringMatching(/fw\.bin$/),
          },
        },
        {
          origin: 'files[1]',
          fileName: undefined,
          fileType: undefined,
          fileVersion: undefined,
          attributes: undefined,
          codeSigning: { awsSignerJobId: 'j' },
          source: { kind: 'stream', streamId: 's-1', fileId: 0 },
        },
        {
          origin: 'files[2]',
          fileName: undefined,
          fileType: undefined,
          fileVersion: undefined,
          attributes: undefined,
          codeSigning: undefined,
          source: { kind: 's3', bucket: 'b', key: 'k/x', version: '3', localPath: undefined },
        },
      ],
    ],
    [
      'files as JSON',
      {
        inputs: { firmware: '', 's3-bucket': '', files: '[{"fileLocation": {"stream": {"streamId": "s"}}}]' },
      },
      (s) => s.files.map((f) => f.source),
      [{ kind: 'stream', streamId: 's', fileId: undefined }],
    ],
    ['protocols HTTP', { inputs: { protocols: 'HTTP' } }, (s) => s.protocols, ['HTTP']],
    ['protocols MQTT, HTTP', { inputs: { protocols: 'MQTT, HTTP' } }, (s) => s.protocols, ['MQTT', 'HTTP']],
    [
      'target-selection',
      { inputs: { 'target-selection': 'CONTINUOUS' } },
      (s) => s.targetSelection,
      'CONTINUOUS',
    ],
    [
      'description',
      { inputs: { description: 'Release 1 — ünïcode' } },
      (s) => s.description,
      'Release 1 — ünïcode',
    ],
    [
      'the default description is cut to 2028 characters',
      { context: { refName: long(3000) }, inputs: { 's3-key': 'k' } },
      (s) => s.description.length,
      2028,
    ],
    [
      'rollout-config',
      {
        inputs: {
          'rollout-config':
            'maximumPerMinute: 50\nexponentialRate:\n  baseRatePerMinute: 5\n  incrementFactor: 1.5\n  rateIncreaseCriteria: {numberOfSucceededThings: 10}',
        },
      },
      (s) => s.rolloutConfig,
      {
        maximumPerMinute: 50,
        exponentialRate: {
          baseRatePerMinute: 5,
          incrementFactor: 1.5,
          rateIncreaseCriteria: { numberOfSucceededThings: 10 },
        },
      },
    ],
    [
      'abort-config',
      {
        inputs: {
          'abort-config':
            '{"abortCriteriaList": [{"failureType": "ALL", "action": "CANCEL", "thresholdPercentage": 12.75, "minNumberOfExecutedThings": 10}]}',
        },
      },
      (s) => s.abortConfig,
      {
        abortCriteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 12.75, minNumberOfExecutedThings: 10 },
        ],
      },
    ],
    [
      'timeout-config',
      { inputs: { 'timeout-config': 'inProgressTimeoutInMinutes: 10080' } },
      (s) => s.timeoutConfig,
      { inProgressTimeoutInMinutes: 10080 },
    ],
    [
      'presigned-url-config with HTTP',
      { inputs: { protocols: 'MQTT,HTTP', 'presigned-url-config': 'expiresInSec: 3600' } },
      (s) => s.presignedUrlConfig,
      { expiresInSec: 3600 },
    ],
    [
      'additional-parameters as key=value lines with comments and blank lines',
      { inputs: { 'additional-parameters': '# comment\n\nkey = value = more\nempty=' } },
      (s) => s.additionalParameters,
      { key: 'value = more', empty: '' },
    ],
    [
      'tags as a YAML map become Key/Value pairs',
      { inputs: { tags: 'team: firmware\ncost-center: "42"' } },
      (s) => s.tags,
      [
        { Key: 'team', Value: 'firmware' },
        { Key: 'cost-center', Value: '42' },
      ],
    ],
    [
      'tags as key=value with a colon in the key',
      { inputs: { tags: 'app:name=widget' } },
      (s) => s.tags,
      [{ Key: 'app:name', Value: 'widget' }],
    ],
    ['if-exists replace', { inputs: { 'if-exists': 'replace' } }, (s) => s.behaviour.ifExists, 'replace'],
    ['if-exists fail', { inputs: { 'if-exists': 'fail' } }, (s) => s.behaviour.ifExists, 'fail'],
    ['wait False', { inputs: { wait: 'False' } }, (s) => s.behaviour.wait, 'none'],
    ['wait false', { inputs: { wait: 'false' } }, (s) => s.behaviour.wait, 'none'],
    ['wait FALSE', { inputs: { wait: 'FALSE' } }, (s) => s.behaviour.wait, 'none'],
    ['wait TRUE', { inputs: { wait: 'TRUE' } }, (s) => s.behaviour.wait, 'created'],
    ['wait True', { inputs: { wait: 'True' } }, (s) => s.behaviour.wait, 'created'],
    ['wait true', { inputs: { wait: 'true' } }, (s) => s.behaviour.wait, 'created'],
    ['wait created', { inputs: { wait: 'created' } }, (s) => s.behaviour.wait, 'created'],
    ['wait rollout', { inputs: { wait: 'rollout' } }, (s) => s.behaviour.wait, 'rollout'],
    [
      'wait rollout: the rollout defaults',
      { inputs: { wait: 'rollout' } },
      (s) => s.behaviour.rollout,
      { successPercentage: 100, timeoutMinutes: 60, cancelOnFailure: false },
    ],
    [
      'wait rollout with every rollout input',
      {
        inputs: {
          wait: 'rollout',
          'rollout-success-percentage': '33.3',
          'rollout-timeout-minutes': '4320',
          'cancel-on-failure': 'true',
        },
      },
      (s) => s.behaviour.rollout,
      { successPercentage: 33.3, timeoutMinutes: 4320, cancelOnFailure: true },
    ],
    [
      'rollout-success-percentage at its bounds',
      { inputs: { wait: 'rollout', 'rollout-success-percentage': '0.001' } },
      (s) => s.behaviour.rollout?.successPercentage,
      0.001,
    ],
    [
      'rollout-success-percentage 100.0',
      { inputs: { wait: 'rollout', 'rollout-success-percentage': '100.0' } },
      (s) => s.behaviour.rollout?.successPercentage,
      100,
    ],
    [
      'rollout-timeout-minutes 1',
      { inputs: { wait: 'rollout', 'rollout-timeout-minutes': '1' } },
      (s) => s.behaviour.rollout?.timeoutMinutes,
      1,
    ],
    [
      'no rollout settings without wait: rollout',
      { inputs: { wait: 'created', 'cancel-on-failure': 'true' } },
      (s) => s.behaviour.rollout,
      undefined,
    ],
    [
      'dry-run keeps wait: rollout (the run never waits, but the preview says what it would do)',
      { inputs: { wait: 'rollout', 'dry-run': 'true' } },
      (s) => [s.behaviour.wait, s.behaviour.dryRun],
      ['rollout', true],
    ],
    [
      'wait-timeout-seconds',
      { inputs: { 'wait-timeout-seconds': '21600' } },
      (s) => s.behaviour.waitTimeoutSeconds,
      21600,
    ],
    ['dry-run true', { inputs: { 'dry-run': 'true' } }, (s) => s.behaviour.dryRun, true],
    ['dry-run FALSE', { inputs: { 'dry-run': 'FALSE' } }, (s) => s.behaviour.dryRun, false],
    ['inputs are trimmed', { inputs: { 'aws-region': '  us-west-2\n' } }, (s) => s.auth.region, 'us-west-2'],
  ];
  it.each(cases)('%s', (_name, scenario, pick, expected) => {
    expect(pick(parseIn(ws, scenario).settings)).toEqual(expected);
  });
});

describe('parseSettings warnings', () => {
  const cases: [string, Scenario, string[]][] = [
    [
      'a duplicate target is used once',
      { inputs: { targets: 'thing/a\nthing/a,thinggroup/a' } },
      ['targets: "thing/a" is listed more than once; it is used once'],
    ],
    ['an ota-update-id of 56 characters', { inputs: { 'ota-update-id': long(56) } }, []],
    [
      'a rollout input without wait: rollout',
      { inputs: { 'cancel-on-failure': 'true' } },
      ['cancel-on-failure applies only with wait: rollout (wait is created), so it is ignored'],
    ],
    [
      'rollout inputs with wait: false',
      { inputs: { wait: 'false', 'rollout-success-percentage': '90', 'rollout-timeout-minutes': '5' } },
      [
        'rollout-success-percentage, rollout-timeout-minutes apply only with wait: rollout (wait is false), so they are ignored',
      ],
    ],
    [
      'rollout inputs with wait: rollout',
      {
        inputs: {
          wait: 'rollout',
          'rollout-success-percentage': '90',
          'rollout-timeout-minutes': '5',
          'cancel-on-failure': 'false',
        },
      },
      [],
    ],
  ];
  it.each(cases)('%s (of signed firmware)', (_name, scenario, expected) => {
    const signed = { ...scenario, inputs: { 'signer-job-id': 'job-1', ...scenario.inputs } };
    expect(parseIn(ws, signed).warnings).toEqual(expected);
  });

  const STREAM = 'fileLocation: {stream: {streamId: s}}';
  const unsigned: [string, Scenario, string[]][] = [
    ['unsigned firmware', {}, [UNSIGNED]],
    ['an existing object, unsigned', { inputs: { firmware: '', 's3-key': 'builds/app.bin' } }, [UNSIGNED]],
    [
      'files, none signed',
      { inputs: { firmware: '', 's3-bucket': '', files: `- ${STREAM}\n- ${STREAM}` } },
      [UNSIGNED_FILES],
    ],
    [
      'files, one of them signed',
      {
        inputs: {
          firmware: '',
          's3-bucket': '',
          files: `- ${STREAM}\n- ${STREAM}\n  codeSigning: {awsSignerJobId: j}`,
        },
      },
      [],
    ],
    ['signing-profile', { inputs: { 'signing-profile': 'fw_signer' } }, []],
    ['signer-job-id', { inputs: { 'signer-job-id': 'job-1' } }, []],
    ['signature', { inputs: { signature: 'AAEC' } }, []],
    ['signature-file', { inputs: { 'signature-file': 'sig.bin' } }, []],
  ];
  it.each(unsigned)('%s', (_name, scenario, expected) => {
    expect(parseIn(ws, scenario).warnings).toEqual(expected);
  });
});

describe('parseSettings rejects', () => {
  const noRegion = { 'aws-region': '' } as const;
  const cases: [string, Scenario, string[]][] = [
    [
      'no region anywhere',
      { inputs: noRegion },
      ['aws-region: is required: set aws-region, or AWS_REGION / AWS_DEFAULT_REGION in the environment'],
    ],
    [
      'a region in capitals',
      { inputs: { 'aws-region': 'US-EAST-1' } },
      ['aws-region: must be an AWS region such as us-east-1, got "US-EAST-1"'],
    ],
    [
      'a bad AWS_REGION',
      { inputs: noRegion, env: { awsRegion: 'europe' } },
      ['aws-region: must be an AWS region such as us-east-1, got "europe" (from AWS_REGION)'],
    ],
    [
      'a bad AWS_DEFAULT_REGION',
      { inputs: noRegion, env: { awsDefaultRegion: 'us_east_1' } },
      ['aws-region: must be an AWS region such as us-east-1, got "us_east_1" (from AWS_DEFAULT_REGION)'],
    ],
    [
      'role-to-assume that is a user',
      { inputs: { 'role-to-assume': 'arn:aws:iam::123456789012:user/bob' } },
      [
        'role-to-assume: must be an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/NAME), got "arn:aws:iam::123456789012:user/bob"',
      ],
    ],
    [
      'role-to-assume that is a name',
      { inputs: { 'role-to-assume': 'deploy' } },
      ['role-to-assume: must be 20..2048 characters long, got 6'],
    ],
    [
      'role-session-name too short',
      { inputs: { 'role-session-name': 'a' } },
      ['role-session-name: must be 2..64 characters of letters, digits and \'_+=,.@-\', got "a"'],
    ],
    [
      'role-session-name with a space',
      { inputs: { 'role-session-name': 'my session' } },
      ['role-session-name: must be 2..64 characters of letters, digits and \'_+=,.@-\', got "my session"'],
    ],
    [
      'role-session-name of 65 characters',
      { inputs: { 'role-session-name': long(65) } },
      [
        `role-session-name: must be 2..64 characters of letters, digits and '_+=,.@-', got "${long(40)}"… (65 characters)`,
      ],
    ],
    [
      'role-duration-seconds below 900',
      { inputs: { 'role-duration-seconds': '899' } },
      ['role-duration-seconds: must be an integer 900..43200, got "899"'],
    ],
    [
      'role-duration-seconds above 43200',
      { inputs: { 'role-duration-seconds': '43201' } },
      ['role-duration-seconds: must be an integer 900..43200, got "43201"'],
    ],
    [
      'role-duration-seconds not a number',
      { inputs: { 'role-duration-seconds': '1h' } },
      ['role-duration-seconds: must be an integer 900..43200, got "1h"'],
    ],
    [
      'ota-update-id with a space',
      { inputs: { 'ota-update-id': 'fw 1' } },
      ["ota-update-id: must use only letters, digits, '_' and '-', got \"fw 1\""],
    ],
    [
      'ota-update-id of 57 characters (its job id AFR_OTA-<id> would be 65)',
      { inputs: { 'ota-update-id': long(57) } },
      [
        "ota-update-id: must be at most 56 characters long (IoT names the update's job AFR_OTA-<id>, and job ids stop at 64), got 57",
      ],
    ],
    [
      'ota-update-id of 129 characters',
      { inputs: { 'ota-update-id': long(129) } },
      [
        "ota-update-id: must be at most 56 characters long (IoT names the update's job AFR_OTA-<id>, and job ids stop at 64), got 129",
      ],
    ],
    [
      'no ota-role-arn',
      { inputs: { 'ota-role-arn': '' } },
      [
        'ota-role-arn: is required: the ARN of the IAM role AWS IoT assumes for the update (arn:aws:iam::<account>:role/NAME)',
      ],
    ],
    [
      'ota-role-arn without an account',
      { inputs: { 'ota-role-arn': 'arn:aws:iam:::role/ota-service' } },
      [
        'ota-role-arn: must be an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/NAME), got "arn:aws:iam:::role/ota-service"',
      ],
    ],
    [
      'ota-role-arn too short',
      { inputs: { 'ota-role-arn': 'arn:aws:iam::1:role' } },
      ['ota-role-arn: must be 20..2048 characters long, got 19'],
    ],
    [
      'no targets',
      { inputs: { targets: ' , \n' } },
      [
        'targets: is required: thing or thing-group ARNs, thing/NAME or thinggroup/NAME, newline- or comma-separated',
      ],
    ],
    [
      'a bare name, a bad thing name, a non-thing ARN and a short ARN',
      {
        inputs: {
          targets: `dev-1\nthing/bad name\narn:aws:iot:eu-west-1:123456789012:topic/x\nthinggroup/${long(129)}\narn:aws:iot:eu-west-1:1234:thing/x`,
        },
      },
      [
        'targets: "dev-1" is not a target: use a thing or thing-group ARN, thing/NAME or thinggroup/NAME',
        `targets: "thing/bad name" has an invalid name: names are 1..128 of letters, digits, ':', '_' and '-'`,
        'targets: "arn:aws:iot:eu-west-1:123456789012:topic/x" is not a thing or thing-group ARN: use a thing or thing-group ARN, thing/NAME or thinggroup/NAME',
        `targets: "thinggroup/${long(29)}"… (140 characters) has an invalid name: names are 1..128 of letters, digits, ':', '_' and '-'`,
        'targets: "arn:aws:iot:eu-west-1:1234:thing/x" is not a thing or thing-group ARN: use a thing or thing-group ARN, thing/NAME or thinggroup/NAME',
      ],
    ],
    [
      'a target ARN in another region than aws-region',
      { inputs: { targets: 'thing/a\narn:aws:iot:us-east-1:123456789012:thing/b' } },
      [
        'targets: "arn:aws:iot:us-east-1:123456789012:thing/b" is in us-east-1, but the update is created in eu-west-1 (aws-region): a job targets things and thing groups of its own region only',
      ],
    ],
    [
      'a firmware file that does not exist',
      { inputs: { firmware: 'missing.bin' } },
      ['firmware: must name an existing file, got "missing.bin" (resolved to "<ws>/missing.bin")'],
    ],
    [
      'a firmware path that is a directory',
      { inputs: { firmware: 'dir' } },
      [
        'firmware: must name a regular file (not a directory, FIFO, socket or device), got "dir" (resolved to "<ws>/dir")',
      ],
    ],
    [
      'firmware without s3-bucket',
      { inputs: { 's3-bucket': '' } },
      ['s3-bucket: is required with firmware (the versioned bucket to upload it to)'],
    ],
    [
      'no file at all',
      { inputs: { firmware: '', 's3-bucket': '' } },
      [
        's3-bucket: is required: set firmware and s3-bucket to upload a file, s3-bucket and s3-key to ship an existing object, or files',
        's3-key: is required when firmware is not set (the key of an existing object)',
      ],
    ],
    [
      'an s3 URL as the bucket',
      { inputs: { 's3-bucket': 's3://fw-bucket/x' } },
      [
        `s3-bucket: must be an S3 bucket name (letters, digits, '.', '-', '_'; not a URL or path), got "s3://fw-bucket/x"`,
      ],
    ],
    [
      's3-version with firmware',
      { inputs: { 's3-version': 'v1' } },
      ['s3-version: cannot be combined with firmware: the upload creates the version'],
    ],
    [
      'a key that ends with / and no file-name',
      { inputs: { ...EXISTING, 's3-key': 'builds/' } },
      ['file-name: is required when s3-key ends with "/" (got "builds/")'],
    ],
    ['file-type 256', { inputs: { 'file-type': '256' } }, ['file-type: must be an integer 0..255, got 256']],
    ['file-type -1', { inputs: { 'file-type': '-1' } }, ['file-type: must be an integer 0..255, got -1']],
    [
      'file-type not a number',
      { inputs: { 'file-type': '1.5' } },
      ['file-type: must be an integer 0..255, got "1.5"'],
    ],
    [
      'file-attributes as a list',
      { inputs: { 'file-attributes': '- a\n- b' } },
      ['file-attributes: must be a YAML/JSON mapping or key=value lines, got a list'],
    ],
    [
      'file-attributes with a nested value',
      { inputs: { 'file-attributes': 'a: {b: c}' } },
      ['file-attributes: a must be a string, got a mapping'],
    ],
    [
      'file-attributes with a key twice',
      { inputs: { 'file-attributes': 'a=1\nb=2\na=3' } },
      ['file-attributes: key "a" appears twice (lines 1 and 3)'],
    ],
    [
      'file-attributes with no key',
      { inputs: { 'file-attributes': 'a=1\n=2' } },
      ['file-attributes: line 2 has no key before "="'],
    ],
    [
      'file-attributes: bad YAML',
      { inputs: { 'file-attributes': 'a: "b' } },
      ['file-attributes: is not valid YAML/JSON: Missing closing "quote (line 1)'],
    ],
    [
      'a bad signing profile name and a bad destination bucket',
      { inputs: { 'signing-profile': 'my profile', 'signing-destination-bucket': 'a b' } },
      [
        'signing-profile: must be an AWS Signer profile name (2..64 letters, digits and \'_\'), got "my profile"',
        `signing-destination-bucket: must be an S3 bucket name (letters, digits, '.', '-', '_'; not a URL or path), got "a b"`,
      ],
    ],
    [
      'destination inputs without signing-profile',
      { inputs: { 'signing-destination-bucket': 'b', 'signing-destination-prefix': 'p/' } },
      [
        'signing-destination-bucket: only applies with signing-profile',
        'signing-destination-prefix: only applies with signing-profile',
      ],
    ],
    [
      'three code-signing modes at once',
      { inputs: { 'signing-profile': 'prof', 'signer-job-id': 'j', 'certificate-name': 'c' } },
      [
        `signer-job-id: cannot be combined with signing-profile: ${MODE_CONFLICT}`,
        'signature: is required for custom code signing (certificate-name, hash-algorithm or signature-algorithm is set): give signature or signature-file',
        `certificate-name: cannot be combined with signing-profile: ${MODE_CONFLICT}`,
      ],
    ],
    [
      'signature that is not base64',
      { inputs: { signature: 'AAE' } },
      ["signature: must be base64 text (A-Z, a-z, 0-9, '+', '/', '=' padding)"],
    ],
    [
      'signature with bad characters',
      { inputs: { signature: 'AA-_' } },
      ["signature: must be base64 text (A-Z, a-z, 0-9, '+', '/', '=' padding)"],
    ],
    [
      'signature and signature-file',
      { inputs: { signature: 'AAEC', 'signature-file': 'sig.bin' } },
      ['signature-file: cannot be combined with signature: give the signature once'],
    ],
    [
      'a missing signature-file',
      { inputs: { 'signature-file': 'nope.sig' } },
      ['signature-file: must name an existing file, got "nope.sig" (resolved to "<ws>/nope.sig")'],
    ],
    [
      'an empty signature-file',
      { inputs: { 'signature-file': 'empty.sig' } },
      ['signature-file: must not be empty, got "empty.sig" (resolved to "<ws>/empty.sig", 0 bytes)'],
    ],
    [
      'hash-algorithm alone, and unknown algorithms',
      { inputs: { 'hash-algorithm': 'MD5', 'signature-algorithm': 'ecdsa' } },
      [
        'signature: is required for custom code signing (certificate-name, hash-algorithm or signature-algorithm is set): give signature or signature-file',
        'hash-algorithm: must be one of SHA256, SHA1, got "MD5"',
        'signature-algorithm: must be one of ECDSA, RSA, got "ecdsa"',
      ],
    ],
    [
      'files together with single-file inputs',
      { inputs: { files: '- fileLocation: {stream: {streamId: s}}' } },
      ['files: cannot be combined with the single-file inputs (firmware, s3-bucket): use one or the other'],
    ],
    [
      'files that is a mapping',
      { inputs: { firmware: '', 's3-bucket': '', files: 'fileName: x' } },
      ['files: must be a YAML/JSON list of OTAUpdateFile objects, got a mapping'],
    ],
    [
      'files that is empty',
      { inputs: { firmware: '', 's3-bucket': '', files: '[]' } },
      ['files: must have at least 1 item, got 0'],
    ],
    [
      'files with bad YAML',
      { inputs: { firmware: '', 's3-bucket': '', files: '- fileName: a\n- fileName: [b\n' } },
      [
        'files: is not valid YAML/JSON: Flow sequence in block collection must be sufficiently indented and end with a ] (line 2)',
      ],
    ],
    [
      'files entries breaking the model and the documented rules',
      {
        inputs: {
          firmware: '',
          's3-bucket': '',
          files: [
            '- fileType: 300',
            '- fileLocation: {s3Location: {bucket: b, key: k}, stream: {streamId: s}}',
            '  codeSigning: {awsSignerJobId: j, customCodeSigning: {hashAlgorithm: MD5}}',
            '- fileLocation: {s3Location: {bucket: "", key: k}}',
            '  filename: x',
            '  extra: 1',
            '- fileLocation: {stream: {streamId: "bad id", fileId: 256}}',
            '- fileLocation: {s3Location: {key: k}}',
            '  codeSigning: {customCodeSigning: {signature: {inlineDocument: "not base64"}}}',
            '- 7',
          ].join('\n'),
        },
      },
      [
        'files: [0].fileType must be an integer 0..255, got 300',
        'files: [0].fileLocation is required',
        'files: [1].fileLocation must set exactly one of s3Location, stream, got s3Location and stream',
        'files: [1].codeSigning.customCodeSigning.hashAlgorithm must be one of SHA256, SHA1, got "MD5"',
        'files: [1].codeSigning must set exactly one of awsSignerJobId, startSigningJobParameter, customCodeSigning, got awsSignerJobId and customCodeSigning',
        'files: [2].fileLocation.s3Location.bucket must not be empty',
        'files: [2].filename is not a valid key (did you mean fileName?)',
        'files: [2].extra is not a valid key (valid keys: fileName, fileType, fileVersion, fileLocation, codeSigning, attributes)',
        "files: [3].fileLocation.stream.streamId must use only letters, digits, '_' and '-', got \"bad id\"",
        'files: [3].fileLocation.stream.fileId must be an integer 0..255, got 256',
        'files: [4].codeSigning.customCodeSigning.signature.inlineDocument must be base64 text, got "not base64"',
        'files: [4].fileLocation.s3Location.bucket is required',
        'files: [5] must be a mapping, got 7',
      ],
    ],
    [
      'files attributes that YAML reads as numbers',
      {
        inputs: {
          firmware: '',
          's3-bucket': '',
          files: '- fileLocation: {stream: {streamId: s}}\n  attributes: {version: 1.0, beta: true}',
        },
      },
      [
        'files: [0].attributes.version must be a string, got 1 (quote it in YAML)',
        'files: [0].attributes.beta must be a string, got true (quote it in YAML)',
      ],
    ],
    [
      'files entries with a bad path',
      {
        inputs: {
          firmware: '',
          's3-bucket': '',
          files: [
            '- fileLocation: {stream: {streamId: s}}',
            '  path: fw.bin',
            '- fileLocation: {s3Location: {bucket: b, key: k, version: "1"}}',
            '  path: fw.bin',
            '- fileLocation: {s3Location: {bucket: b, key: k}}',
            '  path: nope.bin',
            '- fileLocation: {s3Location: {bucket: b, key: k}}',
            '  path: 3',
          ].join('\n'),
        },
      },
      [
        'files: [0].path needs fileLocation.s3Location to upload the file to',
        'files: [1].path cannot be combined with fileLocation.s3Location.version: the upload creates the version',
        'files: [2].path must name an existing file, got "nope.bin" (resolved to "<ws>/nope.bin")',
        'files: [3].path must be the path of a local file, got 3',
      ],
    ],
    [
      'protocols in lower case',
      { inputs: { protocols: 'mqtt' } },
      ['protocols: must be MQTT, HTTP or MQTT,HTTP, got "mqtt"'],
    ],
    [
      'protocols twice',
      { inputs: { protocols: 'MQTT,MQTT' } },
      ['protocols: must be MQTT, HTTP or MQTT,HTTP, got "MQTT,MQTT"'],
    ],
    [
      'protocols with only commas',
      { inputs: { protocols: ',' } },
      ['protocols: must be MQTT, HTTP or MQTT,HTTP, got ","'],
    ],
    [
      'target-selection',
      { inputs: { 'target-selection': 'snapshot' } },
      ['target-selection: must be one of CONTINUOUS, SNAPSHOT, got "snapshot"'],
    ],
    [
      'a description with a line break',
      { inputs: { description: 'one\ntwo' } },
      ['description: must not contain control characters such as line breaks, got "one\\ntwo"'],
    ],
    [
      'a description of 2029 characters',
      { inputs: { description: long(2029) } },
      ['description: must be at most 2028 characters long, got 2029'],
    ],
    [
      'rollout-config out of range, with a misspelt and an unknown key',
      {
        inputs: {
          'rollout-config':
            'maximumperminute: 5\nfoo: 1\nexponentialRate:\n  baseRatePerMinute: 0\n  incrementFactor: 1.25\n  rateIncreaseCriteria: {numberOfNotifiedThings: 0}',
        },
      },
      [
        'rollout-config: maximumperminute is not a valid key (did you mean maximumPerMinute?)',
        'rollout-config: foo is not a valid key (valid keys: maximumPerMinute, exponentialRate)',
        'rollout-config: exponentialRate.baseRatePerMinute must be an integer 1..1000, got 0',
        'rollout-config: exponentialRate.incrementFactor must be a number 1.1..5 with at most 1 decimal, got 1.25',
        'rollout-config: exponentialRate.rateIncreaseCriteria.numberOfNotifiedThings must be an integer of at least 1, got 0',
      ],
    ],
    [
      'rollout-config with missing required members and wrong types',
      { inputs: { 'rollout-config': 'maximumPerMinute: "50"\nexponentialRate: {incrementFactor: 6}' } },
      [
        'rollout-config: maximumPerMinute must be an integer 1..1000, got "50"',
        'rollout-config: exponentialRate.incrementFactor must be a number 1.1..5 with at most 1 decimal, got 6',
        'rollout-config: exponentialRate.baseRatePerMinute is required',
        'rollout-config: exponentialRate.rateIncreaseCriteria is required',
      ],
    ],
    [
      'rollout-config that is a list',
      { inputs: { 'rollout-config': '[1]' } },
      ['rollout-config: must be a YAML/JSON mapping, got a list'],
    ],
    [
      'rollout-config that is a scalar',
      { inputs: { 'rollout-config': 'fast' } },
      ['rollout-config: must be a YAML/JSON mapping, got "fast"'],
    ],
    [
      'rollout-config with two documents',
      { inputs: { 'rollout-config': 'maximumPerMinute: 1\n---\nmaximumPerMinute: 2' } },
      ['rollout-config: is not valid YAML/JSON: it holds more than one document (a --- line) (line 2)'],
    ],
    [
      'abort-config breaking every criteria rule',
      {
        inputs: {
          'abort-config':
            'abortCriteriaList:\n  - failureType: FAIL\n    action: STOP\n    thresholdPercentage: 100.5\n  - failureType: ALL\n    action: CANCEL\n    thresholdPercentage: 10.125\n    minNumberOfExecutedThings: 0',
        },
      },
      [
        'abort-config: abortCriteriaList[0].failureType must be one of FAILED, REJECTED, TIMED_OUT, ALL, got "FAIL"',
        'abort-config: abortCriteriaList[0].action must be one of CANCEL, got "STOP"',
        'abort-config: abortCriteriaList[0].thresholdPercentage must be a number of at most 100 with at most 2 decimals, got 100.5',
        'abort-config: abortCriteriaList[0].minNumberOfExecutedThings is required',
        'abort-config: abortCriteriaList[1].thresholdPercentage must be a number of at most 100 with at most 2 decimals, got 10.125',
        'abort-config: abortCriteriaList[1].minNumberOfExecutedThings must be an integer of at least 1, got 0',
      ],
    ],
    [
      'abort-config with an empty list',
      { inputs: { 'abort-config': 'abortCriteriaList: []' } },
      ['abort-config: abortCriteriaList must have at least 1 item, got 0'],
    ],
    [
      'abort-config without the list',
      { inputs: { 'abort-config': '{}' } },
      ['abort-config: abortCriteriaList is required'],
    ],
    [
      'timeout-config out of the documented range',
      { inputs: { 'timeout-config': 'inProgressTimeoutInMinutes: 10081' } },
      ['timeout-config: inProgressTimeoutInMinutes must be an integer 1..10080, got 10081'],
    ],
    [
      'presigned-url-config out of range, and without HTTP',
      { inputs: { 'presigned-url-config': 'expiresInSec: 59' } },
      [
        'presigned-url-config: expiresInSec must be an integer 60..3600, got 59',
        'presigned-url-config: only applies when protocols include HTTP (protocols is MQTT)',
      ],
    ],
    [
      'additional-parameters with a duplicate YAML key',
      { inputs: { 'additional-parameters': 'a: 1\nb: 2\na: 3' } },
      ['additional-parameters: is not valid YAML/JSON: a key appears twice (line 3)'],
    ],
    [
      'additional-parameters with a value too long',
      { inputs: { 'additional-parameters': `a=${long(4097)}` } },
      ['additional-parameters: a must be at most 4096 characters long, got 4097'],
    ],
    [
      'tags with a reserved key, a bad key and a long value',
      { inputs: { tags: `aws:owner=x\nbad#key=y\nok=${long(257)}` } },
      [
        'tags: key "aws:owner" must not start with "aws:" (reserved by AWS)',
        `tags: key "bad#key" must use only letters, digits, spaces and '_.:/=+-@', got "bad#key"`,
        'tags: ok must be at most 256 characters long, got 257',
      ],
    ],
    [
      'more than 47 tags (IoT allows 50, the action adds 3)',
      { inputs: { tags: Array.from({ length: 48 }, (_, i) => `k${i}=v`).join('\n') } },
      ['tags: must have at most 47 tags (IoT allows 50, the action adds 3 of its own), got 48'],
    ],
    [
      "a tag under the action's own prefix",
      { inputs: { tags: 'ota-action:role-arn=x' } },
      [
        'tags: key "ota-action:role-arn" must not start with "ota-action:" (the action\'s own tags use that prefix)',
      ],
    ],
    [
      'if-exists',
      { inputs: { 'if-exists': 'skip' } },
      ['if-exists: must be one of reuse, fail, replace, got "skip"'],
    ],
    [
      'wait yes',
      { inputs: { wait: 'yes' } },
      ['wait: must be created, rollout or false (true means created), got "yes"'],
    ],
    [
      'wait 1',
      { inputs: { wait: '1' } },
      ['wait: must be created, rollout or false (true means created), got "1"'],
    ],
    [
      'wait Rollout',
      { inputs: { wait: 'Rollout' } },
      ['wait: must be created, rollout or false (true means created), got "Rollout"'],
    ],
    [
      'wait none (false is how to say it)',
      { inputs: { wait: 'none' } },
      ['wait: must be created, rollout or false (true means created), got "none"'],
    ],
    ...['0', '-5', '100.5', '101', '1e2', '50%', 'all', '.', '5.', 'NaN', 'Infinity'].map(
      (text): [string, Scenario, string[]] => [
        `rollout-success-percentage ${text}`,
        { inputs: { wait: 'rollout', 'rollout-success-percentage': text } },
        [
          `rollout-success-percentage: must be a number greater than 0 and at most 100 (a share in percent, e.g. 100 or 99.5), got "${text}"`,
        ],
      ],
    ),
    ...['0', '4321', '1.5', 'an hour'].map((text): [string, Scenario, string[]] => [
      `rollout-timeout-minutes ${text}`,
      { inputs: { wait: 'rollout', 'rollout-timeout-minutes': text } },
      [`rollout-timeout-minutes: must be an integer 1..4320, got "${text}"`],
    ]),
    [
      'cancel-on-failure yes',
      { inputs: { wait: 'rollout', 'cancel-on-failure': 'yes' } },
      ['cancel-on-failure: must be true or false, got "yes"'],
    ],
    [
      'a rollout input is checked even without wait: rollout',
      { inputs: { 'rollout-success-percentage': '0' } },
      [
        'rollout-success-percentage: must be a number greater than 0 and at most 100 (a share in percent, e.g. 100 or 99.5), got "0"',
      ],
    ],
    [
      'wait-timeout-seconds 0',
      { inputs: { 'wait-timeout-seconds': '0' } },
      ['wait-timeout-seconds: must be an integer 1..21600, got "0"'],
    ],
    [
      'wait-timeout-seconds too long',
      { inputs: { 'wait-timeout-seconds': '21601' } },
      ['wait-timeout-seconds: must be an integer 1..21600, got "21601"'],
    ],
    ['dry-run tRUE', { inputs: { 'dry-run': 'tRUE' } }, ['dry-run: must be true or false, got "tRUE"']],
  ];
  it.each(cases)('%s', (_name, scenario, expected) => {
    const problems = problemsIn(ws, scenario).map((p) => p.replaceAll(ws, '<ws>'));
    expect(problems).toEqual(expected);
  });

  it('reports every problem together, in the order of the inputs', () => {
    const error = (() => {
      try {
        parseIn(ws, {
          inputs: {
            'dry-run': 'maybe',
            tags: 'aws:x=1',
            'aws-region': '',
            targets: 'nope',
            'ota-role-arn': '',
            'file-type': '999',
            protocols: 'FTP',
          },
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    const invalid = error as InvalidInputError;
    expect(invalid.code).toBe('InvalidInput');
    expect(invalid.problems.map((p) => p.input)).toEqual([
      'aws-region',
      'ota-role-arn',
      'targets',
      'file-type',
      'protocols',
      'tags',
      'dry-run',
    ]);
    expect(invalid.message).toMatch(
      /^7 invalid inputs: aws-region: is required: .*; dry-run: must be true or false, got "maybe"$/,
    );
  });

  it('refuses raw inputs that names.ts does not define (a bug in the caller)', () => {
    const raw = { ...rawInputs(MINIMAL), 'firmware-path': 'x' };
    expect(() => parseSettings(raw, githubContext(), runEnv(ws))).toThrow(
      'parseSettings got inputs that names.ts does not define: firmware-path',
    );
  });
});

describe('every input of names.ts changes exactly what it should in the settings', () => {
  type Parsed = ReturnType<typeof parseIn>;
  const file = (p: Parsed) => p.settings.files[0];
  const signing = (p: Parsed) => file(p)?.codeSigning;
  const source = (p: Parsed) => file(p)?.source;
  /**
   * For each input: a scenario without it, the value to give it, where in the parsed settings (or warnings) that
   * value lands, and what must be found there; other inputs the value needs, and the run's environment.
   */
  interface Effect {
    base: Scenario['inputs'];
    value: string;
    at: (parsed: Parsed) => unknown;
    expected: unknown;
    needs?: Scenario['inputs'];
    env?: Scenario['env'];
  }
  const effect = (
    base: Scenario['inputs'],
    value: string,
    at: Effect['at'],
    expected: unknown,
    more: Pick<Effect, 'needs' | 'env'> = {},
  ): Effect => ({ base, value, at, expected, ...more });
  const SIG = { signature: 'AAEC' };
  const PROFILE = { 'signing-profile': 'prof_1' };
  const ROLLOUT = { wait: 'rollout' };
  const effects: Record<InputName, Effect> = {
    'aws-region': effect({}, 'us-west-2', (p) => p.settings.auth.region, 'us-west-2'),
    'role-to-assume': effect(
      {},
      'arn:aws:iam::123456789012:role/gh',
      (p) => p.settings.auth.roleToAssume,
      'arn:aws:iam::123456789012:role/gh',
    ),
    'role-session-name': effect({}, 'custom', (p) => p.settings.auth.roleSessionName, 'custom'),
    'role-duration-seconds': effect({}, '7200', (p) => p.settings.auth.roleDurationSeconds, 7200),
    audience: effect({}, 'other', (p) => p.settings.auth.audience, 'other'),
    'ota-update-id': effect({}, 'fw-1', (p) => p.settings.otaUpdateId, 'fw-1'),
    'ota-role-arn': effect(
      {},
      'arn:aws:iam::123456789012:role/other',
      (p) => p.settings.roleArn,
      'arn:aws:iam::123456789012:role/other',
    ),
    targets: effect({}, 'thinggroup/fleet', (p) => p.settings.targets, [
      { kind: 'thinggroup', name: 'fleet' },
    ]),
    firmware: effect({}, 'other.bin', (p) => file(p)?.fileName, 'other.bin'),
    's3-bucket': effect(
      {},
      'other-bucket',
      (p) => source(p),
      expect.objectContaining({ bucket: 'other-bucket' }),
    ),
    's3-key': effect({}, 'k/fw.bin', (p) => source(p), expect.objectContaining({ key: 'k/fw.bin' })),
    's3-version': effect(EXISTING, 'v1', (p) => source(p), expect.objectContaining({ version: 'v1' })),
    'file-name': effect({}, 'app.bin', (p) => file(p)?.fileName, 'app.bin'),
    'file-version': effect({}, '9.9', (p) => file(p)?.fileVersion, '9.9'),
    'file-type': effect({}, '3', (p) => file(p)?.fileType, 3),
    'file-attributes': effect({}, 'a=b', (p) => file(p)?.attributes, { a: 'b' }),
    'signing-profile': effect(
      {},
      'prof_1',
      (p) => signing(p)?.startSigningJobParameter?.signingProfileName,
      'prof_1',
    ),
    'signing-destination-bucket': effect(
      PROFILE,
      'signed',
      (p) => signing(p)?.startSigningJobParameter?.destination?.s3Destination?.bucket,
      'signed',
    ),
    'signing-destination-prefix': effect(
      PROFILE,
      'out/',
      (p) => signing(p)?.startSigningJobParameter?.destination?.s3Destination?.prefix,
      'out/',
    ),
    'signer-job-id': effect({}, 'job-1', (p) => signing(p)?.awsSignerJobId, 'job-1'),
    signature: effect(
      {},
      'AAEC',
      (p) => [...(signing(p)?.customCodeSigning?.signature?.inlineDocument ?? [])],
      [0, 1, 2],
    ),
    'signature-file': effect(
      {},
      'sig.bin',
      (p) => (signing(p)?.customCodeSigning?.signature?.inlineDocument?.length ?? 0) > 0,
      true,
    ),
    'certificate-name': effect(
      SIG,
      'cert.pem',
      (p) => signing(p)?.customCodeSigning?.certificateChain?.certificateName,
      'cert.pem',
    ),
    'hash-algorithm': effect(SIG, 'SHA1', (p) => signing(p)?.customCodeSigning?.hashAlgorithm, 'SHA1'),
    'signature-algorithm': effect(
      SIG,
      'RSA',
      (p) => signing(p)?.customCodeSigning?.signatureAlgorithm,
      'RSA',
    ),
    files: effect(
      {},
      '- fileLocation: {s3Location: {bucket: b, key: k}}',
      (p) => p.settings.files.map((f) => f.source),
      [{ kind: 's3', bucket: 'b', key: 'k', version: undefined, localPath: undefined }],
      { needs: { firmware: '', 's3-bucket': '' } },
    ),
    protocols: effect({}, 'HTTP', (p) => p.settings.protocols, ['HTTP']),
    'target-selection': effect({}, 'CONTINUOUS', (p) => p.settings.targetSelection, 'CONTINUOUS'),
    description: effect({}, 'x', (p) => p.settings.description, 'x'),
    'rollout-config': effect({}, 'maximumPerMinute: 5', (p) => p.settings.rolloutConfig, {
      maximumPerMinute: 5,
    }),
    'abort-config': effect(
      {},
      'abortCriteriaList: [{failureType: ALL, action: CANCEL, thresholdPercentage: 5, minNumberOfExecutedThings: 1}]',
      (p) => p.settings.abortConfig,
      {
        abortCriteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 5, minNumberOfExecutedThings: 1 },
        ],
      },
    ),
    'timeout-config': effect({}, 'inProgressTimeoutInMinutes: 5', (p) => p.settings.timeoutConfig, {
      inProgressTimeoutInMinutes: 5,
    }),
    'presigned-url-config': effect(
      { protocols: 'HTTP' },
      'expiresInSec: 60',
      (p) => p.settings.presignedUrlConfig,
      { expiresInSec: 60 },
    ),
    'additional-parameters': effect({}, 'a=b', (p) => p.settings.additionalParameters, { a: 'b' }),
    tags: effect({}, 'a=b', (p) => p.settings.tags, [{ Key: 'a', Value: 'b' }]),
    'if-exists': effect({}, 'fail', (p) => p.settings.behaviour.ifExists, 'fail'),
    wait: effect({}, 'false', (p) => p.settings.behaviour.wait, 'none'),
    'wait-timeout-seconds': effect({}, '60', (p) => p.settings.behaviour.waitTimeoutSeconds, 60),
    'rollout-success-percentage': effect(
      ROLLOUT,
      '90',
      (p) => p.settings.behaviour.rollout?.successPercentage,
      90,
    ),
    'rollout-timeout-minutes': effect(
      ROLLOUT,
      '120',
      (p) => p.settings.behaviour.rollout?.timeoutMinutes,
      120,
    ),
    'cancel-on-failure': effect(ROLLOUT, 'true', (p) => p.settings.behaviour.rollout?.cancelOnFailure, true),
    'dry-run': effect({}, 'true', (p) => p.settings.behaviour.dryRun, true),
    'unknown-inputs': effect(
      {},
      'warn',
      (p) => p.warnings.some((w) => w.includes('INPUT_ROLLOUT-CONFIGURATION')),
      true,
      { env: { unknownInputVariables: ['INPUT_ROLLOUT-CONFIGURATION'] } },
    ),
  };

  it('covers exactly the inputs of names.ts', () => {
    expect(Object.keys(effects).sort()).toEqual(Object.values(INPUTS).sort());
  });

  it.each(Object.entries(effects))('%s', (name, { base, value, at, expected, needs, env }) => {
    expect(at(parseIn(ws, { inputs: { ...base, ...needs, [name]: value }, env }))).toEqual(expected);
    if (name !== 'unknown-inputs') {
      expect(at(parseIn(ws, { inputs: base, env }))).not.toEqual(expected);
    } else {
      expect(problemsIn(ws, { inputs: base, env })).toEqual([
        expect.stringMatching(/^rollout-configuration: /),
      ]);
    }
  });
});

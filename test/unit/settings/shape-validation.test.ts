import type { CreateOTAUpdateRequest } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.js';
import type { ShapeName } from '../../../src/settings/model.generated.js';
import { requestProblems, validateRequest, validateShape } from '../../../src/settings/shape-validation.js';
import { describeValue, joinPath } from '../../../src/settings/values.js';

const messages = (shape: ShapeName, value: unknown, path?: string) =>
  validateShape(shape, value, 'in', path).map((p) => p.message);

describe('validateShape', () => {
  const cases: [ShapeName, unknown, string[]][] = [
    // integers: model ranges, the documented ranges, 32-bit bounds, types
    ['MaximumPerMinute', 1000, []],
    ['MaximumPerMinute', 1001, ['must be an integer 1..1000, got 1001']],
    ['MaximumPerMinute', 1.5, ['must be an integer 1..1000, got 1.5']],
    ['MaximumPerMinute', '5', ['must be an integer 1..1000, got "5"']],
    ['MaximumPerMinute', null, ['must be an integer 1..1000, got null']],
    ['AwsJobRateIncreaseCriteriaNumberOfThings', 2 ** 31 - 1, []],
    [
      'AwsJobRateIncreaseCriteriaNumberOfThings',
      2 ** 31,
      ['must be an integer 1..2147483647, got 2147483648'],
    ],
    ['ExpiresInSeconds', 60, []],
    ['ExpiresInSeconds', 3601, ['must be an integer 60..3600, got 3601']],
    ['AwsJobTimeoutInProgressTimeoutInMinutes', 1, []],
    [
      'AwsJobTimeoutInProgressTimeoutInMinutes',
      2 ** 53,
      ['must be an integer 1..10080, got 9007199254740992'],
    ],
    // doubles
    ['AwsJobRolloutIncrementFactor', 1.1, []],
    ['AwsJobRolloutIncrementFactor', 5, []],
    ['AwsJobRolloutIncrementFactor', 1, ['must be a number 1.1..5 with at most 1 decimal, got 1']],
    ['AwsJobRolloutIncrementFactor', 2.05, ['must be a number 1.1..5 with at most 1 decimal, got 2.05']],
    ['AwsJobAbortCriteriaAbortThresholdPercentage', 99.99, []],
    [
      'AwsJobAbortCriteriaAbortThresholdPercentage',
      Number.NaN,
      ['must be a number of at most 100 with at most 2 decimals, got NaN'],
    ],
    [
      'AwsJobAbortCriteriaAbortThresholdPercentage',
      1e-7,
      ['must be a number of at most 100 with at most 2 decimals, got 1e-7'],
    ],
    // strings: length in code points, model patterns with \p{…} classes, documented values
    ['OTAUpdateId', 'a', []],
    ['OTAUpdateId', '', ['must not be empty']],
    ['OTAUpdateId', 'ä', ["must use only letters, digits, '_' and '-', got \"ä\""]],
    ['OTAUpdateDescription', 'Grüße 🚀', []],
    [
      'OTAUpdateDescription',
      'tab\there',
      ['must not contain control characters such as line breaks, got "tab\\there"'],
    ],
    ['OTAUpdateDescription', '🚀'.repeat(2028), []],
    ['TagKey', 'Ünïcode key: ok/=+-@_.', []],
    ['TagKey', 'semi;colon', ['must use only letters, digits, spaces and \'_.:/=+-@\', got "semi;colon"']],
    ['TagValue', '', []],
    ['S3Bucket', '', ['must not be empty']],
    [
      'S3Bucket',
      's3://b/k',
      [`must be an S3 bucket name (letters, digits, '.', '-', '_'; not a URL or path), got "s3://b/k"`],
    ],
    ['S3Key', 7, ['must be a string, got 7 (quote it in YAML)']],
    ['HashAlgorithm', 'SHA1', []],
    ['HashAlgorithm', 'sha1', ['must be one of SHA256, SHA1, got "sha1"']],
    ['SignatureAlgorithm', 'RSA', []],
    ['SignatureAlgorithm', 5, ['must be one of ECDSA, RSA, got 5']],
    ['Target', 'arn:aws-us-gov:iot:us-gov-west-1:123456789012:thinggroup/g:1', []],
    [
      'Target',
      'thing/x',
      [
        'must be a thing or thing-group ARN (arn:<partition>:iot:<region>:<account>:thing/NAME or thinggroup/NAME), got "thing/x"',
      ],
    ],
    // enums
    ['Protocol', 'HTTP', []],
    ['TargetSelection', 'snapshot', ['must be one of CONTINUOUS, SNAPSHOT, got "snapshot"']],
    // blobs
    ['Signature', new Uint8Array([1]), []],
    ['Signature', 'AAEC', ['must be bytes, got "AAEC"']],
    // lists
    ['Protocols', ['MQTT', 'HTTP'], []],
    ['Protocols', [], ['must have at least 1 item, got 0']],
    ['Protocols', ['MQTT', 'HTTP', 'MQTT'], ['must have at most 2 items, got 3']],
    ['Protocols', ['HTTP', 'HTTP'], ['must not repeat a protocol']],
    ['Protocols', 'MQTT', ['must be a list, got "MQTT"']],
    ['Targets', [], ['must have at least 1 item, got 0']],
    // maps
    ['AttributesMap', { a: 'b', 'odd key': 'c' }, []],
    ['AttributesMap', { 'odd key': 1 }, ['["odd key"] must be a string, got 1 (quote it in YAML)']],
    ['AttributesMap', ['a'], ['must be a mapping, got a list']],
    // structures: required, unknown keys, exactly-one rules
    ['Tag', { Key: 'k' }, []],
    ['Tag', { key: 'k', Value: 'v' }, ['key is not a valid key (did you mean Key?)', 'Key is required']],
    ['Tag', 'k=v', ['must be a mapping, got "k=v"']],
    ['FileLocation', { stream: { streamId: 's' } }, []],
    ['FileLocation', {}, ['must set exactly one of s3Location, stream, got none']],
    ['Stream', { fileId: 1 }, ['streamId is required']],
    ['S3Destination', { prefix: 'p' }, ['bucket is required']],
    ['CodeSigning', { awsSignerJobId: 'j' }, []],
    [
      'CodeSigning',
      { startSigningJobParameter: { signingProfileName: 'p', nope: 1 } },
      [
        'startSigningJobParameter.signingProfileName must be an AWS Signer profile name (2..64 letters, digits and \'_\'), got "p"',
        'startSigningJobParameter.nope is not a valid key (valid keys: signingProfileParameter, signingProfileName, destination)',
      ],
    ],
    // members set to undefined count as absent (SDK objects)
    ['S3Location', { bucket: 'b', key: 'k', version: undefined }, []],
  ];
  it.each(cases)('%s %j', (shape, value, expected) => {
    expect(messages(shape, value)).toEqual(expected);
  });

  it('prefixes messages with the path and names the input', () => {
    expect(
      validateShape(
        'OTAUpdateFile',
        { fileType: -1, fileLocation: { stream: { streamId: 's' } } },
        'files',
        '[3]',
      ),
    ).toEqual([{ input: 'files', message: '[3].fileType must be an integer 0..255, got -1' }]);
  });

  it('skips a rule while the value breaks simpler constraints', () => {
    expect(messages('Protocols', ['FTP', 'FTP'])).toEqual([
      '[0] must be one of MQTT, HTTP, got "FTP"',
      '[1] must be one of MQTT, HTTP, got "FTP"',
    ]);
  });
});

describe('describeValue and joinPath', () => {
  const values: [unknown, string][] = [
    [null, 'null'],
    [[1], 'a list'],
    [{}, 'a mapping'],
    [new Uint8Array(3), '3 bytes'],
    [true, 'true'],
    ['x'.repeat(61), `"${'x'.repeat(40)}"… (61 characters)`],
  ];
  it.each(values)('describes %j', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  it('joins identifiers with dots and quotes other keys', () => {
    expect([
      joinPath('', 'a'),
      joinPath('a', 'b'),
      joinPath('a', 2),
      joinPath('a', 'x-y'),
      joinPath('', '1'),
    ]).toEqual(['a', 'a.b', 'a[2]', 'a["x-y"]', '["1"]']);
  });
});

describe('validateRequest', () => {
  const valid: CreateOTAUpdateRequest = {
    otaUpdateId: 'widget-v1-2-0-0123abcd',
    description: 'acme/widget@v1.2.0',
    targets: ['arn:aws:iot:eu-west-1:123456789012:thing/dev-1'],
    protocols: ['MQTT'],
    targetSelection: 'SNAPSHOT',
    files: [
      {
        fileName: 'fw.bin',
        fileLocation: { s3Location: { bucket: 'b', key: 'k', version: 'v1' } },
        codeSigning: {
          customCodeSigning: {
            signature: { inlineDocument: new Uint8Array([1, 2]) },
            hashAlgorithm: 'SHA256',
            signatureAlgorithm: 'ECDSA',
          },
        },
      },
    ],
    roleArn: 'arn:aws:iam::123456789012:role/ota',
    tags: [{ Key: 'k', Value: 'v' }],
  };

  it('accepts a complete request', () => {
    expect(requestProblems(valid)).toEqual([]);
    expect(() => validateRequest(valid)).not.toThrow();
  });

  it('reports what a buggy builder would send, as input "request"', () => {
    const bad = {
      ...valid,
      otaUpdateId: '',
      targets: ['thing/dev-1'],
      files: [{ fileLocation: { s3Location: { bucket: 'b', key: 'k' } }, path: '/tmp/fw.bin' }],
    } as unknown as CreateOTAUpdateRequest;
    const problems = requestProblems(bad);
    expect(problems.map((p) => `${p.input}: ${p.message}`)).toEqual([
      'request: otaUpdateId must not be empty',
      'request: targets[0] must be a thing or thing-group ARN (arn:<partition>:iot:<region>:<account>:thing/NAME or thinggroup/NAME), got "thing/dev-1"',
      'request: files[0].path is not a valid key (valid keys: fileName, fileType, fileVersion, fileLocation, codeSigning, attributes)',
    ]);
    expect(() => validateRequest(bad)).toThrow(InvalidInputError);
  });

  it('applies the request-level rule: a presigned URL config needs HTTP', () => {
    const mqtt = { ...valid, awsJobPresignedUrlConfig: { expiresInSec: 600 } };
    expect(requestProblems(mqtt).map((p) => p.message)).toEqual([
      'awsJobPresignedUrlConfig only applies when protocols include HTTP',
    ]);
    expect(requestProblems({ ...mqtt, protocols: ['HTTP', 'MQTT'] })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { checkShape, formatViolations, modelRegex, type Shapes } from '../../../emulator/model-check.js';
import { JOBS_MODEL } from '../../../emulator/model/iot-jobs.js';
import { IOT_SHAPES } from '../../../emulator/model/iot-shapes.js';
import { STS_SHAPES } from '../../../emulator/model/sts-shapes.js';

const valid = {
  otaUpdateId: 'fw-1',
  targets: ['arn:aws:iot:us-east-1:123456789012:thinggroup/fleet'],
  roleArn: 'arn:aws:iam::123456789012:role/iot-ota-service',
  files: [{ fileLocation: { s3Location: { bucket: 'b', key: 'k' } } }],
};

describe('model data', () => {
  it.each([
    ['IoT', IOT_SHAPES],
    ['STS', STS_SHAPES],
    ['IoT Jobs', JOBS_MODEL.shapes],
  ])('every %s pattern compiles as a JS unicode regex and every target resolves', (_name, shapes: Shapes) => {
    for (const shape of Object.values(shapes)) {
      if (shape.type === 'string' && shape.pattern)
        expect(modelRegex(shape.pattern, shape.whole)).toBeInstanceOf(RegExp);
      const targets =
        shape.type === 'structure'
          ? Object.values(shape.members).map((m) => m.target)
          : shape.type === 'list'
            ? [shape.member]
            : shape.type === 'map'
              ? [shape.key, shape.value]
              : [];
      for (const t of targets) expect(checkShape.bind(null, shapes, t, undefined, 'x')).not.toThrow();
    }
  });

  it('reads astral code points in the STS ARN pattern', () => {
    const arnPattern = STS_SHAPES.arnType;
    expect(
      arnPattern?.type === 'string' && modelRegex(arnPattern.pattern!).test('arn:aws:iam::1:role/\u{1F600}'),
    ).toBe(true);
  });
});

describe('checkShape on CreateOTAUpdateRequest', () => {
  it('accepts a minimal valid request', () => {
    expect(checkShape(IOT_SHAPES, 'CreateOTAUpdateRequest', valid, '')).toEqual([]);
  });

  it.each([
    [
      'an id with a space',
      { otaUpdateId: 'a b' },
      "Value 'a b' at 'otaUpdateId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$",
    ],
    [
      'an id of 129 characters',
      { otaUpdateId: 'x'.repeat(129) },
      `Value '${'x'.repeat(129)}' at 'otaUpdateId' failed to satisfy constraint: Member must have length less than or equal to 128`,
    ],
    [
      'no targets',
      { targets: [] },
      "Value '[]' at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'a missing roleArn',
      { roleArn: undefined },
      "Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    ],
    [
      'a short roleArn',
      { roleArn: 'arn:aws:iam::1:r' },
      "Value 'arn:aws:iam::1:r' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
    ],
    [
      'a fileType over 255',
      { files: [{ fileType: 256 }] },
      "Value '256' at 'files.1.member.fileType' failed to satisfy constraint: Member must have value less than or equal to 255",
    ],
    [
      'an unknown protocol',
      { protocols: ['FTP'] },
      "Value 'FTP' at 'protocols.1.member' failed to satisfy constraint: Member must satisfy enum value set: [MQTT, HTTP]",
    ],
    [
      'three protocols',
      { protocols: ['MQTT', 'HTTP', 'MQTT'] },
      "Value '[MQTT, HTTP, MQTT]' at 'protocols' failed to satisfy constraint: Member must have length less than or equal to 2",
    ],
    [
      'a control character in the description',
      { description: 'line\nbreak' },
      "Value 'line\nbreak' at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[^\\p{C}]+$",
    ],
    [
      'a maximumPerMinute of 0',
      { awsJobExecutionsRolloutConfig: { maximumPerMinute: 0 } },
      "Value '0' at 'awsJobExecutionsRolloutConfig.maximumPerMinute' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      'an abort criterion without action',
      {
        awsJobAbortConfig: {
          abortCriteriaList: [
            { failureType: 'FAILED', thresholdPercentage: 10, minNumberOfExecutedThings: 1 },
          ],
        },
      },
      "Value null at 'awsJobAbortConfig.abortCriteriaList.1.member.action' failed to satisfy constraint: Member must not be null",
    ],
    [
      'a tag key with a forbidden character',
      { tags: [{ Key: 'a#b' }] },
      "Value 'a#b' at 'tags.1.member.Key' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$",
    ],
    [
      'a string where an integer belongs',
      { files: [{ fileType: '1' }] },
      "Value '1' at 'files.1.member.fileType' failed to satisfy constraint: Member must be an integer",
    ],
    [
      'a blob that is not base64',
      { files: [{ codeSigning: { customCodeSigning: { signature: { inlineDocument: 'not base64!' } } } }] },
      "Value 'not base64!' at 'files.1.member.codeSigning.customCodeSigning.signature.inlineDocument' failed to satisfy constraint: Member must be base64-encoded binary",
    ],
  ])('reports %s', (_what, change, expected) => {
    const violations = checkShape(IOT_SHAPES, 'CreateOTAUpdateRequest', { ...valid, ...change }, '');
    expect(formatViolations(violations)).toBe(`1 validation error detected: ${expected}`);
  });

  it('lists every violation in one message', () => {
    const violations = checkShape(IOT_SHAPES, 'CreateOTAUpdateRequest', { otaUpdateId: '' }, '');
    expect(violations.map((v) => v.path)).toEqual([
      'otaUpdateId',
      'otaUpdateId',
      'targets',
      'files',
      'roleArn',
    ]);
    expect(formatViolations(violations)).toMatch(/^5 validation errors detected: /);
  });

  it('never echoes a sensitive value', () => {
    const violations = checkShape(
      STS_SHAPES,
      'AssumeRoleWithWebIdentityRequest',
      {
        RoleArn: 'arn:aws:iam::123456789012:role/x',
        RoleSessionName: 'ok',
        WebIdentityToken: 'abc',
      },
      '',
    );
    expect(formatViolations(violations)).toBe(
      "1 validation error detected: Value at 'WebIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4",
    );
  });
});

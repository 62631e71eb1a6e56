import type { CreateOTAUpdateRequest } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { buildRequest, requestToJson } from '../../../src/plan/request.js';
import { requestProblems } from '../../../src/settings/shape-validation.js';
import type { FileFacts } from '../../../src/types.js';
import { fileFacts, FW_SHA256, localFile, makeSettings, ROLE } from '../fixtures.js';

const ARN = 'arn:aws:iot:eu-west-1:123456789012:thing/dev-1';
const UPLOADED: FileFacts[] = [fileFacts(FW_SHA256, 'uploaded-1')];

describe('buildRequest', () => {
  /** The action's own tags: a fingerprint of each field GetOTAUpdate does not return, after the user's tags. */
  const ACTION_TAGS = ['ota-action:role-arn', 'ota-action:abort-config', 'ota-action:timeout-config'].map(
    (Key) => ({
      Key,
      Value: expect.stringMatching(/^sha256:[0-9a-f]{32}$/) as string,
    }),
  );

  it('maps the minimal settings and omits every absent member', () => {
    const request = buildRequest(makeSettings(), 'fw-1', [ARN], UPLOADED);
    expect(request).toStrictEqual({
      otaUpdateId: 'fw-1',
      description: 'acme/widget@v1.2.0 (abcdef0)',
      targets: [ARN],
      protocols: ['MQTT'],
      targetSelection: 'SNAPSHOT',
      files: [
        {
          fileName: 'fw.bin',
          fileVersion: 'v1.2.0',
          fileLocation: {
            s3Location: { bucket: 'fw-bucket', key: 'widget/v1.2.0/fw.bin', version: 'uploaded-1' },
          },
        },
      ],
      roleArn: ROLE,
      tags: ACTION_TAGS,
    } satisfies CreateOTAUpdateRequest);
    expect(requestProblems(request)).toEqual([]);
  });

  it('maps every member', () => {
    const signature = new Uint8Array([9, 8, 7]);
    const settings = makeSettings({
      protocols: ['MQTT', 'HTTP'],
      targetSelection: 'CONTINUOUS',
      description: 'd',
      rolloutConfig: { maximumPerMinute: 5 },
      abortConfig: {
        abortCriteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 1 },
        ],
      },
      timeoutConfig: { inProgressTimeoutInMinutes: 60 },
      presignedUrlConfig: { expiresInSec: 300 },
      additionalParameters: { p: 'q' },
      tags: [{ Key: 'team', Value: 'fw' }],
      files: [
        localFile({
          fileType: 4,
          attributes: { a: 'b' },
          codeSigning: {
            customCodeSigning: {
              signature: { inlineDocument: signature },
              certificateChain: { certificateName: 'c.pem' },
              hashAlgorithm: 'SHA256',
              signatureAlgorithm: 'ECDSA',
            },
          },
        }),
        localFile({
          fileName: undefined,
          fileVersion: undefined,
          source: { kind: 'stream', streamId: 's-1', fileId: 2 },
          codeSigning: { awsSignerJobId: 'job' },
        }),
        localFile({
          fileName: 'x',
          fileVersion: undefined,
          source: { kind: 's3', bucket: 'b', key: 'k', version: 'given', localPath: undefined },
        }),
        localFile({ source: { kind: 'stream', streamId: 's-2', fileId: undefined } }),
      ],
    });
    const facts: FileFacts[] = [
      fileFacts(FW_SHA256, 'up-1'),
      fileFacts(undefined, undefined),
      fileFacts(undefined, undefined),
      fileFacts(undefined, undefined),
    ];
    const request = buildRequest(settings, 'fw-2', [ARN, `${ARN}-2`], facts);
    expect(request).toStrictEqual({
      otaUpdateId: 'fw-2',
      description: 'd',
      targets: [ARN, `${ARN}-2`],
      protocols: ['MQTT', 'HTTP'],
      targetSelection: 'CONTINUOUS',
      awsJobExecutionsRolloutConfig: { maximumPerMinute: 5 },
      awsJobPresignedUrlConfig: { expiresInSec: 300 },
      awsJobAbortConfig: {
        abortCriteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 1 },
        ],
      },
      awsJobTimeoutConfig: { inProgressTimeoutInMinutes: 60 },
      files: [
        {
          fileName: 'fw.bin',
          fileType: 4,
          fileVersion: 'v1.2.0',
          fileLocation: { s3Location: { bucket: 'fw-bucket', key: 'widget/v1.2.0/fw.bin', version: 'up-1' } },
          codeSigning: {
            customCodeSigning: {
              signature: { inlineDocument: signature },
              certificateChain: { certificateName: 'c.pem' },
              hashAlgorithm: 'SHA256',
              signatureAlgorithm: 'ECDSA',
            },
          },
          attributes: { a: 'b' },
        },
        { fileLocation: { stream: { streamId: 's-1', fileId: 2 } }, codeSigning: { awsSignerJobId: 'job' } },
        { fileName: 'x', fileLocation: { s3Location: { bucket: 'b', key: 'k', version: 'given' } } },
        { fileName: 'fw.bin', fileVersion: 'v1.2.0', fileLocation: { stream: { streamId: 's-2' } } },
      ],
      roleArn: ROLE,
      additionalParameters: { p: 'q' },
      tags: [{ Key: 'team', Value: 'fw' }, ...ACTION_TAGS],
    } satisfies CreateOTAUpdateRequest);
    expect(request.files?.[0]?.codeSigning?.customCodeSigning?.signature?.inlineDocument).toBe(signature);
    expect(requestProblems(request)).toEqual([]);
  });

  const versions: [string, string | undefined, string | undefined, string | undefined][] = [
    ['the fact wins over the given version', 'given', 'pinned', 'pinned'],
    ['the given version without a fact', 'given', undefined, 'given'],
    ['no version yet (dry run before an upload)', undefined, undefined, undefined],
  ];
  it.each(versions)('s3Location.version: %s', (_what, given, fact, expected) => {
    const settings = makeSettings({
      files: [
        localFile({ source: { kind: 's3', bucket: 'b', key: 'k', version: given, localPath: undefined } }),
      ],
    });
    const request = buildRequest(settings, 'id', [ARN], [fileFacts(undefined, fact)]);
    const location = request.files?.[0]?.fileLocation?.s3Location;
    expect(location).toStrictEqual(
      expected === undefined ? { bucket: 'b', key: 'k' } : { bucket: 'b', key: 'k', version: expected },
    );
  });

  it('never sends a local path', () => {
    const json = JSON.stringify(buildRequest(makeSettings(), 'id', [ARN], UPLOADED));
    expect(json).not.toContain('/ws/fw.bin');
    expect(json).not.toContain('localPath');
  });
});

describe('requestToJson', () => {
  it('pretty-prints the request and elides signature bytes', () => {
    const settings = makeSettings({
      files: [
        localFile({
          codeSigning: {
            customCodeSigning: {
              signature: { inlineDocument: new Uint8Array(71) },
              hashAlgorithm: 'SHA256',
              signatureAlgorithm: 'ECDSA',
            },
          },
        }),
      ],
    });
    const json = requestToJson(buildRequest(settings, 'id', [ARN], UPLOADED));
    expect(JSON.parse(json).files[0].codeSigning).toEqual({
      customCodeSigning: {
        signature: { inlineDocument: '<71 bytes elided>' },
        hashAlgorithm: 'SHA256',
        signatureAlgorithm: 'ECDSA',
      },
    });
    expect(json.split('\n')[1]).toBe('  "otaUpdateId": "id",');
  });

  it('elides a Buffer too', () => {
    const request: CreateOTAUpdateRequest = {
      otaUpdateId: 'id',
      targets: [ARN],
      roleArn: ROLE,
      files: [{ codeSigning: { customCodeSigning: { signature: { inlineDocument: Buffer.from('abc') } } } }],
    };
    expect(
      JSON.parse(requestToJson(request)).files[0].codeSigning.customCodeSigning.signature.inlineDocument,
    ).toBe('<3 bytes elided>');
  });
});

describe('the fingerprint tags', () => {
  it('change with each field GetOTAUpdate does not return, and with nothing else', () => {
    const base = buildRequest(makeSettings(), 'fw-1', [ARN], UPLOADED).tags;
    const other = (partial: Parameters<typeof makeSettings>[0]) =>
      buildRequest(makeSettings(partial), 'fw-1', [ARN], UPLOADED).tags?.map((t) => t.Value);
    const values = base?.map((t) => t.Value);
    expect(other({ roleArn: 'arn:aws:iam::123456789012:role/other' })?.[0]).not.toBe(values?.[0]);
    expect(other({ timeoutConfig: { inProgressTimeoutInMinutes: 1 } })?.[2]).not.toBe(values?.[2]);
    expect(other({ description: 'another description' })).toEqual(values);
  });
});

import type { CreateOTAUpdateRequest, OTAUpdateInfo } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { describeDifferences } from '../../../src/plan/compare.js';
import { ActionError } from '../../../src/errors.js';
import { decide } from '../../../src/plan/decision.js';

const request: CreateOTAUpdateRequest = {
  otaUpdateId: 'fw-v1',
  targets: ['arn:aws:iot:us-east-1:123456789012:thinggroup/fleet'],
  protocols: ['MQTT'],
  targetSelection: 'SNAPSHOT',
  roleArn: 'arn:aws:iam::123456789012:role/ota-service',
  files: [
    {
      fileName: 'fw.bin',
      fileVersion: 'v1',
      fileLocation: { s3Location: { bucket: 'b', key: 'k/fw.bin', version: 'v-1' } },
      codeSigning: {
        customCodeSigning: {
          signature: { inlineDocument: Uint8Array.from([1, 2, 3]) },
          certificateChain: { certificateName: '/cert.pem' },
          hashAlgorithm: 'SHA256',
          signatureAlgorithm: 'ECDSA',
        },
      },
    },
  ],
};

/** What GetOTAUpdate returns for an update created from `request`. */
const existingOf = (
  status: OTAUpdateInfo['otaUpdateStatus'],
  overrides: Partial<OTAUpdateInfo> = {},
): OTAUpdateInfo => ({
  otaUpdateId: 'fw-v1',
  otaUpdateArn: 'arn:aws:iot:us-east-1:123456789012:otaupdate/fw-v1',
  otaUpdateStatus: status,
  targets: [...(request.targets ?? [])],
  protocols: ['MQTT'],
  targetSelection: 'SNAPSHOT',
  otaUpdateFiles: [
    {
      ...request.files?.[0],
      // The SDK returns blobs as Uint8Array; a Buffer holding the same bytes must compare equal.
      codeSigning: {
        customCodeSigning: {
          signature: { inlineDocument: Buffer.from([1, 2, 3]) },
          certificateChain: { certificateName: '/cert.pem' },
          hashAlgorithm: 'SHA256',
          signatureAlgorithm: 'ECDSA',
        },
      },
    },
  ],
  ...overrides,
});

function failure(fn: () => unknown): ActionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error('expected an ActionError');
}

describe('decide at plan time', () => {
  it('creates when nothing holds the id', () => {
    expect(decide(undefined, request, 'reuse')).toEqual({ kind: 'create' });
    expect(decide(undefined, request, 'fail')).toEqual({ kind: 'create' });
  });

  it.each(['CREATE_COMPLETE', 'CREATE_PENDING', 'CREATE_IN_PROGRESS'] as const)(
    'reuses an identical update in %s',
    (status) => {
      const existing = existingOf(status);
      expect(decide(existing, request, 'reuse')).toEqual({ kind: 'reuse', existing });
    },
  );

  it('replaces an update that ended CREATE_FAILED, even under reuse', () => {
    const existing = existingOf('CREATE_FAILED');
    expect(decide(existing, request, 'reuse')).toEqual({
      kind: 'replace',
      existing,
      why: 'create-failed',
    });
  });

  it('waits for a deletion in progress whatever if-exists says', () => {
    const existing = existingOf('DELETE_IN_PROGRESS');
    for (const mode of ['reuse', 'fail', 'replace'] as const) {
      expect(decide(existing, request, mode)).toEqual({ kind: 'await-deletion', existing });
    }
  });

  it('replaces under if-exists replace', () => {
    const existing = existingOf('CREATE_COMPLETE');
    expect(decide(existing, request, 'replace')).toEqual({ kind: 'replace', existing, why: 'if-exists' });
  });

  it('refuses under if-exists fail with ResourceAlreadyExistsException', () => {
    const error = failure(() => decide(existingOf('CREATE_COMPLETE'), request, 'fail'));
    expect(error.code).toBe('ResourceAlreadyExistsException');
    expect(error.message).toBe(
      'OTA update fw-v1 already exists (status CREATE_COMPLETE) and if-exists is fail.',
    );
  });

  it('fails with ExistingUpdateDiffers listing every difference', () => {
    const existing = existingOf('CREATE_COMPLETE', {
      targets: ['arn:aws:iot:us-east-1:123456789012:thing/other'],
      otaUpdateFiles: [
        {
          ...request.files?.[0],
          fileLocation: { s3Location: { bucket: 'b', key: 'k/fw.bin', version: 'v-0' } },
        },
      ],
    });
    const error = failure(() => decide(existing, request, 'reuse'));
    expect(error.code).toBe('ExistingUpdateDiffers');
    expect(error.message).toBe(
      'OTA update fw-v1 already exists with a different release: ' +
        'targets: existing ["arn:aws:iot:us-east-1:123456789012:thing/other"], requested ["arn:aws:iot:us-east-1:123456789012:thinggroup/fleet"]; ' +
        'files[0].fileLocation: existing {"s3Location":{"bucket":"b","key":"k/fw.bin","version":"v-0"}}, requested {"s3Location":{"bucket":"b","key":"k/fw.bin","version":"v-1"}}.',
    );
  });

  it('fails on an update stuck in DELETE_FAILED', () => {
    const existing = existingOf('DELETE_FAILED', { errorInfo: { code: 'X', message: 'job busy' } });
    const error = failure(() => decide(existing, request, 'reuse'));
    expect(error.code).toBe('DELETE_FAILED');
    expect(error.message).toBe('OTA update fw-v1 exists in status DELETE_FAILED: X: job busy.');
  });
});

describe('decide at a create conflict (the id was found taken after the plan)', () => {
  it('adopts an identical update, whatever its status, and never deletes one', () => {
    for (const status of ['CREATE_PENDING', 'CREATE_COMPLETE', 'CREATE_FAILED'] as const) {
      const existing = existingOf(status);
      expect(decide(existing, request, 'reuse', 'conflict')).toEqual({ kind: 'reuse', existing });
      expect(decide(existing, request, 'replace', 'conflict')).toEqual({ kind: 'reuse', existing });
    }
  });

  it('waits for a deletion in progress', () => {
    const existing = existingOf('DELETE_IN_PROGRESS');
    expect(decide(existing, request, 'replace', 'conflict')).toEqual({ kind: 'await-deletion', existing });
  });

  it('refuses a different release, saying it was created meanwhile', () => {
    const existing = existingOf('CREATE_COMPLETE', {
      targets: ['arn:aws:iot:us-east-1:123456789012:thing/x'],
    });
    const error = failure(() => decide(existing, request, 'replace', 'conflict'));
    expect(error.code).toBe('ExistingUpdateDiffers');
    expect(error.message).toMatch(
      /^OTA update fw-v1 was created meanwhile with a different release: targets: /,
    );
    expect(error.hint).toBe(
      'Another run created this id with other content; give this release its own ota-update-id, or set if-exists to replace.',
    );
  });
});

describe('describeDifferences', () => {
  it('finds none for the same release in another order', () => {
    const existing = existingOf('CREATE_COMPLETE', {
      targets: [...(request.targets ?? [])].reverse(),
      additionalParameters: {},
    });
    expect(describeDifferences(existing, request)).toEqual([]);
  });

  it.each([
    ['protocols', { protocols: ['HTTP'] }, 'protocols: existing ["HTTP"], requested ["MQTT"]'],
    [
      'targetSelection',
      { targetSelection: 'CONTINUOUS' },
      'targetSelection: existing "CONTINUOUS", requested "SNAPSHOT"',
    ],
    [
      'rollout',
      { awsJobExecutionsRolloutConfig: { maximumPerMinute: 5 } },
      'awsJobExecutionsRolloutConfig: existing {"maximumPerMinute":5}, requested none',
    ],
    ['file count', { otaUpdateFiles: [] }, 'number of files: existing 0, requested 1'],
  ] as const)('reports a different %s', (_what, overrides, expected) => {
    expect(
      describeDifferences(existingOf('CREATE_COMPLETE', overrides as Partial<OTAUpdateInfo>), request),
    ).toEqual([expected]);
  });

  it('sees a different custom signature and names it by digest, never by its bytes', () => {
    const existing = existingOf('CREATE_COMPLETE');
    const file = existing.otaUpdateFiles?.[0];
    const signature = file?.codeSigning?.customCodeSigning?.signature;
    if (signature) signature.inlineDocument = Uint8Array.from([9]);
    expect(describeDifferences(existing, request)).toEqual([
      'files[0].codeSigning.signature: existing "sha256:2b4c342f5433ebe5", requested "sha256:039058c6f2c0cb49"',
    ]);
  });
});

import type { CreateOTAUpdateRequest, OTAUpdateInfo } from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import { describeDifferences } from '../../../src/plan/compare.js';
import { ActionError } from '../../../src/errors.js';
import { decide, notComparedWarning } from '../../../src/plan/decision.js';
import { fingerprintTags } from '../../../src/plan/fingerprint.js';

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

/** What ListTagsForResource returns for an update this action created from `request`. */
const TAGS = Object.fromEntries(fingerprintTags(request).map((t) => [t.Key, t.Value]));
const plan = { tags: TAGS };

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
    expect(decide(undefined, request, 'reuse', plan)).toEqual({ kind: 'create' });
    expect(decide(undefined, request, 'fail', plan)).toEqual({ kind: 'create' });
  });

  it.each(['CREATE_COMPLETE', 'CREATE_PENDING', 'CREATE_IN_PROGRESS'] as const)(
    'reuses an identical update in %s',
    (status) => {
      const existing = existingOf(status);
      expect(decide(existing, request, 'reuse', plan)).toEqual({ kind: 'reuse', existing, notCompared: [] });
    },
  );

  it('replaces an update that ended CREATE_FAILED, even under reuse', () => {
    const existing = existingOf('CREATE_FAILED');
    expect(decide(existing, request, 'reuse', plan)).toEqual({
      kind: 'replace',
      existing,
      why: 'create-failed',
    });
  });

  it('waits for a deletion in progress whatever if-exists says', () => {
    const existing = existingOf('DELETE_IN_PROGRESS');
    for (const mode of ['reuse', 'fail', 'replace'] as const) {
      expect(decide(existing, request, mode, plan)).toEqual({ kind: 'await-deletion', existing });
    }
  });

  it('replaces under if-exists replace', () => {
    const existing = existingOf('CREATE_COMPLETE');
    expect(decide(existing, request, 'replace', plan)).toEqual({
      kind: 'replace',
      existing,
      why: 'if-exists',
    });
  });

  it('refuses under if-exists fail with ResourceAlreadyExistsException', () => {
    const error = failure(() => decide(existingOf('CREATE_COMPLETE'), request, 'fail', plan));
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
    const error = failure(() => decide(existing, request, 'reuse', plan));
    expect(error.code).toBe('ExistingUpdateDiffers');
    expect(error.message).toBe(
      'OTA update fw-v1 already exists with a different release: ' +
        'targets: existing ["arn:aws:iot:us-east-1:123456789012:thing/other"], requested ["arn:aws:iot:us-east-1:123456789012:thinggroup/fleet"]; ' +
        'files[0].fileLocation: existing {"s3Location":{"bucket":"b","key":"k/fw.bin","version":"v-0"}}, requested {"s3Location":{"bucket":"b","key":"k/fw.bin","version":"v-1"}}.',
    );
  });

  it('fails on an update stuck in DELETE_FAILED', () => {
    const existing = existingOf('DELETE_FAILED', { errorInfo: { code: 'X', message: 'job busy' } });
    const error = failure(() => decide(existing, request, 'reuse', plan));
    expect(error.code).toBe('DELETE_FAILED');
    expect(error.message).toBe('OTA update fw-v1 exists in status DELETE_FAILED: X: job busy.');
  });
});

describe('decide at a create conflict (the id was found taken after the plan)', () => {
  it('adopts an identical update, whatever its status, and never deletes one', () => {
    for (const status of ['CREATE_PENDING', 'CREATE_COMPLETE', 'CREATE_FAILED'] as const) {
      const existing = existingOf(status);
      expect(decide(existing, request, 'reuse', { moment: 'conflict', tags: TAGS })).toEqual({
        kind: 'reuse',
        existing,
        notCompared: [],
      });
      expect(decide(existing, request, 'replace', { moment: 'conflict', tags: TAGS })).toEqual({
        kind: 'reuse',
        existing,
        notCompared: [],
      });
    }
  });

  it('waits for a deletion in progress', () => {
    const existing = existingOf('DELETE_IN_PROGRESS');
    expect(decide(existing, request, 'replace', { moment: 'conflict', tags: TAGS })).toEqual({
      kind: 'await-deletion',
      existing,
    });
  });

  it('refuses a different release, saying it was created meanwhile', () => {
    const existing = existingOf('CREATE_COMPLETE', {
      targets: ['arn:aws:iot:us-east-1:123456789012:thing/x'],
    });
    const error = failure(() => decide(existing, request, 'replace', { moment: 'conflict', tags: TAGS }));
    expect(error.code).toBe('ExistingUpdateDiffers');
    expect(error.message).toMatch(
      /^OTA update fw-v1 was created meanwhile with a different release: targets: /,
    );
    expect(error.hint).toBe(
      'Another run created this id with other content; give this release its own ota-update-id, or set if-exists to replace.',
    );
  });
});

describe('decide compares what GetOTAUpdate does not return, through the tags', () => {
  const existing = existingOf('CREATE_COMPLETE');
  const changed = (overrides: Partial<CreateOTAUpdateRequest>): Record<string, string> =>
    Object.fromEntries(fingerprintTags({ ...request, ...overrides }).map((t) => [t.Key, t.Value]));

  it.each([
    [{ roleArn: 'arn:aws:iam::123456789012:role/other' }, 'roleArn (ota-role-arn)'],
    [
      {
        awsJobAbortConfig: {
          abortCriteriaList: [
            {
              failureType: 'FAILED' as const,
              action: 'CANCEL' as const,
              thresholdPercentage: 5,
              minNumberOfExecutedThings: 1,
            },
          ],
        },
      },
      'awsJobAbortConfig (abort-config)',
    ],
    [{ awsJobTimeoutConfig: { inProgressTimeoutInMinutes: 5 } }, 'awsJobTimeoutConfig (timeout-config)'],
  ])('a re-run with another %o fails ExistingUpdateDiffers naming %s', (overrides, field) => {
    const error = failure(() => decide(existing, request, 'reuse', { tags: changed(overrides) }));
    expect(error.code).toBe('ExistingUpdateDiffers');
    expect(error.message).toContain(`${field}: differs from what the existing update was created with`);
  });

  it('compares the user tags as they are', () => {
    const error = failure(() => decide(existing, request, 'reuse', { tags: { ...TAGS, team: 'other' } }));
    expect(error.message).toContain('tags: existing {"team":"other"}, requested {}');
  });

  it.each([
    ['an update made by other tools (no fingerprint tags)', { team: 'x' }],
    ['tags that could not be read', 'unreadable' as const],
    ['tags never read', undefined],
  ])('reuses %s, naming what it could not compare', (_label, tags) => {
    const step = decide(
      existing,
      { ...request, tags: [...(tags && tags !== 'unreadable' ? [{ Key: 'team', Value: 'x' }] : [])] },
      'reuse',
      { tags },
    );
    expect(step.kind).toBe('reuse');
    const notCompared = step.kind === 'reuse' ? step.notCompared : [];
    expect(notCompared).toEqual(
      expect.arrayContaining([
        'roleArn (ota-role-arn)',
        'awsJobAbortConfig (abort-config)',
        'awsJobTimeoutConfig (timeout-config)',
      ]),
    );
    expect(notComparedWarning('fw-v1', notCompared)).toMatch(
      /^OTA update fw-v1 holds this release as far as it can be seen, but roleArn \(ota-role-arn\), /,
    );
  });

  it('says nothing when everything could be compared', () => {
    expect(notComparedWarning('fw-v1', [])).toBeUndefined();
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

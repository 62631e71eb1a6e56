import { describe, expect, it } from 'vitest';
import { ActionError, InvalidInputError } from '../../../src/errors.js';
import { planRelease, type ReleaseFacts } from '../../../src/plan/plan.js';
import { fileFacts, FW_SHA256, localFile, makeSettings } from '../fixtures.js';

const TARGET = 'arn:aws:iot:eu-west-1:123456789012:thing/dev-1';

function factsWith(overrides: Partial<ReleaseFacts> = {}): ReleaseFacts {
  return {
    identity: {
      partition: 'aws',
      accountId: '123456789012',
      arn: 'arn:aws:sts::123456789012:assumed-role/d/s',
    },
    targets: [TARGET],
    otaUpdateId: 'widget-v1-2-0-0123abcd',
    derivedId: true,
    existing: undefined,
    existingTags: undefined,
    existingJob: undefined,
    files: [fileFacts(FW_SHA256, undefined)],
    ...overrides,
  };
}

describe('planRelease', () => {
  it('plans the upload of a local file, a request without its version yet, and a create', () => {
    const plan = planRelease(makeSettings(), factsWith());
    expect(plan.step).toEqual({ kind: 'create' });
    expect(plan.uploads).toEqual([
      {
        index: 0,
        bucket: 'fw-bucket',
        key: 'widget/v1.2.0/fw.bin',
        path: '/ws/fw.bin',
        sha256: FW_SHA256,
        size: undefined,
      },
    ]);
    expect(plan.request.files?.[0]?.fileLocation).toEqual({
      s3Location: { bucket: 'fw-bucket', key: 'widget/v1.2.0/fw.bin' },
    });
    expect(plan.request.targets).toEqual([TARGET]);
  });

  it('plans no upload for bytes already in S3, and points the request at that version', () => {
    const reused = { ...fileFacts(FW_SHA256, 'v-7'), origin: 'reused' as const };
    const plan = planRelease(makeSettings(), factsWith({ files: [reused] }));
    expect(plan.uploads).toEqual([]);
    expect(plan.request.files?.[0]?.fileLocation?.s3Location?.version).toBe('v-7');
  });

  it('reuses an existing update that holds this very release', () => {
    const first = planRelease(
      makeSettings(),
      factsWith({ files: [{ ...fileFacts(FW_SHA256, 'v-7'), origin: 'reused' }] }),
    );
    const existing = {
      otaUpdateId: first.otaUpdateId,
      otaUpdateStatus: 'CREATE_COMPLETE' as const,
      targets: first.request.targets,
      protocols: first.request.protocols,
      targetSelection: first.request.targetSelection,
      otaUpdateFiles: first.request.files,
    };
    const tags = Object.fromEntries((first.request.tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    const again = planRelease(
      makeSettings(),
      factsWith({
        existing,
        existingTags: tags,
        files: [{ ...fileFacts(FW_SHA256, 'v-7'), origin: 'reused' }],
      }),
    );
    expect(again.step).toEqual({ kind: 'reuse', existing, notCompared: [] });
    expect(again.warnings).toEqual([]);
  });

  it('refuses a request the model would refuse (defence in depth), as InvalidInput', () => {
    const settings = makeSettings({ files: [localFile({ fileType: 300 })] });
    expect(() => planRelease(settings, factsWith())).toThrow(InvalidInputError);
  });

  describe('if-exists: replace', () => {
    const existing = { otaUpdateId: 'widget-v1-2-0-0123abcd', otaUpdateStatus: 'CREATE_COMPLETE' as const };
    const job = (inProgress: number, status: 'IN_PROGRESS' | 'CANCELED' = 'IN_PROGRESS') => ({
      jobId: 'AFR_OTA-widget-v1-2-0-0123abcd',
      jobArn: undefined,
      status,
      targetSelection: 'SNAPSHOT' as const,
      processingTargets: [],
      counts: {
        queued: 2,
        inProgress,
        succeeded: 5,
        failed: 1,
        rejected: 0,
        timedOut: 0,
        canceled: 0,
        removed: 0,
      },
      reasonCode: undefined,
      comment: undefined,
      forceCanceled: false,
    });
    const replace = makeSettings({ behaviour: { ...makeSettings().behaviour, ifExists: 'replace' } });

    it.each(['IN_PROGRESS', 'CANCELED'] as const)(
      'refuses RolloutInProgress while executions are IN_PROGRESS (job %s), naming the counts and what to do',
      (status) => {
        const error: unknown = (() => {
          try {
            planRelease(replace, factsWith({ existing, existingJob: job(3, status) }));
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        expect(error).toBeInstanceOf(ActionError);
        expect(error).toMatchObject({
          code: 'RolloutInProgress',
          message: `OTA update widget-v1-2-0-0123abcd cannot be replaced: 3 of the 11 things of its job AFR_OTA-widget-v1-2-0-0123abcd (${status}) are installing it right now (5 succeeded, 1 failed, 2 queued), and deleting the job would leave them unable to report.`,
        });
        expect((error as ActionError).hint).toContain(
          'aws iot cancel-job --job-id AFR_OTA-widget-v1-2-0-0123abcd',
        );
      },
    );

    it('replaces when no execution is in progress, or when there is no job', () => {
      expect(planRelease(replace, factsWith({ existing, existingJob: job(0) })).step.kind).toBe('replace');
      expect(planRelease(replace, factsWith({ existing, existingJob: undefined })).step.kind).toBe('replace');
    });
  });
});

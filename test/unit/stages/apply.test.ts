import {
  CreateOTAUpdateCommand,
  DeleteOTAUpdateCommand,
  GetOTAUpdateCommand,
  IoTClient,
} from '@aws-sdk/client-iot';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/plan/plan.js';
import { buildRequest } from '../../../src/plan/request.js';
import { apply } from '../../../src/stages/apply.js';
import { awsError } from '../aws/fixtures.js';
import { fileFacts, localFile, makeSettings } from '../fixtures.js';
import { testContext } from './context.js';

const iotMock = mockClient(IoTClient);
const s3Mock = mockClient(S3Client);

const dir = mkdtempSync(join(tmpdir(), 'apply-test-'));
const firmwarePath = join(dir, 'fw.bin');
writeFileSync(firmwarePath, 'firmware bytes');
const SHA = 'cd'.repeat(32);
const TARGETS = ['arn:aws:iot:eu-west-1:123456789012:thing/dev-1'];
const settings = makeSettings({
  otaUpdateId: 'fw-1',
  files: [
    localFile({ source: { kind: 's3', bucket: 'b', key: 'k', version: undefined, localPath: firmwarePath } }),
  ],
});

function planOf(step: Plan['step'], uploadPending = true): Plan {
  const files = [
    uploadPending ? fileFacts(SHA, undefined) : { ...fileFacts(SHA, 'v-old'), origin: 'reused' as const },
  ];
  return {
    otaUpdateId: 'fw-1',
    targets: TARGETS,
    request: buildRequest(settings, 'fw-1', TARGETS, files),
    files,
    uploads: uploadPending
      ? [{ index: 0, bucket: 'b', key: 'k', path: firmwarePath, sha256: SHA, size: 14 }]
      : [],
    step,
    warnings: [],
  };
}

beforeEach(() => {
  iotMock.reset();
  s3Mock.reset();
  s3Mock.on(PutObjectCommand).resolves({ VersionId: 'v-new' });
  iotMock.on(CreateOTAUpdateCommand).resolves({ otaUpdateId: 'fw-1', otaUpdateStatus: 'CREATE_PENDING' });
});

describe('apply', () => {
  it('uploads, then creates with the new version, recording both', async () => {
    const ctx = testContext();
    const applied = await apply(settings, planOf({ kind: 'create' }), ctx);
    expect(applied.result).toBe('created');
    expect(applied.files[0]).toMatchObject({ s3Version: 'v-new', origin: 'uploaded' });
    const sent = iotMock.commandCalls(CreateOTAUpdateCommand)[0]?.args[0].input;
    expect(sent?.files?.[0]?.fileLocation?.s3Location?.version).toBe('v-new');
    expect(applied.request).toEqual(sent);
    expect(ctx.recorded.uploaded).toEqual([[0, expect.objectContaining({ s3Version: 'v-new' })]]);
    expect(ctx.recorded.createsSent).toBe(1);
  });

  it('reuses without writing anything', async () => {
    const existing = { otaUpdateId: 'fw-1', otaUpdateStatus: 'CREATE_COMPLETE' as const };
    const ctx = testContext();
    const applied = await apply(settings, planOf({ kind: 'reuse', existing, notCompared: [] }, false), ctx);
    expect(applied).toMatchObject({ result: 'reused', info: existing });
    expect(iotMock.calls()).toHaveLength(0);
    expect(s3Mock.calls()).toHaveLength(0);
    expect(ctx.recorded.log).toContain('notice: OTA update fw-1 already holds this release; reusing it.');
  });

  it('replaces: deletes with the job and its stream, waits until the id is free, then creates', async () => {
    iotMock.on(DeleteOTAUpdateCommand).resolves({});
    iotMock
      .on(GetOTAUpdateCommand)
      .resolvesOnce({ otaUpdateInfo: { otaUpdateId: 'fw-1', otaUpdateStatus: 'DELETE_IN_PROGRESS' } })
      .rejects(awsError('ResourceNotFoundException', 404));
    const existing = { otaUpdateId: 'fw-1', otaUpdateStatus: 'CREATE_FAILED' as const };
    const ctx = testContext();
    const applied = await apply(settings, planOf({ kind: 'replace', existing, why: 'create-failed' }), ctx);
    expect(applied.result).toBe('replaced');
    expect(iotMock.commandCalls(DeleteOTAUpdateCommand)[0]?.args[0].input).toEqual({
      otaUpdateId: 'fw-1',
      deleteStream: true,
      forceDeleteAWSJob: true,
    });
    expect(iotMock.commandCalls(GetOTAUpdateCommand)).toHaveLength(2);
    expect(iotMock.commandCalls(CreateOTAUpdateCommand)).toHaveLength(1);
    expect(ctx.recorded.log[0]).toBe(
      'notice: OTA update fw-1 ended CREATE_FAILED and never reached a device; replacing it.',
    );
  });

  it('adopts the update of a concurrent run of the same release, with the version it shipped', async () => {
    iotMock.on(CreateOTAUpdateCommand).rejects(awsError('ResourceAlreadyExistsException', 409));
    const theirs = buildRequest(settings, 'fw-1', TARGETS, [fileFacts(SHA, 'v-theirs')]);
    iotMock.on(GetOTAUpdateCommand).resolves({
      otaUpdateInfo: {
        otaUpdateId: 'fw-1',
        otaUpdateStatus: 'CREATE_IN_PROGRESS',
        targets: theirs.targets,
        protocols: theirs.protocols,
        targetSelection: theirs.targetSelection,
        otaUpdateFiles: theirs.files,
      },
    });
    s3Mock
      .on(HeadObjectCommand, { VersionId: 'v-theirs' })
      .resolves({ VersionId: 'v-theirs', Metadata: { sha256: SHA }, ContentLength: 14 });
    const applied = await apply(settings, planOf({ kind: 'create' }), testContext());
    expect(applied.result).toBe('reused');
    expect(applied.files[0]?.s3Version).toBe('v-theirs');
    expect(applied.request.files?.[0]?.fileLocation?.s3Location?.version).toBe('v-theirs');
  });
});

import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/plan/plan.js';
import { uploadAll } from '../../../src/stages/uploads.js';
import { awsError } from '../aws/fixtures.js';
import { fileFacts } from '../fixtures.js';
import { testContext } from './context.js';

const s3Mock = mockClient(S3Client);
const dir = mkdtempSync(join(tmpdir(), 'uploads-test-'));
const path = join(dir, 'fw.bin');
writeFileSync(path, 'firmware bytes');
const SHA = 'ef'.repeat(32);

const plan: Plan = {
  otaUpdateId: 'fw-1',
  targets: [],
  request: { otaUpdateId: 'fw-1', targets: [], files: [], roleArn: 'r' },
  files: [fileFacts(undefined, 'given'), fileFacts(SHA, undefined)],
  uploads: [{ index: 1, bucket: 'b', key: 'k', path, sha256: SHA, size: 14 }],
  step: { kind: 'create' },
  warnings: [],
};

beforeEach(() => s3Mock.reset());

describe('uploadAll', () => {
  it('uploads what the plan says and returns the facts with the new version; the rest stays', async () => {
    s3Mock.on(PutObjectCommand).resolves({ VersionId: 'v-1' });
    const files = await uploadAll(plan, testContext());
    expect(files).toEqual([
      fileFacts(undefined, 'given'),
      { sha256: SHA, size: 14, s3Version: 'v-1', origin: 'uploaded' },
    ]);
    expect(plan.files[1]?.s3Version).toBeUndefined();
  });

  it('takes a version whose bytes landed although the upload reported a failure', async () => {
    s3Mock.on(PutObjectCommand).rejects(awsError('InternalError', 500));
    s3Mock
      .on(HeadObjectCommand)
      .resolves({ VersionId: 'landed', Metadata: { sha256: SHA }, ContentLength: 14 });
    const ctx = testContext();
    const files = await uploadAll(plan, ctx);
    expect(files[1]?.s3Version).toBe('landed');
    expect(ctx.recorded.log).toContain(
      'info: The upload reported a failure, but s3://b/k holds these bytes as version landed',
    );
  });

  it('reports the upload failure when the key holds other bytes', async () => {
    s3Mock.on(PutObjectCommand).rejects(awsError('AccessDenied', 403, 'Access Denied'));
    s3Mock.on(HeadObjectCommand).resolves({ VersionId: 'other', Metadata: { sha256: 'aa'.repeat(32) } });
    await expect(uploadAll(plan, testContext())).rejects.toMatchObject({ code: 'AccessDenied' });
  });
});

import { GetBucketVersioningCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ActionError } from '../../../src/errors.js';
import { adoptExistingCopies, describeFiles, fingerprintFiles } from '../../../src/stages/files.js';
import type { FileSettings } from '../../../src/types.js';

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
});
const getS3 = async () => s3;
const noRetry = { maxAttempts: 1 };

const dir = mkdtempSync(join(tmpdir(), 'files-test-'));
const firmwarePath = join(dir, 'fw.bin');
writeFileSync(firmwarePath, 'firmware bytes');
const OTHER_SHA256 = '1fd7d2e4d3a0a5e1c0e0e6e8d35d0a2e27a1be7ec60b5c7bd5b8e4a6d1f0b2a6';

function file(source: FileSettings['source']): FileSettings {
  return {
    origin: 'firmware',
    fileName: 'fw.bin',
    fileType: undefined,
    fileVersion: 'v1',
    attributes: undefined,
    codeSigning: undefined,
    source,
  };
}

const local = () =>
  file({ kind: 's3', bucket: 'b', key: 'k/fw.bin', version: undefined, localPath: firmwarePath });

beforeEach(() => s3Mock.reset());

describe('fingerprintFiles', () => {
  it('hashes a local file and marks it for upload', async () => {
    const [resolved] = await fingerprintFiles([local()], getS3, noRetry);
    expect(resolved?.needsUpload).toBe(true);
    expect(resolved?.size).toBe(14);
    expect(resolved?.facts.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it('pins the current version of an existing object named without one', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ VersionId: 'cur', ContentLength: 5, Metadata: {} });
    const [resolved] = await fingerprintFiles(
      [file({ kind: 's3', bucket: 'b', key: 'k', version: undefined, localPath: undefined })],
      getS3,
      noRetry,
    );
    expect(resolved).toMatchObject({ facts: { s3Version: 'cur' }, needsUpload: false, origin: 'existing' });
  });

  it('takes a given version as it is, without any call', async () => {
    const [resolved] = await fingerprintFiles(
      [file({ kind: 's3', bucket: 'b', key: 'k', version: 'given', localPath: undefined })],
      getS3,
      noRetry,
    );
    expect(resolved?.facts.s3Version).toBe('given');
    expect(s3Mock.calls()).toHaveLength(0);
  });
});

describe('adoptExistingCopies', () => {
  it('fails BucketNotVersioned before anything is written', async () => {
    s3Mock.on(GetBucketVersioningCommand).resolves({});
    const files = await fingerprintFiles([local()], getS3, noRetry);
    await expect(adoptExistingCopies(files, getS3, undefined, noRetry)).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof ActionError && e.code === 'BucketNotVersioned' && e.message.includes('S3 bucket b'),
    );
  });

  it('reuses the current version when it already holds the same bytes', async () => {
    const files = await fingerprintFiles([local()], getS3, noRetry);
    const sha256 = files[0]?.facts.sha256 ?? '';
    s3Mock.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3Mock.on(HeadObjectCommand).resolves({ VersionId: 'same', ContentLength: 14, Metadata: { sha256 } });
    await adoptExistingCopies(files, getS3, undefined, noRetry);
    expect(files[0]).toMatchObject({ needsUpload: false, origin: 'reused', facts: { s3Version: 'same' } });
  });

  it('keeps the upload when the current version holds other bytes', async () => {
    const files = await fingerprintFiles([local()], getS3, noRetry);
    s3Mock.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3Mock
      .on(HeadObjectCommand)
      .resolves({ VersionId: 'other', ContentLength: 3, Metadata: { sha256: OTHER_SHA256 } });
    await adoptExistingCopies(files, getS3, undefined, noRetry);
    expect(files[0]).toMatchObject({ needsUpload: true, facts: { s3Version: undefined } });
  });

  it('prefers the version an existing update ships when it holds the same bytes (a re-run after someone re-uploaded)', async () => {
    const files = await fingerprintFiles([local()], getS3, noRetry);
    const sha256 = files[0]?.facts.sha256 ?? '';
    s3Mock.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3Mock
      .on(HeadObjectCommand, { VersionId: 'shipped' })
      .resolves({ VersionId: 'shipped', ContentLength: 14, Metadata: { sha256 } });
    await adoptExistingCopies(
      files,
      getS3,
      {
        otaUpdateFiles: [
          { fileLocation: { s3Location: { bucket: 'b', key: 'k/fw.bin', version: 'shipped' } } },
        ],
      },
      noRetry,
    );
    expect(files[0]).toMatchObject({ needsUpload: false, facts: { s3Version: 'shipped' } });
    expect(s3Mock.commandCalls(HeadObjectCommand)).toHaveLength(1);
  });
});

describe('describeFiles', () => {
  it('describes S3 files and streams for the summary', async () => {
    const files = await fingerprintFiles(
      [local(), file({ kind: 'stream', streamId: 'fw-stream', fileId: 3 })],
      getS3,
      noRetry,
    );
    expect(describeFiles(files).map((f) => [f.location, f.origin])).toEqual([
      ['s3://b/k/fw.bin', 'uploaded'],
      ['stream fw-stream#3', 'stream'],
    ]);
  });
});

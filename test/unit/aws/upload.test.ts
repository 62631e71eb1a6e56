import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClients } from '../../../src/aws/clients.js';
import { partSizeFor, uploadFile, type UploadOptions } from '../../../src/aws/upload.js';
import { ActionError } from '../../../src/errors.js';
import type { RetryPolicy } from '../../../src/aws/retry.js';
import { awsError } from './fixtures.js';
import { startLoopback } from './loopback.js';

const MiB = 1024 * 1024;
const noWait: Partial<RetryPolicy> = { sleep: () => Promise.resolve(), random: () => 0, maxAttempts: 3 };
let dir = '';

/** A file of `size` bytes whose content differs per position, and its sha256. */
function firmware(name: string, size: number): { path: string; sha256: string; bytes: Buffer } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) bytes.writeUInt32LE((i * 2654435761) >>> 0, Math.min(i, size - 4));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'upload-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('partSizeFor', () => {
  it.each([
    [1 * MiB, undefined, 5 * MiB],
    [0, undefined, 5 * MiB],
    [1 * MiB, 8 * MiB, 8 * MiB],
    [1 * MiB, 1 * MiB, 5 * MiB],
    [60 * 1024 * MiB, undefined, Math.ceil((60 * 1024 * MiB) / 10_000)],
  ])('size %i, requested %s → %i', (size, requested, expected) => {
    expect(partSizeFor(size, requested)).toBe(expected);
  });
});

describe('uploadFile with a mocked S3', () => {
  const s3Mock = mockClient(S3Client);
  const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  afterAll(() => s3Mock.restore());

  /**
   * The bytes of each part as sent, by part number (parts in flight together may be sent in either order):
   * uploadFile reuses its part buffers, so the recorded Body is overwritten.
   */
  let partBodies: Buffer[] = [];

  beforeEach(() => {
    s3Mock.reset();
    partBodies = [];
    s3Mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-1' });
    s3Mock.on(UploadPartCommand).callsFake((input: { PartNumber: number; Body: Buffer }) => {
      partBodies[input.PartNumber - 1] = Buffer.from(input.Body);
      return { ETag: `"etag-${input.PartNumber}"` };
    });
    s3Mock.on(CompleteMultipartUploadCommand).resolves({ VersionId: 'v-multi' });
    s3Mock.on(AbortMultipartUploadCommand).resolves({});
    s3Mock.on(PutObjectCommand).resolves({ VersionId: 'v-single', ETag: '"e"' });
  });

  function options(file: { path: string; sha256: string }, extra: Partial<UploadOptions> = {}) {
    const progress: [number, number][] = [];
    const opts: UploadOptions = {
      bucket: 'fw-bucket',
      key: 'releases/app.bin',
      path: file.path,
      sha256: file.sha256,
      queueSize: 1,
      retryPolicy: noWait,
      onProgress: (percent, bytes) => progress.push([percent, bytes]),
      ...extra,
    };
    return { opts, progress };
  }

  const abortInput = { Bucket: 'fw-bucket', Key: 'releases/app.bin', UploadId: 'up-1' };

  it('puts a file smaller than one part in a single request, with its sha256 as metadata', async () => {
    const file = firmware('small.bin', 1 * MiB);
    const { opts, progress } = options(file);
    await expect(uploadFile(s3, opts)).resolves.toEqual({ versionId: 'v-single' });
    const [put] = s3Mock.commandCalls(PutObjectCommand);
    const { Body, ...input } = put?.args[0].input ?? {};
    expect(input).toEqual({
      Bucket: 'fw-bucket',
      Key: 'releases/app.bin',
      ContentLength: MiB,
      ContentType: 'application/octet-stream',
      Metadata: { sha256: file.sha256 },
    });
    expect(Buffer.compare(Body as Buffer, file.bytes)).toBe(0);
    expect(s3Mock.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
    expect(progress).toEqual([[100, MiB]]);
  });

  it('uploads a larger file in parts, reporting progress at each 10% step reached', async () => {
    const file = firmware('multi.bin', 12 * MiB);
    const { opts, progress } = options(file);
    await expect(uploadFile(s3, opts)).resolves.toEqual({ versionId: 'v-multi' });

    const create = s3Mock.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input;
    expect(create).toMatchObject({
      Bucket: 'fw-bucket',
      Key: 'releases/app.bin',
      Metadata: { sha256: file.sha256 },
      ChecksumAlgorithm: 'CRC32',
    });
    const parts = s3Mock.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => [p.PartNumber, p.UploadId, p.ContentLength, p.ChecksumAlgorithm])).toEqual([
      [1, 'up-1', 5 * MiB, 'CRC32'],
      [2, 'up-1', 5 * MiB, 'CRC32'],
      [3, 'up-1', 2 * MiB, 'CRC32'],
    ]);
    expect(partBodies.map((b) => b.length)).toEqual([5 * MiB, 5 * MiB, 2 * MiB]);
    expect(Buffer.concat(partBodies).equals(file.bytes)).toBe(true);
    expect(s3Mock.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input).toMatchObject({
      UploadId: 'up-1',
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: '"etag-1"' },
          { PartNumber: 2, ETag: '"etag-2"' },
          { PartNumber: 3, ETag: '"etag-3"' },
        ],
      },
    });
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
    expect(progress).toEqual([
      [40, 5 * MiB],
      [80, 10 * MiB],
      [100, 12 * MiB],
    ]);
  });

  it('sends every part from a pool of queueSize buffers, whatever the part count', async () => {
    const file = firmware('pool.bin', 17 * MiB);
    await expect(uploadFile(s3, options(file, { queueSize: 2 }).opts)).resolves.toEqual({
      versionId: 'v-multi',
    });
    const bodies = s3Mock.commandCalls(UploadPartCommand).map((c) => c.args[0].input.Body as Buffer);
    expect(bodies).toHaveLength(4);
    expect(new Set(bodies.map((b) => b.buffer)).size).toBe(2);
    expect(Buffer.concat(partBodies).equals(file.bytes)).toBe(true);
  });

  it('aborts instead of completing when the file is shorter than the size it was hashed at', async () => {
    const file = firmware('shrunk.bin', 12 * MiB);
    const error: unknown = await uploadFile(s3, options(file, { size: 12 * MiB + 1 }).opts).catch((e) => e);
    expect(error).toMatchObject({
      code: 'UnexpectedError',
      message: `Uploading to s3://fw-bucket/releases/app.bin failed with UnexpectedError: ${file.path} changed while it was being uploaded (it is shorter than ${12 * MiB + 1} bytes)`,
    });
    expect(s3Mock.commandCalls(UploadPartCommand).map((c) => c.args[0].input.PartNumber)).toEqual([1, 2]);
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input)).toEqual([
      abortInput,
    ]);
    expect(s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it('retries one throttled part without restarting the upload', async () => {
    const file = firmware('retry.bin', 12 * MiB);
    s3Mock
      .on(UploadPartCommand, { PartNumber: 2 })
      .rejectsOnce(awsError('SlowDown', 503, 'Please reduce your request rate.'))
      .resolves({ ETag: '"etag-2"' });
    await expect(uploadFile(s3, options(file).opts)).resolves.toEqual({ versionId: 'v-multi' });
    expect(s3Mock.commandCalls(UploadPartCommand).map((c) => c.args[0].input.PartNumber)).toEqual([
      1, 2, 2, 3,
    ]);
    expect(s3Mock.commandCalls(CreateMultipartUploadCommand)).toHaveLength(1);
  });

  it('aborts the multipart upload when a part fails, and reports that failure', async () => {
    const file = firmware('fail.bin', 12 * MiB);
    s3Mock.on(UploadPartCommand, { PartNumber: 2 }).rejects(awsError('AccessDenied', 403, 'Access Denied'));
    const error: unknown = await uploadFile(s3, options(file).opts).catch((e) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(error).toMatchObject({
      code: 'AccessDenied',
      message: 'Uploading to s3://fw-bucket/releases/app.bin failed with AccessDenied: Access Denied',
      hint: 'Allow the credentials running this step s3:PutObject and s3:AbortMultipartUpload on s3://fw-bucket/releases/app.bin.',
    });
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input)).toEqual([
      abortInput,
    ]);
    expect(s3Mock.commandCalls(UploadPartCommand).map((c) => c.args[0].input.PartNumber)).toEqual([1, 2]);
    expect(s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it('aborts the multipart upload before settling when cancelled', async () => {
    const file = firmware('cancel.bin', 12 * MiB);
    const controller = new AbortController();
    const { opts } = options(file, { signal: controller.signal, onProgress: () => controller.abort() });
    const error: unknown = await uploadFile(s3, opts).catch((e) => e);
    expect(error).toMatchObject({
      code: 'Cancelled',
      message: 'Uploading to s3://fw-bucket/releases/app.bin failed with Cancelled: Upload cancelled',
    });
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input)).toEqual([
      abortInput,
    ]);
    expect(s3Mock.commandCalls(UploadPartCommand)).toHaveLength(1);
    expect(s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it('sends nothing when cancelled before it starts', async () => {
    const file = firmware('early.bin', 1 * MiB);
    const controller = new AbortController();
    controller.abort();
    await expect(uploadFile(s3, options(file, { signal: controller.signal }).opts)).rejects.toMatchObject({
      code: 'Cancelled',
      message:
        'Uploading to s3://fw-bucket/releases/app.bin failed with Cancelled: cancelled before the upload started',
    });
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it('says so when the multipart upload could not be aborted either', async () => {
    const file = firmware('leftover.bin', 12 * MiB);
    s3Mock.on(UploadPartCommand, { PartNumber: 2 }).rejects(awsError('AccessDenied', 403, 'Access Denied'));
    s3Mock.on(AbortMultipartUploadCommand).rejects(awsError('AccessDenied', 403, 'Access Denied'));
    const error: unknown = await uploadFile(s3, options(file).opts).catch((e) => e);
    expect(error).toMatchObject({
      code: 'AccessDenied',
      message: 'Uploading to s3://fw-bucket/releases/app.bin failed with AccessDenied: Access Denied',
      hint: 'Allow the credentials running this step s3:PutObject and s3:AbortMultipartUpload on s3://fw-bucket/releases/app.bin. The incomplete multipart upload up-1 could not be aborted; a lifecycle rule with AbortIncompleteMultipartUpload removes such leftovers.',
    });
  });

  it('fails with BucketNotVersioned when S3 returns no VersionId', async () => {
    const file = firmware('unversioned.bin', 1 * MiB);
    s3Mock.on(PutObjectCommand).resolves({ ETag: '"e"' });
    await expect(uploadFile(s3, options(file).opts)).rejects.toMatchObject({
      code: 'BucketNotVersioned',
      message:
        "S3 bucket fw-bucket does not have versioning enabled (the upload returned no VersionId), so the uploaded firmware's version could not be pinned.",
    });
  });
});

describe('uploadFile on the wire (a minimal S3 on 127.0.0.1)', () => {
  /** Multipart upload routes, enough for lib-storage; `refusePart` answers that part with 403 AccessDenied. */
  async function miniS3(refusePart?: number) {
    const parts = new Map<number, Buffer>();
    const state = { assembled: Buffer.alloc(0) };
    const server = await startLoopback((req, res) => {
      const url = new URL(req.url, 'http://x');
      const part = Number(url.searchParams.get('partNumber'));
      if (req.method === 'POST' && url.searchParams.has('uploads')) {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end('<InitiateMultipartUploadResult><UploadId>u-9</UploadId></InitiateMultipartUploadResult>');
      } else if (req.method === 'PUT' && part === refusePart) {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
      } else if (req.method === 'PUT' && part > 0) {
        parts.set(part, req.body);
        res.writeHead(200, { etag: `"p${part}"` });
        res.end();
      } else if (req.method === 'POST' && url.searchParams.has('uploadId')) {
        state.assembled = Buffer.concat([...parts.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b));
        res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-version-id': 'ver-42' });
        res.end('<CompleteMultipartUploadResult><ETag>"x-3"</ETag></CompleteMultipartUploadResult>');
      } else if (req.method === 'DELETE' && url.searchParams.get('uploadId') === 'u-9') {
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(400);
        res.end();
      }
    });
    const clients = createClients({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      endpoints: { s3: server.url },
    });
    return {
      server,
      state,
      s3: await clients.s3(),
      close: async () => {
        clients.destroy();
        await server.close();
      },
    };
  }

  const calls = (requests: { method: string; url: string }[]): string[] =>
    requests.map((r) => `${r.method} ${r.url.replace(/&x-id=\w+/, '')}`);

  it('streams the parts with the real SDK and pins the version S3 returns', async () => {
    const file = firmware('wire.bin', 11 * MiB + 17);
    const s3 = await miniS3();
    try {
      const result = await uploadFile(s3.s3, {
        bucket: 'fw',
        key: 'app.bin',
        path: file.path,
        sha256: file.sha256,
        queueSize: 2,
      });
      expect(result).toEqual({ versionId: 'ver-42' });
      expect(s3.state.assembled.equals(readFileSync(file.path))).toBe(true);
      expect(s3.server.requests[0]?.headers['x-amz-meta-sha256']).toBe(file.sha256);
      expect(calls(s3.server.requests).sort()).toEqual([
        'POST /fw/app.bin?uploadId=u-9',
        'POST /fw/app.bin?uploads=',
        'PUT /fw/app.bin?partNumber=1&uploadId=u-9',
        'PUT /fw/app.bin?partNumber=2&uploadId=u-9',
        'PUT /fw/app.bin?partNumber=3&uploadId=u-9',
      ]);
    } finally {
      await s3.close();
    }
  });

  it('sends AbortMultipartUpload after a refused part', async () => {
    const file = firmware('wire-fail.bin', 11 * MiB);
    const s3 = await miniS3(2);
    try {
      const error: unknown = await uploadFile(s3.s3, {
        bucket: 'fw',
        key: 'app.bin',
        path: file.path,
        sha256: file.sha256,
        queueSize: 1,
      }).catch((e) => e);
      expect(error).toMatchObject({ code: 'AccessDenied' });
      expect(calls(s3.server.requests)).toEqual([
        'POST /fw/app.bin?uploads=',
        'PUT /fw/app.bin?partNumber=1&uploadId=u-9',
        'PUT /fw/app.bin?partNumber=2&uploadId=u-9',
        'DELETE /fw/app.bin?uploadId=u-9',
      ]);
    } finally {
      await s3.close();
    }
  });
});

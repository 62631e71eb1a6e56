import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checksumOf } from '../../../emulator/checksums.js';
import { startEmulator, type Emulator } from '../../../emulator/index.js';
import { assumeRole, clients, failure } from './clients.js';

const MiB = 1024 * 1024;
let emulator: Emulator;
let s3: S3Client;

beforeEach(async () => {
  emulator = await startEmulator({
    buckets: [
      { name: 'firmware-bucket', versioned: true },
      { name: 'plain-bucket', versioned: false },
    ],
  });
  s3 = clients(emulator).s3;
});
afterEach(() => emulator.close());

const md5 = (data: Buffer | string) => `"${createHash('md5').update(data).digest('hex')}"`;
const statusOf = (error: Record<string, unknown>) =>
  (error.$metadata as { httpStatusCode: number }).httpStatusCode;

function pattern(size: number, seed = 0): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe('bucket versioning', () => {
  it('reports Enabled, nothing for a never-versioned bucket, and what PutBucketVersioning set', async () => {
    const status = async (Bucket: string) =>
      (await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status;
    expect(await status('firmware-bucket')).toBe('Enabled');
    expect(await status('plain-bucket')).toBeUndefined();
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'plain-bucket',
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    );
    expect(await status('plain-bucket')).toBe('Suspended');
    emulator.s3.setVersioning('plain-bucket', true);
    expect(await status('plain-bucket')).toBe('Enabled');
  });

  it('creates buckets over the wire and answers HeadBucket', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'new-bucket' }));
    expect((await s3.send(new HeadBucketCommand({ Bucket: 'new-bucket' }))).$metadata.httpStatusCode).toBe(
      200,
    );
    expect((await failure(s3.send(new CreateBucketCommand({ Bucket: 'new-bucket' })))).name).toBe(
      'BucketAlreadyOwnedByYou',
    );
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'new-bucket' }))).Status).toBeUndefined();
  });
});

describe('PutObject and HeadObject', () => {
  it('gives each PUT to a versioned bucket its own version and returns metadata and checksums on HEAD', async () => {
    const put = (body: string) =>
      s3.send(
        new PutObjectCommand({
          Bucket: 'firmware-bucket',
          Key: 'rel/fw v1!.bin',
          Body: body,
          Metadata: { sha256: 'abc' },
        }),
      );
    const first = await put('one');
    const second = await put('two');
    expect(first.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(second.VersionId).not.toBe(first.VersionId);
    expect([first.ETag, first.ChecksumCRC32]).toEqual([md5('one'), checksumOf('CRC32', Buffer.from('one'))]);

    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: 'firmware-bucket',
        Key: 'rel/fw v1!.bin',
        VersionId: first.VersionId,
        ChecksumMode: 'ENABLED',
      }),
    );
    expect(head).toMatchObject({
      VersionId: first.VersionId,
      ETag: md5('one'),
      ContentLength: 3,
      Metadata: { sha256: 'abc' },
      ChecksumCRC32: checksumOf('CRC32', Buffer.from('one')),
      ChecksumType: 'FULL_OBJECT',
      ServerSideEncryption: 'AES256',
    });
    const current = await s3.send(
      new HeadObjectCommand({ Bucket: 'firmware-bucket', Key: 'rel/fw v1!.bin' }),
    );
    expect([current.VersionId, current.ChecksumCRC32]).toEqual([second.VersionId, undefined]);
    expect(emulator.s3.versions('firmware-bucket', 'rel/fw v1!.bin')).toEqual([
      { versionId: second.VersionId, size: 3, sha256Metadata: 'abc', metadata: { sha256: 'abc' } },
      { versionId: first.VersionId, size: 3, sha256Metadata: 'abc', metadata: { sha256: 'abc' } },
    ]);
  });

  it('keeps one null version in an unversioned bucket and sends no version header', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'plain-bucket', Key: 'k', Body: 'one' }));
    expect(put.VersionId).toBeUndefined();
    expect(emulator.s3.putObject('plain-bucket', 'k', 'three')).toBe('null');
    expect(emulator.s3.versions('plain-bucket', 'k')).toEqual([{ versionId: 'null', size: 5, metadata: {} }]);
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: 'plain-bucket', Key: 'k' }))).VersionId,
    ).toBeUndefined();
  });

  it('decodes an aws-chunked streaming body with its CRC32 trailer', async () => {
    const body = pattern(300_000, 3);
    const out = await s3.send(
      new PutObjectCommand({
        Bucket: 'firmware-bucket',
        Key: 'stream.bin',
        Body: Readable.from([body.subarray(0, 1000), body.subarray(1000)]),
        ContentLength: body.length,
      }),
    );
    const put = emulator.requests.find((r) => r.operation === 'PutObject')!;
    expect([put.headers['x-amz-content-sha256'], put.headers['x-amz-trailer'], put.bodyText]).toEqual([
      'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-checksum-crc32',
      undefined,
    ]);
    expect(out.ChecksumCRC32).toBe(checksumOf('CRC32', body));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'firmware-bucket', Key: 'stream.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('refuses a body whose checksum does not match with BadDigest and stores nothing', async () => {
    const error = await failure(
      s3.send(
        new PutObjectCommand({
          Bucket: 'firmware-bucket',
          Key: 'k',
          Body: 'data',
          ChecksumCRC32: 'AAAAAA==',
        }),
      ),
    );
    expect([error.name, error.message, statusOf(error)]).toEqual([
      'BadDigest',
      'The CRC32 you specified did not match the calculated checksum.',
      400,
    ]);
    expect(emulator.s3.versions('firmware-bucket', 'k')).toEqual([]);
  });

  it.each([
    [
      'HEAD of a missing key',
      () => s3.send(new HeadObjectCommand({ Bucket: 'firmware-bucket', Key: 'nope' })),
      'NotFound',
      404,
    ],
    [
      'HEAD of a missing version',
      () => s3.send(new HeadObjectCommand({ Bucket: 'firmware-bucket', Key: 'fw.bin', VersionId: 'nope' })),
      'NotFound',
      404,
    ],
    [
      'GET of a missing key',
      () => s3.send(new GetObjectCommand({ Bucket: 'firmware-bucket', Key: 'nope' })),
      'NoSuchKey',
      404,
    ],
    [
      'PUT to a missing bucket',
      () => s3.send(new PutObjectCommand({ Bucket: 'nope-bucket', Key: 'k', Body: 'x' })),
      'NoSuchBucket',
      404,
    ],
  ])('answers %s with %s', async (_what, call, name, status) => {
    emulator.s3.putObject('firmware-bucket', 'fw.bin', 'x');
    const error = await failure(call());
    expect([error.name, statusOf(error)]).toEqual([name, status]);
  });

  it('sends S3 error XML, and no body for HEAD', async () => {
    const error = await failure(s3.send(new GetObjectCommand({ Bucket: 'firmware-bucket', Key: 'nope' })));
    expect(error.message).toBe('The specified key does not exist.');
    expect(error.Key).toBe('nope');
    const head = await fetch(`${emulator.env.AWS_ENDPOINT_URL_S3}/firmware-bucket/nope`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([403, '']);
  });
});

describe('SigV4 on S3', () => {
  it.each([
    ['a wrong secret', { secretAccessKey: 'wrong' }, 'SignatureDoesNotMatch', 403],
    ['an unknown key', { accessKeyId: 'AKIANOTKNOWN00000000' }, 'InvalidAccessKeyId', 403],
    ['a wrong session token', { sessionToken: 'forged' }, 'InvalidToken', 400],
  ])('rejects %s', async (_what, change, name, status) => {
    const bad = clients(emulator, { ...emulator.staticCredentials, ...change }).s3;
    const error = await failure(
      bad.send(new PutObjectCommand({ Bucket: 'firmware-bucket', Key: 'k', Body: 'x' })),
    );
    expect([error.name, statusOf(error)]).toEqual([name, status]);
    expect(emulator.s3.versions('firmware-bucket', 'k')).toEqual([]);
  });

  it('accepts STS-issued session credentials', async () => {
    const asRole = clients(emulator, await assumeRole(emulator)).s3;
    expect(
      (await asRole.send(new PutObjectCommand({ Bucket: 'firmware-bucket', Key: 'k', Body: 'x' }))).VersionId,
    ).toBeDefined();
  });
});

describe('multipart uploads', () => {
  it('assembles a lib-storage upload with a composite CRC32 and the metadata', async () => {
    const body = pattern(11 * MiB, 1);
    const done = await new Upload({
      client: s3,
      params: {
        Bucket: 'firmware-bucket',
        Key: 'big.bin',
        Body: Readable.from([body]),
        Metadata: { sha256: 'x' },
      },
      partSize: 5 * MiB,
    }).done();
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(emulator.requests.map((r) => r.operation)).toEqual([
      'CreateMultipartUpload',
      'UploadPart',
      'UploadPart',
      'UploadPart',
      'CompleteMultipartUpload',
    ]);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: 'firmware-bucket', Key: 'big.bin', ChecksumMode: 'ENABLED' }),
    );
    const parts = [body.subarray(0, 5 * MiB), body.subarray(5 * MiB, 10 * MiB), body.subarray(10 * MiB)];
    const composite = checksumOf(
      'CRC32',
      Buffer.concat(parts.map((p) => Buffer.from(checksumOf('CRC32', p), 'base64'))),
    );
    expect(head).toMatchObject({
      VersionId: done.VersionId,
      ContentLength: body.length,
      Metadata: { sha256: 'x' },
      ChecksumCRC32: `${composite}-3`,
      ChecksumType: 'COMPOSITE',
    });
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'firmware-bucket', Key: 'big.bin', VersionId: done.VersionId }),
    );
    expect(
      createHash('sha256')
        .update(await got.Body!.transformToByteArray())
        .digest('hex'),
    ).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('lists a started upload and leaves nothing once it is aborted', async () => {
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'firmware-bucket', Key: 'x.bin' }),
    );
    await s3.send(
      new UploadPartCommand({
        Bucket: 'firmware-bucket',
        Key: 'x.bin',
        UploadId,
        PartNumber: 1,
        Body: 'part',
      }),
    );
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'firmware-bucket' }));
    expect(listed.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['x.bin', UploadId]]);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'firmware-bucket', Key: 'x.bin', UploadId }));
    expect(
      (await s3.send(new ListMultipartUploadsCommand({ Bucket: 'firmware-bucket' }))).Uploads,
    ).toBeUndefined();
    expect(emulator.s3.pendingUploads('firmware-bucket')).toEqual([]);
    const again = await failure(
      s3.send(new AbortMultipartUploadCommand({ Bucket: 'firmware-bucket', Key: 'x.bin', UploadId })),
    );
    expect([again.name, statusOf(again)]).toEqual(['NoSuchUpload', 404]);
  });

  it('has lib-storage abort an upload whose source fails', async () => {
    const source = Readable.from(
      (async function* () {
        yield pattern(6 * MiB);
        throw new Error('disk read failed');
      })(),
    );
    const upload = new Upload({
      client: s3,
      params: { Bucket: 'firmware-bucket', Key: 'f.bin', Body: source },
      partSize: 5 * MiB,
    });
    await expect(upload.done()).rejects.toThrow('disk read failed');
    expect(emulator.requests.map((r) => r.operation)).toContain('AbortMultipartUpload');
    expect(emulator.s3.pendingUploads('firmware-bucket')).toEqual([]);
    expect(emulator.s3.versions('firmware-bucket', 'f.bin')).toEqual([]);
  });

  it.each([
    [
      'a part under 5 MiB before the last',
      (etags: string[]) => etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })),
      'EntityTooSmall',
    ],
    ['a wrong ETag', () => [{ ETag: '"00000000000000000000000000000000"', PartNumber: 1 }], 'InvalidPart'],
    [
      'parts out of order',
      (etags: string[]) => [
        { ETag: etags[1], PartNumber: 2 },
        { ETag: etags[0], PartNumber: 1 },
      ],
      'InvalidPartOrder',
    ],
  ])('refuses to complete with %s', async (_what, parts, name) => {
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'firmware-bucket', Key: 'p.bin' }),
    );
    const etags: string[] = [];
    for (const PartNumber of [1, 2])
      etags.push(
        (
          await s3.send(
            new UploadPartCommand({
              Bucket: 'firmware-bucket',
              Key: 'p.bin',
              UploadId,
              PartNumber,
              Body: `part${PartNumber}`,
            }),
          )
        ).ETag!,
      );
    const error = await failure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'firmware-bucket',
          Key: 'p.bin',
          UploadId,
          MultipartUpload: { Parts: parts(etags) },
        }),
      ),
    );
    expect([error.name, statusOf(error)]).toEqual([name, 400]);
    expect(emulator.s3.pendingUploads('firmware-bucket')).toHaveLength(1);
  });
});

describe('storage', () => {
  it('streams bodies to files in storageDir and keeps a given dir on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-storage-'));
    try {
      const other = await startEmulator({ storageDir: dir });
      await clients(other).s3.send(
        new PutObjectCommand({ Bucket: 'firmware-bucket', Key: 'k', Body: 'bytes' }),
      );
      expect(readdirSync(dir)).toHaveLength(1);
      await other.close();
      expect(readdirSync(dir)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uploads 256 MiB from a stream without holding it in memory', async () => {
    const size = 256 * MiB;
    const chunk = pattern(MiB, 9);
    const source = Readable.from(
      (function* () {
        for (let sent = 0; sent < size; sent += MiB) yield chunk;
      })(),
    );
    const before = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.arrayBuffers - before.arrayBuffers, m.rss - before.rss);
    }, 20);
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: 'firmware-bucket',
          Key: 'huge.bin',
          Body: source,
          ContentLength: size,
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    expect(emulator.s3.versions('firmware-bucket', 'huge.bin')[0]?.size).toBe(size);
    expect(peak).toBeLessThan(96 * MiB);
  });
});

/**
 * Streams a local file to S3: one PutObject up to one part, else a multipart upload whose parts are read straight
 * from the file into `queueSize` buffers of `partSize` bytes, each reused once S3 has taken its part, so memory is
 * that pool whatever the file's size. Our sha256 is stored as `x-amz-meta-sha256`, progress is reported about every
 * 10%, and the returned VersionId pinned. Each S3 request is retried on its own by the SDK (a throttled part costs
 * one part, not the upload). On a failure or cancellation no new request starts, in-flight ones are cut off, and
 * AbortMultipartUpload is sent (bounded in time) before uploadFile settles.
 *
 * Not @aws-sdk/lib-storage: its chunker copies every part into a buffer of its own (from a stream's 64 KiB reads, or
 * two parts at a time from part-sized ones), and that gigabyte of short-lived buffers outgrows the garbage collector:
 * 190 MB peak RSS for a 1 GiB file, against 150 MB allowed.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { CompletedPart, S3Client } from '@aws-sdk/client-s3';
import { ActionError } from '../errors.js';
import { bounded } from '../signals.js';
import { bucketNotVersioned, toActionError } from './error-catalog.js';
import type { AwsCallContext } from './error-hints.js';

const MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;
const DEFAULT_QUEUE_SIZE = 4;
const MAX_PARTS = 10_000;
const ABORT_UPLOAD_TIMEOUT_MS = 5000;
// S3 refuses a part whose checksum type differs from the one its upload was created with, so both name it.
const CHECKSUM_ALGORITHM = 'CRC32';

export interface UploadOptions {
  bucket: string;
  key: string;
  /** The local file. */
  path: string;
  /** Its sha256 (hex), stored as metadata so a re-run can recognise the object. */
  sha256: string;
  /** Its size, when already known (from hashing). */
  size?: number;
  /** At least 5 MiB (S3's minimum), and large enough for 10,000 parts. */
  partSizeBytes?: number;
  /** Parts in flight at once. */
  queueSize?: number;
  /** Called at each 10% step reached (10, 20, ... 100) with the bytes sent so far. */
  onProgress?(percent: number, bytes: number): void;
  /** Cancels the upload; the multipart upload is aborted. */
  signal?: AbortSignal;
}

/** The part size used for a file of `size` bytes. */
export function partSizeFor(size: number, requested?: number): number {
  return Math.max(requested ?? MIN_PART_SIZE_BYTES, MIN_PART_SIZE_BYTES, Math.ceil(size / MAX_PARTS));
}

/** Reports each 10% step once, in order. */
function progressReporter(size: number, onProgress: UploadOptions['onProgress']) {
  let reported = 0;
  return (bytes: number): void => {
    const percent = size === 0 ? 100 : Math.min(100, Math.floor((bytes * 100) / size));
    const step = Math.floor(percent / 10) * 10;
    if (step > reported) {
      reported = step;
      onProgress?.(step, bytes);
    }
  };
}

type S3Module = typeof import('@aws-sdk/client-s3');

interface Upload {
  s3: S3Client;
  mod: S3Module;
  options: UploadOptions;
  file: FileHandle;
  size: number;
  partSize: number;
  /** Aborted with the first failure (or the cancellation): nothing new starts, in-flight requests are cut off. */
  stop: AbortController;
  report(bytes: number): void;
}

/** One S3 request (the SDK retries it); refused once the upload stopped, and stopping it when it fails. */
async function call<T>(up: Upload, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  const { signal } = up.stop;
  if (signal.aborted) throw signal.reason;
  try {
    return await bounded(signal, send);
  } catch (error) {
    if (!signal.aborted) up.stop.abort(error);
    throw error;
  }
}

/** Fills `buffer` from `offset`; a file that shrank since it was hashed must not be uploaded short. */
async function readAt(up: Upload, buffer: Buffer, offset: number): Promise<Buffer> {
  const { bytesRead } = await up.file.read(buffer, 0, buffer.length, offset);
  if (bytesRead !== buffer.length) {
    throw new ActionError(
      'FirmwareChanged',
      `${up.options.path} changed while it was being uploaded: it is shorter than the ${up.size} bytes it had when it was hashed.`,
      {
        hint: 'Something rewrote the file during the step. Build the firmware before this step and keep other jobs or steps from writing to it meanwhile; nothing was created in AWS.',
      },
    );
  }
  return buffer;
}

async function putWhole(up: Upload): Promise<string | undefined> {
  const { bucket, key, sha256 } = up.options;
  const body = await readAt(up, Buffer.allocUnsafe(up.size), 0);
  const result = await call(up, (abortSignal) =>
    up.s3.send(
      new up.mod.PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentLength: up.size,
        ContentType: 'application/octet-stream',
        Metadata: { sha256 },
      }),
      { abortSignal },
    ),
  );
  return result.VersionId;
}

/** Uploads every part, `queueSize` at a time, each worker reading into (and sending from) its own buffer. */
async function sendParts(up: Upload, uploadId: string): Promise<CompletedPart[]> {
  const { bucket, key, queueSize = DEFAULT_QUEUE_SIZE } = up.options;
  const count = Math.ceil(up.size / up.partSize);
  const completed: CompletedPart[] = [];
  let next = 0;
  let sent = 0;
  const worker = async (): Promise<void> => {
    const pool = Buffer.allocUnsafeSlow(up.partSize);
    for (let index = next++; index < count && !up.stop.signal.aborted; index = next++) {
      const offset = index * up.partSize;
      const body = await readAt(up, pool.subarray(0, Math.min(up.partSize, up.size - offset)), offset);
      const PartNumber = index + 1;
      const result = await call(up, (abortSignal) =>
        up.s3.send(
          new up.mod.UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber,
            Body: body,
            ContentLength: body.length,
            ChecksumAlgorithm: CHECKSUM_ALGORITHM,
          }),
          { abortSignal },
        ),
      );
      if (!result.ETag) throw new Error(`S3 returned no ETag for part ${PartNumber}`);
      completed.push({
        PartNumber,
        ETag: result.ETag,
        ...(result.ChecksumCRC32 ? { ChecksumCRC32: result.ChecksumCRC32 } : {}),
      });
      sent += body.length;
      up.report(sent);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(queueSize, count)) }, () =>
    worker().catch((error: unknown) => {
      if (!up.stop.signal.aborted) up.stop.abort(error);
    }),
  );
  await Promise.all(workers);
  if (up.stop.signal.aborted) throw up.stop.signal.reason;
  return completed.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
}

/**
 * AbortMultipartUpload must go out even once the upload stopped, within a few seconds (a cancelled step is killed
 * soon after); its own failure is returned, not thrown.
 */
async function abortUpload(up: Upload, uploadId: string): Promise<unknown> {
  const { bucket, key } = up.options;
  const command = new up.mod.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId });
  return bounded(AbortSignal.timeout(ABORT_UPLOAD_TIMEOUT_MS), (abortSignal) =>
    up.s3.send(command, { abortSignal }),
  ).then(
    () => undefined,
    (error: unknown) => error ?? new Error('AbortMultipartUpload failed'),
  );
}

async function putInParts(up: Upload, ctx: AwsCallContext): Promise<string | undefined> {
  const { bucket, key, sha256 } = up.options;
  const created = await call(up, (abortSignal) =>
    up.s3.send(
      new up.mod.CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ContentType: 'application/octet-stream',
        Metadata: { sha256 },
        ChecksumAlgorithm: CHECKSUM_ALGORITHM,
      }),
      { abortSignal },
    ),
  );
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error('S3 returned no UploadId for CreateMultipartUpload');
  try {
    const parts = await sendParts(up, uploadId);
    const result = await call(up, (abortSignal) =>
      up.s3.send(
        new up.mod.CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
        { abortSignal },
      ),
    );
    return result.VersionId;
  } catch (error) {
    const abortFailure = await abortUpload(up, uploadId);
    const reported = toActionError(up.stop.signal.aborted ? up.stop.signal.reason : error, ctx);
    if (abortFailure === undefined) throw reported;
    throw new ActionError(reported.code, reported.message, {
      hint: `${reported.hint ?? ''} The incomplete multipart upload ${uploadId} could not be aborted; a lifecycle rule with AbortIncompleteMultipartUpload removes such leftovers.`,
      cause: reported.cause,
    });
  }
}

export async function uploadFile(s3: S3Client, options: UploadOptions): Promise<{ versionId: string }> {
  const { bucket, key, path } = options;
  const ctx: AwsCallContext = { operation: 'Upload', bucket, key, region: await s3.config.region() };
  if (options.signal?.aborted === true) {
    throw toActionError(options.signal.reason, ctx);
  }
  const stop = new AbortController();
  const onCancel = (): void => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onCancel, { once: true });
  let up: Upload | undefined;
  let versionId: string | undefined;
  try {
    const size = options.size ?? (await stat(path)).size;
    up = {
      s3,
      mod: await import('@aws-sdk/client-s3'),
      options,
      file: await open(path, 'r'),
      size,
      partSize: partSizeFor(size, options.partSizeBytes),
      stop,
      report: progressReporter(size, options.onProgress),
    };
    versionId = size <= up.partSize ? await putWhole(up) : await putInParts(up, ctx);
    up.report(size);
  } catch (error) {
    // The first failure (or the cancellation) stopped the upload; what it cut off afterwards is not the story.
    if (error instanceof ActionError) throw error;
    throw toActionError(stop.signal.aborted ? stop.signal.reason : error, ctx);
  } finally {
    options.signal?.removeEventListener('abort', onCancel);
    await up?.file.close();
  }
  if (!versionId) throw bucketNotVersioned(bucket, 'the upload returned no VersionId');
  return { versionId };
}

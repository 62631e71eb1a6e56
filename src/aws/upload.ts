/**
 * Streams a local file to S3 with @aws-sdk/lib-storage: multipart above one part, at most `queueSize` parts of
 * `partSize` bytes in memory whatever the file's size, our sha256 stored as `x-amz-meta-sha256`, progress about every
 * 10%, and the returned VersionId pinned. Each S3 request is retried on its own (a throttled part costs one part, not
 * the upload). On a failure or cancellation no new request starts, in-flight ones are cut off, and lib-storage's
 * AbortMultipartUpload is sent before uploadFile settles.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { ActionError } from '../errors.js';
import { retry, type RetryPolicy } from '../retry.js';
import { bucketNotVersioned, failure, toActionError, type AwsCallContext } from './error-catalog.js';

export const MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_QUEUE_SIZE = 4;
const MAX_PARTS = 10_000;

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
  retryPolicy?: Partial<RetryPolicy>;
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

function cancelled(reason: unknown): Error {
  const error = new Error('Upload cancelled', { cause: reason });
  error.name = 'AbortError';
  return error;
}

type S3Module = typeof import('@aws-sdk/client-s3');
type Command = Parameters<S3Client['send']>[0];

/** For retry logs; class names do not survive minification. */
function commandName(command: Command, mod: S3Module): string {
  if (command instanceof mod.UploadPartCommand) return 'UploadPart';
  if (command instanceof mod.PutObjectCommand) return 'PutObject';
  if (command instanceof mod.CreateMultipartUploadCommand) return 'CreateMultipartUpload';
  if (command instanceof mod.CompleteMultipartUploadCommand) return 'CompleteMultipartUpload';
  if (command instanceof mod.AbortMultipartUploadCommand) return 'AbortMultipartUpload';
  return 'Upload';
}

/**
 * The client lib-storage sends through: each command retried on its own, every command refused once `stop` is
 * aborted, except AbortMultipartUpload, which must still go out; its own failure is kept aside, so the error that
 * caused it is the one reported.
 */
function guardedClient(s3: S3Client, mod: S3Module, stop: AbortController, policy: Partial<RetryPolicy>) {
  const state: { firstFailure: unknown; abortFailure: unknown } = {
    firstFailure: undefined,
    abortFailure: undefined,
  };
  const send = async (command: Command): Promise<unknown> => {
    const name = `s3:${commandName(command, mod)}`;
    if (command instanceof mod.AbortMultipartUploadCommand) {
      try {
        return await retry(name, () => s3.send(command), policy);
      } catch (error) {
        state.abortFailure = error;
        return { $metadata: {} };
      }
    }
    if (stop.signal.aborted) throw cancelled(stop.signal.reason);
    try {
      return await retry(name, () => s3.send(command, { abortSignal: stop.signal }), {
        ...policy,
        signal: stop.signal,
      });
    } catch (error) {
      if (!stop.signal.aborted) {
        state.firstFailure = error;
        stop.abort(error);
      }
      throw error;
    }
  };
  // Everything but `send` (config, middleware) comes from the real client through the prototype chain.
  const client = Object.assign(Object.create(s3) as S3Client, { send: send as unknown as S3Client['send'] });
  return { client, state };
}

export async function uploadFile(s3: S3Client, options: UploadOptions): Promise<{ versionId: string }> {
  const { bucket, key, path, sha256 } = options;
  const ctx: AwsCallContext = { operation: 'Upload', bucket, key, region: await s3.config.region() };
  if (options.signal?.aborted === true) {
    throw failure('Cancelled', ctx, 'cancelled before the upload started', options.signal.reason);
  }
  const [{ Upload }, mod] = await Promise.all([import('@aws-sdk/lib-storage'), import('@aws-sdk/client-s3')]);
  const size = options.size ?? (await stat(path)).size;
  const stop = new AbortController();
  const onCancel = (): void => stop.abort(cancelled(options.signal?.reason));
  options.signal?.addEventListener('abort', onCancel, { once: true });
  const { client, state } = guardedClient(s3, mod, stop, options.retryPolicy ?? {});
  const report = progressReporter(size, options.onProgress);

  const upload = new Upload({
    client,
    params: {
      Bucket: bucket,
      Key: key,
      Body: createReadStream(path),
      ContentLength: size,
      ContentType: 'application/octet-stream',
      Metadata: { sha256 },
    },
    partSize: partSizeFor(size, options.partSizeBytes),
    queueSize: options.queueSize ?? DEFAULT_QUEUE_SIZE,
    leavePartsOnError: false,
  });
  upload.on('httpUploadProgress', (progress) => report(progress.loaded ?? 0));

  let result;
  try {
    result = await upload.done();
  } catch (error) {
    const reported = toActionError(state.firstFailure ?? error, ctx);
    if (state.abortFailure === undefined || upload.uploadId === undefined) throw reported;
    throw new ActionError(reported.code, reported.message, {
      hint: `${reported.hint ?? ''} The incomplete multipart upload ${upload.uploadId} could not be aborted; a lifecycle rule with AbortIncompleteMultipartUpload removes such leftovers.`,
      cause: reported.cause,
    });
  } finally {
    options.signal?.removeEventListener('abort', onCancel);
  }
  report(size);
  if (!result.VersionId) throw bucketNotVersioned(bucket, 'the upload returned no VersionId');
  return { versionId: result.VersionId };
}

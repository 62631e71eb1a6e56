/**
 * Read-only S3 look-ups. The S3 SDK is imported on first use only (runs that ship an existing stream never load it);
 * the client itself comes from `clients.s3()`, whose SDK retries handle throttling and transient failures.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ActionError } from '../errors.js';
import { bounded } from '../signals.js';
import { awsErrorCode, httpStatusOf } from './classify.js';
import { failure, toActionError } from './error-catalog.js';
import type { AwsCallContext } from './error-hints.js';

export type BucketVersioning = 'Enabled' | 'Suspended' | undefined;

/** `Enabled`, `Suspended`, or undefined for a bucket whose versioning was never turned on. */
export async function getBucketVersioning(
  s3: S3Client,
  bucket: string,
  signal: AbortSignal,
): Promise<BucketVersioning> {
  const { GetBucketVersioningCommand } = await import('@aws-sdk/client-s3');
  let reply;
  try {
    reply = await bounded(signal, (abortSignal) =>
      s3.send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal }),
    );
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw toActionError(error, {
      operation: 'GetBucketVersioning',
      bucket,
      region: await s3.config.region(),
    });
  }
  return reply.Status === 'Enabled' || reply.Status === 'Suspended' ? reply.Status : undefined;
}

/** What HeadObject tells about one object version. */
export interface ObjectFacts {
  versionId: string | undefined;
  /** Our `x-amz-meta-sha256` metadata, set when this action uploaded the object. */
  sha256: string | undefined;
  size: number;
}

export interface HeadObjectOptions {
  /** Return undefined instead of failing when the object (or that version) does not exist. */
  allowMissing?: boolean;
  signal: AbortSignal;
}

/** The object's current version (or `version`), or undefined when missing and `allowMissing`. */
export async function headObject(
  s3: S3Client,
  bucket: string,
  key: string,
  version: string | undefined,
  options: HeadObjectOptions,
): Promise<ObjectFacts | undefined> {
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  const ctx: AwsCallContext = {
    operation: 'HeadObject',
    bucket,
    key,
    region: await s3.config.region(),
    ...(version === undefined ? {} : { version }),
  };
  let reply;
  try {
    reply = await bounded(options.signal, (abortSignal) =>
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: version }), { abortSignal }),
    );
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    const code = awsErrorCode(error);
    const status = httpStatusOf(error);
    if (status === 404 || code === 'NotFound' || code === 'NoSuchKey' || code === 'NoSuchVersion') {
      if (options.allowMissing === true) return undefined;
      throw await missing(s3, ctx, error, options.signal);
    }
    // A HEAD answer has no body, so S3's reason for a 400 (typically a malformed version id) is lost.
    if (status === 400 && code === 'Unknown')
      throw failure('BadRequest', ctx, 'HTTP 400 without details', error);
    throw toActionError(error, ctx);
  }
  return { versionId: reply.VersionId, sha256: reply.Metadata?.sha256, size: reply.ContentLength ?? 0 };
}

/**
 * A missing bucket and a missing key both come back from HEAD as a bare 404. GetBucketVersioning answers with a
 * body, so on this failure path (only) it tells NoSuchBucket from NoSuchKey; if it cannot (e.g. not allowed), the
 * object is reported missing.
 */
async function missing(
  s3: S3Client,
  ctx: AwsCallContext,
  cause: unknown,
  signal: AbortSignal,
): Promise<ActionError> {
  const bucketProblem = await getBucketVersioning(s3, ctx.bucket ?? '', signal).then(
    () => undefined,
    (error: ActionError) => (error.code === 'NoSuchBucket' ? error : undefined),
  );
  if (bucketProblem !== undefined) return failure('NoSuchBucket', ctx, 'the bucket does not exist', cause);
  return failure('NoSuchKey', ctx, ctx.version ? 'no such version of the object' : 'no such object', cause);
}

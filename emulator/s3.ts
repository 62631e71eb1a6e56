/**
 * S3, path-style under /s3: bucket versioning, objects (PUT / HEAD / GET, with user metadata, version ids and
 * flexible checksums) and, in s3-multipart.ts, multipart uploads. Every request's SigV4 signature is verified.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { s3AuthError, verifyRequest } from './auth.js';
import { checksumHeader } from './checksums.js';
import type { EmulatorContext } from './context.js';
import type { Exchange, Reply } from './exchange.js';
import { runOperation } from './operation.js';
import type { Route } from './router.js';
import { receiveBody } from './s3-body.js';
import { MULTIPART_OPERATIONS } from './s3-multipart.js';
import { quotedMd5, type Bucket, type StoredVersion } from './s3-store.js';
import {
  noSuchBucket,
  noSuchKey,
  noSuchVersion,
  objectHeaders,
  s3ErrorReply,
  s3Headers,
  userMetadata,
  versionHeader,
  xmlReply,
  type S3Error,
} from './s3-wire.js';
import { childText, el } from './xml.js';

export type S3Operation = (ex: Exchange, ctx: EmulatorContext, bucket: Bucket, key: string) => Promise<Reply>;

const fail = (ex: Exchange, error: S3Error): Reply => s3ErrorReply(ex.requestId, ex.method)(error);

async function putObject(ex: Exchange, ctx: EmulatorContext, bucket: Bucket, key: string): Promise<Reply> {
  const file = ctx.s3.newFile();
  const received = await receiveBody(ex.req, file, ex.record.headers, undefined);
  if (!received.ok) return fail(ex, received.error);
  const { body } = received;
  const [checksum] = body.checksums;
  const version = ctx.s3.addVersion(bucket, key, {
    segments: [file],
    size: body.size,
    etag: quotedMd5(body.md5),
    metadata: userMetadata(ex.record.headers),
    contentType: ex.header('content-type') ?? 'binary/octet-stream',
    checksum: checksum ? { algorithm: checksum[0], value: checksum[1], type: 'FULL_OBJECT' } : undefined,
    lastModified: new Date(),
  });
  return {
    status: 200,
    headers: {
      ...s3Headers(ex.requestId),
      etag: version.etag,
      'x-amz-server-side-encryption': 'AES256',
      ...versionHeader(bucket, version.versionId),
      ...(checksum
        ? { [checksumHeader(checksum[0])]: checksum[1], 'x-amz-checksum-type': 'FULL_OBJECT' }
        : {}),
    },
  };
}

function findVersion(
  ex: Exchange,
  ctx: EmulatorContext,
  bucket: Bucket,
  key: string,
): StoredVersion | S3Error {
  const versionId = ex.query.get('versionId') ?? undefined;
  const version = ctx.s3.find(bucket, key, versionId);
  if (version) return version;
  return versionId === undefined ? noSuchKey(key) : noSuchVersion(key, versionId);
}

function bodyOf(version: StoredVersion): Readable {
  return Readable.from(
    (async function* () {
      for (const segment of version.segments) yield* createReadStream(segment);
    })(),
  );
}

async function readObject(ex: Exchange, ctx: EmulatorContext, bucket: Bucket, key: string): Promise<Reply> {
  const found = findVersion(ex, ctx, bucket, key);
  if ('code' in found) return fail(ex, found);
  const headers = {
    ...s3Headers(ex.requestId),
    ...objectHeaders(bucket, found, ex.header('x-amz-checksum-mode') === 'ENABLED'),
  };
  return ex.method === 'HEAD' ? { status: 200, headers } : { status: 200, headers, body: bodyOf(found) };
}

async function getBucketVersioning(ex: Exchange, _ctx: EmulatorContext, bucket: Bucket): Promise<Reply> {
  const status = bucket.versioning === 'Unversioned' ? undefined : el('Status', bucket.versioning);
  return xmlReply(ex.requestId, 'VersioningConfiguration', [status]);
}

const MALFORMED_XML: S3Error = {
  status: 400,
  code: 'MalformedXML',
  message: 'The XML you provided was not well-formed or did not validate against our published schema',
};

async function putBucketVersioning(ex: Exchange, _ctx: EmulatorContext, bucket: Bucket): Promise<Reply> {
  const status = childText((await ex.readBody()).toString('utf8'), 'Status');
  if (status !== 'Enabled' && status !== 'Suspended') return fail(ex, MALFORMED_XML);
  bucket.versioning = status;
  return { status: 200, headers: s3Headers(ex.requestId) };
}

async function headBucket(ex: Exchange, ctx: EmulatorContext): Promise<Reply> {
  return { status: 200, headers: { ...s3Headers(ex.requestId), 'x-amz-bucket-region': ctx.region } };
}

const OPERATIONS: Record<string, S3Operation> = {
  PutObject: putObject,
  HeadObject: readObject,
  GetObject: readObject,
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: putBucketVersioning,
  HeadBucket: headBucket,
  ...MULTIPART_OPERATIONS,
};

async function createBucket(ex: Exchange, ctx: EmulatorContext, name: string): Promise<Reply> {
  await ex.readBody();
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name))
    return fail(ex, {
      status: 400,
      code: 'InvalidBucketName',
      message: 'The specified bucket is not valid.',
    });
  if (ctx.s3.bucket(name))
    return fail(ex, {
      status: 409,
      code: 'BucketAlreadyOwnedByYou',
      message: 'Your previous request to create the named bucket succeeded and you already own it.',
      details: { BucketName: name },
    });
  ctx.s3.createBucket(name, false);
  return { status: 200, headers: { ...s3Headers(ex.requestId), location: `/${name}` } };
}

export async function handleS3(
  ex: Exchange,
  ctx: EmulatorContext,
  route: Extract<Route, { service: 's3' }>,
): Promise<void> {
  const toReply = s3ErrorReply(ex.requestId, ex.method);
  const operation = route.operation === 'CreateBucket' ? undefined : OPERATIONS[route.operation];
  if (route.operation !== 'CreateBucket' && !operation) {
    await ex.send(
      toReply({
        status: 501,
        code: 'NotImplemented',
        message: 'A header or query you provided implies functionality that is not implemented.',
      }),
    );
    return;
  }
  const payloadHash = ex.header('x-amz-content-sha256');
  if (ex.header('authorization') !== undefined && payloadHash === undefined) {
    await ex.send(
      toReply({
        status: 400,
        code: 'InvalidRequest',
        message: 'Missing required header for this request: x-amz-content-sha256',
      }),
    );
    return;
  }
  const scope = { service: 's3' as const, region: ctx.region, now: Date.now() };
  const auth = verifyRequest(ex.signedRequest(payloadHash ?? ''), scope, ctx.credentials);
  if (!auth.ok) {
    await ex.send(toReply(s3AuthError(auth.failure, scope)));
    return;
  }
  await runOperation(ex, 's3', ctx.controls, toReply, async () => {
    if (!operation) return createBucket(ex, ctx, route.bucket);
    const bucket = ctx.s3.bucket(route.bucket);
    if (!bucket) return fail(ex, noSuchBucket(route.bucket));
    return operation(ex, ctx, bucket, route.key);
  });
}

/** S3 multipart uploads: create, upload part, complete (with S3's part rules and checksums), abort, list. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  checksumElement,
  checksumHeader,
  createDigest,
  isChecksumAlgorithm,
  type ChecksumAlgorithm,
} from './checksums.js';
import type { EmulatorContext } from './context.js';
import type { Exchange, Reply } from './exchange.js';
import { receiveBody } from './s3-body.js';
import type { S3Operation } from './s3.js';
import {
  quotedMd5,
  type Bucket,
  type ChecksumType,
  type MultipartUpload,
  type StoredPart,
} from './s3-store.js';
import {
  noSuchUpload,
  s3ErrorReply,
  s3Headers,
  userMetadata,
  versionHeader,
  xmlReply,
  type S3Error,
} from './s3-wire.js';
import { childBlocks, childText, el } from './xml.js';

const MIN_PART_SIZE = 5 * 1024 * 1024;

const fail = (ex: Exchange, error: S3Error): Reply => s3ErrorReply(ex.requestId, ex.method)(error);

const invalidPart: S3Error = {
  status: 400,
  code: 'InvalidPart',
  message:
    "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
};

async function createMultipartUpload(
  ex: Exchange,
  ctx: EmulatorContext,
  bucket: Bucket,
  key: string,
): Promise<Reply> {
  const algorithmName = ex.header('x-amz-checksum-algorithm')?.toUpperCase();
  if (algorithmName !== undefined && !isChecksumAlgorithm(algorithmName))
    return fail(ex, {
      status: 501,
      code: 'NotImplemented',
      message: `Checksum algorithm ${algorithmName} is not emulated.`,
    });
  const typeHeader = ex.header('x-amz-checksum-type')?.toUpperCase();
  if (typeHeader !== undefined && typeHeader !== 'COMPOSITE' && typeHeader !== 'FULL_OBJECT')
    return fail(ex, {
      status: 400,
      code: 'InvalidRequest',
      message: `Invalid x-amz-checksum-type ${typeHeader}.`,
    });
  const checksumType: ChecksumType = typeHeader ?? 'COMPOSITE';
  if (checksumType === 'FULL_OBJECT' && algorithmName !== 'CRC32' && algorithmName !== 'CRC32C')
    return fail(ex, {
      status: 400,
      code: 'InvalidRequest',
      message: 'The FULL_OBJECT checksum type needs the CRC32 or CRC32C algorithm.',
    });
  const upload: MultipartUpload = {
    uploadId: ctx.s3.newUploadId(),
    key,
    initiated: new Date(),
    metadata: userMetadata(ex.record.headers),
    contentType: ex.header('content-type') ?? 'binary/octet-stream',
    checksumAlgorithm: algorithmName,
    checksumType,
    parts: new Map(),
  };
  bucket.uploads.set(upload.uploadId, upload);
  const checksumHeaders: Record<string, string> = algorithmName
    ? { 'x-amz-checksum-algorithm': algorithmName, 'x-amz-checksum-type': checksumType }
    : {};
  return xmlReply(
    ex.requestId,
    'InitiateMultipartUploadResult',
    [el('Bucket', bucket.name), el('Key', key), el('UploadId', upload.uploadId)],
    checksumHeaders,
  );
}

function findUpload(ex: Exchange, bucket: Bucket, key: string): MultipartUpload | S3Error {
  const uploadId = ex.query.get('uploadId') ?? '';
  const upload = bucket.uploads.get(uploadId);
  return upload && upload.key === key ? upload : noSuchUpload(uploadId);
}

async function uploadPart(ex: Exchange, ctx: EmulatorContext, bucket: Bucket, key: string): Promise<Reply> {
  const upload = findUpload(ex, bucket, key);
  if ('code' in upload) return fail(ex, upload);
  const partNumber = Number(ex.query.get('partNumber'));
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000)
    return fail(ex, {
      status: 400,
      code: 'InvalidArgument',
      message: 'Part number must be an integer between 1 and 10000, inclusive',
    });
  const file = ctx.s3.newFile();
  const received = await receiveBody(ex.req, file, ex.record.headers, upload.checksumAlgorithm);
  if (!received.ok) return fail(ex, received.error);
  if (!bucket.uploads.has(upload.uploadId)) {
    ctx.s3.discard([file]);
    return fail(ex, noSuchUpload(upload.uploadId));
  }
  const { body } = received;
  const previous = upload.parts.get(partNumber);
  if (previous) ctx.s3.discard([previous.file]);
  const checksum = upload.checksumAlgorithm ? body.checksums.get(upload.checksumAlgorithm) : undefined;
  upload.parts.set(partNumber, {
    partNumber,
    file,
    size: body.size,
    md5: body.md5,
    checksum,
    lastModified: new Date(),
  });
  const replyChecksums = Object.fromEntries([...body.checksums].map(([a, v]) => [checksumHeader(a), v]));
  return {
    status: 200,
    headers: {
      ...s3Headers(ex.requestId),
      etag: quotedMd5(body.md5),
      'x-amz-server-side-encryption': 'AES256',
      ...replyChecksums,
    },
  };
}

interface ListedPart {
  partNumber: number;
  etag: string;
  checksum: string | undefined;
}

function listedParts(xml: string, algorithm: ChecksumAlgorithm | undefined): ListedPart[] {
  return childBlocks(xml, 'Part').map((block) => ({
    partNumber: Number(childText(block, 'PartNumber')),
    etag: (childText(block, 'ETag') ?? '').replace(/"/g, ''),
    checksum: algorithm ? childText(block, checksumElement(algorithm)) : undefined,
  }));
}

/** Checks the listed parts against the uploaded ones, as S3 does; the parts to assemble, in order. */
function assemble(upload: MultipartUpload, listed: ListedPart[]): StoredPart[] | S3Error {
  if (listed.length === 0)
    return {
      status: 400,
      code: 'MalformedXML',
      message: 'The XML you provided was not well-formed or did not validate against our published schema',
    };
  const parts: StoredPart[] = [];
  for (const [i, entry] of listed.entries()) {
    if (i > 0 && entry.partNumber <= listed[i - 1]!.partNumber)
      return {
        status: 400,
        code: 'InvalidPartOrder',
        message: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
      };
    const part = upload.parts.get(entry.partNumber);
    if (!part || part.md5.toString('hex') !== entry.etag) return invalidPart;
    if (upload.checksumAlgorithm && upload.checksumType === 'COMPOSITE') {
      if (entry.checksum === undefined)
        return {
          status: 400,
          code: 'InvalidRequest',
          message: `The upload was created using a ${upload.checksumAlgorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${entry.partNumber} in the request.`,
        };
      if (entry.checksum !== part.checksum) return invalidPart;
    }
    parts.push(part);
  }
  const small = parts.slice(0, -1).find((p) => p.size < MIN_PART_SIZE);
  if (small)
    return {
      status: 400,
      code: 'EntityTooSmall',
      message: 'Your proposed upload is smaller than the minimum allowed object size.',
    };
  return parts;
}

async function fullObjectChecksum(algorithm: ChecksumAlgorithm, parts: StoredPart[]): Promise<string> {
  const digest = createDigest(algorithm);
  for (const part of parts)
    for await (const chunk of createReadStream(part.file)) digest.update(chunk as Buffer);
  return digest.digest().toString('base64');
}

function compositeChecksum(algorithm: ChecksumAlgorithm, parts: StoredPart[]): string {
  const digest = createDigest(algorithm);
  for (const part of parts) digest.update(Buffer.from(part.checksum ?? '', 'base64'));
  return `${digest.digest().toString('base64')}-${parts.length}`;
}

async function completeMultipartUpload(
  ex: Exchange,
  ctx: EmulatorContext,
  bucket: Bucket,
  key: string,
): Promise<Reply> {
  // Up to 10,000 parts of about 150 bytes of XML each.
  const xml = (await ex.readBody(4 * 1024 * 1024)).toString('utf8');
  const upload = findUpload(ex, bucket, key);
  if ('code' in upload) return fail(ex, upload);
  const algorithm = upload.checksumAlgorithm;
  const parts = assemble(upload, listedParts(xml, algorithm));
  if (!Array.isArray(parts)) return fail(ex, parts);

  let checksum: string | undefined;
  if (algorithm)
    checksum =
      upload.checksumType === 'FULL_OBJECT'
        ? await fullObjectChecksum(algorithm, parts)
        : compositeChecksum(algorithm, parts);
  const declared = algorithm ? ex.header(checksumHeader(algorithm)) : undefined;
  if (declared !== undefined && declared !== checksum)
    return fail(ex, {
      status: 400,
      code: 'BadDigest',
      message: `The ${algorithm} you specified did not match the calculated checksum.`,
    });

  const md5s = Buffer.concat(parts.map((p) => p.md5));
  const etag = `"${createHash('md5').update(md5s).digest('hex')}-${parts.length}"`;
  const used = new Set(parts.map((p) => p.file));
  ctx.s3.discard([...upload.parts.values()].filter((p) => !used.has(p.file)).map((p) => p.file));
  bucket.uploads.delete(upload.uploadId);
  const version = ctx.s3.addVersion(bucket, key, {
    segments: parts.map((p) => p.file),
    size: parts.reduce((n, p) => n + p.size, 0),
    etag,
    metadata: upload.metadata,
    contentType: upload.contentType,
    checksum: algorithm && checksum ? { algorithm, value: checksum, type: upload.checksumType } : undefined,
    lastModified: new Date(),
  });
  const location = `http://${ex.header('host') ?? '127.0.0.1'}${ex.rawPath}`;
  return xmlReply(
    ex.requestId,
    'CompleteMultipartUploadResult',
    [
      el('Location', location),
      el('Bucket', bucket.name),
      el('Key', key),
      el('ETag', etag),
      algorithm && checksum ? el(checksumElement(algorithm), checksum) : undefined,
      algorithm ? el('ChecksumType', upload.checksumType) : undefined,
    ],
    { ...versionHeader(bucket, version.versionId), 'x-amz-server-side-encryption': 'AES256' },
  );
}

async function abortMultipartUpload(
  ex: Exchange,
  ctx: EmulatorContext,
  bucket: Bucket,
  key: string,
): Promise<Reply> {
  const upload = findUpload(ex, bucket, key);
  if ('code' in upload) return fail(ex, upload);
  ctx.s3.dropUpload(bucket, upload.uploadId);
  return { status: 204, headers: s3Headers(ex.requestId) };
}

async function listMultipartUploads(ex: Exchange, _ctx: EmulatorContext, bucket: Bucket): Promise<Reply> {
  const prefix = ex.query.get('prefix') ?? '';
  const uploads = [...bucket.uploads.values()]
    .filter((u) => u.key.startsWith(prefix))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const last = uploads.at(-1);
  return xmlReply(ex.requestId, 'ListMultipartUploadsResult', [
    el('Bucket', bucket.name),
    el('KeyMarker', ''),
    el('UploadIdMarker', ''),
    el('NextKeyMarker', last?.key ?? ''),
    el('NextUploadIdMarker', last?.uploadId ?? ''),
    prefix ? el('Prefix', prefix) : undefined,
    el('MaxUploads', 1000),
    el('IsTruncated', false),
    ...uploads.map((u) =>
      el('Upload', [
        el('Key', u.key),
        el('UploadId', u.uploadId),
        el('StorageClass', 'STANDARD'),
        el('Initiated', u.initiated.toISOString()),
        u.checksumAlgorithm ? el('ChecksumAlgorithm', u.checksumAlgorithm) : undefined,
      ]),
    ),
  ]);
}

export const MULTIPART_OPERATIONS: Record<string, S3Operation> = {
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListMultipartUploads: listMultipartUploads,
};

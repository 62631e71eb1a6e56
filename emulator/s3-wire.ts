/** S3's reply formats: XML documents and errors (bodiless for HEAD), and object headers. */
import { randomBytes } from 'node:crypto';
import { checksumHeader } from './checksums.js';
import type { Reply } from './exchange.js';
import type { WireError } from './faults.js';
import type { Bucket, StoredVersion } from './s3-store.js';
import { el, XML_DECLARATION, xmlDocument } from './xml.js';

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface S3Error extends WireError {
  /** Extra elements S3 puts in the error, e.g. BucketName, Key, UploadId. */
  details?: Record<string, string>;
}

export function s3Headers(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': randomBytes(24).toString('base64') };
}

export function s3ErrorReply(requestId: string, method: string): (error: S3Error) => Reply {
  return (error) => {
    const headers = s3Headers(requestId);
    if (method === 'HEAD') return { status: error.status, headers, errorCode: error.code };
    const details = Object.entries(error.details ?? {}).map(([name, value]) => el(name, value));
    return {
      status: error.status,
      headers: { ...headers, 'content-type': 'application/xml' },
      body: `${XML_DECLARATION}\n${el('Error', [
        el('Code', error.code),
        el('Message', error.message),
        ...details,
        el('RequestId', requestId),
        el('HostId', headers['x-amz-id-2']!),
      ])}`,
      errorCode: error.code,
    };
  };
}

export function xmlReply(
  requestId: string,
  root: string,
  children: (string | undefined)[],
  headers: Record<string, string> = {},
): Reply {
  return {
    status: 200,
    headers: { ...s3Headers(requestId), 'content-type': 'application/xml', ...headers },
    body: xmlDocument(root, S3_NAMESPACE, children),
  };
}

export const noSuchBucket = (bucket: string): S3Error => ({
  status: 404,
  code: 'NoSuchBucket',
  message: 'The specified bucket does not exist',
  details: { BucketName: bucket },
});

export const noSuchKey = (key: string): S3Error => ({
  status: 404,
  code: 'NoSuchKey',
  message: 'The specified key does not exist.',
  details: { Key: key },
});

export const noSuchVersion = (key: string, versionId: string): S3Error => ({
  status: 404,
  code: 'NoSuchVersion',
  message: 'The specified version does not exist.',
  details: { Key: key, VersionId: versionId },
});

export const noSuchUpload = (uploadId: string): S3Error => ({
  status: 404,
  code: 'NoSuchUpload',
  message:
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  details: { UploadId: uploadId },
});

/** Version header as S3 sends it: absent while the bucket has never had versioning. */
export function versionHeader(bucket: Bucket, versionId: string): Record<string, string> {
  return bucket.versioning === 'Unversioned' && versionId === 'null' ? {} : { 'x-amz-version-id': versionId };
}

/** The headers of a HEAD or GET of `version`; checksums only when the client asked (x-amz-checksum-mode). */
export function objectHeaders(
  bucket: Bucket,
  version: StoredVersion,
  withChecksum: boolean,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-length': String(version.size),
    'content-type': version.contentType,
    etag: version.etag,
    'last-modified': version.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
    ...versionHeader(bucket, version.versionId),
  };
  for (const [name, value] of Object.entries(version.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (withChecksum && version.checksum) {
    headers[checksumHeader(version.checksum.algorithm)] = version.checksum.value;
    headers['x-amz-checksum-type'] = version.checksum.type;
  }
  return headers;
}

/** User metadata from x-amz-meta-* headers, names lowercased as S3 stores them. */
export function userMetadata(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-')) out[name.slice('x-amz-meta-'.length)] = value;
  }
  return out;
}

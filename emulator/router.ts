/**
 * Which service and operation a request is, from its method, path and query alone (STS reads the Action from
 * the form body later). One port serves all: /oidc/token, /sts/ (or POST /), /s3/<bucket>/<key>, and IoT at /
 * (OTA updates under /otaUpdates, jobs on the routes of the jobs model).
 */
import { matchOperation } from './botocore.js';
import { JOBS_MODEL } from './model/iot-jobs.js';
import type { Service } from './types.js';

export const OPERATIONS: Readonly<Record<string, Service>> = {
  OidcToken: 'oidc',
  AssumeRoleWithWebIdentity: 'sts',
  GetCallerIdentity: 'sts',
  CreateOTAUpdate: 'iot',
  GetOTAUpdate: 'iot',
  DeleteOTAUpdate: 'iot',
  ListOTAUpdates: 'iot',
  ListTagsForResource: 'iot',
  ...Object.fromEntries(Object.keys(JOBS_MODEL.operations).map((name) => [name, 'iot' as const])),
  PutObject: 's3',
  HeadObject: 's3',
  GetObject: 's3',
  GetBucketVersioning: 's3',
  PutBucketVersioning: 's3',
  CreateBucket: 's3',
  HeadBucket: 's3',
  CreateMultipartUpload: 's3',
  UploadPart: 's3',
  CompleteMultipartUpload: 's3',
  AbortMultipartUpload: 's3',
  ListMultipartUploads: 's3',
};

export type Route =
  | { service: 'oidc'; operation: 'OidcToken' | 'Unknown' }
  | { service: 'sts'; operation: 'Pending' }
  | { service: 'iot'; operation: string; otaUpdateId?: string; labels?: Record<string, string> }
  | { service: 's3'; operation: string; bucket: string; key: string };

export const S3_PREFIX = '/s3';

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function resolveS3Operation(
  method: string,
  key: string,
  query: URLSearchParams,
  headers: Record<string, unknown>,
): string {
  const has = (name: string): boolean => query.has(name);
  if (key === '') {
    if (has('versioning'))
      return method === 'GET' ? 'GetBucketVersioning' : method === 'PUT' ? 'PutBucketVersioning' : 'Unknown';
    if (has('uploads') && method === 'GET') return 'ListMultipartUploads';
    if (method === 'PUT' && [...query.keys()].every((k) => k === 'x-id')) return 'CreateBucket';
    if (method === 'HEAD') return 'HeadBucket';
    return 'Unknown';
  }
  switch (method) {
    case 'PUT':
      if (has('partNumber') && has('uploadId')) return 'UploadPart';
      if (headers['x-amz-copy-source'] !== undefined) return 'Unknown';
      return 'PutObject';
    case 'POST':
      if (has('uploads')) return 'CreateMultipartUpload';
      if (has('uploadId')) return 'CompleteMultipartUpload';
      return 'Unknown';
    case 'DELETE':
      return has('uploadId') ? 'AbortMultipartUpload' : 'Unknown';
    case 'HEAD':
      return 'HeadObject';
    case 'GET':
      return has('uploadId') ? 'Unknown' : 'GetObject';
    default:
      return 'Unknown';
  }
}

function resolveIot(method: string, segments: string[]): Route {
  const job = matchOperation(JOBS_MODEL, method, segments, decodeSegment);
  if (job) return { service: 'iot', ...job };
  if (segments.length === 1 && segments[0] === 'tags') {
    return { service: 'iot', operation: method === 'GET' ? 'ListTagsForResource' : 'Unknown' };
  }
  if (segments[0] !== 'otaUpdates' || segments.length > 2) return { service: 'iot', operation: 'Unknown' };
  if (segments.length === 1 || segments[1] === '') {
    return { service: 'iot', operation: method === 'GET' ? 'ListOTAUpdates' : 'Unknown' };
  }
  const otaUpdateId = decodeSegment(segments[1]!);
  const operation =
    method === 'POST'
      ? 'CreateOTAUpdate'
      : method === 'GET'
        ? 'GetOTAUpdate'
        : method === 'DELETE'
          ? 'DeleteOTAUpdate'
          : 'Unknown';
  return { service: 'iot', operation, otaUpdateId };
}

export function resolveRoute(
  method: string,
  rawPath: string,
  query: URLSearchParams,
  headers: Record<string, unknown>,
): Route {
  if (rawPath === '/oidc/token')
    return { service: 'oidc', operation: method === 'GET' ? 'OidcToken' : 'Unknown' };
  if (rawPath.startsWith('/oidc/')) return { service: 'oidc', operation: 'Unknown' };
  if (rawPath === '/sts' || rawPath === '/sts/') return { service: 'sts', operation: 'Pending' };
  if (rawPath === '/' && method === 'POST') return { service: 'sts', operation: 'Pending' };
  if (rawPath === S3_PREFIX || rawPath.startsWith(`${S3_PREFIX}/`)) {
    const rest = rawPath.slice(S3_PREFIX.length + 1);
    const slash = rest.indexOf('/');
    const bucket = decodeSegment(slash < 0 ? rest : rest.slice(0, slash));
    const key =
      slash < 0
        ? ''
        : rest
            .slice(slash + 1)
            .split('/')
            .map(decodeSegment)
            .join('/');
    const operation = bucket === '' ? 'Unknown' : resolveS3Operation(method, key, query, headers);
    return { service: 's3', operation, bucket, key };
  }
  return resolveIot(method, rawPath.split('/').slice(1));
}

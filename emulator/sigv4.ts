/**
 * SigV4, the server side: rebuild the canonical request from what arrived and compute the signature the client
 * must have sent. Pure functions; credential lookup and the AWS error wording live in auth.ts.
 */
import { createHash, createHmac } from 'node:crypto';

const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface ParsedAuthorization {
  accessKeyId: string;
  /** yyyymmdd of the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const m =
    /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request\s*,\s*SignedHeaders=([a-z0-9;-]+)\s*,\s*Signature=([0-9a-f]{64})$/.exec(
      header.trim(),
    );
  if (!m) return undefined;
  const [, accessKeyId, date, region, service, signed, signature] = m as unknown as string[];
  return {
    accessKeyId: accessKeyId!,
    date: date!,
    region: region!,
    service: service!,
    signedHeaders: signed!.split(';'),
    signature: signature!,
  };
}

/** RFC 3986 encoding: everything but unreserved characters, so also `!'()*`. */
function uriEncode(text: string, keepSlash = false): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, keepSlash ? '/' : '%2F');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The canonical URI. Every service but S3 normalizes the path (`.`, `..`, empty segments) and encodes each
 * segment twice; S3 keeps the path as it is and encodes once.
 */
export function canonicalUri(rawPath: string, service: string): string {
  const segments = rawPath.split('/').slice(1).map(safeDecode);
  if (service === 's3') return `/${segments.map((s) => uriEncode(s)).join('/')}`;
  const kept: string[] = [];
  for (const segment of segments) {
    if (segment === '..') kept.pop();
    else if (segment !== '' && segment !== '.') kept.push(segment);
  }
  const trailing = rawPath.endsWith('/') && kept.length > 0 ? '/' : '';
  return `/${kept.map((s) => uriEncode(uriEncode(s))).join('/')}${trailing}`;
}

/** Query pairs decoded, re-encoded strictly and sorted by key, then value. */
export function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  return rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      return [uriEncode(safeDecode(key)), uriEncode(safeDecode(value))] as const;
    })
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

export type HeaderBag = Record<string, string | string[] | undefined>;

export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function canonicalHeaders(headers: HeaderBag, signedHeaders: readonly string[]): string {
  return signedHeaders
    .map((name) => `${name}:${(headerValue(headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
}

export interface CanonicalInput {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: HeaderBag;
  signedHeaders: readonly string[];
  payloadHash: string;
  service: string;
}

export function canonicalRequest(input: CanonicalInput): string {
  return [
    input.method.toUpperCase(),
    canonicalUri(input.rawPath, input.service),
    canonicalQuery(input.rawQuery),
    canonicalHeaders(input.headers, input.signedHeaders),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const hmac = (key: string | Buffer, data: string): Buffer =>
    createHmac('sha256', key).update(data).digest();
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

/** The signature a client holding `secret` must have sent for this canonical request. */
export function expectedSignature(
  secret: string,
  auth: Pick<ParsedAuthorization, 'date' | 'region' | 'service'>,
  amzDate: string,
  canonical: string,
): string {
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  return createHmac('sha256', signingKey(secret, auth.date, auth.region, auth.service))
    .update(stringToSign(amzDate, scope, canonical))
    .digest('hex');
}

/** `yyyymmddThhmmssZ` → epoch ms, or undefined. */
export function parseAmzDate(amzDate: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

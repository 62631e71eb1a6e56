/** Checks a request's SigV4 signature against the credential store, and words failures as each AWS service does. */
import type { CredentialRecord, CredentialStore } from './credentials.js';
import {
  canonicalRequest,
  expectedSignature,
  headerValue,
  parseAmzDate,
  parseAuthorization,
  type HeaderBag,
} from './sigv4.js';
import type { WireError } from './faults.js';

const MAX_SKEW_MS = 15 * 60 * 1000;

export type AuthFailure =
  | { kind: 'missing' }
  | { kind: 'malformed'; detail: string }
  | { kind: 'unknownKey' }
  | { kind: 'badToken' }
  | { kind: 'expired' }
  | { kind: 'region'; got: string }
  | { kind: 'service'; got: string }
  | { kind: 'skew'; amzDate: string }
  | { kind: 'signature' };

export type AuthResult = { ok: true; credential: CredentialRecord } | { ok: false; failure: AuthFailure };

export interface SignedRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: HeaderBag;
  /** The payload hash to sign with: sha256 of the body, or S3's x-amz-content-sha256 value. */
  payloadHash: string;
}

export interface AuthScope {
  service: 'iot' | 'sts' | 's3';
  region: string;
  now: number;
}

export function verifyRequest(request: SignedRequest, scope: AuthScope, store: CredentialStore): AuthResult {
  const fail = (failure: AuthFailure): AuthResult => ({ ok: false, failure });
  const header = headerValue(request.headers, 'authorization');
  if (header === undefined || header === '') return fail({ kind: 'missing' });
  const auth = parseAuthorization(header);
  if (!auth)
    return fail({
      kind: 'malformed',
      detail: `Authorization header is not a valid AWS4-HMAC-SHA256 header.`,
    });
  const amzDate = headerValue(request.headers, 'x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined)
    return fail({ kind: 'malformed', detail: `Missing or invalid X-Amz-Date header.` });
  if (!auth.signedHeaders.includes('host'))
    return fail({ kind: 'malformed', detail: `'Host' must be a 'SignedHeader' in the AWS Authorization.` });
  if (!amzDate.startsWith(auth.date))
    return fail({
      kind: 'malformed',
      detail: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}'`,
    });
  if (auth.service !== scope.service) return fail({ kind: 'service', got: auth.service });
  if (auth.region !== scope.region) return fail({ kind: 'region', got: auth.region });

  const credential = store.lookup(auth.accessKeyId);
  if (!credential) return fail({ kind: 'unknownKey' });
  const token = headerValue(request.headers, 'x-amz-security-token');
  if (token !== credential.sessionToken) return fail({ kind: 'badToken' });
  if (credential.expiration && scope.now >= credential.expiration.getTime()) return fail({ kind: 'expired' });
  if (Math.abs(scope.now - signedAt) > MAX_SKEW_MS) return fail({ kind: 'skew', amzDate });

  const canonical = canonicalRequest({
    method: request.method,
    rawPath: request.rawPath,
    rawQuery: request.rawQuery,
    headers: request.headers,
    signedHeaders: auth.signedHeaders,
    payloadHash: request.payloadHash,
    service: scope.service,
  });
  if (expectedSignature(credential.secretAccessKey, auth, amzDate, canonical) !== auth.signature)
    return fail({ kind: 'signature' });
  return { ok: true, credential };
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';

function skewMessage(amzDate: string, now: number): string {
  return `Signature expired: ${amzDate} is now earlier than ${new Date(now - MAX_SKEW_MS).toISOString()} or later than ${new Date(now + MAX_SKEW_MS).toISOString()}`;
}

/** IoT (and JSON services in general) answer 403 InvalidSignatureException / UnrecognizedClientException. */
export function iotAuthError(failure: AuthFailure, scope: AuthScope): WireError {
  const sig = (message: string): WireError => ({ status: 403, code: 'InvalidSignatureException', message });
  switch (failure.kind) {
    case 'missing':
      return {
        status: 403,
        code: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      };
    case 'unknownKey':
    case 'badToken':
      return { status: 403, code: 'UnrecognizedClientException', message: INVALID_TOKEN };
    case 'expired':
      return { status: 403, code: 'ExpiredTokenException', message: EXPIRED_TOKEN };
    case 'malformed':
      return sig(failure.detail);
    case 'service':
      return sig(`Credential should be scoped to correct service: '${scope.service}'. `);
    case 'region':
      return sig(`Credential should be scoped to a valid region. `);
    case 'skew':
      return sig(skewMessage(failure.amzDate, scope.now));
    case 'signature':
      return sig(SIGNATURE_MISMATCH);
  }
}

/** STS (awsQuery) words the same failures with its own codes. */
export function stsAuthError(failure: AuthFailure, scope: AuthScope): WireError {
  const sig = (message: string): WireError => ({ status: 403, code: 'SignatureDoesNotMatch', message });
  switch (failure.kind) {
    case 'missing':
      return {
        status: 403,
        code: 'MissingAuthenticationToken',
        message: 'Request is missing Authentication Token',
      };
    case 'unknownKey':
    case 'badToken':
      return { status: 403, code: 'InvalidClientTokenId', message: INVALID_TOKEN };
    case 'expired':
      return { status: 403, code: 'ExpiredToken', message: EXPIRED_TOKEN };
    case 'malformed':
      return { status: 400, code: 'IncompleteSignature', message: failure.detail };
    case 'service':
      return sig(`Credential should be scoped to correct service: '${scope.service}'. `);
    case 'region':
      return sig(`Credential should be scoped to a valid region. `);
    case 'skew':
      return sig(skewMessage(failure.amzDate, scope.now));
    case 'signature':
      return sig(SIGNATURE_MISMATCH);
  }
}

export function s3AuthError(failure: AuthFailure, scope: AuthScope): WireError {
  switch (failure.kind) {
    case 'missing':
      return { status: 403, code: 'AccessDenied', message: 'Access Denied' };
    case 'unknownKey':
      return {
        status: 403,
        code: 'InvalidAccessKeyId',
        message: 'The AWS Access Key Id you provided does not exist in our records.',
      };
    case 'badToken':
      return {
        status: 400,
        code: 'InvalidToken',
        message: 'The provided token is malformed or otherwise invalid.',
      };
    case 'expired':
      return { status: 400, code: 'ExpiredToken', message: 'The provided token has expired.' };
    case 'malformed':
      return { status: 400, code: 'AuthorizationHeaderMalformed', message: failure.detail };
    case 'service':
      return {
        status: 400,
        code: 'AuthorizationHeaderMalformed',
        message: `The authorization header is malformed; incorrect service "${failure.got}". This endpoint belongs to "s3".`,
      };
    case 'region':
      return {
        status: 400,
        code: 'AuthorizationHeaderMalformed',
        message: `The authorization header is malformed; the region '${failure.got}' is wrong; expecting '${scope.region}'`,
      };
    case 'skew':
      return {
        status: 403,
        code: 'RequestTimeTooSkewed',
        message: 'The difference between the request time and the current time is too large.',
      };
    case 'signature':
      return {
        status: 403,
        code: 'SignatureDoesNotMatch',
        message:
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      };
  }
}

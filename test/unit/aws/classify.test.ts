import { describe, expect, it } from 'vitest';
import {
  awsErrorCode,
  classifyError,
  isOidcNetworkFailure,
  isMaybeApplied,
  isNetworkError,
  type FailureKind,
} from '../../../src/aws/classify.js';
import { awsError, socketError, stsError, timeoutError } from './fixtures.js';

const proxyError = (status: number): Error =>
  Object.assign(new Error(`proxy answered ${status}`), { name: 'ProxyConnectError', proxyStatus: status });

const cases: { label: string; error: unknown; kind: FailureKind; maybeApplied: boolean; code?: string }[] = [
  {
    label: 'IoT throttling (400)',
    error: awsError('ThrottlingException', 400),
    kind: 'transient',
    maybeApplied: false,
    code: 'ThrottlingException',
  },
  {
    label: 'IoT internal failure',
    error: awsError('InternalFailureException', 500),
    kind: 'transient',
    maybeApplied: true,
    code: 'InternalFailureException',
  },
  {
    label: 'IoT unavailable',
    error: awsError('ServiceUnavailableException', 503),
    kind: 'transient',
    maybeApplied: true,
    code: 'ServiceUnavailableException',
  },
  {
    label: 'unmodelled 502 from a proxy',
    error: awsError('Unknown', 502),
    kind: 'transient',
    maybeApplied: true,
    code: 'Unknown',
  },
  { label: 'unmodelled 429', error: awsError('Unknown', 429), kind: 'transient', maybeApplied: false },
  { label: 'S3 SlowDown', error: awsError('SlowDown', 503), kind: 'transient', maybeApplied: true },
  {
    label: 'S3 RequestTimeout (400)',
    error: awsError('RequestTimeout', 400),
    kind: 'transient',
    maybeApplied: false,
  },
  {
    label: 'STS IDPCommunicationError',
    error: stsError('IDPCommunicationErrorException', 'IDPCommunicationError', 400, 'x'),
    kind: 'transient',
    maybeApplied: false,
    code: 'IDPCommunicationError',
  },
  {
    label: 'clock skew corrected',
    error: awsError('InvalidSignatureException', 403, 'Signature expired', {
      $metadata: { httpStatusCode: 403, clockSkewCorrected: true },
    }),
    kind: 'transient',
    maybeApplied: false,
  },
  {
    label: 'LimitExceeded (410)',
    error: awsError('LimitExceededException', 410),
    kind: 'quota',
    maybeApplied: false,
    code: 'LimitExceededException',
  },
  {
    label: 'InvalidRequest',
    error: awsError('InvalidRequestException', 400),
    kind: 'permanent',
    maybeApplied: false,
  },
  {
    label: 'AlreadyExists (409)',
    error: awsError('ResourceAlreadyExistsException', 409),
    kind: 'permanent',
    maybeApplied: false,
  },
  {
    label: 'IoT AccessDeniedException (403)',
    error: awsError('AccessDeniedException', 403),
    kind: 'permanent',
    maybeApplied: false,
    code: 'AccessDeniedException',
  },
  {
    label: 'STS AccessDenied',
    error: stsError('AccessDenied', 'AccessDenied', 403, 'Not authorized'),
    kind: 'permanent',
    maybeApplied: false,
    code: 'AccessDenied',
  },
  {
    label: 'STS InvalidIdentityToken',
    error: stsError('InvalidIdentityTokenException', 'InvalidIdentityToken', 400, 'Incorrect token audience'),
    kind: 'permanent',
    maybeApplied: false,
    code: 'InvalidIdentityToken',
  },
  {
    label: 'Unauthorized (401)',
    error: awsError('UnauthorizedException', 401),
    kind: 'permanent',
    maybeApplied: false,
  },
  {
    label: 'ResourceNotFound',
    error: awsError('ResourceNotFoundException', 404),
    kind: 'permanent',
    maybeApplied: false,
  },
  { label: 'NoSuchBucket', error: awsError('NoSuchBucket', 404), kind: 'permanent', maybeApplied: false },
  {
    label: 'other 4xx',
    error: awsError('VersionConflictException', 409),
    kind: 'permanent',
    maybeApplied: false,
  },
  {
    label: 'ECONNRESET',
    error: socketError('ECONNRESET', 'read ECONNRESET'),
    kind: 'transient',
    maybeApplied: true,
    code: undefined,
  },
  { label: 'EPIPE', error: socketError('EPIPE'), kind: 'transient', maybeApplied: true },
  { label: 'ECONNREFUSED', error: socketError('ECONNREFUSED'), kind: 'transient', maybeApplied: false },
  {
    label: 'ENOTFOUND',
    error: socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND iot.example'),
    kind: 'transient',
    maybeApplied: false,
  },
  { label: 'request timeout', error: timeoutError(), kind: 'transient', maybeApplied: true },
  {
    label: 'code only on the cause',
    error: new Error('wrapped', { cause: socketError('ETIMEDOUT') }),
    kind: 'transient',
    maybeApplied: true,
  },
  { label: 'proxy 502 on CONNECT', error: proxyError(502), kind: 'transient', maybeApplied: false },
  { label: 'proxy 407 on CONNECT', error: proxyError(407), kind: 'permanent', maybeApplied: false },
  {
    label: 'cancelled',
    error: Object.assign(new Error('Request aborted'), { name: 'AbortError' }),
    kind: 'permanent',
    maybeApplied: false,
  },
  { label: 'a local bug', error: new TypeError('x is undefined'), kind: 'permanent', maybeApplied: false },
  { label: 'not an Error', error: 'boom', kind: 'permanent', maybeApplied: false },
];

describe('classifyError / isMaybeApplied / awsErrorCode', () => {
  it.each(cases)('$label', (c) => {
    expect(classifyError(c.error)).toBe(c.kind);
    expect(isMaybeApplied(c.error)).toBe(c.maybeApplied);
    if ('code' in c) expect(awsErrorCode(c.error)).toBe(c.code);
  });

  it('tells network failures from AWS answers', () => {
    expect(isNetworkError(socketError('ECONNRESET'))).toBe(true);
    expect(isNetworkError(timeoutError())).toBe(true);
    expect(isNetworkError(awsError('InternalFailureException', 500))).toBe(false);
    expect(isNetworkError(new Error('x'))).toBe(false);
  });
});

describe('isOidcNetworkFailure (messages as @actions/core 3 words them)', () => {
  const coreError = (status: string, text: string): Error =>
    new Error(
      `Error message: Failed to get ID Token. \n \n        Error Code : ${status}\n \n        Error Message: ${text}`,
    );
  it.each([
    { error: coreError('undefined', 'read ECONNRESET'), network: true },
    { error: coreError('undefined', 'socket hang up'), network: true },
    { error: coreError('undefined', 'connect ECONNREFUSED 127.0.0.1:9'), network: true },
    // Answered: @actions/core already retried 502/503/504, and the rest will not change on a retry.
    { error: coreError('500', 'boom'), network: false },
    { error: coreError('503', 'unavailable'), network: false },
    { error: coreError('401', 'Unauthorized'), network: false },
    { error: coreError('404', 'read ECONNRESET in a proxy error page'), network: false },
    { error: new Error('Error message: Response json body do not have ID Token field'), network: false },
    {
      error: new Error('Error message: Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable'),
      network: false,
    },
  ] as const)('$error.message → $network', ({ error, network }) => {
    expect(isOidcNetworkFailure(error)).toBe(network);
  });
});

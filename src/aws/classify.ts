/**
 * What a failed call means, read from the error alone: the AWS error name, whether AWS was reached at all, and
 * whether trying again can help. Branches on names and wire codes, never on message text of AWS errors, and never
 * imports an SDK package (so the S3 client stays out of runs that do not need it).
 */

/** How a caller that retries by itself (the create, the rollout's polls) treats a failure. */
export type FailureKind = 'transient' | 'permanent' | 'quota';

/**
 * Throttling answers: the request was refused before doing anything; retry later. The one list of these names:
 * the error catalog's hints read it too.
 */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
]);

/** Service-side trouble that a later attempt may not meet (the catalog's "AWS failed on its side" hint). */
export const TRANSIENT_SERVICE_CODES: ReadonlySet<string> = new Set([
  'InternalFailureException',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'IDPCommunicationError',
  'IDPCommunicationErrorException',
]);

const QUOTA_CODES: ReadonlySet<string> = new Set(['LimitExceededException']);

const TRANSIENT_STATUS: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Socket-level failures: AWS was not reached, or the connection broke before a reply. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Failures that happen before a single byte of the request can reach the service. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

interface ErrorFields {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  Error?: { Code?: unknown };
  message?: unknown;
  cause?: unknown;
  proxyStatus?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown; clockSkewCorrected?: unknown };
}

function fields(error: unknown): ErrorFields {
  return typeof error === 'object' && error !== null ? (error as ErrorFields) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The HTTP status of AWS's answer; undefined when no answer arrived. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = fields(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** AWS (or something in front of it) answered: the SDK set an HTTP status, or marked a service exception. */
function answered(error: unknown): boolean {
  const fault = fields(error).$fault;
  return httpStatusOf(error) !== undefined || fault === 'client' || fault === 'server';
}

/**
 * The error name AWS gave, when AWS answered. The query protocol (STS) carries the wire code (`InvalidIdentityToken`)
 * in `Code` while the SDK names the class `InvalidIdentityTokenException`; the wire code wins.
 */
export function awsErrorCode(error: unknown): string | undefined {
  if (!answered(error)) return undefined;
  const e = fields(error);
  return str(e.Code) ?? str(e.Error?.Code) ?? str(e.name);
}

/** The socket error code (ECONNRESET, ...) or `TimeoutError`, when the call failed without an answer from AWS. */
export function networkFailureOf(error: unknown): string | undefined {
  if (answered(error)) return undefined;
  const e = fields(error);
  if (e.name === 'TimeoutError') return 'TimeoutError';
  if (e.name === 'ProxyConnectError') return 'ProxyConnectError';
  const code = str(e.code);
  if (code !== undefined && NETWORK_CODES.has(code)) return code;
  return e.cause === undefined || e.cause === error ? undefined : networkFailureOf(e.cause);
}

export function isNetworkError(error: unknown): boolean {
  return networkFailureOf(error) !== undefined;
}

/** Transient (retry with backoff), quota (a few tries, then a quota hint) or permanent (fail at once). */
export function classifyError(error: unknown): FailureKind {
  const e = fields(error);
  if (e.name === 'AbortError') return 'permanent';
  if (answered(error)) {
    const code = awsErrorCode(error) ?? '';
    if (QUOTA_CODES.has(code)) return 'quota';
    if (THROTTLING_CODES.has(code) || TRANSIENT_SERVICE_CODES.has(code)) return 'transient';
    // The SDK corrected its clock offset from the server's Date header; the next attempt signs correctly.
    if (e.$metadata?.clockSkewCorrected === true) return 'transient';
    const status = httpStatusOf(error);
    if (status === undefined) return e.$fault === 'server' ? 'transient' : 'permanent';
    return TRANSIENT_STATUS.has(status) ? 'transient' : 'permanent';
  }
  const network = networkFailureOf(error);
  if (network === 'ProxyConnectError') {
    const proxyStatus = typeof e.proxyStatus === 'number' ? e.proxyStatus : 0;
    return proxyStatus === 0 || proxyStatus >= 500 ? 'transient' : 'permanent';
  }
  return network === undefined ? 'permanent' : 'transient';
}

/**
 * Whether a failed GitHub OIDC token request broke on the network (the connection reset, refused or timed out)
 * rather than being answered. `@actions/core` getIDToken flattens every failure into `Error("Error message: Failed
 * to get ID Token. ... Error Code : <status> ...")`, so the socket code survives only in the text. An answered
 * request is never worth another round here: getIDToken already retries 502/503/504 itself.
 */
export function isOidcNetworkFailure(error: unknown): boolean {
  const message = str(fields(error).message) ?? '';
  if (/Error Code : \d{3}\b/.test(message)) return false;
  return /\b(?:ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b|socket hang up/.test(
    message,
  );
}

/**
 * Whether a failed mutating call (CreateOTAUpdate) may have taken effect anyway: its reply may have been lost (the
 * connection broke or timed out after the request went out) or the service failed after acting (5xx). A 4xx answer,
 * or a connection that was never opened, means it was not applied.
 */
export function isMaybeApplied(error: unknown): boolean {
  if (answered(error)) {
    const status = httpStatusOf(error);
    return status === undefined ? fields(error).$fault === 'server' : status >= 500;
  }
  const network = networkFailureOf(error);
  if (network === undefined || network === 'ProxyConnectError') return false;
  return !NOT_SENT_CODES.has(network);
}

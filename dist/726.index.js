export const id = 726;
export const ids = [726];
export const modules = {

/***/ 9726:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  apply: () => (/* reexport */ apply),
  connect: () => (/* reexport */ connect),
  follow: () => (/* reexport */ follow),
  resolve: () => (/* reexport */ resolve)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-iot/dist-cjs/index.js
var dist_cjs = __webpack_require__(8907);
// EXTERNAL MODULE: ./src/signals.ts
var signals = __webpack_require__(970);
;// CONCATENATED MODULE: ./src/aws/classify.ts
/**
 * What a failed call means, read from the error alone: the AWS error name, whether AWS was reached at all, and
 * whether trying again can help. Branches on names and wire codes, never on message text of AWS errors, and never
 * imports an SDK package (so the S3 client stays out of runs that do not need it).
 */
/**
 * Throttling answers: the request was refused before doing anything; retry later. The one list of these names:
 * the error catalog's hints read it too.
 */
const THROTTLING_CODES = new Set([
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
const TRANSIENT_SERVICE_CODES = new Set([
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
const QUOTA_CODES = new Set(['LimitExceededException']);
const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);
/** Socket-level failures: AWS was not reached, or the connection broke before a reply. */
const NETWORK_CODES = new Set([
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
const NOT_SENT_CODES = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENETDOWN',
]);
function fields(error) {
    return typeof error === 'object' && error !== null ? error : {};
}
function str(value) {
    return typeof value === 'string' && value !== '' ? value : undefined;
}
/** The HTTP status of AWS's answer; undefined when no answer arrived. */
function httpStatusOf(error) {
    const status = fields(error).$metadata?.httpStatusCode;
    return typeof status === 'number' ? status : undefined;
}
/** AWS (or something in front of it) answered: the SDK set an HTTP status, or marked a service exception. */
function answered(error) {
    const fault = fields(error).$fault;
    return httpStatusOf(error) !== undefined || fault === 'client' || fault === 'server';
}
/**
 * The error name AWS gave, when AWS answered. The query protocol (STS) carries the wire code (`InvalidIdentityToken`)
 * in `Code` while the SDK names the class `InvalidIdentityTokenException`; the wire code wins.
 */
function awsErrorCode(error) {
    if (!answered(error))
        return undefined;
    const e = fields(error);
    return str(e.Code) ?? str(e.Error?.Code) ?? str(e.name);
}
/** The socket error code (ECONNRESET, ...) or `TimeoutError`, when the call failed without an answer from AWS. */
function networkFailureOf(error) {
    if (answered(error))
        return undefined;
    const e = fields(error);
    if (e.name === 'TimeoutError')
        return 'TimeoutError';
    if (e.name === 'ProxyConnectError')
        return 'ProxyConnectError';
    const code = str(e.code);
    if (code !== undefined && NETWORK_CODES.has(code))
        return code;
    return e.cause === undefined || e.cause === error ? undefined : networkFailureOf(e.cause);
}
function isNetworkError(error) {
    return networkFailureOf(error) !== undefined;
}
/** Transient (retry with backoff), quota (a few tries, then a quota hint) or permanent (fail at once). */
function classifyError(error) {
    const e = fields(error);
    if (e.name === 'AbortError')
        return 'permanent';
    if (answered(error)) {
        const code = awsErrorCode(error) ?? '';
        if (QUOTA_CODES.has(code))
            return 'quota';
        if (THROTTLING_CODES.has(code) || TRANSIENT_SERVICE_CODES.has(code))
            return 'transient';
        // The SDK corrected its clock offset from the server's Date header; the next attempt signs correctly.
        if (e.$metadata?.clockSkewCorrected === true)
            return 'transient';
        const status = httpStatusOf(error);
        if (status === undefined)
            return e.$fault === 'server' ? 'transient' : 'permanent';
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
function isOidcNetworkFailure(error) {
    const message = str(fields(error).message) ?? '';
    if (/Error Code : \d{3}\b/.test(message))
        return false;
    return /\b(?:ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b|socket hang up/.test(message);
}
/**
 * Whether a failed mutating call (CreateOTAUpdate) may have taken effect anyway: its reply may have been lost (the
 * connection broke or timed out after the request went out) or the service failed after acting (5xx). A 4xx answer,
 * or a connection that was never opened, means it was not applied.
 */
function isMaybeApplied(error) {
    if (answered(error)) {
        const status = httpStatusOf(error);
        return status === undefined ? fields(error).$fault === 'server' : status >= 500;
    }
    const network = networkFailureOf(error);
    if (network === undefined || network === 'ProxyConnectError')
        return false;
    return !NOT_SENT_CODES.has(network);
}

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/aws/error-hints.ts

const OIDC_PROVIDER_HOST = 'token.actions.githubusercontent.com';
const IAM_ACTIONS = {
    OidcToken: '',
    AssumeRoleWithWebIdentity: 'sts:AssumeRoleWithWebIdentity',
    GetCallerIdentity: 'sts:GetCallerIdentity',
    CreateOTAUpdate: 'iot:CreateOTAUpdate',
    GetOTAUpdate: 'iot:GetOTAUpdate',
    DeleteOTAUpdate: 'iot:DeleteOTAUpdate',
    ListTagsForResource: 'iot:ListTagsForResource',
    GetBucketVersioning: 's3:GetBucketVersioning',
    HeadObject: 's3:GetObject',
    Upload: 's3:PutObject',
    DescribeJob: 'iot:DescribeJob',
    ListJobExecutionsForJob: 'iot:ListJobExecutionsForJob',
    DescribeJobExecution: 'iot:DescribeJobExecution',
    CancelJob: 'iot:CancelJob',
};
const JOB_OPERATIONS = new Set([
    'DescribeJob',
    'ListJobExecutionsForJob',
    'DescribeJobExecution',
    'CancelJob',
]);
function s3Uri(ctx) {
    return `s3://${ctx.bucket ?? '?'}/${ctx.key ?? '?'}`;
}
function region(ctx) {
    return ctx.region ?? 'the configured region';
}
/** What was being attempted, as the subject of the message. */
function describeOperation(ctx) {
    const id = ctx.otaUpdateId ?? '?';
    switch (ctx.operation) {
        case 'OidcToken':
            return `Getting a GitHub OIDC token (audience ${ctx.audience ?? '?'})`;
        case 'AssumeRoleWithWebIdentity':
            return `Assuming role ${ctx.roleArn ?? '?'} with the GitHub OIDC token`;
        case 'GetCallerIdentity':
            return 'Identifying the AWS credentials (sts:GetCallerIdentity)';
        case 'CreateOTAUpdate':
            return `Creating OTA update ${id}`;
        case 'GetOTAUpdate':
            return `Reading OTA update ${id}`;
        case 'DeleteOTAUpdate':
            return `Deleting OTA update ${id}`;
        case 'ListTagsForResource':
            return `Reading the tags of OTA update ${id}`;
        case 'GetBucketVersioning':
            return `Reading the versioning of S3 bucket ${ctx.bucket ?? '?'}`;
        case 'HeadObject':
            return `Looking up ${s3Uri(ctx)}${ctx.version ? ` version ${ctx.version}` : ''}`;
        case 'Upload':
            return `Uploading to ${s3Uri(ctx)}`;
        case 'DescribeJob':
            return `Reading IoT job ${job(ctx)}`;
        case 'ListJobExecutionsForJob':
            return `Listing the ${ctx.executionStatus ? `${ctx.executionStatus} ` : ''}executions of IoT job ${job(ctx)}`;
        case 'DescribeJobExecution':
            return `Reading the execution of IoT job ${job(ctx)} on thing ${ctx.thingName ?? '?'}`;
        case 'CancelJob':
            return `Canceling IoT job ${job(ctx)}`;
    }
}
function job(ctx) {
    return ctx.jobId ?? '?';
}
/** The trust-policy `sub` pattern that admits a token with this subject (any tag for tag pushes). */
function trustPolicySubject(subject) {
    const tag = /^(repo:[^:]+:ref:refs\/tags\/).+$/.exec(subject);
    return tag ? `${tag[1]}*` : subject;
}
function whoGrants(ctx) {
    return ctx.roleArn ? `role ${ctx.roleArn}` : 'the credentials running this step';
}
function permissionHint(ctx) {
    const who = whoGrants(ctx);
    switch (ctx.operation) {
        case 'CreateOTAUpdate':
            return `Allow ${who} iot:CreateOTAUpdate in ${region(ctx)}, and iam:PassRole on the OTA role ota-role-arn (${ctx.otaRoleArn ?? 'not known'}) with iam:PassedToService iot.amazonaws.com.`;
        case 'DeleteOTAUpdate':
            return `Allow ${who} iot:DeleteOTAUpdate, plus iot:DeleteJob and iot:DeleteStream for the update's job and stream.`;
        case 'GetBucketVersioning':
            return `Allow ${who} s3:GetBucketVersioning on arn:aws:s3:::${ctx.bucket ?? '?'}.`;
        case 'HeadObject':
            return `Allow ${who} ${ctx.version ? 's3:GetObjectVersion' : 's3:GetObject'} on ${s3Uri(ctx)}; S3 also answers 403 for a missing object unless s3:ListBucket is allowed on the bucket.`;
        case 'Upload':
            return `Allow ${who} s3:PutObject and s3:AbortMultipartUpload on ${s3Uri(ctx)}.`;
        case 'DescribeJob':
        case 'ListJobExecutionsForJob':
            return `Allow ${who} ${IAM_ACTIONS[ctx.operation]} on arn:aws:iot:${region(ctx)}:<account>:job/AFR_OTA-* (wait: rollout follows the job; see docs/iam.md).`;
        case 'DescribeJobExecution':
            return `Allow ${who} iot:DescribeJobExecution on arn:aws:iot:${region(ctx)}:<account>:job/AFR_OTA-* and on the target things (thing/*): wait: rollout reads the failed devices' statusDetails.`;
        case 'CancelJob':
            return `Allow ${who} iot:CancelJob on arn:aws:iot:${region(ctx)}:<account>:job/AFR_OTA-* (cancel-on-failure needs it), or cancel the job in the AWS IoT console.`;
        default:
            return `Allow ${who} ${IAM_ACTIONS[ctx.operation]}.`;
    }
}
function assumeRoleDeniedHint(ctx) {
    const condition = ctx.oidcSubject
        ? trustPolicySubject(ctx.oidcSubject)
        : `repo:${ctx.repository ?? 'OWNER/REPO'}:*`;
    return (`The trust policy of ${ctx.roleArn ?? 'the role'} does not admit this workflow's token. ` +
        `Add the condition "StringLike": {"${OIDC_PROVIDER_HOST}:sub": "${condition}"} ` +
        `with "StringEquals": {"${OIDC_PROVIDER_HOST}:aud": "${ctx.audience ?? 'sts.amazonaws.com'}"}, ` +
        `and make its Principal.Federated the account's OIDC provider ${OIDC_PROVIDER_HOST}.`);
}
function invalidIdentityTokenHint(ctx, awsMessage) {
    const audience = ctx.audience ?? 'sts.amazonaws.com';
    if (/audience/i.test(awsMessage)) {
        return `The IAM OIDC provider ${OIDC_PROVIDER_HOST} does not list the audience "${audience}": add it to the provider's audiences, or set the audience input to one it lists (normally sts.amazonaws.com).`;
    }
    if (/No OpenIDConnect provider/i.test(awsMessage)) {
        return `Create the IAM OIDC identity provider https://${OIDC_PROVIDER_HOST} with audience ${audience} in the account of ${ctx.roleArn ?? 'the role'}.`;
    }
    return `Check the IAM OIDC provider https://${OIDC_PROVIDER_HOST} in the account of ${ctx.roleArn ?? 'the role'} and the audience input (${audience}).`;
}
function notFoundHint(ctx) {
    if (ctx.operation === 'DescribeJobExecution') {
        return `Thing ${ctx.thingName ?? '?'} has no execution of IoT job ${job(ctx)} in ${region(ctx)}: the thing was deleted or left the target group.`;
    }
    if (JOB_OPERATIONS.has(ctx.operation)) {
        return `No IoT job ${job(ctx)} exists in ${region(ctx)}: someone deleted it (deleting an OTA update with forceDeleteAWSJob does), so there is no rollout to follow.`;
    }
    if (ctx.operation === 'CreateOTAUpdate') {
        return `Something the update refers to does not exist in ${region(ctx)}: check each target thing or thing group, ota-role-arn${ctx.otaRoleArn ? ` (${ctx.otaRoleArn})` : ''}, stream ids, S3 objects and the signing profile.`;
    }
    return `No OTA update ${ctx.otaUpdateId ?? '?'} exists in ${region(ctx)}: check ota-update-id and aws-region.`;
}
function invalidRequestHint(ctx) {
    if (ctx.operation === 'CreateOTAUpdate') {
        return 'Fix the input that sets the value AWS names above; the `request` output shows exactly what was sent.';
    }
    if (ctx.operation === 'CancelJob') {
        return `IoT job ${job(ctx)} may have ended (COMPLETED or CANCELED) before it could be canceled: look at it in the AWS IoT console.`;
    }
    if (JOB_OPERATIONS.has(ctx.operation)) {
        return `AWS IoT refused the request about job ${job(ctx)} for the reason above; check ota-update-id, whose job it is.`;
    }
    return 'Check ota-update-id: 1 to 128 characters of letters, digits, `_` and `-`.';
}
const denied = (ctx) => ctx.operation === 'AssumeRoleWithWebIdentity' ? assumeRoleDeniedHint(ctx) : permissionHint(ctx);
const invalidIdentityToken = (ctx, awsMessage) => invalidIdentityTokenHint(ctx, awsMessage);
const idpRejectedClaim = () => `The OIDC provider for ${OIDC_PROVIDER_HOST} in the role's account rejected the token's claims: check its audiences and that it is the provider the role trusts.`;
const idpCommunicationError = () => 'STS could not reach GitHub to validate the token, even after retries: re-run the job later.';
const expiredToken = (ctx) => ctx.operation === 'AssumeRoleWithWebIdentity'
    ? 'The GitHub OIDC token expired before STS accepted it: re-run the job, and check the runner clock.'
    : 'The session credentials expired during the run. With role-to-assume the action assumes the role again before its credentials expire, so these came from the environment: give the step credentials that outlast it (wait-timeout-seconds, and rollout-timeout-minutes with wait: rollout), or set role-to-assume.';
const badSignature = (ctx, awsMessage) => /scoped to a valid region|region .* is wrong|authorization header is malformed.*region/i.test(awsMessage)
    ? `AWS does not accept ${region(ctx)} as the region these requests are signed for: check aws-region (or AWS_REGION) and, when set, that AWS_ENDPOINT_URL* points at that region's endpoint.`
    : 'AWS rejected the request signature: the secret key does not match the access key of the credentials in use, or the runner clock is wrong; check the credentials configured before this step.';
const unrecognizedClient = (ctx) => `AWS does not recognise the access key or security token: the credentials in the environment are wrong or expired, or ${region(ctx)} is not enabled for the account.`;
const throttled = (ctx) => `AWS kept throttling ${IAM_ACTIONS[ctx.operation]} after retries: re-run later, or run fewer releases at once in this account and region.`;
const failedOnItsSide = (ctx) => ctx.operation === 'CreateOTAUpdate'
    ? `AWS failed on its side even after retries: re-run the step later; a re-run finds OTA update ${ctx.otaUpdateId ?? '?'} if it was created meanwhile.`
    : 'AWS failed on its side even after retries: re-run the step later.';
/** Every name of one family (classify.ts keeps the lists) with the family's hint. */
function family(codes, hint) {
    return Object.fromEntries([...codes].map((code) => [code, hint]));
}
/**
 * The AWS error names with a hint of their own. Names that share a hint function are one failure under several
 * names (STS's wire code and the SDK's class name, S3's and IoT's spelling): docs/troubleshooting.md may give
 * them one section. A name from the families below that is also listed here gets the hint listed here.
 */
const AWS_HINTS = {
    ...family(TRANSIENT_SERVICE_CODES, failedOnItsSide),
    ...family(THROTTLING_CODES, throttled),
    AccessDenied: denied,
    AccessDeniedException: denied,
    UnauthorizedException: denied,
    InvalidIdentityToken: invalidIdentityToken,
    InvalidIdentityTokenException: invalidIdentityToken,
    IDPRejectedClaim: idpRejectedClaim,
    IDPRejectedClaimException: idpRejectedClaim,
    IDPCommunicationError: idpCommunicationError,
    IDPCommunicationErrorException: idpCommunicationError,
    RegionDisabledException: (ctx) => `STS is not activated in ${region(ctx)}: activate it in the IAM account settings, or use another aws-region.`,
    ExpiredToken: expiredToken,
    ExpiredTokenException: expiredToken,
    InvalidSignatureException: badSignature,
    SignatureDoesNotMatch: badSignature,
    UnrecognizedClientException: unrecognizedClient,
    InvalidClientTokenId: unrecognizedClient,
    InvalidAccessKeyId: unrecognizedClient,
    InvalidRequestException: (ctx) => invalidRequestHint(ctx),
    ResourceAlreadyExistsException: (ctx) => `An OTA update ${ctx.otaUpdateId ?? '?'} already exists: set if-exists to reuse or replace, or choose another ota-update-id.`,
    LimitExceededException: (ctx) => `An AWS IoT quota in ${region(ctx)} is used up (for example concurrent OTA updates, jobs or streams): delete finished OTA updates with their jobs and streams, or request a higher quota in Service Quotas (AWS IoT Core, AWS IoT Device Management).`,
    ResourceNotFoundException: (ctx) => notFoundHint(ctx),
    VersionConflictException: (ctx) => `OTA update ${ctx.otaUpdateId ?? '?'} changed while it was being deleted: re-run the step.`,
    NoSuchBucket: (ctx) => `Create S3 bucket ${ctx.bucket ?? '?'} (with versioning enabled) in ${region(ctx)}, or fix s3-bucket.`,
    NoSuchKey: (ctx) => `Upload the object first, or fix s3-key${ctx.version ? ' and s3-version' : ''}; with firmware set, this action uploads it.`,
};
/** The action's own codes that AWS calls report through this catalog, with their hints. */
const OWN_HINTS = {
    BadRequest: (ctx) => `S3 rejected the lookup without details (HTTP 400)${ctx.version ? `: check that s3-version ${ctx.version} is a version id of ${s3Uri(ctx)}` : ''}.`,
    NetworkError: () => 'Check that the runner can reach AWS: its network, HTTPS_PROXY / NO_PROXY, and AWS_ENDPOINT_URL* when set. The call was retried before giving up.',
    CredentialsNotFound: () => 'Set role-to-assume (the job needs `permissions: id-token: write`), or configure credentials in an earlier step, for example with aws-actions/configure-aws-credentials.',
    UnexpectedResponse: () => 'The answer lacked what every AWS answer carries: if AWS_ENDPOINT_URL* is set, check that it points at the right service; otherwise re-run the step.',
    Canceled: () => 'The step was canceled; nothing more was sent to AWS. The summary says what already exists there.',
    OidcTokenFailed: () => "GitHub's token service failed even after retries: re-run the job; the job needs `permissions: id-token: write`.",
};
const HINTS = new Map([
    ...Object.entries(AWS_HINTS),
    ...Object.entries(OWN_HINTS),
]);
/**
 * The AWS error names the catalog has a hint of its own for; any other name gets "see AWS's message". With
 * OWN_ERROR_CODES, these are the codes docs/troubleshooting.md documents.
 */
const AWS_ERROR_CODES = Object.keys(AWS_HINTS);
/** The sentence that says what to change, for one AWS error name (or one of our own network/credential codes). */
function hintFor(code, ctx, awsMessage) {
    const hint = HINTS.get(code);
    return hint ? hint(ctx, awsMessage) : `See AWS's message above for what to change.`;
}

;// CONCATENATED MODULE: ./src/aws/error-catalog.ts
/**
 * Every way an AWS call can fail, as an ActionError: the code is the AWS error name whenever AWS said no, and each
 * name has its own sentence saying what failed, why (AWS's own message) and what to change (error-hints.ts).
 * Messages name resources (role, bucket, key, update id) and never a secret.
 */



/** One line, never empty: AWS's message, or the HTTP status when the answer had no body (HEAD requests). */
function reasonOf(error) {
    const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
    const text = raw.replace(/\s+/g, ' ').trim();
    if (text !== '' && text !== 'UnknownError' && text !== 'Unknown')
        return text;
    const status = httpStatusOf(error);
    return status === undefined ? 'no details' : `HTTP ${status} without details`;
}
/** The ActionError for `code`, with `reason` as AWS's (or the network's) explanation. */
function failure(code, ctx, reason, cause) {
    const what = describeOperation(ctx);
    const subject = ctx.operation === 'AssumeRoleWithWebIdentity' && ctx.oidcSubject
        ? `${what} (token sub "${ctx.oidcSubject}")`
        : what;
    return new errors/* ActionError */.lZ(code, `${subject} failed with ${code}: ${reason}`, {
        hint: hintFor(code, ctx, reason),
        cause,
    });
}
/** The code to report for an error the catalog knows nothing more about. */
function codeOf(error, ctx) {
    if (ctx.operation === 'OidcToken')
        return 'OidcTokenFailed';
    const aws = awsErrorCode(error);
    if (aws !== undefined)
        return aws === 'Unknown' && httpStatusOf(error) === 403 ? 'AccessDenied' : aws;
    if (networkFailureOf(error) !== undefined)
        return 'NetworkError';
    const name = error instanceof Error ? error.name : '';
    if (name === 'CredentialsProviderError')
        return 'CredentialsNotFound';
    if (name === 'AbortError')
        return 'Canceled';
    return 'InternalError';
}
/** Turns any failure of an AWS call (after retries) into the ActionError the step reports. */
function toActionError(error, ctx) {
    if (error instanceof errors/* ActionError */.lZ)
        return error;
    const code = codeOf(error, ctx);
    if (code === 'InternalError') {
        // Neither AWS nor the network said no: something in the action itself went wrong.
        return new errors/* ActionError */.lZ('InternalError', `${describeOperation(ctx)} failed unexpectedly: ${reasonOf(error)}`, {
            hint: errors/* BUG_HINT */.x3,
            cause: error,
        });
    }
    const reason = code === 'NetworkError'
        ? `AWS could not be reached (${networkFailureOf(error) ?? 'network'}: ${reasonOf(error)})`
        : reasonOf(error);
    return failure(code, ctx, reason, error);
}
/**
 * The bucket cannot pin versions: the uploaded firmware, or the existing object named without `s3-version` (HeadObject
 * answered without a VersionId), could not be named by a VersionId, and OTA ships one exact version.
 */
function bucketNotVersioned(bucket, status, existingKey) {
    const enable = `aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`;
    if (existingKey !== undefined) {
        return new errors/* ActionError */.lZ('BucketNotVersioned', `S3 object s3://${bucket}/${existingKey} has no version id (${status}), so bucket ${bucket} does not keep versions and the update could not pin the version it ships.`, {
            hint: `Enable versioning once (${enable}), then upload the object again so that it has a version id.`,
        });
    }
    return new errors/* ActionError */.lZ('BucketNotVersioned', `S3 bucket ${bucket} does not have versioning enabled (${status ?? 'never enabled'}), so the uploaded firmware's version could not be pinned.`, { hint: `Enable it once: ${enable}` });
}

;// CONCATENATED MODULE: ./src/aws/iot.ts
/**
 * The OTA update calls, and the read of an update's tags. Reads and deletes go out on the retrying client; the create goes out once, because
 * repeating it blindly after a lost reply could create the update twice or mistake our own update for a stranger's.
 * Every call takes an AbortSignal: the caller bounds it by its deadline and by the step's cancellation.
 */




/**
 * One CreateOTAUpdate attempt, on a client that does not retry (`clients.iotOnce`). Throws the SDK's error
 * unchanged, so the caller can decide: `isMaybeApplied(error)` (lost reply, timeout, 5xx: look the id up) versus a
 * definite refusal, then `toActionError(error, { operation: 'CreateOTAUpdate', ... })` to report it.
 */
function createOtaUpdateOnce(iotOnce, request, signal) {
    return (0,signals/* bounded */.Mm)(signal, (abortSignal) => iotOnce.send(new dist_cjs/* CreateOTAUpdateCommand */.fl$(request), { abortSignal }));
}
async function context(iot, operation, otaUpdateId) {
    return { operation, otaUpdateId, region: await iot.config.region() };
}
/** The update, or undefined when no update has this id. */
async function getOtaUpdate(iot, otaUpdateId, signal) {
    let reply;
    try {
        reply = await (0,signals/* bounded */.Mm)(signal, (abortSignal) => iot.send(new dist_cjs/* GetOTAUpdateCommand */.rk0({ otaUpdateId }), { abortSignal }));
    }
    catch (error) {
        if (signal.aborted)
            throw signal.reason;
        if (awsErrorCode(error) === 'ResourceNotFoundException')
            return undefined;
        throw toActionError(error, await context(iot, 'GetOTAUpdate', otaUpdateId));
    }
    if (reply.otaUpdateInfo === undefined) {
        const ctx = await context(iot, 'GetOTAUpdate', otaUpdateId);
        throw failure('UnexpectedResponse', ctx, 'AWS IoT answered without otaUpdateInfo');
    }
    return reply.otaUpdateInfo;
}
/** Starts deleting the update with its job and any stream IoT made; `not-found` when it was already gone. */
async function deleteOtaUpdate(iot, otaUpdateId, signal) {
    // deleteStream: IoT deletes the stream it made from S3 files and never one the user supplied; false leaks streams.
    const command = new dist_cjs/* DeleteOTAUpdateCommand */.w_d({ otaUpdateId, deleteStream: true, forceDeleteAWSJob: true });
    try {
        await (0,signals/* bounded */.Mm)(signal, (abortSignal) => iot.send(command, { abortSignal }));
        return 'deleted';
    }
    catch (error) {
        if (signal.aborted)
            throw signal.reason;
        if (awsErrorCode(error) === 'ResourceNotFoundException')
            return 'not-found';
        throw toActionError(error, await context(iot, 'DeleteOTAUpdate', otaUpdateId));
    }
}
/**
 * The update's tags, every page of them; 'unreadable' when the credentials may not read them (the caller says so,
 * and compares what it can).
 */
async function listTags(iot, otaUpdateId, resourceArn, signal) {
    const tags = {};
    let nextToken;
    try {
        do {
            const command = new dist_cjs/* ListTagsForResourceCommand */.a_e({ resourceArn, ...(nextToken ? { nextToken } : {}) });
            const reply = await (0,signals/* bounded */.Mm)(signal, (abortSignal) => iot.send(command, { abortSignal }));
            for (const tag of reply.tags ?? []) {
                if (tag.Key !== undefined)
                    Object.defineProperty(tags, tag.Key, { value: tag.Value ?? '', enumerable: true });
            }
            nextToken = reply.nextToken;
        } while (nextToken);
    }
    catch (error) {
        if (signal.aborted)
            throw signal.reason;
        const code = awsErrorCode(error);
        if (code === 'AccessDeniedException' || code === 'UnauthorizedException')
            return 'unreadable';
        throw toActionError(error, await context(iot, 'ListTagsForResource', otaUpdateId));
    }
    return tags;
}

// EXTERNAL MODULE: ./src/plan/request.ts
var request = __webpack_require__(5430);
// EXTERNAL MODULE: ./src/plan/decision.ts + 1 modules
var decision = __webpack_require__(1816);
// EXTERNAL MODULE: ./src/plan/untrusted-text.ts
var untrusted_text = __webpack_require__(8009);
;// CONCATENATED MODULE: ./src/aws/jobs.ts
/**
 * The IoT Jobs calls that follow an OTA update's job: DescribeJob, the failed executions with their statusDetails,
 * and CancelJob. One SDK call each (the client's own retry strategy retries throttling and 5xx); every call is
 * bounded by an AbortSignal and rejects as soon as it fires; failures become ActionErrors.
 */





const FAILURE_STATUSES = ['FAILED', 'TIMED_OUT', 'REJECTED'];
/** How many failed devices a run lists (and describes). */
const FAILED_DEVICES_LIMIT = 20;
const REASON_CODE = /^[A-Z0-9_]{1,128}$/;
const COMMENT_MAX = 2028;
const PAGE_MAX = 250;
async function jobs_context(iot, operation, fields) {
    return { operation, ...fields, region: await iot.config.region() };
}
function toRolloutJob(jobId, job) {
    const d = job.jobProcessDetails ?? {};
    return {
        jobId: job.jobId ?? jobId,
        jobArn: job.jobArn,
        status: job.status,
        targetSelection: job.targetSelection ?? 'SNAPSHOT',
        processingTargets: d.processingTargets ?? [],
        counts: {
            queued: d.numberOfQueuedThings ?? 0,
            inProgress: d.numberOfInProgressThings ?? 0,
            succeeded: d.numberOfSucceededThings ?? 0,
            failed: d.numberOfFailedThings ?? 0,
            rejected: d.numberOfRejectedThings ?? 0,
            timedOut: d.numberOfTimedOutThings ?? 0,
            canceled: d.numberOfCanceledThings ?? 0,
            removed: d.numberOfRemovedThings ?? 0,
        },
        reasonCode: job.reasonCode,
        comment: job.comment,
        forceCanceled: job.forceCanceled ?? false,
    };
}
async function describeJob(iot, jobId, signal) {
    let reply;
    try {
        reply = await (0,signals/* bounded */.Mm)(signal, (abortSignal) => iot.send(new dist_cjs/* DescribeJobCommand */.cPL({ jobId }), { abortSignal }));
    }
    catch (error) {
        if (signal.aborted)
            throw signal.reason;
        throw toActionError(error, await jobs_context(iot, 'DescribeJob', { jobId }));
    }
    if (reply.job === undefined) {
        throw failure('UnexpectedResponse', await jobs_context(iot, 'DescribeJob', { jobId }), 'AWS IoT answered without job');
    }
    return toRolloutJob(jobId, reply.job);
}
function thingNameOf(thingArn) {
    return /:thing\/(.+)$/.exec(thingArn)?.[1] ?? thingArn;
}
/** The first `limit` executions in the given statuses (in that order), paging through ListJobExecutionsForJob. */
async function listFailedExecutions(iot, jobId, statuses, signal, limit = FAILED_DEVICES_LIMIT) {
    const found = [];
    for (const status of statuses) {
        let nextToken;
        do {
            const maxResults = Math.min(PAGE_MAX, limit - found.length);
            if (maxResults <= 0)
                return found;
            const input = { jobId, status, maxResults, ...(nextToken ? { nextToken } : {}) };
            let reply;
            try {
                reply = await (0,signals/* bounded */.Mm)(signal, (abortSignal) => iot.send(new dist_cjs/* ListJobExecutionsForJobCommand */.OnS(input), { abortSignal }));
            }
            catch (error) {
                if (signal.aborted)
                    throw signal.reason;
                throw toActionError(error, await jobs_context(iot, 'ListJobExecutionsForJob', { jobId, executionStatus: status }));
            }
            for (const summary of reply.executionSummaries ?? []) {
                if (found.length >= limit || !summary.thingArn)
                    continue;
                found.push({ thingArn: summary.thingArn, thingName: thingNameOf(summary.thingArn), status });
            }
            nextToken = reply.nextToken;
        } while (nextToken);
    }
    return found;
}
/** The execution's statusDetails.detailsMap; undefined when it has none. */
async function describeExecutionDetails(iot, jobId, thingName, signal) {
    try {
        const reply = await (0,signals/* bounded */.Mm)(signal, (abortSignal) => iot.send(new dist_cjs/* DescribeJobExecutionCommand */.gRW({ jobId, thingName }), { abortSignal }));
        const details = reply.execution?.statusDetails?.detailsMap;
        return details && Object.keys(details).length > 0 ? details : undefined;
    }
    catch (error) {
        if (signal.aborted)
            throw signal.reason;
        throw toActionError(error, await jobs_context(iot, 'DescribeJobExecution', { jobId, thingName }));
    }
}
/**
 * The first `limit` failed devices with their statusDetails. A device whose details cannot be read is still
 * listed, with the reason in detailsError; a listing failure, or the signal, stops it all.
 */
async function failedDevices(iot, jobId, statuses, signal, limit = FAILED_DEVICES_LIMIT) {
    const executions = await listFailedExecutions(iot, jobId, statuses, signal, limit);
    const devices = [];
    for (const execution of executions) {
        try {
            const details = await describeExecutionDetails(iot, jobId, execution.thingName, signal);
            devices.push({ ...execution, details, detailsError: undefined });
        }
        catch (error) {
            if (signal.aborted)
                throw error;
            const reason = error instanceof errors/* ActionError */.lZ ? error.message : String(error);
            devices.push({ ...execution, details: undefined, detailsError: reason });
        }
    }
    return devices;
}
/** A comment CancelJob accepts: no control characters, at most 2028 characters. */
function cancelComment(text) {
    return [...(0,untrusted_text/* oneLine */.TN)(text.replace(/\p{C}+/gu, ' '))].slice(0, COMMENT_MAX).join('');
}
/** Cancels the job without force: queued executions are canceled, in-progress ones run to their end. */
async function cancelJob(iot, jobId, reason, signal) {
    if (!REASON_CODE.test(reason.reasonCode)) {
        throw new Error(`cancelJob: reason code ${reason.reasonCode} does not match [A-Z0-9_]{1,128}`);
    }
    const input = {
        jobId,
        force: false,
        reasonCode: reason.reasonCode,
        comment: cancelComment(reason.comment),
    };
    try {
        await (0,signals/* bounded */.Mm)(signal, (abortSignal) => iot.send(new dist_cjs/* CancelJobCommand */.ppP(input), { abortSignal }));
    }
    catch (error) {
        if (signal.aborted)
            throw signal.reason;
        throw toActionError(error, await jobs_context(iot, 'CancelJob', { jobId }));
    }
}

;// CONCATENATED MODULE: ./src/aws/s3.ts



/** `Enabled`, `Suspended`, or undefined for a bucket whose versioning was never turned on. */
async function getBucketVersioning(s3, bucket, signal) {
    const { GetBucketVersioningCommand } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    let reply;
    try {
        reply = await (0,signals/* bounded */.Mm)(signal, (abortSignal) => s3.send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal }));
    }
    catch (error) {
        if (signal.aborted)
            throw signal.reason;
        throw toActionError(error, {
            operation: 'GetBucketVersioning',
            bucket,
            region: await s3.config.region(),
        });
    }
    return reply.Status === 'Enabled' || reply.Status === 'Suspended' ? reply.Status : undefined;
}
/** The object's current version (or `version`), or undefined when missing and `allowMissing`. */
async function headObject(s3, bucket, key, version, options) {
    const { HeadObjectCommand } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19));
    const ctx = {
        operation: 'HeadObject',
        bucket,
        key,
        region: await s3.config.region(),
        ...(version === undefined ? {} : { version }),
    };
    let reply;
    try {
        reply = await (0,signals/* bounded */.Mm)(options.signal, (abortSignal) => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: version }), { abortSignal }));
    }
    catch (error) {
        if (options.signal.aborted)
            throw options.signal.reason;
        const code = awsErrorCode(error);
        const status = httpStatusOf(error);
        if (status === 404 || code === 'NotFound' || code === 'NoSuchKey' || code === 'NoSuchVersion') {
            if (options.allowMissing === true)
                return undefined;
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
async function missing(s3, ctx, cause, signal) {
    const bucketProblem = await getBucketVersioning(s3, ctx.bucket ?? '', signal).then(() => undefined, (error) => (error.code === 'NoSuchBucket' ? error : undefined));
    if (bucketProblem !== undefined)
        return failure('NoSuchBucket', ctx, 'the bucket does not exist', cause);
    return failure('NoSuchKey', ctx, ctx.version ? 'no such version of the object' : 'no such object', cause);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/settings/ota-update-id.ts
var ota_update_id = __webpack_require__(5475);
// EXTERNAL MODULE: ./src/settings/targets.ts
var targets = __webpack_require__(9695);
// EXTERNAL MODULE: ./src/plan/canonical-json.ts
var canonical_json = __webpack_require__(816);
;// CONCATENATED MODULE: ./src/plan/release-id.ts
/**
 * The release identity: what makes two runs "the same release", and the OTA update id derived from it. The id
 * must come out the same when a release is re-run, so it depends on the content of local files (their sha256),
 * never on the S3 version id that uploading them issues.
 */




const HASH_LENGTH = 8;
function signingIdentity(codeSigning) {
    const custom = codeSigning?.customCodeSigning;
    const bytes = custom?.signature?.inlineDocument;
    if (!custom || !bytes)
        return codeSigning ?? null;
    return {
        ...codeSigning,
        customCodeSigning: { ...custom, signature: { inlineDocument: Buffer.from(bytes).toString('base64') } },
    };
}
function contentIdentity(file, facts, index) {
    const source = file.source;
    if (source.kind === 'stream')
        return { streamId: source.streamId, fileId: source.fileId ?? null };
    if (source.localPath !== undefined) {
        if (facts?.sha256 === undefined)
            throw new Error(`release identity: no sha256 for the local file of files[${index}]`);
        return { sha256: facts.sha256 };
    }
    return { bucket: source.bucket, key: source.key, version: facts?.s3Version ?? source.version ?? null };
}
/**
 * The canonical data that identifies a release: targets (as written), role, protocols, target selection, the
 * four job configs, and per file its name, type, version, attributes, signing and content.
 */
function releaseIdentity(settings, facts) {
    if (facts.length !== settings.files.length) {
        throw new Error(`release identity: ${facts.length} file facts for ${settings.files.length} files`);
    }
    return {
        targets: settings.targets.map(targets/* targetRefText */.YC).sort(),
        roleArn: settings.roleArn,
        protocols: [...settings.protocols].sort(),
        targetSelection: settings.targetSelection,
        rolloutConfig: settings.rolloutConfig ?? null,
        abortConfig: settings.abortConfig ?? null,
        timeoutConfig: settings.timeoutConfig ?? null,
        presignedUrlConfig: settings.presignedUrlConfig ?? null,
        files: settings.files.map((file, i) => ({
            name: file.fileName ?? null,
            type: file.fileType ?? null,
            version: file.fileVersion ?? null,
            attributes: file.attributes ?? null,
            signing: signingIdentity(file.codeSigning),
            content: contentIdentity(file, facts[i], i),
        })),
    };
}
/** sha256 hex of the canonical release identity. */
function releaseHash(settings, facts) {
    return (0,external_node_crypto_.createHash)('sha256')
        .update((0,canonical_json/* canonicalJson */.d)(releaseIdentity(settings, facts)))
        .digest('hex');
}
function sanitise(part) {
    return part.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
}
/** Cut two parts to fit `budget` characters together: the shorter keeps what it can, the longer gives way. */
function fit(a, b, budget) {
    if (a.length + b.length <= budget)
        return [a, b];
    const half = Math.floor(budget / 2);
    if (a.length <= half)
        return [a, b.slice(0, budget - a.length)];
    if (b.length <= budget - half)
        return [a.slice(0, budget - b.length), b];
    return [a.slice(0, half), b.slice(0, budget - half)];
}
/**
 * `<repo name>-<ref name>-<8 hex>`, sanitised to `[A-Za-z0-9_-]` and at most 56 characters; the name parts are
 * shortened, never the hash.
 */
function deriveOtaUpdateId(settings, facts) {
    const hash = releaseHash(settings, facts).slice(0, HASH_LENGTH);
    const repo = sanitise(settings.release.repoName);
    const ref = sanitise(settings.release.refName);
    const names = [repo, ref].filter(Boolean);
    if (names.length === 0)
        return `ota-${hash}`;
    const separators = names.length;
    const budget = ota_update_id/* OTA_UPDATE_ID_MAX_LENGTH */.t - HASH_LENGTH - separators;
    const [first = '', second = ''] = names;
    const shortened = names.length === 2 ? fit(first, second, budget) : [first.slice(0, budget)];
    return [...shortened.map((p) => p.replace(/-+$/, '')), hash].filter(Boolean).join('-');
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./src/stages/hash.ts
/**
 * The sha256 of a local file. Every read lands in the same buffer, so memory stays flat whatever the file's size:
 * a read stream allocates a fresh chunk per read, and those pile up (tens of MB for a 1 GiB file) until the next
 * garbage collection.
 */


const READ_BYTES = 1024 * 1024;
async function sha256File(path) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    const file = await (0,promises_.open)(path, 'r');
    let size = 0;
    try {
        for (;;) {
            const { bytesRead } = await file.read(buffer, 0, READ_BYTES, size);
            if (bytesRead === 0)
                break;
            hash.update(buffer.subarray(0, bytesRead));
            size += bytesRead;
        }
    }
    finally {
        await file.close();
    }
    return { sha256: hash.digest('hex'), size };
}

;// CONCATENATED MODULE: ./src/stages/resolve.ts








async function resolve(settings, ctx) {
    const targets = resolveTargets(settings, ctx);
    const content = await describeContent(settings.files, ctx);
    const otaUpdateId = settings.otaUpdateId ?? deriveOtaUpdateId(settings, content);
    ctx.log.info(`OTA update id: ${otaUpdateId}${settings.otaUpdateId ? '' : ' (derived from the release)'}`);
    // Independent reads go out together: every release pays for each round trip.
    const [existing] = await Promise.all([
        getOtaUpdate(ctx.clients.iot, otaUpdateId, ctx.signal),
        ensureVersioned(settings.files, content, ctx),
    ]);
    const [existingTags, existingJob, files] = await Promise.all([
        existing && tagsOf(existing, ctx),
        existing && settings.behaviour.ifExists === 'replace' ? jobOf(existing, otaUpdateId, ctx) : undefined,
        findCopies(settings.files, content, existing, ctx),
    ]);
    return {
        identity: ctx.identity,
        targets,
        otaUpdateId,
        derivedId: !settings.otaUpdateId,
        existing,
        existingTags,
        existingJob,
        files,
    };
}
/**
 * The job of an update that `if-exists: replace` would delete, so the plan can refuse to strand devices that are
 * installing it. An update that never reached CREATE_COMPLETE has no job.
 */
async function jobOf(existing, otaUpdateId, ctx) {
    if (existing.otaUpdateStatus !== 'CREATE_COMPLETE' && existing.awsIotJobId === undefined)
        return undefined;
    try {
        return await describeJob(ctx.clients.iot, existing.awsIotJobId ?? `AFR_OTA-${otaUpdateId}`, ctx.signal);
    }
    catch (error) {
        if (error instanceof errors/* ActionError */.lZ && error.code === 'ResourceNotFoundException')
            return undefined;
        throw error;
    }
}
/** An existing update's tags: they hold the fingerprints of what GetOTAUpdate does not return. */
async function tagsOf(existing, ctx) {
    if (!existing.otaUpdateArn || existing.otaUpdateStatus === 'DELETE_IN_PROGRESS')
        return undefined;
    const tags = await listTags(ctx.clients.iot, existing.otaUpdateId ?? '', existing.otaUpdateArn, ctx.signal);
    if (tags === 'unreadable') {
        ctx.log.warning(`The tags of OTA update ${existing.otaUpdateId ?? ''} could not be read (iot:ListTagsForResource was refused), so what GetOTAUpdate does not return cannot be compared.`);
    }
    return tags;
}
/**
 * The target ARNs in the caller's account, each once. A target in another partition, account or region is an input
 * problem, found before anything is read or written.
 */
function resolveTargets(settings, ctx) {
    const region = settings.auth.region;
    const expanded = (0,targets/* expandTargets */.Vq)(settings.targets, ctx.identity, region);
    const foreign = (0,targets/* foreignTargetProblems */.Kp)(expanded, ctx.identity, region);
    if (foreign.length > 0)
        throw new errors/* InvalidInputError */.oC(foreign);
    const { arns, warnings } = (0,targets/* uniqueTargets */.yA)(settings.targets, expanded);
    for (const warning of warnings)
        ctx.log.warning(warning);
    return arns;
}
/** What each file is: a local file's sha256 and size, an object's pinned version, or a stream. */
async function describeContent(files, ctx) {
    const described = [];
    for (const file of files) {
        const source = file.source;
        if (source.kind === 'stream') {
            described.push({ sha256: undefined, size: undefined, s3Version: undefined, origin: 'stream' });
        }
        else if (source.localPath) {
            const { sha256, size } = await sha256File(source.localPath);
            described.push({ sha256, size, s3Version: undefined, origin: 'upload' });
        }
        else if (source.version) {
            described.push({ sha256: undefined, size: undefined, s3Version: source.version, origin: 'existing' });
        }
        else {
            const head = await headObject(await ctx.clients.s3(), source.bucket, source.key, undefined, {
                signal: ctx.signal,
            });
            // An object of a bucket that never kept versions has none to pin.
            if (!head?.versionId) {
                throw bucketNotVersioned(source.bucket, 'HeadObject answered without one', source.key);
            }
            described.push({ sha256: head.sha256, size: head.size, s3Version: head.versionId, origin: 'existing' });
        }
    }
    return described;
}
/** Every bucket a local file would be uploaded to must keep versions: the update pins the one it ships. */
async function ensureVersioned(files, facts, ctx) {
    const buckets = new Set();
    files.forEach((file, i) => {
        if (facts[i]?.origin === 'upload' && file.source.kind === 's3')
            buckets.add(file.source.bucket);
    });
    if (buckets.size === 0)
        return;
    const s3 = await ctx.clients.s3();
    for (const bucket of buckets) {
        const status = await getBucketVersioning(s3, bucket, ctx.signal);
        if (status !== 'Enabled')
            throw bucketNotVersioned(bucket, status);
    }
}
/**
 * The facts with each file pointed at a version that already holds its bytes (known by sha256: local files, and
 * objects this action uploaded before): the version `existing` ships, then, for a file still to upload, the key's
 * current version. This is what lets a re-run, or a concurrent run, of the same release recognise its own update.
 * Apply asks it again when the create finds the id taken.
 */
async function findCopies(files, facts, existing, ctx) {
    const found = [];
    for (const [index, file] of files.entries()) {
        const known = facts[index];
        if (known === undefined)
            throw new Error(`resolve: no facts for files[${index}]`);
        const source = file.source;
        if (source.kind !== 's3' || known.sha256 === undefined) {
            found.push(known);
            continue;
        }
        const shipped = existing?.otaUpdateFiles?.[index]?.fileLocation?.s3Location;
        const candidates = [];
        if (shipped?.bucket === source.bucket &&
            shipped.key === source.key &&
            shipped.version !== known.s3Version) {
            candidates.push(shipped.version);
        }
        if (known.origin === 'upload')
            candidates.push(undefined);
        let copy = known;
        for (const version of candidates) {
            const head = await headObject(await ctx.clients.s3(), source.bucket, source.key, version, {
                allowMissing: true,
                signal: ctx.signal,
            });
            if (head?.versionId && head.sha256 === known.sha256) {
                copy = {
                    ...known,
                    s3Version: head.versionId,
                    origin: known.origin === 'upload' ? 'reused' : known.origin,
                };
                break;
            }
        }
        found.push(copy);
    }
    return found;
}

;// CONCATENATED MODULE: ./src/stages/create.ts






/** Create attempts in all. */
const MAX_ATTEMPTS = 5;
/** Quota answers (LimitExceededException) get this many tries in all: a quota rarely frees up within seconds. */
const QUOTA_ATTEMPTS = 3;
async function createOrAdopt(request, options, ctx) {
    const id = request.otaUpdateId ?? '';
    const callCtx = {
        operation: 'CreateOTAUpdate',
        otaUpdateId: id,
        otaRoleArn: request.roleArn,
        region: await ctx.clients.iot.config.region(),
    };
    let mayHaveCreated = false;
    for (let attempt = 1;; attempt++) {
        try {
            ctx.progress.createSent(id);
            const reply = await createOtaUpdateOnce(ctx.clients.iotOnce, request, ctx.signal);
            return {
                info: {
                    otaUpdateId: reply.otaUpdateId ?? id,
                    otaUpdateArn: reply.otaUpdateArn,
                    otaUpdateStatus: reply.otaUpdateStatus,
                    awsIotJobId: reply.awsIotJobId,
                    awsIotJobArn: reply.awsIotJobArn,
                },
                request,
                adopted: undefined,
            };
        }
        catch (error) {
            if (ctx.signal.aborted)
                throw ctx.signal.reason;
            const alreadyExists = awsErrorCode(error) === 'ResourceAlreadyExistsException';
            const maybeApplied = isMaybeApplied(error);
            if (attempt >= MAX_ATTEMPTS)
                throw toActionError(error, callCtx);
            if (!alreadyExists && !maybeApplied) {
                // Refused before anything happened: throttling and quota answers are worth another try, the rest is final.
                const kind = classifyError(error);
                if (kind === 'permanent' || (kind === 'quota' && attempt >= QUOTA_ATTEMPTS)) {
                    throw toActionError(error, callCtx);
                }
                await pause(attempt, ctx);
                continue;
            }
            mayHaveCreated ||= maybeApplied;
            const found = await getOtaUpdate(ctx.clients.iot, id, ctx.signal);
            if (!found) {
                await pause(attempt, ctx);
                continue;
            }
            if (alreadyExists && !mayHaveCreated && options.ifExists === 'fail')
                throw toActionError(error, callCtx);
            const aligned = await options.realign(found);
            // Our own create may be what we found: 'fail' cannot apply to it, and nothing found now is deleted.
            const ifExists = options.ifExists === 'fail' ? 'reuse' : options.ifExists;
            const step = (0,decision/* decide */.LD)(found, aligned.request, ifExists, {
                moment: 'conflict',
                tags: await tagsOf(found, ctx),
            });
            if (step.kind === 'await-deletion') {
                await options.awaitDeletion();
                continue;
            }
            const warning = step.kind === 'reuse' ? (0,decision/* notComparedWarning */.b3)(id, step.notCompared) : undefined;
            if (warning !== undefined)
                ctx.log.warning(warning);
            return { info: found, request: aligned.request, adopted: aligned.files };
        }
    }
}
async function pause(attempt, ctx) {
    await (0,signals/* sleepUnless */.uj)(ctx.clock, Math.min(500 * 2 ** (attempt - 1), 5000) * ctx.timing.scale, ctx.signal);
}

;// CONCATENATED MODULE: ./src/aws/upload.ts
/**
 * Streams a local file to S3: one PutObject up to one part, else a multipart upload whose parts are read straight
 * from the file into `queueSize` buffers of `partSize` bytes, each reused once S3 has taken its part, so memory is
 * that pool whatever the file's size. Our sha256 is stored as `x-amz-meta-sha256`, progress is reported about every
 * 10%, and the returned VersionId pinned. Each S3 request is retried on its own by the SDK (a throttled part costs
 * one part, not the upload). On a failure or cancellation no new request starts, in-flight ones are cut off, and
 * AbortMultipartUpload is sent (bounded in time) before uploadFile settles.
 *
 * Not @aws-sdk/lib-storage: its chunker copies every part into a buffer of its own (from a stream's 64 KiB reads, or
 * two parts at a time from part-sized ones), and that gigabyte of short-lived buffers outgrows the garbage collector:
 * 190 MB peak RSS for a 1 GiB file, against 150 MB allowed.
 */




const MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;
const DEFAULT_QUEUE_SIZE = 4;
const MAX_PARTS = 10_000;
const ABORT_UPLOAD_TIMEOUT_MS = 5000;
// S3 refuses a part whose checksum type differs from the one its upload was created with, so both name it.
const CHECKSUM_ALGORITHM = 'CRC32';
/** The part size used for a file of `size` bytes. */
function partSizeFor(size, requested) {
    return Math.max(requested ?? MIN_PART_SIZE_BYTES, MIN_PART_SIZE_BYTES, Math.ceil(size / MAX_PARTS));
}
/** Reports each 10% step once, in order. */
function progressReporter(size, onProgress) {
    let reported = 0;
    return (bytes) => {
        const percent = size === 0 ? 100 : Math.min(100, Math.floor((bytes * 100) / size));
        const step = Math.floor(percent / 10) * 10;
        if (step > reported) {
            reported = step;
            onProgress?.(step, bytes);
        }
    };
}
/** One S3 request (the SDK retries it); refused once the upload stopped, and stopping it when it fails. */
async function call(up, send) {
    const { signal } = up.stop;
    if (signal.aborted)
        throw signal.reason;
    try {
        return await (0,signals/* bounded */.Mm)(signal, send);
    }
    catch (error) {
        if (!signal.aborted)
            up.stop.abort(error);
        throw error;
    }
}
/** Fills `buffer` from `offset`; a file that shrank since it was hashed must not be uploaded short. */
async function readAt(up, buffer, offset) {
    const { bytesRead } = await up.file.read(buffer, 0, buffer.length, offset);
    if (bytesRead !== buffer.length) {
        throw new errors/* ActionError */.lZ('FirmwareChanged', `${up.options.path} changed while it was being uploaded: it is shorter than the ${up.size} bytes it had when it was hashed.`, {
            hint: 'Something rewrote the file during the step. Build the firmware before this step and keep other jobs or steps from writing to it meanwhile; nothing was created in AWS.',
        });
    }
    return buffer;
}
async function putWhole(up) {
    const { bucket, key, sha256 } = up.options;
    const body = await readAt(up, Buffer.allocUnsafe(up.size), 0);
    const result = await call(up, (abortSignal) => up.s3.send(new up.mod.PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentLength: up.size,
        ContentType: 'application/octet-stream',
        Metadata: { sha256 },
    }), { abortSignal }));
    return result.VersionId;
}
/** Uploads every part, `queueSize` at a time, each worker reading into (and sending from) its own buffer. */
async function sendParts(up, uploadId) {
    const { bucket, key, queueSize = DEFAULT_QUEUE_SIZE } = up.options;
    const count = Math.ceil(up.size / up.partSize);
    const completed = [];
    let next = 0;
    let sent = 0;
    const worker = async () => {
        const pool = Buffer.allocUnsafeSlow(up.partSize);
        for (let index = next++; index < count && !up.stop.signal.aborted; index = next++) {
            const offset = index * up.partSize;
            const body = await readAt(up, pool.subarray(0, Math.min(up.partSize, up.size - offset)), offset);
            const PartNumber = index + 1;
            const result = await call(up, (abortSignal) => up.s3.send(new up.mod.UploadPartCommand({
                Bucket: bucket,
                Key: key,
                UploadId: uploadId,
                PartNumber,
                Body: body,
                ContentLength: body.length,
                ChecksumAlgorithm: CHECKSUM_ALGORITHM,
            }), { abortSignal }));
            if (!result.ETag)
                throw new Error(`S3 returned no ETag for part ${PartNumber}`);
            completed.push({
                PartNumber,
                ETag: result.ETag,
                ...(result.ChecksumCRC32 ? { ChecksumCRC32: result.ChecksumCRC32 } : {}),
            });
            sent += body.length;
            up.report(sent);
        }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(queueSize, count)) }, () => worker().catch((error) => {
        if (!up.stop.signal.aborted)
            up.stop.abort(error);
    }));
    await Promise.all(workers);
    if (up.stop.signal.aborted)
        throw up.stop.signal.reason;
    return completed.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
}
/**
 * AbortMultipartUpload must go out even once the upload stopped, within a few seconds (a cancelled step is killed
 * soon after); its own failure is returned, not thrown.
 */
async function abortUpload(up, uploadId) {
    const { bucket, key } = up.options;
    const command = new up.mod.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId });
    return (0,signals/* bounded */.Mm)(AbortSignal.timeout(ABORT_UPLOAD_TIMEOUT_MS), (abortSignal) => up.s3.send(command, { abortSignal })).then(() => undefined, (error) => error ?? new Error('AbortMultipartUpload failed'));
}
async function putInParts(up, ctx) {
    const { bucket, key, sha256 } = up.options;
    const created = await call(up, (abortSignal) => up.s3.send(new up.mod.CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ContentType: 'application/octet-stream',
        Metadata: { sha256 },
        ChecksumAlgorithm: CHECKSUM_ALGORITHM,
    }), { abortSignal }));
    const uploadId = created.UploadId;
    if (!uploadId)
        throw new Error('S3 returned no UploadId for CreateMultipartUpload');
    try {
        const parts = await sendParts(up, uploadId);
        const result = await call(up, (abortSignal) => up.s3.send(new up.mod.CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
        }), { abortSignal }));
        return result.VersionId;
    }
    catch (error) {
        const abortFailure = await abortUpload(up, uploadId);
        const reported = toActionError(up.stop.signal.aborted ? up.stop.signal.reason : error, ctx);
        if (abortFailure === undefined)
            throw reported;
        throw new errors/* ActionError */.lZ(reported.code, reported.message, {
            hint: `${reported.hint ?? ''} The incomplete multipart upload ${uploadId} could not be aborted; a lifecycle rule with AbortIncompleteMultipartUpload removes such leftovers.`,
            cause: reported.cause,
        });
    }
}
async function uploadFile(s3, options) {
    const { bucket, key, path } = options;
    const ctx = { operation: 'Upload', bucket, key, region: await s3.config.region() };
    if (options.signal?.aborted === true) {
        throw toActionError(options.signal.reason, ctx);
    }
    const stop = new AbortController();
    const onCancel = () => stop.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onCancel, { once: true });
    let up;
    let versionId;
    try {
        const size = options.size ?? (await (0,promises_.stat)(path)).size;
        up = {
            s3,
            mod: await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19)),
            options,
            file: await (0,promises_.open)(path, 'r'),
            size,
            partSize: partSizeFor(size, options.partSizeBytes),
            stop,
            report: progressReporter(size, options.onProgress),
        };
        versionId = size <= up.partSize ? await putWhole(up) : await putInParts(up, ctx);
        up.report(size);
    }
    catch (error) {
        // The first failure (or the cancellation) stopped the upload; what it cut off afterwards is not the story.
        if (error instanceof errors/* ActionError */.lZ)
            throw error;
        throw toActionError(stop.signal.aborted ? stop.signal.reason : error, ctx);
    }
    finally {
        options.signal?.removeEventListener('abort', onCancel);
        await up?.file.close();
    }
    if (!versionId)
        throw bucketNotVersioned(bucket, 'the upload returned no VersionId');
    return { versionId };
}

;// CONCATENATED MODULE: ./src/stages/uploads.ts
/**
 * The uploads a plan asks for: each local file streamed to its bucket and key, its new version pinned. The run's
 * only S3 write. A failed upload whose bytes landed anyway (a lost CompleteMultipartUpload reply) is recognised by
 * the sha256 the object carries, and the run goes on with that version.
 */


/** The plan's file facts with every planned upload done and its version known. */
async function uploadAll(plan, ctx) {
    const files = [...plan.files];
    for (const upload of plan.uploads) {
        const versionId = await uploadOne(upload, ctx);
        const facts = {
            ...files[upload.index],
            sha256: upload.sha256,
            size: upload.size,
            s3Version: versionId,
            origin: 'uploaded',
        };
        files[upload.index] = facts;
        ctx.progress.uploaded(upload.index, facts);
    }
    return files;
}
async function uploadOne(upload, ctx) {
    const s3 = await ctx.clients.s3();
    const target = `s3://${upload.bucket}/${upload.key}`;
    ctx.log.info(`Uploading ${upload.path} (${upload.size ?? '?'} bytes) to ${target}`);
    try {
        const { versionId } = await uploadFile(s3, {
            bucket: upload.bucket,
            key: upload.key,
            path: upload.path,
            sha256: upload.sha256,
            ...(upload.size === undefined ? {} : { size: upload.size }),
            onProgress: (percent, bytes) => ctx.log.info(`Uploading ${target}: ${percent}% (${bytes} bytes)`),
            signal: ctx.signal,
        });
        ctx.log.info(`Uploaded ${target} as version ${versionId}`);
        return versionId;
    }
    catch (error) {
        if (ctx.signal.aborted)
            throw error;
        const landed = await headObject(s3, upload.bucket, upload.key, undefined, {
            allowMissing: true,
            signal: ctx.signal,
        }).catch(() => undefined);
        if (landed?.versionId && landed.sha256 === upload.sha256) {
            ctx.log.info(`The upload reported a failure, but ${target} holds these bytes as version ${landed.versionId}`);
            return landed.versionId;
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/stages/wait.ts





/** Polls in a row that may fail transiently before the wait gives up with that failure. */
const TOLERATED_FAILED_POLLS = 2;
/** Polls until CREATE_COMPLETE; every other end is a typed failure that names the update. */
async function waitForCreation(options, ctx) {
    const id = options.otaUpdateId;
    const settled = await poll(options, ctx, (info) => {
        const status = info?.otaUpdateStatus;
        return status !== 'CREATE_PENDING' && status !== 'CREATE_IN_PROGRESS';
    });
    if (settled === 'timeout') {
        throw new errors/* ActionError */.lZ('WaitTimeout', `OTA update ${id} was not created within ${seconds(options.timeoutMs)}; its creation goes on in AWS IoT.`, {
            hint: 'Follow it in the AWS IoT console or with `aws iot get-ota-update`, or raise wait-timeout-seconds (or set wait: false).',
        });
    }
    const info = settled.info;
    const status = info?.otaUpdateStatus;
    if (info && status === 'CREATE_COMPLETE')
        return info;
    if (!info) {
        throw new errors/* ActionError */.lZ('ResourceNotFoundException', `OTA update ${id} disappeared while we waited for it to be created.`, { hint: 'Someone deleted it; run the step again to create it anew.' });
    }
    if (status === 'CREATE_FAILED') {
        throw new errors/* ActionError */.lZ('CREATE_FAILED', `OTA update ${id} ended CREATE_FAILED: ${(0,decision/* errorInfoText */.EO)(info)}`, {
            hint: createFailedHint(info),
        });
    }
    throw new errors/* ActionError */.lZ(status === 'DELETE_FAILED' ? 'DELETE_FAILED' : 'DELETE_IN_PROGRESS', `OTA update ${id} went to ${status ?? 'an unknown status'} while we waited for it to be created${info.errorInfo ? `: ${(0,decision/* errorInfoText */.EO)(info)}` : ''}.`, { hint: 'Someone is deleting this update; find out who, then run the step again.' });
}
/** Polls until the id is free (GetOTAUpdate answers not found), after a deletion. */
async function waitUntilDeleted(options, ctx) {
    const id = options.otaUpdateId;
    const settled = await poll(options, ctx, (info) => !info || info.otaUpdateStatus === 'DELETE_FAILED');
    if (settled === 'timeout') {
        throw new errors/* ActionError */.lZ('WaitTimeout', `OTA update ${id} was still being deleted after ${seconds(options.timeoutMs)}, so its id is not free yet.`, {
            hint: 'IoT deletes OTA updates asynchronously; run the step again later or raise wait-timeout-seconds.',
        });
    }
    if (settled.info) {
        throw new errors/* ActionError */.lZ('DELETE_FAILED', `Deleting OTA update ${id} failed: ${(0,decision/* errorInfoText */.EO)(settled.info)}`, {
            hint: `Look at the update and its job AFR_OTA-${id} in AWS IoT, delete them by hand, then run the step again.`,
        });
    }
}
async function poll(options, ctx, isSettled) {
    const schedule = ctx.timing.creationPoll;
    const deadline = (0,signals/* deadlineIn */._5)(options.timeoutMs, ctx.signal, ctx.clock);
    let delay = schedule.firstDelayMs;
    let lastStatus;
    let failedInARow = 0;
    try {
        for (;;) {
            await (0,signals/* sleepUnless */.uj)(ctx.clock, Math.min(delay, deadline.remainingMs()), deadline.signal);
            if (deadline.remainingMs() <= 0)
                return 'timeout';
            delay = Math.min(delay * schedule.factor, schedule.maxDelayMs);
            const info = await lookUp(options.otaUpdateId, deadline, ctx, failedInARow);
            if (info === 'failed') {
                failedInARow += 1;
                continue;
            }
            failedInARow = 0;
            if (info)
                ctx.progress.updateKnown(info);
            const status = info?.otaUpdateStatus ?? 'GONE';
            if (status !== lastStatus)
                ctx.log.info(`${options.what}: ${status}`);
            lastStatus = status;
            if (isSettled(info))
                return { info };
        }
    }
    catch (error) {
        if ((0,signals/* isDeadlineExceeded */.A7)(error) && !ctx.signal.aborted)
            return 'timeout';
        throw error;
    }
    finally {
        deadline.dispose();
    }
}
/** One GetOTAUpdate; 'failed' for a transient failure the wait can outlast. */
async function lookUp(otaUpdateId, deadline, ctx, failedInARow) {
    try {
        return await getOtaUpdate(ctx.clients.iot, otaUpdateId, deadline.signal);
    }
    catch (error) {
        const cause = error instanceof errors/* ActionError */.lZ ? error.cause : error;
        if (deadline.signal.aborted ||
            failedInARow >= TOLERATED_FAILED_POLLS ||
            classifyError(cause) !== 'transient') {
            throw error;
        }
        ctx.log.warning(`Reading OTA update ${otaUpdateId} failed (${error instanceof Error ? error.message : String(error)}); trying again at the next poll.`);
        return 'failed';
    }
}
function createFailedHint(info) {
    const text = `${info.errorInfo?.code ?? ''} ${info.errorInfo?.message ?? ''}`;
    if (/iam:PassRole/i.test(text)) {
        return 'The OTA service role (ota-role-arn) must be passable: grant iam:PassRole on it to the role that creates the update (and let iot.amazonaws.com assume it).';
    }
    if (/AccessDenied|not authorized/i.test(text)) {
        return 'Grant the OTA service role (ota-role-arn) access to the firmware bucket, IoT jobs and (when signing) AWS Signer.';
    }
    return 'Fix what errorInfo names, then run the step again: a failed update never reached a device and is replaced on the next run.';
}
function seconds(ms) {
    return `${Math.round(ms / 1000)} s`;
}

;// CONCATENATED MODULE: ./src/stages/apply.ts






async function apply(settings, plan, ctx) {
    const { step, otaUpdateId: id } = plan;
    const deletionWait = (what) => () => waitUntilDeleted({ otaUpdateId: id, timeoutMs: settings.behaviour.waitTimeoutSeconds * 1000, what }, ctx);
    if (step.kind === 'reuse') {
        ctx.log.notice(`OTA update ${id} already holds this release; reusing it.`);
        ctx.progress.updateKnown(step.existing);
        return { result: 'reused', request: plan.request, files: plan.files, info: step.existing };
    }
    if (step.kind === 'replace') {
        if (step.why === 'create-failed') {
            ctx.log.notice(`OTA update ${id} ended CREATE_FAILED and never reached a device; replacing it.`);
        }
        await deleteOtaUpdate(ctx.clients.iot, id, ctx.signal);
        await deletionWait('Waiting for the id to be free')();
    }
    else if (step.kind === 'await-deletion') {
        await deletionWait('Waiting for the id to be free')();
    }
    const uploaded = await uploadAll(plan, ctx);
    const outcome = await createOrAdopt((0,request/* buildRequest */.m)(settings, id, plan.targets, uploaded), {
        ifExists: settings.behaviour.ifExists,
        realign: async (found) => {
            const files = await findCopies(settings.files, uploaded, found, ctx);
            return { files, request: (0,request/* buildRequest */.m)(settings, id, plan.targets, files) };
        },
        awaitDeletion: deletionWait('Waiting for a concurrent deletion'),
    }, ctx);
    ctx.progress.updateKnown(outcome.info);
    if (!outcome.adopted)
        ctx.log.info(`Created OTA update ${id} (${outcome.info.otaUpdateStatus ?? 'status unknown'})`);
    return {
        result: outcome.adopted ? 'reused' : step.kind === 'replace' ? 'replaced' : 'created',
        request: outcome.request,
        files: outcome.adopted ?? uploaded,
        info: outcome.info,
    };
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(1695);
// EXTERNAL MODULE: ./node_modules/@smithy/core/dist-cjs/submodules/retry/index.js
var retry = __webpack_require__(3609);
;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"0.1.0"};
// EXTERNAL MODULE: ./src/aws/timeouts.ts
var timeouts = __webpack_require__(2653);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/proxy.js
var proxy = __webpack_require__(9783);
// EXTERNAL MODULE: ./node_modules/agent-base/dist/index.js + 1 modules
var dist = __webpack_require__(319);
// EXTERNAL MODULE: ./node_modules/http-proxy-agent/dist/index.js
var http_proxy_agent_dist = __webpack_require__(8947);
// EXTERNAL MODULE: ./node_modules/https-proxy-agent/dist/index.js + 1 modules
var https_proxy_agent_dist = __webpack_require__(1566);
;// CONCATENATED MODULE: ./src/aws/proxy.ts
/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for the SDK clients, which ignore these variables by themselves. The agents
 * come from TooTallNate's proxy-agents: https-proxy-agent opens a CONNECT tunnel for HTTPS targets (TLS stays end to
 * end), http-proxy-agent sends plain-HTTP requests to the proxy in absolute form. Whether a connection uses the proxy
 * is decided per target host by the Actions toolkit's own NO_PROXY matching (`checkBypass` of @actions/http-client,
 * which the OIDC token request goes through too), so NO_PROXY also covers hosts the SDK picks itself (S3
 * virtual-host buckets) and loopback never goes through a proxy. That matching reads NO_PROXY from process.env;
 * `preferUpperCaseProxyVariables` (runner/inputs.ts) has made the upper-case spelling win there by then.
 */







/** A proxy refused or failed to open the tunnel; `proxyStatus` is 0 when it closed without answering. */
class ProxyConnectError extends Error {
    proxyStatus;
    constructor(message, proxyStatus, options) {
        super(message, options);
        this.name = 'ProxyConnectError';
        this.proxyStatus = proxyStatus;
    }
}
function parseProxyUrl(value, variable) {
    const text = value?.trim() ?? '';
    if (text === '')
        return undefined;
    let url;
    try {
        url = new URL(text.includes('://') ? text : `http://${text}`);
    }
    catch {
        throw new errors/* ActionError */.lZ('InvalidInput', `${variable} is not a valid proxy URL.`, {
            hint: `Set ${variable} to http://host:port (or http://user:password@host:port), or unset it.`,
        });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new errors/* ActionError */.lZ('InvalidInput', `${variable} uses ${url.protocol}; only http:// and https:// proxies work.`, { hint: `Set ${variable} to http://host:port, or unset it.` });
    }
    return url;
}
/** Where the proxy is, for messages: never its credentials. */
function describeProxy(proxy) {
    return `${proxy.protocol}//${proxy.host}`;
}
/** `host:port` of a connection the SDK asks for, an IPv6 address in brackets. */
function authority(opts) {
    const host = opts.host ?? 'localhost';
    return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${opts.port}`;
}
/** The connection's target as a URL, for the toolkit's NO_PROXY matching. */
function targetUrl(opts) {
    return new URL(`${opts.secureEndpoint ? 'https' : 'http'}://${authority(opts)}`);
}
function hasCode(error) {
    return typeof error === 'object' && error !== null && 'code' in error;
}
/**
 * https-proxy-agent with a proxy's refusal as a ProxyConnectError: by itself it hands the proxy's answer to the
 * request as if the target had sent it, and reports a proxy that hangs up as a plain Error.
 */
class TunnelAgent extends https_proxy_agent_dist/* HttpsProxyAgent */.b {
    async connect(req, opts) {
        const tunnel = `CONNECT ${authority(opts)}`;
        let answer;
        const onAnswer = (connect) => (answer = connect);
        req.once('proxyConnect', onAnswer);
        try {
            const socket = await super.connect(req, opts);
            if (answer !== undefined && answer.statusCode !== 200) {
                socket.destroy();
                const status = `${answer.statusCode} ${answer.statusText}`.trim();
                throw new ProxyConnectError(`Proxy ${describeProxy(this.proxy)} answered ${status} to ${tunnel}.`, answer.statusCode);
            }
            return socket;
        }
        catch (error) {
            // Socket errors (ECONNREFUSED, ...) keep their code; anything else is the proxy misbehaving.
            if (error instanceof ProxyConnectError || hasCode(error))
                throw error;
            throw new ProxyConnectError(`Proxy ${describeProxy(this.proxy)} closed the connection before answering ${tunnel}.`, 0, { cause: error });
        }
        finally {
            req.off('proxyConnect', onAnswer);
        }
    }
}
/** Hands each connection to the proxy's agent or to a direct one, by the target's host. */
class PerTargetAgent extends dist/* Agent */.g6 {
    direct;
    lifetime = new AbortController();
    proxied;
    constructor(proxied, direct) {
        super({ keepAlive: true });
        this.direct = direct;
        this.proxied = proxied(this.lifetime.signal);
    }
    connect(_req, opts) {
        return (0,proxy/* checkBypass */.H)(targetUrl(opts)) ? this.direct : this.proxied;
    }
    /** Closes every connection, a tunnel still waiting for the proxy's answer included. */
    destroy() {
        this.lifetime.abort();
        this.proxied.destroy();
        this.direct.destroy();
        super.destroy();
    }
}
const POOL = { keepAlive: true, maxSockets: 50 };
/**
 * Agents for the SDK's request handler, or undefined when neither HTTPS_PROXY nor HTTP_PROXY is set; a protocol
 * without a proxy gets a plain keep-alive agent. Throws InvalidInput for a proxy URL that cannot be used. The SDK's
 * connectionTimeout bounds each connection, the proxy's answer to CONNECT included; destroying the agents also
 * closes a tunnel whose proxy never answered.
 */
function proxyAgentsFor(settings) {
    const httpsProxy = parseProxyUrl(settings.https, 'HTTPS_PROXY');
    const httpProxy = parseProxyUrl(settings.http, 'HTTP_PROXY');
    if (httpsProxy === undefined && httpProxy === undefined)
        return undefined;
    const httpDirect = new (external_node_http_default()).Agent(POOL);
    const httpsDirect = new (external_node_https_default()).Agent(POOL);
    return {
        httpAgent: httpProxy === undefined
            ? httpDirect
            : new PerTargetAgent(
            // One connection per request: http-proxy-agent puts the absolute URL into a request's head when it
            // opens a connection, and a request handed over by PerTargetAgent has its head written already, so
            // a kept-alive connection would get the head in origin form.
            (signal) => new http_proxy_agent_dist/* HttpProxyAgent */.s(httpProxy.href, { keepAlive: false, signal }), httpDirect),
        httpsAgent: httpsProxy === undefined
            ? httpsDirect
            : new PerTargetAgent((signal) => new TunnelAgent(httpsProxy.href, { ...POOL, signal }), httpsDirect),
    };
}

;// CONCATENATED MODULE: ./src/aws/clients.ts
/**
 * The SDK clients, built once and in one place: region, credentials, endpoint overrides, proxy agents, per-request
 * timeouts, the action's user agent and the retries. Every call is retried by the SDK's standard strategy
 * (throttling and transient failures, jittered backoff), except on `iotOnce`: CreateOTAUpdate is not idempotent, so
 * it goes out once and src/stages/create.ts decides what a failure means.
 *
 * After assuming the role, build the clients again with the new credentials, `createClients({ ...options,
 * credentials })`; the first clients stay usable. Call `destroy()` on every set built once the run is over.
 */






const ACTION_USER_AGENT = `aws-iot-ota-update-action/${package_namespaceObject.rE}`;
/**
 * An S3 part upload needs time in proportion to its size, so S3 requests get this overall limit; a stalled
 * connection is still caught within requestTimeoutMs by the socket inactivity timeout.
 */
const S3_REQUEST_TIMEOUT_MS = 300_000;
const DEFAULT_MAX_ATTEMPTS = 4;
/** The endpoint a service's client is given: its own override, else AWS_ENDPOINT_URL, else the SDK's default. */
function endpointFor(service, endpoints) {
    return endpoints[service] ?? endpoints.all;
}
/**
 * The SDK's standard strategy; with its delays scaled when asked (the delay base is the SDK's: 50 ms, 1 s for
 * throttling, doubling up to 20 s, full jitter).
 */
function retryStrategy(maxAttempts, scale) {
    if (scale === 1)
        return new retry.StandardRetryStrategy(maxAttempts);
    let base = 50;
    return new retry.StandardRetryStrategy({
        maxAttempts,
        backoff: {
            setDelayBase: (delay) => {
                base = delay;
            },
            computeNextBackoffDelay: (attempt) => Math.floor(Math.random() * Math.min(base * 2 ** attempt, 20_000) * scale),
        },
    });
}
/** The settings every client shares. */
function commonConfig(opts, requestTimeout, agents, maxAttempts) {
    const idle = opts.requestTimeoutMs ?? timeouts/* DEFAULT_REQUEST_TIMEOUT_MS */.Z;
    // Given as options (not a NodeHttpHandler instance), the SDK builds its own handler: no direct dependency on
    // @smithy/node-http-handler. throwOnRequestTimeout: without it an exceeded requestTimeout only logs a warning.
    const requestHandler = {
        requestTimeout,
        connectionTimeout: opts.connectionTimeoutMs ?? timeouts/* DEFAULT_CONNECTION_TIMEOUT_MS */.I,
        socketTimeout: idle,
        throwOnRequestTimeout: true,
        ...agents,
    };
    return {
        region: opts.region,
        credentials: opts.credentials,
        retryStrategy: retryStrategy(maxAttempts, opts.retryDelayScale ?? 1),
        requestHandler,
        customUserAgent: opts.userAgent ?? ACTION_USER_AGENT,
    };
}
function createClients(opts) {
    const idle = opts.requestTimeoutMs ?? timeouts/* DEFAULT_REQUEST_TIMEOUT_MS */.Z;
    const agents = () => (opts.proxy === undefined ? undefined : proxyAgentsFor(opts.proxy));
    const built = [];
    const keep = (client) => {
        built.push(client);
        return client;
    };
    const attempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    let iot;
    let iotOnce;
    let sts;
    let s3;
    return {
        get iot() {
            return (iot ??= keep(new dist_cjs/* IoTClient */.CgZ({
                ...commonConfig(opts, idle, agents(), attempts),
                endpoint: endpointFor('iot', opts.endpoints),
            })));
        },
        get iotOnce() {
            return (iotOnce ??= keep(new dist_cjs/* IoTClient */.CgZ({
                ...commonConfig(opts, idle, agents(), 1),
                endpoint: endpointFor('iot', opts.endpoints),
            })));
        },
        get sts() {
            return (sts ??= keep(new client_sts_dist_cjs/* STSClient */.iM({
                ...commonConfig(opts, idle, agents(), attempts),
                endpoint: endpointFor('sts', opts.endpoints),
            })));
        },
        s3: () => (s3 ??= __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19)).then(({ S3Client }) => {
            const endpoint = endpointFor('s3', opts.endpoints);
            const proxied = agents();
            return keep(new S3Client({
                ...commonConfig(opts, Math.max(idle, S3_REQUEST_TIMEOUT_MS), proxied, attempts),
                endpoint,
                // Custom endpoints (emulators, S3-compatible stores) rarely serve virtual-host bucket names.
                forcePathStyle: endpoint !== undefined,
                // The SDK's handler does not wait for "100 Continue" on a caller-supplied agent anyway, and the header
                // would be written before the proxy agent can put the absolute URL in the request line.
                ...(proxied === undefined ? {} : { expectContinueHeader: false }),
            }));
        })),
        destroy: () => built.forEach((client) => client.destroy()),
    };
}

;// CONCATENATED MODULE: ./src/aws/credentials.ts
/**
 * Who the run acts as. With role-to-assume: the job's GitHub OIDC token, exchanged with STS
 * AssumeRoleWithWebIdentity for temporary credentials (every secret masked as soon as it exists), and assumed again
 * with a fresh token before they expire, so a long rollout never fails with ExpiredToken. Without it: the SDK's
 * default chain (for example credentials exported by aws-actions/configure-aws-credentials), identified with
 * GetCallerIdentity. Either way the caller's ARN gives the partition and account that shorthand targets expand to.
 */





/** Attempts in all when the token request's connection breaks (@actions/core retries 502/503/504 itself). */
const OIDC_NETWORK_ATTEMPTS = 3;
/** STS documents IDPCommunicationError as worth retrying by the caller; the SDK does not retry it. */
const IDP_ATTEMPTS = 3;
/** Credentials are assumed again once they expire within this much (the SDK asks 5 minutes ahead). */
const REFRESH_MARGIN_MS = 10 * 60_000;
async function resolveCredentials(auth, deps) {
    if (auth.roleToAssume === undefined)
        return { credentials: undefined, identity: await callerIdentity(auth, deps) };
    const roleArn = auth.roleToAssume;
    const first = await assumeRole(auth, roleArn, deps);
    return {
        credentials: refreshing(first.credentials, async () => {
            const next = await assumeRole(auth, roleArn, deps);
            deps.onRefresh?.(next.credentials);
            return next.credentials;
        }),
        identity: first.identity,
        ...(first.subject === undefined ? {} : { subject: first.subject }),
    };
}
/** A provider that hands out `first` until it is about to expire, then what `assumeAgain` gives (once at a time). */
function refreshing(first, assumeAgain, now = Date.now) {
    let current = first;
    let pending;
    return async () => {
        const expiresAt = current.expiration?.getTime();
        if (expiresAt === undefined || expiresAt - now() > REFRESH_MARGIN_MS)
            return current;
        pending ??= assumeAgain().finally(() => {
            pending = undefined;
        });
        current = await pending;
        return current;
    };
}
/** The `sub` claim of a JWT, read without verifying it (only to explain a refusal). */
function tokenSubject(jwt) {
    const payload = jwt.split('.')[1];
    if (payload === undefined)
        return undefined;
    try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        const sub = typeof claims === 'object' && claims !== null ? claims.sub : undefined;
        return typeof sub === 'string' ? sub : undefined;
    }
    catch {
        return undefined;
    }
}
/** Partition and account from an STS ARN (`arn:aws-cn:sts::123456789012:assumed-role/...`). */
function identityFromArn(arn) {
    const match = /^arn:(aws[a-z-]*):[^:]*:[^:]*:(\d{12}):.+$/.exec(arn);
    if (!match?.[1] || !match[2])
        return undefined;
    return { partition: match[1], accountId: match[2], arn };
}
function unexpectedAnswer(ctx, missing) {
    return failure('UnexpectedResponse', ctx, `STS answered without ${missing}`);
}
/** The job's OIDC token; a broken connection is tried again, what @actions/core already retried is not. */
async function idToken(auth, roleArn, deps) {
    for (let attempt = 1;; attempt++) {
        try {
            return await (0,signals/* bounded */.Mm)(deps.signal, () => deps.getIdToken(auth.audience));
        }
        catch (error) {
            if (deps.signal.aborted)
                throw deps.signal.reason;
            if (attempt >= OIDC_NETWORK_ATTEMPTS || !isOidcNetworkFailure(error)) {
                throw toActionError(error, { operation: 'OidcToken', audience: auth.audience, roleArn });
            }
            await deps.sleep(250 * attempt);
        }
    }
}
async function assumeRole(auth, roleArn, deps) {
    if (!deps.idTokenAvailable) {
        throw new errors/* ActionError */.lZ('IdTokenPermissionMissing', `role-to-assume is set (${roleArn}), but this job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.`, {
            hint: 'Add `permissions: id-token: write` to the job (or the workflow) that runs this step. Workflows triggered from forks never get a token.',
        });
    }
    const token = await idToken(auth, roleArn, deps);
    deps.setSecret(token);
    const subject = tokenSubject(token);
    const ctx = {
        operation: 'AssumeRoleWithWebIdentity',
        roleArn,
        audience: auth.audience,
        repository: deps.repository,
        region: auth.region,
        ...(subject === undefined ? {} : { oidcSubject: subject }),
    };
    const command = new client_sts_dist_cjs/* AssumeRoleWithWebIdentityCommand */.WH({
        RoleArn: roleArn,
        RoleSessionName: auth.roleSessionName,
        DurationSeconds: auth.roleDurationSeconds,
        WebIdentityToken: token,
    });
    let answer;
    for (let attempt = 1; answer === undefined; attempt++) {
        try {
            answer = await (0,signals/* bounded */.Mm)(deps.signal, (abortSignal) => deps.sts.send(command, { abortSignal }));
        }
        catch (error) {
            if (deps.signal.aborted)
                throw deps.signal.reason;
            const code = awsErrorCode(error);
            const idp = code === 'IDPCommunicationError' || code === 'IDPCommunicationErrorException';
            if (!idp || attempt >= IDP_ATTEMPTS)
                throw toActionError(error, ctx);
            await deps.sleep(500 * attempt);
        }
    }
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
        throw unexpectedAnswer(ctx, 'credentials');
    deps.setSecret(c.AccessKeyId);
    deps.setSecret(c.SecretAccessKey);
    deps.setSecret(c.SessionToken);
    const identity = identityFromArn(answer.AssumedRoleUser?.Arn ?? '');
    if (identity === undefined)
        throw unexpectedAnswer(ctx, 'a valid AssumedRoleUser ARN');
    return {
        credentials: {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
        },
        identity,
        ...(subject === undefined ? {} : { subject }),
    };
}
async function callerIdentity(auth, deps) {
    const ctx = { operation: 'GetCallerIdentity', region: auth.region };
    let answer;
    try {
        answer = await (0,signals/* bounded */.Mm)(deps.signal, (abortSignal) => deps.sts.send(new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({}), { abortSignal }));
    }
    catch (error) {
        if (deps.signal.aborted)
            throw deps.signal.reason;
        throw toActionError(error, ctx);
    }
    const identity = identityFromArn(answer.Arn ?? '');
    if (identity === undefined)
        throw unexpectedAnswer(ctx, 'a valid caller ARN');
    return identity;
}

;// CONCATENATED MODULE: ./src/stages/connect.ts
/**
 * Connect: the SDK clients and who they act as. With role-to-assume the role is assumed with the job's OIDC token
 * (and assumed again before its credentials expire); without it the environment's credentials are identified.
 */


async function connect(auth, options) {
    const sts = createClients(options.clients);
    try {
        const { credentials, identity } = await resolveCredentials(auth, {
            sts: sts.sts,
            getIdToken: options.getIdToken,
            idTokenAvailable: options.idTokenAvailable,
            setSecret: options.setSecret,
            repository: options.repository,
            signal: options.signal,
            sleep: (ms) => options.clock.sleep(ms * options.scale),
            onRefresh: (fresh) => options.log.info(`Assumed ${auth.roleToAssume ?? 'the role'} again before its credentials expire${fresh.expiration ? ` (the new ones last until ${fresh.expiration.toISOString()})` : ''}`),
        });
        options.log.info(`Acting as ${identity.arn}`);
        const clients = createClients({ ...options.clients, credentials });
        // The first STS client stays: the credentials are assumed again through it.
        const destroyBoth = (destroy) => () => {
            destroy();
            sts.destroy();
        };
        return { clients: Object.assign(clients, { destroy: destroyBoth(clients.destroy) }), identity };
    }
    catch (error) {
        sts.destroy();
        throw error;
    }
}

// EXTERNAL MODULE: ./src/plan/verdict.ts
var plan_verdict = __webpack_require__(7282);
;// CONCATENATED MODULE: ./src/stages/rollout.ts






const FOLLOW_AGAIN = 'Re-run the step to follow the same job again (if-exists: reuse finds the update).';
/** `120/1000 succeeded, 3 failed, 877 pending (IN_PROGRESS)`. */
function progressText(job, t) {
    const canceled = t.canceled > 0 ? `, ${t.canceled} canceled` : '';
    const processing = job.processingTargets.length > 0 ? '; IoT is still processing the targets' : '';
    return `${t.succeeded}/${t.total} succeeded, ${t.failed} failed${canceled}, ${t.pending} pending (${job.status ?? 'status unknown'}${processing})`;
}
function deviceText(device) {
    const details = device.details
        ? Object.entries(device.details)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')
        : (device.detailsError ?? 'no statusDetails');
    return (0,untrusted_text/* logSafe */.sN)(`${device.thingName} (${device.status}: ${details})`);
}
function devicesSentence(devices, failed) {
    if (devices.length === 0)
        return '';
    const named = devices.slice(0, 5).map(deviceText).join('; ');
    const more = failed - Math.min(devices.length, 5);
    return ` Failed devices: ${named}${more > 0 ? `; and ${more} more (the job summary lists the first 20)` : ''}.`;
}
function minutes(options) {
    const m = options.timeoutMinutes ?? options.timeoutMs / 60_000;
    return m === 1 ? '1 minute' : `${Number.isInteger(m) ? m : m.toFixed(2)} minutes`;
}
async function followRollout(iot, options) {
    const { jobId, clock, schedule, log } = options;
    const step = options.signal ?? new AbortController().signal;
    const deadline = clock.now() + options.timeoutMs;
    const callSignal = AbortSignal.any([step, AbortSignal.timeout(options.timeoutMs)]);
    const record = {
        jobId,
        successPercentage: options.successPercentage,
        job: undefined,
        tally: undefined,
        verdict: undefined,
        failedDevices: [],
        cancel: undefined,
        timedOut: false,
    };
    const publish = () => options.onRecord?.({ ...record, failedDevices: [...record.failedDevices] });
    const errorOptions = (hint) => ({ hint });
    const stopped = () => new errors/* ActionError */.lZ('Canceled', `The step was canceled while it followed IoT job ${jobId}${record.job && record.tally ? ` (${progressText(record.job, record.tally)})` : ''}; the rollout goes on in AWS IoT.`, errorOptions(`Follow it in the AWS IoT console. ${FOLLOW_AGAIN}`));
    let delay = schedule.firstDelayMs;
    let lastLine = '';
    let lastLineAt = Number.NEGATIVE_INFINITY;
    let lastFailure;
    for (;;) {
        const remaining = deadline - clock.now();
        if (remaining <= 0)
            break;
        try {
            await (0,signals/* sleepUnless */.uj)(clock, Math.min(delay, remaining), step);
        }
        catch {
            throw stopped();
        }
        if (step.aborted)
            throw stopped();
        if (deadline - clock.now() <= 0)
            break;
        delay = Math.min(delay * schedule.factor, schedule.maxDelayMs);
        let job;
        try {
            job = await describeJob(iot, jobId, callSignal);
        }
        catch (error) {
            if (step.aborted)
                throw stopped();
            if (callSignal.aborted)
                break;
            const failure = error instanceof errors/* ActionError */.lZ ? error : undefined;
            if (!failure || classifyError(failure.cause) !== 'transient') {
                publish();
                throw error;
            }
            lastFailure = failure;
            log.warning((0,untrusted_text/* logSafe */.sN)(`rollout: ${failure.message}; trying again at the next poll.`));
            continue;
        }
        lastFailure = undefined;
        record.job = job;
        record.tally = (0,plan_verdict/* tallyOf */.sv)(job.counts);
        record.verdict = (0,plan_verdict/* judge */.S4)(job, options.successPercentage);
        const line = `rollout: ${progressText(job, record.tally)}`;
        // Unchanged counts get a line when waiting for the next poll would leave more than progressEveryMs without one.
        if (line !== lastLine || clock.now() - lastLineAt + delay > schedule.progressEveryMs) {
            log.info(line);
            lastLine = line;
            lastLineAt = clock.now();
        }
        publish();
        if (record.verdict.kind !== 'pending')
            break;
    }
    const verdict = record.verdict;
    if (verdict === undefined || verdict.kind === 'pending') {
        record.timedOut = true;
        publish();
    }
    const wrapUp = AbortSignal.any([step, AbortSignal.timeout(schedule.wrapUpMs)]);
    const failing = record.timedOut || (verdict?.kind === 'red' && verdict.code === 'RolloutFailed');
    if (options.cancelOnFailure && failing) {
        record.cancel = await cancel(iot, options, record, wrapUp);
        publish();
    }
    if ((record.tally?.failed ?? 0) > 0) {
        record.failedDevices = await listFailed(iot, jobId, record.job, wrapUp, log);
        publish();
    }
    const cancelSentence = cancelText(record.cancel, jobId);
    if (verdict?.kind === 'green') {
        const t = record.tally;
        log.info(`rollout: green: ${t?.succeeded ?? 0} of ${t?.total ?? 0} succeeded (${verdict.required} required, ${options.successPercentage} %)`);
        for (const note of verdict.notes) {
            if (note.level === 'warning')
                log.warning((0,untrusted_text/* logSafe */.sN)(note.text));
            else
                log.info((0,untrusted_text/* logSafe */.sN)(note.text));
        }
        return record;
    }
    const devices = devicesSentence(record.failedDevices, record.tally?.failed ?? 0);
    if (verdict?.kind === 'red' && verdict.code === 'RolloutCanceled') {
        throw new errors/* ActionError */.lZ('RolloutCanceled', `The rollout of IoT job ${jobId} was stopped: ${(0,untrusted_text/* logSafe */.sN)(verdict.reason)}.${devices}`, errorOptions("The job's abort config fired (abort-config) or someone canceled the job in AWS IoT: look at the failed devices' statusDetails, fix the firmware or the devices, then ship a new release."));
    }
    if (verdict?.kind === 'red') {
        throw new errors/* ActionError */.lZ('RolloutFailed', `The rollout of IoT job ${jobId} failed: ${(0,untrusted_text/* logSafe */.sN)(verdict.reason)}.${devices}`, errorOptions(`Look at the failed devices' statusDetails (FreeRTOS writes its reason code there) in the job summary or the AWS IoT console, fix the firmware or the devices, then ship a new release. ${cancelSentence}`));
    }
    const last = record.job && record.tally ? `; last counts ${progressText(record.job, record.tally)}` : '';
    const why = lastFailure ? ` The last poll failed: ${lastFailure.message}.` : '';
    throw new errors/* ActionError */.lZ('RolloutTimeout', `IoT job ${jobId} had no rollout verdict within ${minutes(options)} (rollout-timeout-minutes)${last}. ${cancelSentence}${why}${devices}`, errorOptions(`Devices that never connect stay QUEUED and keep a job IN_PROGRESS: check that they are online, raise rollout-timeout-minutes or lower rollout-success-percentage. ${FOLLOW_AGAIN}`));
}
function cancelText(outcome, jobId) {
    switch (outcome?.kind) {
        case 'canceled':
            return `The job was canceled (cancel-on-failure, not forced): queued devices will not start it; those in progress finish.`;
        case 'left-alone':
            return `The job had already ended (${outcome.status}), so cancel-on-failure left it alone.`;
        case 'failed':
            return `Canceling it failed (${outcome.message}): cancel IoT job ${jobId} in the AWS IoT console so queued devices stop.`;
        case undefined:
            return 'The job continues in AWS IoT; cancel-on-failure: true would cancel it so queued devices stop.';
    }
}
async function cancel(iot, options, record, signal) {
    const { jobId, log } = options;
    const status = record.job?.status;
    if (status === 'COMPLETED' || status === 'CANCELED' || status === 'DELETION_IN_PROGRESS') {
        log.info(`rollout: IoT job ${jobId} is already ${status}: cancel-on-failure leaves it alone.`);
        return { kind: 'left-alone', status };
    }
    const timedOut = record.timedOut;
    const reasonCode = timedOut ? 'ROLLOUT_TIMEOUT' : 'ROLLOUT_FAILED';
    const why = timedOut || record.verdict?.kind !== 'red'
        ? `no verdict within ${minutes(options)}`
        : record.verdict.reason;
    const comment = `Canceled by aws-iot-ota-update-action (cancel-on-failure${options.runUrl ? `, ${options.runUrl}` : ''}): ${why}.`;
    try {
        await cancelJob(iot, jobId, { reasonCode, comment }, signal);
    }
    catch (error) {
        const message = error instanceof errors/* ActionError */.lZ ? error.message : String(error);
        log.warning((0,untrusted_text/* logSafe */.sN)(`rollout: could not cancel IoT job ${jobId}: ${message}`));
        return { kind: 'failed', message };
    }
    log.info(`rollout: canceled IoT job ${jobId} (${reasonCode}, not forced): queued devices will not start it.`);
    return { kind: 'canceled', reasonCode };
}
async function listFailed(iot, jobId, job, signal, log) {
    const counts = job?.counts;
    const count = {
        FAILED: counts?.failed ?? 0,
        TIMED_OUT: counts?.timedOut ?? 0,
        REJECTED: counts?.rejected ?? 0,
    };
    try {
        const devices = await failedDevices(iot, jobId, FAILURE_STATUSES.filter((s) => count[s] > 0), signal);
        for (const device of devices)
            log.info(`rollout: failed device ${deviceText(device)}`);
        return devices;
    }
    catch (error) {
        const message = error instanceof errors/* ActionError */.lZ ? error.message : String(error);
        log.warning((0,untrusted_text/* logSafe */.sN)(`rollout: could not list the failed devices: ${message}`));
        return [];
    }
}

;// CONCATENATED MODULE: ./src/stages/follow.ts


async function follow(settings, applied, ctx) {
    const { wait, rollout, waitTimeoutSeconds } = settings.behaviour;
    const id = applied.request.otaUpdateId ?? '';
    if (wait === 'none')
        return applied.info;
    const info = applied.info.otaUpdateStatus === 'CREATE_COMPLETE'
        ? applied.info
        : await waitForCreation({ otaUpdateId: id, timeoutMs: waitTimeoutSeconds * 1000, what: `OTA update ${id}` }, ctx);
    if (rollout === undefined)
        return info;
    await followRollout(ctx.clients.iot, {
        jobId: info.awsIotJobId ?? `AFR_OTA-${id}`,
        successPercentage: rollout.successPercentage,
        cancelOnFailure: rollout.cancelOnFailure,
        timeoutMs: rollout.timeoutMinutes * 60_000 * ctx.timing.scale,
        timeoutMinutes: rollout.timeoutMinutes,
        schedule: ctx.timing.rolloutPoll,
        clock: ctx.clock,
        signal: ctx.signal,
        log: ctx.log,
        onRecord: (record) => ctx.progress.rolloutKnown(record),
        ...(ctx.runUrl === undefined ? {} : { runUrl: ctx.runUrl }),
    });
    return info;
}

;// CONCATENATED MODULE: ./src/stages/index.ts
/**
 * Every stage that loads the AWS SDK, in one module the runner imports only once the inputs are valid: a run that
 * stops at a bad input never pays for the SDK, and one over OIDC asks for its token while the SDK loads.
 */
/** @public main.ts calls it through the session's `stages`, which knip cannot follow. */


/** @public */

/** @public */



/***/ })

};

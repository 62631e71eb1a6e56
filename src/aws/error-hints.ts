/**
 * What an AWS call was, and the one sentence that says what to change when it fails: per AWS error name (and per
 * code of the action's own that AWS calls report), given what was attempted and AWS's own message. Used by the error
 * catalog; docs/troubleshooting.md documents every name here.
 */
import type { OwnErrorCode } from '../errors.js';
import { THROTTLING_CODES, TRANSIENT_SERVICE_CODES } from './classify.js';

type AwsOperation =
  | 'OidcToken'
  | 'AssumeRoleWithWebIdentity'
  | 'GetCallerIdentity'
  | 'CreateOTAUpdate'
  | 'GetOTAUpdate'
  | 'DeleteOTAUpdate'
  | 'ListTagsForResource'
  | 'GetBucketVersioning'
  | 'HeadObject'
  | 'Upload'
  | 'DescribeJob'
  | 'ListJobExecutionsForJob'
  | 'DescribeJobExecution'
  | 'CancelJob';

export interface AwsCallContext {
  operation: AwsOperation;
  otaUpdateId?: string;
  /** The IoT job of the update (`AFR_OTA-<id>`). */
  jobId?: string;
  /** The thing of a job execution. */
  thingName?: string;
  /** The execution status a listing asks for (FAILED, TIMED_OUT, REJECTED). */
  executionStatus?: string;
  /** The role assumed with the OIDC token. */
  roleArn?: string;
  /** The service role the OTA update runs as (`ota-role-arn`). */
  otaRoleArn?: string;
  bucket?: string;
  key?: string;
  version?: string;
  region?: string;
  /** The OIDC token's audience. */
  audience?: string;
  /** The OIDC token's `sub` claim, for trust-policy advice. */
  oidcSubject?: string;
  /** `owner/repo`, for trust-policy advice when the token's subject is unknown. */
  repository?: string;
}

const OIDC_PROVIDER_HOST = 'token.actions.githubusercontent.com';

const IAM_ACTIONS: Record<AwsOperation, string> = {
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

const JOB_OPERATIONS: ReadonlySet<AwsOperation> = new Set<AwsOperation>([
  'DescribeJob',
  'ListJobExecutionsForJob',
  'DescribeJobExecution',
  'CancelJob',
]);

function s3Uri(ctx: AwsCallContext): string {
  return `s3://${ctx.bucket ?? '?'}/${ctx.key ?? '?'}`;
}

function region(ctx: AwsCallContext): string {
  return ctx.region ?? 'the configured region';
}

/** What was being attempted, as the subject of the message. */
export function describeOperation(ctx: AwsCallContext): string {
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

function job(ctx: AwsCallContext): string {
  return ctx.jobId ?? '?';
}

/** The trust-policy `sub` pattern that admits a token with this subject (any tag for tag pushes). */
export function trustPolicySubject(subject: string): string {
  const tag = /^(repo:[^:]+:ref:refs\/tags\/).+$/.exec(subject);
  return tag ? `${tag[1]}*` : subject;
}

function whoGrants(ctx: AwsCallContext): string {
  return ctx.roleArn ? `role ${ctx.roleArn}` : 'the credentials running this step';
}

function permissionHint(ctx: AwsCallContext): string {
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

function assumeRoleDeniedHint(ctx: AwsCallContext): string {
  const condition = ctx.oidcSubject
    ? trustPolicySubject(ctx.oidcSubject)
    : `repo:${ctx.repository ?? 'OWNER/REPO'}:*`;
  return (
    `The trust policy of ${ctx.roleArn ?? 'the role'} does not admit this workflow's token. ` +
    `Add the condition "StringLike": {"${OIDC_PROVIDER_HOST}:sub": "${condition}"} ` +
    `with "StringEquals": {"${OIDC_PROVIDER_HOST}:aud": "${ctx.audience ?? 'sts.amazonaws.com'}"}, ` +
    `and make its Principal.Federated the account's OIDC provider ${OIDC_PROVIDER_HOST}.`
  );
}

function invalidIdentityTokenHint(ctx: AwsCallContext, awsMessage: string): string {
  const audience = ctx.audience ?? 'sts.amazonaws.com';
  if (/audience/i.test(awsMessage)) {
    return `The IAM OIDC provider ${OIDC_PROVIDER_HOST} does not list the audience "${audience}": add it to the provider's audiences, or set the audience input to one it lists (normally sts.amazonaws.com).`;
  }
  if (/No OpenIDConnect provider/i.test(awsMessage)) {
    return `Create the IAM OIDC identity provider https://${OIDC_PROVIDER_HOST} with audience ${audience} in the account of ${ctx.roleArn ?? 'the role'}.`;
  }
  return `Check the IAM OIDC provider https://${OIDC_PROVIDER_HOST} in the account of ${ctx.roleArn ?? 'the role'} and the audience input (${audience}).`;
}

function notFoundHint(ctx: AwsCallContext): string {
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

function invalidRequestHint(ctx: AwsCallContext): string {
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

/** What to change, for one error name, given what was being attempted and AWS's own message. */
type Hint = (ctx: AwsCallContext, awsMessage: string) => string;

const denied: Hint = (ctx) =>
  ctx.operation === 'AssumeRoleWithWebIdentity' ? assumeRoleDeniedHint(ctx) : permissionHint(ctx);
const invalidIdentityToken: Hint = (ctx, awsMessage) => invalidIdentityTokenHint(ctx, awsMessage);
const idpRejectedClaim: Hint = () =>
  `The OIDC provider for ${OIDC_PROVIDER_HOST} in the role's account rejected the token's claims: check its audiences and that it is the provider the role trusts.`;
const idpCommunicationError: Hint = () =>
  'STS could not reach GitHub to validate the token, even after retries: re-run the job later.';
const expiredToken: Hint = (ctx) =>
  ctx.operation === 'AssumeRoleWithWebIdentity'
    ? 'The GitHub OIDC token expired before STS accepted it: re-run the job, and check the runner clock.'
    : 'The session credentials expired during the run. With role-to-assume the action assumes the role again before its credentials expire, so these came from the environment: give the step credentials that outlast it (wait-timeout-seconds, and rollout-timeout-minutes with wait: rollout), or set role-to-assume.';
const badSignature: Hint = (ctx, awsMessage) =>
  /scoped to a valid region|region .* is wrong|authorization header is malformed.*region/i.test(awsMessage)
    ? `AWS does not accept ${region(ctx)} as the region these requests are signed for: check aws-region (or AWS_REGION) and, when set, that AWS_ENDPOINT_URL* points at that region's endpoint.`
    : 'AWS rejected the request signature: the secret key does not match the access key of the credentials in use, or the runner clock is wrong; check the credentials configured before this step.';
const unrecognizedClient: Hint = (ctx) =>
  `AWS does not recognise the access key or security token: the credentials in the environment are wrong or expired, or ${region(ctx)} is not enabled for the account.`;
const throttled: Hint = (ctx) =>
  `AWS kept throttling ${IAM_ACTIONS[ctx.operation]} after retries: re-run later, or run fewer releases at once in this account and region.`;
const failedOnItsSide: Hint = (ctx) =>
  ctx.operation === 'CreateOTAUpdate'
    ? `AWS failed on its side even after retries: re-run the step later; a re-run finds OTA update ${ctx.otaUpdateId ?? '?'} if it was created meanwhile.`
    : 'AWS failed on its side even after retries: re-run the step later.';

/** Every name of one family (classify.ts keeps the lists) with the family's hint. */
function family(codes: ReadonlySet<string>, hint: Hint): Record<string, Hint> {
  return Object.fromEntries([...codes].map((code) => [code, hint]));
}

/**
 * The AWS error names with a hint of their own. Names that share a hint function are one failure under several
 * names (STS's wire code and the SDK's class name, S3's and IoT's spelling): docs/troubleshooting.md may give
 * them one section. A name from the families below that is also listed here gets the hint listed here.
 */
const AWS_HINTS: Readonly<Record<string, Hint>> = {
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
  RegionDisabledException: (ctx) =>
    `STS is not activated in ${region(ctx)}: activate it in the IAM account settings, or use another aws-region.`,
  ExpiredToken: expiredToken,
  ExpiredTokenException: expiredToken,
  InvalidSignatureException: badSignature,
  SignatureDoesNotMatch: badSignature,
  UnrecognizedClientException: unrecognizedClient,
  InvalidClientTokenId: unrecognizedClient,
  InvalidAccessKeyId: unrecognizedClient,
  InvalidRequestException: (ctx) => invalidRequestHint(ctx),
  ResourceAlreadyExistsException: (ctx) =>
    `An OTA update ${ctx.otaUpdateId ?? '?'} already exists: set if-exists to reuse or replace, or choose another ota-update-id.`,
  LimitExceededException: (ctx) =>
    `An AWS IoT quota in ${region(ctx)} is used up (for example concurrent OTA updates, jobs or streams): delete finished OTA updates with their jobs and streams, or request a higher quota in Service Quotas (AWS IoT Core, AWS IoT Device Management).`,
  ResourceNotFoundException: (ctx) => notFoundHint(ctx),
  VersionConflictException: (ctx) =>
    `OTA update ${ctx.otaUpdateId ?? '?'} changed while it was being deleted: re-run the step.`,
  NoSuchBucket: (ctx) =>
    `Create S3 bucket ${ctx.bucket ?? '?'} (with versioning enabled) in ${region(ctx)}, or fix s3-bucket.`,
  NoSuchKey: (ctx) =>
    `Upload the object first, or fix s3-key${ctx.version ? ' and s3-version' : ''}; with firmware set, this action uploads it.`,
};

/** The action's own codes that AWS calls report through this catalog, with their hints. */
const OWN_HINTS = {
  BadRequest: (ctx) =>
    `S3 rejected the lookup without details (HTTP 400)${ctx.version ? `: check that s3-version ${ctx.version} is a version id of ${s3Uri(ctx)}` : ''}.`,
  NetworkError: () =>
    'Check that the runner can reach AWS: its network, HTTPS_PROXY / NO_PROXY, and AWS_ENDPOINT_URL* when set. The call was retried before giving up.',
  CredentialsNotFound: () =>
    'Set role-to-assume (the job needs `permissions: id-token: write`), or configure credentials in an earlier step, for example with aws-actions/configure-aws-credentials.',
  UnexpectedResponse: () =>
    'The answer lacked what every AWS answer carries: if AWS_ENDPOINT_URL* is set, check that it points at the right service; otherwise re-run the step.',
  Canceled: () =>
    'The step was canceled; nothing more was sent to AWS. The summary says what already exists there.',
  OidcTokenFailed: () =>
    "GitHub's token service failed even after retries: re-run the job; the job needs `permissions: id-token: write`.",
} satisfies Partial<Record<OwnErrorCode, Hint>>;

const HINTS: ReadonlyMap<string, Hint> = new Map([
  ...Object.entries(AWS_HINTS),
  ...Object.entries<Hint>(OWN_HINTS),
]);

/**
 * The AWS error names the catalog has a hint of its own for; any other name gets "see AWS's message". With
 * OWN_ERROR_CODES, these are the codes docs/troubleshooting.md documents.
 */
export const AWS_ERROR_CODES: readonly string[] = Object.keys(AWS_HINTS);

/** The sentence that says what to change, for one AWS error name (or one of our own network/credential codes). */
export function hintFor(code: string, ctx: AwsCallContext, awsMessage: string): string {
  const hint = HINTS.get(code);
  return hint ? hint(ctx, awsMessage) : `See AWS's message above for what to change.`;
}

import { describe, expect, it } from 'vitest';
import { bucketNotVersioned, toActionError } from '../../../src/aws/error-catalog.js';
import { trustPolicySubject, type AwsCallContext } from '../../../src/aws/error-hints.js';
import { ActionError } from '../../../src/errors.js';
import { awsError, socketError, stsError, timeoutError } from './fixtures.js';

const DEPLOYER = 'arn:aws:iam::123456789012:role/deployer';
const OTA_ROLE = 'arn:aws:iam::123456789012:role/ota-service';

const create: AwsCallContext = {
  operation: 'CreateOTAUpdate',
  otaUpdateId: 'fw-1',
  roleArn: DEPLOYER,
  otaRoleArn: OTA_ROLE,
  region: 'eu-west-1',
};
const get: AwsCallContext = { operation: 'GetOTAUpdate', otaUpdateId: 'fw-1', region: 'eu-west-1' };
const del: AwsCallContext = { operation: 'DeleteOTAUpdate', otaUpdateId: 'fw-1', region: 'eu-west-1' };
const assume: AwsCallContext = {
  operation: 'AssumeRoleWithWebIdentity',
  roleArn: DEPLOYER,
  audience: 'sts.amazonaws.com',
  oidcSubject: 'repo:acme/fw:ref:refs/tags/v1.2.0',
  repository: 'acme/fw',
  region: 'eu-west-1',
};
const head: AwsCallContext = {
  operation: 'HeadObject',
  bucket: 'fw-bucket',
  key: 'app.bin',
  region: 'eu-west-1',
};
const upload: AwsCallContext = {
  operation: 'Upload',
  bucket: 'fw-bucket',
  key: 'app.bin',
  region: 'eu-west-1',
};

const describeJob: AwsCallContext = { operation: 'DescribeJob', jobId: 'AFR_OTA-fw-1', region: 'eu-west-1' };
const cancelJob: AwsCallContext = { operation: 'CancelJob', jobId: 'AFR_OTA-fw-1', region: 'eu-west-1' };

interface Row {
  error: unknown;
  ctx: AwsCallContext;
  code: string;
  message: string;
  hint: string;
}

const rows: Row[] = [
  {
    error: stsError(
      'AccessDenied',
      'AccessDenied',
      403,
      'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    ),
    ctx: assume,
    code: 'AccessDenied',
    message: `Assuming role ${DEPLOYER} with the GitHub OIDC token (token sub "repo:acme/fw:ref:refs/tags/v1.2.0") failed with AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity`,
    hint: `The trust policy of ${DEPLOYER} does not admit this workflow's token. Add the condition "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/fw:ref:refs/tags/*"} with "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, and make its Principal.Federated the account's OIDC provider token.actions.githubusercontent.com.`,
  },
  {
    error: stsError('InvalidIdentityTokenException', 'InvalidIdentityToken', 400, 'Incorrect token audience'),
    ctx: { ...assume, audience: 'my-aud' },
    code: 'InvalidIdentityToken',
    message: `Assuming role ${DEPLOYER} with the GitHub OIDC token (token sub "repo:acme/fw:ref:refs/tags/v1.2.0") failed with InvalidIdentityToken: Incorrect token audience`,
    hint: 'The IAM OIDC provider token.actions.githubusercontent.com does not list the audience "my-aud": add it to the provider\'s audiences, or set the audience input to one it lists (normally sts.amazonaws.com).',
  },
  {
    error: stsError(
      'InvalidIdentityTokenException',
      'InvalidIdentityToken',
      400,
      'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
    ),
    ctx: { ...assume, oidcSubject: undefined },
    code: 'InvalidIdentityToken',
    message: `Assuming role ${DEPLOYER} with the GitHub OIDC token failed with InvalidIdentityToken: No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com`,
    hint: `Create the IAM OIDC identity provider https://token.actions.githubusercontent.com with audience sts.amazonaws.com in the account of ${DEPLOYER}.`,
  },
  {
    error: stsError('ExpiredTokenException', 'ExpiredTokenException', 400, 'Token expired'),
    ctx: { ...assume, oidcSubject: undefined },
    code: 'ExpiredTokenException',
    message: `Assuming role ${DEPLOYER} with the GitHub OIDC token failed with ExpiredTokenException: Token expired`,
    hint: 'The GitHub OIDC token expired before STS accepted it: re-run the job, and check the runner clock.',
  },
  {
    error: stsError('IDPCommunicationErrorException', 'IDPCommunicationError', 400, 'Could not reach IdP'),
    ctx: { ...assume, oidcSubject: undefined },
    code: 'IDPCommunicationError',
    message: `Assuming role ${DEPLOYER} with the GitHub OIDC token failed with IDPCommunicationError: Could not reach IdP`,
    hint: 'STS could not reach GitHub to validate the token, even after retries: re-run the job later.',
  },
  {
    error: awsError('InvalidRequestException', 400, 'Invalid thing group ARN'),
    ctx: create,
    code: 'InvalidRequestException',
    message: 'Creating OTA update fw-1 failed with InvalidRequestException: Invalid thing group ARN',
    hint: 'Fix the input that sets the value AWS names above; the `request` output shows exactly what was sent.',
  },
  {
    error: awsError('InvalidRequestException', 400, 'bad id'),
    ctx: get,
    code: 'InvalidRequestException',
    message: 'Reading OTA update fw-1 failed with InvalidRequestException: bad id',
    hint: 'Check ota-update-id: 1 to 128 characters of letters, digits, `_` and `-`.',
  },
  {
    error: awsError('ResourceAlreadyExistsException', 409, 'OTA Update fw-1 already exists'),
    ctx: create,
    code: 'ResourceAlreadyExistsException',
    message:
      'Creating OTA update fw-1 failed with ResourceAlreadyExistsException: OTA Update fw-1 already exists',
    hint: 'An OTA update fw-1 already exists: set if-exists to reuse or replace, or choose another ota-update-id.',
  },
  {
    error: awsError('LimitExceededException', 410, 'Limit exceeded'),
    ctx: create,
    code: 'LimitExceededException',
    message: 'Creating OTA update fw-1 failed with LimitExceededException: Limit exceeded',
    hint: 'An AWS IoT quota in eu-west-1 is used up (for example concurrent OTA updates, jobs or streams): delete finished OTA updates with their jobs and streams, or request a higher quota in Service Quotas (AWS IoT Core, AWS IoT Device Management).',
  },
  {
    error: awsError('ThrottlingException', 400, 'Rate exceeded'),
    ctx: get,
    code: 'ThrottlingException',
    message: 'Reading OTA update fw-1 failed with ThrottlingException: Rate exceeded',
    hint: 'AWS kept throttling iot:GetOTAUpdate after retries: re-run later, or run fewer releases at once in this account and region.',
  },
  {
    error: awsError('UnauthorizedException', 401, 'Not authorized'),
    ctx: create,
    code: 'UnauthorizedException',
    message: 'Creating OTA update fw-1 failed with UnauthorizedException: Not authorized',
    hint: `Allow role ${DEPLOYER} iot:CreateOTAUpdate in eu-west-1, and iam:PassRole on the OTA role ota-role-arn (${OTA_ROLE}) with iam:PassedToService iot.amazonaws.com.`,
  },
  {
    error: awsError(
      'AccessDeniedException',
      403,
      'User: arn:aws:sts::123456789012:assumed-role/deployer/s is not authorized to perform: iot:CreateOTAUpdate',
    ),
    ctx: create,
    code: 'AccessDeniedException',
    message:
      'Creating OTA update fw-1 failed with AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/deployer/s is not authorized to perform: iot:CreateOTAUpdate',
    hint: `Allow role ${DEPLOYER} iot:CreateOTAUpdate in eu-west-1, and iam:PassRole on the OTA role ota-role-arn (${OTA_ROLE}) with iam:PassedToService iot.amazonaws.com.`,
  },
  {
    error: awsError('AccessDeniedException', 403, 'denied'),
    ctx: get,
    code: 'AccessDeniedException',
    message: 'Reading OTA update fw-1 failed with AccessDeniedException: denied',
    hint: 'Allow the credentials running this step iot:GetOTAUpdate.',
  },
  {
    error: awsError('AccessDeniedException', 403, 'denied'),
    ctx: del,
    code: 'AccessDeniedException',
    message: 'Deleting OTA update fw-1 failed with AccessDeniedException: denied',
    hint: "Allow the credentials running this step iot:DeleteOTAUpdate, plus iot:DeleteJob and iot:DeleteStream for the update's job and stream.",
  },
  {
    error: awsError(
      'ResourceNotFoundException',
      404,
      'The role arn:aws:iam::123456789012:role/ota-service does not exist',
    ),
    ctx: create,
    code: 'ResourceNotFoundException',
    message:
      'Creating OTA update fw-1 failed with ResourceNotFoundException: The role arn:aws:iam::123456789012:role/ota-service does not exist',
    hint: `Something the update refers to does not exist in eu-west-1: check each target thing or thing group, ota-role-arn (${OTA_ROLE}), stream ids, S3 objects and the signing profile.`,
  },
  {
    error: awsError('ResourceNotFoundException', 404, 'Not Found'),
    ctx: del,
    code: 'ResourceNotFoundException',
    message: 'Deleting OTA update fw-1 failed with ResourceNotFoundException: Not Found',
    hint: 'No OTA update fw-1 exists in eu-west-1: check ota-update-id and aws-region.',
  },
  {
    error: awsError('InternalFailureException', 500, 'Internal failure'),
    ctx: create,
    code: 'InternalFailureException',
    message: 'Creating OTA update fw-1 failed with InternalFailureException: Internal failure',
    hint: 'AWS failed on its side even after retries: re-run the step later; a re-run finds OTA update fw-1 if it was created meanwhile.',
  },
  {
    error: awsError('ServiceUnavailableException', 503, 'Service unavailable'),
    ctx: get,
    code: 'ServiceUnavailableException',
    message: 'Reading OTA update fw-1 failed with ServiceUnavailableException: Service unavailable',
    hint: 'AWS failed on its side even after retries: re-run the step later.',
  },
  {
    error: awsError('VersionConflictException', 409, 'conflict'),
    ctx: del,
    code: 'VersionConflictException',
    message: 'Deleting OTA update fw-1 failed with VersionConflictException: conflict',
    hint: 'OTA update fw-1 changed while it was being deleted: re-run the step.',
  },
  {
    error: awsError('InvalidSignatureException', 403, 'The request signature we calculated does not match'),
    ctx: get,
    code: 'InvalidSignatureException',
    message:
      'Reading OTA update fw-1 failed with InvalidSignatureException: The request signature we calculated does not match',
    hint: 'AWS rejected the request signature: the secret key does not match the access key of the credentials in use, or the runner clock is wrong; check the credentials configured before this step.',
  },
  {
    error: awsError(
      'InvalidSignatureException',
      403,
      "Credential should be scoped to a valid region, not 'eu-west-1'. ",
    ),
    ctx: get,
    code: 'InvalidSignatureException',
    message:
      "Reading OTA update fw-1 failed with InvalidSignatureException: Credential should be scoped to a valid region, not 'eu-west-1'.",
    hint: "AWS does not accept eu-west-1 as the region these requests are signed for: check aws-region (or AWS_REGION) and, when set, that AWS_ENDPOINT_URL* points at that region's endpoint.",
  },
  {
    error: awsError(
      'UnrecognizedClientException',
      403,
      'The security token included in the request is invalid.',
    ),
    ctx: get,
    code: 'UnrecognizedClientException',
    message:
      'Reading OTA update fw-1 failed with UnrecognizedClientException: The security token included in the request is invalid.',
    hint: 'AWS does not recognise the access key or security token: the credentials in the environment are wrong or expired, or eu-west-1 is not enabled for the account.',
  },
  {
    error: awsError('ExpiredTokenException', 403, 'The security token included in the request is expired'),
    ctx: get,
    code: 'ExpiredTokenException',
    message:
      'Reading OTA update fw-1 failed with ExpiredTokenException: The security token included in the request is expired',
    hint: 'The session credentials expired during the run. With role-to-assume the action assumes the role again before its credentials expire, so these came from the environment: give the step credentials that outlast it (wait-timeout-seconds, and rollout-timeout-minutes with wait: rollout), or set role-to-assume.',
  },
  {
    error: awsError('NoSuchBucket', 404, 'The specified bucket does not exist'),
    ctx: upload,
    code: 'NoSuchBucket',
    message:
      'Uploading to s3://fw-bucket/app.bin failed with NoSuchBucket: The specified bucket does not exist',
    hint: 'Create S3 bucket fw-bucket (with versioning enabled) in eu-west-1, or fix s3-bucket.',
  },
  {
    error: awsError('NoSuchKey', 404, 'The specified key does not exist.'),
    ctx: { ...head, version: 'v1' },
    code: 'NoSuchKey',
    message:
      'Looking up s3://fw-bucket/app.bin version v1 failed with NoSuchKey: The specified key does not exist.',
    hint: 'Upload the object first, or fix s3-key and s3-version; with firmware set, this action uploads it.',
  },
  {
    error: awsError('Unknown', 403, 'UnknownError'),
    ctx: head,
    code: 'AccessDenied',
    message: 'Looking up s3://fw-bucket/app.bin failed with AccessDenied: HTTP 403 without details',
    hint: 'Allow the credentials running this step s3:GetObject on s3://fw-bucket/app.bin; S3 also answers 403 for a missing object unless s3:ListBucket is allowed on the bucket.',
  },
  {
    error: awsError('AccessDenied', 403, 'Access Denied'),
    ctx: upload,
    code: 'AccessDenied',
    message: 'Uploading to s3://fw-bucket/app.bin failed with AccessDenied: Access Denied',
    hint: 'Allow the credentials running this step s3:PutObject and s3:AbortMultipartUpload on s3://fw-bucket/app.bin.',
  },
  {
    error: awsError('AccessDenied', 403, 'Access Denied'),
    ctx: { operation: 'GetBucketVersioning', bucket: 'fw-bucket' },
    code: 'AccessDenied',
    message: 'Reading the versioning of S3 bucket fw-bucket failed with AccessDenied: Access Denied',
    hint: 'Allow the credentials running this step s3:GetBucketVersioning on arn:aws:s3:::fw-bucket.',
  },
  {
    error: awsError('SlowDown', 503, 'Please reduce your request rate.'),
    ctx: upload,
    code: 'SlowDown',
    message: 'Uploading to s3://fw-bucket/app.bin failed with SlowDown: Please reduce your request rate.',
    hint: 'AWS kept throttling s3:PutObject after retries: re-run later, or run fewer releases at once in this account and region.',
  },
  {
    error: socketError('ECONNREFUSED'),
    ctx: get,
    code: 'NetworkError',
    message:
      'Reading OTA update fw-1 failed with NetworkError: AWS could not be reached (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1)',
    hint: 'Check that the runner can reach AWS: its network, HTTPS_PROXY / NO_PROXY, and AWS_ENDPOINT_URL* when set. The call was retried before giving up.',
  },
  {
    error: timeoutError(),
    ctx: { operation: 'GetCallerIdentity' },
    code: 'NetworkError',
    message:
      'Identifying the AWS credentials (sts:GetCallerIdentity) failed with NetworkError: AWS could not be reached (TimeoutError: @smithy/node-http-handler - [ERROR] a request has exceeded the configured 500 ms requestTimeout.)',
    hint: 'Check that the runner can reach AWS: its network, HTTPS_PROXY / NO_PROXY, and AWS_ENDPOINT_URL* when set. The call was retried before giving up.',
  },
  {
    error: Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    }),
    ctx: { operation: 'GetCallerIdentity' },
    code: 'CredentialsNotFound',
    message:
      'Identifying the AWS credentials (sts:GetCallerIdentity) failed with CredentialsNotFound: Could not load credentials from any providers',
    hint: 'Set role-to-assume (the job needs `permissions: id-token: write`), or configure credentials in an earlier step, for example with aws-actions/configure-aws-credentials.',
  },
  {
    error: new Error(
      'Error message: Failed to get ID Token. \n \n        Error Code : 500\n \n        Error Message: boom',
    ),
    ctx: { operation: 'OidcToken', audience: 'sts.amazonaws.com' },
    code: 'OidcTokenFailed',
    message:
      'Getting a GitHub OIDC token (audience sts.amazonaws.com) failed with OidcTokenFailed: Error message: Failed to get ID Token. Error Code : 500 Error Message: boom',
    hint: "GitHub's token service failed even after retries: re-run the job; the job needs `permissions: id-token: write`.",
  },
  {
    error: Object.assign(new Error('Upload aborted.'), { name: 'AbortError' }),
    ctx: upload,
    code: 'Canceled',
    message: 'Uploading to s3://fw-bucket/app.bin failed with Canceled: Upload aborted.',
    hint: 'The step was canceled; nothing more was sent to AWS. The summary says what already exists there.',
  },
  {
    error: awsError('SomethingNewException', 400, 'A new kind of failure'),
    ctx: get,
    code: 'SomethingNewException',
    message: 'Reading OTA update fw-1 failed with SomethingNewException: A new kind of failure',
    hint: "See AWS's message above for what to change.",
  },
  {
    error: new RangeError('bad'),
    ctx: get,
    code: 'InternalError',
    message: 'Reading OTA update fw-1 failed unexpectedly: bad',
    hint: 'This is a bug in the action; please report it with the step log (re-run with debug logging for the stack trace).',
  },
  {
    error: awsError('AccessDeniedException', 403, 'not authorized to perform: iot:DescribeJob'),
    ctx: { ...describeJob, roleArn: DEPLOYER },
    code: 'AccessDeniedException',
    message:
      'Reading IoT job AFR_OTA-fw-1 failed with AccessDeniedException: not authorized to perform: iot:DescribeJob',
    hint: `Allow role ${DEPLOYER} iot:DescribeJob on arn:aws:iot:eu-west-1:<account>:job/AFR_OTA-* (wait: rollout follows the job; see docs/iam.md).`,
  },
  {
    error: awsError('ResourceNotFoundException', 404, 'Job AFR_OTA-fw-1 not found'),
    ctx: describeJob,
    code: 'ResourceNotFoundException',
    message: 'Reading IoT job AFR_OTA-fw-1 failed with ResourceNotFoundException: Job AFR_OTA-fw-1 not found',
    hint: 'No IoT job AFR_OTA-fw-1 exists in eu-west-1: someone deleted it (deleting an OTA update with forceDeleteAWSJob does), so there is no rollout to follow.',
  },
  {
    error: awsError('ThrottlingException', 400, 'Rate exceeded'),
    ctx: { operation: 'ListJobExecutionsForJob', jobId: 'AFR_OTA-fw-1', executionStatus: 'TIMED_OUT' },
    code: 'ThrottlingException',
    message:
      'Listing the TIMED_OUT executions of IoT job AFR_OTA-fw-1 failed with ThrottlingException: Rate exceeded',
    hint: 'AWS kept throttling iot:ListJobExecutionsForJob after retries: re-run later, or run fewer releases at once in this account and region.',
  },
  {
    error: awsError('AccessDeniedException', 403, 'denied'),
    ctx: {
      operation: 'DescribeJobExecution',
      jobId: 'AFR_OTA-fw-1',
      thingName: 'sensor-07',
      region: 'eu-west-1',
    },
    code: 'AccessDeniedException',
    message:
      'Reading the execution of IoT job AFR_OTA-fw-1 on thing sensor-07 failed with AccessDeniedException: denied',
    hint: "Allow the credentials running this step iot:DescribeJobExecution on arn:aws:iot:eu-west-1:<account>:job/AFR_OTA-* and on the target things (thing/*): wait: rollout reads the failed devices' statusDetails.",
  },
  {
    error: awsError('ResourceNotFoundException', 404, 'No execution'),
    ctx: {
      operation: 'DescribeJobExecution',
      jobId: 'AFR_OTA-fw-1',
      thingName: 'sensor-07',
      region: 'eu-west-1',
    },
    code: 'ResourceNotFoundException',
    message:
      'Reading the execution of IoT job AFR_OTA-fw-1 on thing sensor-07 failed with ResourceNotFoundException: No execution',
    hint: 'Thing sensor-07 has no execution of IoT job AFR_OTA-fw-1 in eu-west-1: the thing was deleted or left the target group.',
  },
  {
    error: awsError('InvalidRequestException', 400, 'Job is already completed'),
    ctx: cancelJob,
    code: 'InvalidRequestException',
    message: 'Canceling IoT job AFR_OTA-fw-1 failed with InvalidRequestException: Job is already completed',
    hint: 'IoT job AFR_OTA-fw-1 may have ended (COMPLETED or CANCELED) before it could be canceled: look at it in the AWS IoT console.',
  },
  {
    error: awsError('InvalidRequestException', 400, 'bad job id'),
    ctx: describeJob,
    code: 'InvalidRequestException',
    message: 'Reading IoT job AFR_OTA-fw-1 failed with InvalidRequestException: bad job id',
    hint: 'AWS IoT refused the request about job AFR_OTA-fw-1 for the reason above; check ota-update-id, whose job it is.',
  },
  {
    error: awsError('AccessDeniedException', 403, 'denied'),
    ctx: cancelJob,
    code: 'AccessDeniedException',
    message: 'Canceling IoT job AFR_OTA-fw-1 failed with AccessDeniedException: denied',
    hint: 'Allow the credentials running this step iot:CancelJob on arn:aws:iot:eu-west-1:<account>:job/AFR_OTA-* (cancel-on-failure needs it), or cancel the job in the AWS IoT console.',
  },
  {
    error: Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }),
    ctx: describeJob,
    code: 'Canceled',
    message: 'Reading IoT job AFR_OTA-fw-1 failed with Canceled: The operation was aborted',
    hint: 'The step was canceled; nothing more was sent to AWS. The summary says what already exists there.',
  },
];

describe('toActionError', () => {
  it.each(rows)('$ctx.operation / $code', ({ error, ctx, code, message, hint }) => {
    const result = toActionError(error, ctx);
    expect(result).toBeInstanceOf(ActionError);
    expect({ code: result.code, message: result.message, hint: result.hint }).toEqual({
      code,
      message,
      hint,
    });
    expect(result.cause).toBe(error);
  });

  it('passes an ActionError through unchanged', () => {
    const own = new ActionError('InvalidInput', 'x');
    expect(toActionError(own, get)).toBe(own);
  });

  it('falls back to the repository for the trust-policy condition when the token had no readable sub', () => {
    const result = toActionError(stsError('AccessDenied', 'AccessDenied', 403, 'Not authorized'), {
      ...assume,
      oidcSubject: undefined,
    });
    expect(result.message).toBe(
      `Assuming role ${DEPLOYER} with the GitHub OIDC token failed with AccessDenied: Not authorized`,
    );
    expect(result.hint).toContain('"token.actions.githubusercontent.com:sub": "repo:acme/fw:*"');
  });
});

describe('trustPolicySubject', () => {
  it.each([
    ['repo:acme/fw:ref:refs/tags/v1.2.0', 'repo:acme/fw:ref:refs/tags/*'],
    ['repo:acme/fw:ref:refs/heads/main', 'repo:acme/fw:ref:refs/heads/main'],
    ['repo:acme/fw:ref:refs/heads/release/1.x', 'repo:acme/fw:ref:refs/heads/release/1.x'],
    ['repo:acme/fw:environment:production', 'repo:acme/fw:environment:production'],
    ['repo:acme/fw:pull_request', 'repo:acme/fw:pull_request'],
  ])('%s → %s', (sub, condition) => {
    expect(trustPolicySubject(sub)).toBe(condition);
  });
});

describe('bucketNotVersioned', () => {
  it.each([
    [
      undefined,
      "S3 bucket fw-bucket does not have versioning enabled (never enabled), so the uploaded firmware's version could not be pinned.",
    ],
    [
      'Suspended',
      "S3 bucket fw-bucket does not have versioning enabled (Suspended), so the uploaded firmware's version could not be pinned.",
    ],
  ])('status %s', (status, message) => {
    const error = bucketNotVersioned('fw-bucket', status);
    expect([error.code, error.message, error.hint]).toEqual([
      'BucketNotVersioned',
      message,
      'Enable it once: aws s3api put-bucket-versioning --bucket fw-bucket --versioning-configuration Status=Enabled',
    ]);
  });
  it('an existing object without a version id', () => {
    const error = bucketNotVersioned('fw-bucket', 'HeadObject answered without one', 'builds/app.bin');
    expect([error.code, error.message, error.hint]).toEqual([
      'BucketNotVersioned',
      'S3 object s3://fw-bucket/builds/app.bin has no version id (HeadObject answered without one), so bucket fw-bucket does not keep versions and the update could not pin the version it ships.',
      'Enable versioning once (aws s3api put-bucket-versioning --bucket fw-bucket --versioning-configuration Status=Enabled), then upload the object again so that it has a version id.',
    ]);
  });
});

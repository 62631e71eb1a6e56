/**
 * Every way an AWS call can fail, as an ActionError: the code is the AWS error name whenever AWS said no, and each
 * name has its own sentence saying what failed, why (AWS's own message) and what to change (error-hints.ts).
 * Messages name resources (role, bucket, key, update id) and never a secret.
 */
import { ActionError, BUG_HINT, type ErrorCode } from '../errors.js';
import { awsErrorCode, httpStatusOf, networkFailureOf } from './classify.js';
import { describeOperation, hintFor, type AwsCallContext } from './error-hints.js';

/** One line, never empty: AWS's message, or the HTTP status when the answer had no body (HEAD requests). */
function reasonOf(error: unknown): string {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const text = raw.replace(/\s+/g, ' ').trim();
  if (text !== '' && text !== 'UnknownError' && text !== 'Unknown') return text;
  const status = httpStatusOf(error);
  return status === undefined ? 'no details' : `HTTP ${status} without details`;
}

/** The ActionError for `code`, with `reason` as AWS's (or the network's) explanation. */
export function failure(code: ErrorCode, ctx: AwsCallContext, reason: string, cause?: unknown): ActionError {
  const what = describeOperation(ctx);
  const subject =
    ctx.operation === 'AssumeRoleWithWebIdentity' && ctx.oidcSubject
      ? `${what} (token sub "${ctx.oidcSubject}")`
      : what;
  return new ActionError(code, `${subject} failed with ${code}: ${reason}`, {
    hint: hintFor(code, ctx, reason),
    cause,
  });
}

/** The code to report for an error the catalog knows nothing more about. */
function codeOf(error: unknown, ctx: AwsCallContext): ErrorCode {
  if (ctx.operation === 'OidcToken') return 'OidcTokenFailed';
  const aws = awsErrorCode(error);
  if (aws !== undefined) return aws === 'Unknown' && httpStatusOf(error) === 403 ? 'AccessDenied' : aws;
  if (networkFailureOf(error) !== undefined) return 'NetworkError';
  const name = error instanceof Error ? error.name : '';
  if (name === 'CredentialsProviderError') return 'CredentialsNotFound';
  if (name === 'AbortError') return 'Canceled';
  return 'InternalError';
}

/** Turns any failure of an AWS call (after retries) into the ActionError the step reports. */
export function toActionError(error: unknown, ctx: AwsCallContext): ActionError {
  if (error instanceof ActionError) return error;
  const code = codeOf(error, ctx);
  if (code === 'InternalError') {
    // Neither AWS nor the network said no: something in the action itself went wrong.
    return new ActionError(
      'InternalError',
      `${describeOperation(ctx)} failed unexpectedly: ${reasonOf(error)}`,
      {
        hint: BUG_HINT,
        cause: error,
      },
    );
  }
  const reason =
    code === 'NetworkError'
      ? `AWS could not be reached (${networkFailureOf(error) ?? 'network'}: ${reasonOf(error)})`
      : reasonOf(error);
  return failure(code, ctx, reason, error);
}

/**
 * The bucket cannot pin versions: the uploaded firmware, or the existing object named without `s3-version` (HeadObject
 * answered without a VersionId), could not be named by a VersionId, and OTA ships one exact version.
 */
export function bucketNotVersioned(
  bucket: string,
  status: string | undefined,
  existingKey?: string,
): ActionError {
  const enable = `aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`;
  if (existingKey !== undefined) {
    return new ActionError(
      'BucketNotVersioned',
      `S3 object s3://${bucket}/${existingKey} has no version id (${status}), so bucket ${bucket} does not keep versions and the update could not pin the version it ships.`,
      {
        hint: `Enable versioning once (${enable}), then upload the object again so that it has a version id.`,
      },
    );
  }
  return new ActionError(
    'BucketNotVersioned',
    `S3 bucket ${bucket} does not have versioning enabled (${status ?? 'never enabled'}), so the uploaded firmware's version could not be pinned.`,
    { hint: `Enable it once: ${enable}` },
  );
}

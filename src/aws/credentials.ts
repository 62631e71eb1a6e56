/**
 * Who the run acts as. With role-to-assume: the job's GitHub OIDC token, exchanged with STS
 * AssumeRoleWithWebIdentity for temporary credentials (every secret masked as soon as it exists). Without it: the
 * SDK's default chain (for example credentials exported by aws-actions/configure-aws-credentials), identified with
 * GetCallerIdentity. Either way the caller's ARN gives the partition and account that shorthand targets expand to.
 */
import {
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  type STSClient,
} from '@aws-sdk/client-sts';
import { ActionError } from '../errors.js';
import { retry, type RetryPolicy } from './retry.js';
import type { AuthSettings, CallerIdentity } from '../types.js';
import { classifyOidcError } from './classify.js';
import { failure, toActionError, type AwsCallContext } from './error-catalog.js';

const OIDC_ATTEMPTS = 3;

/** Temporary credentials as the SDK clients take them. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration?: Date;
}

export interface CredentialDeps {
  /** Used for AssumeRoleWithWebIdentity (unsigned) or GetCallerIdentity (signed with the default chain). */
  sts: STSClient;
  /** `core.getIDToken`. */
  getIdToken(audience: string): Promise<string>;
  /** ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set: the job has `permissions: id-token: write`. */
  idTokenAvailable: boolean;
  /** `core.setSecret`: masks a value in every later log line. */
  setSecret(secret: string): void;
  /** `owner/repo`, for trust-policy advice. */
  repository: string;
  retryPolicy?: Partial<RetryPolicy>;
}

export interface ResolvedCredentials {
  /** The assumed role's credentials; undefined: keep using the SDK's default chain. */
  credentials: TemporaryCredentials | undefined;
  identity: CallerIdentity;
  /** The OIDC token's `sub` claim, when a token was used and carried one. */
  subject?: string;
}

export async function resolveCredentials(
  auth: AuthSettings,
  deps: CredentialDeps,
): Promise<ResolvedCredentials> {
  return auth.roleToAssume === undefined
    ? { credentials: undefined, identity: await callerIdentity(auth, deps) }
    : assumeRole(auth, auth.roleToAssume, deps);
}

/** The `sub` claim of a JWT, read without verifying it (only to explain a refusal). */
export function tokenSubject(jwt: string): string | undefined {
  const payload = jwt.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const sub = typeof claims === 'object' && claims !== null ? (claims as { sub?: unknown }).sub : undefined;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** Partition and account from an STS ARN (`arn:aws-cn:sts::123456789012:assumed-role/...`). */
export function identityFromArn(arn: string): CallerIdentity | undefined {
  const match = /^arn:(aws[a-z-]*):[^:]*:[^:]*:(\d{12}):.+$/.exec(arn);
  if (!match?.[1] || !match[2]) return undefined;
  return { partition: match[1], accountId: match[2], arn };
}

function unexpectedAnswer(ctx: AwsCallContext, missing: string): ActionError {
  return failure('UnexpectedResponse', ctx, `STS answered without ${missing}`);
}

async function assumeRole(
  auth: AuthSettings,
  roleArn: string,
  deps: CredentialDeps,
): Promise<ResolvedCredentials> {
  if (!deps.idTokenAvailable) {
    throw new ActionError(
      'IdTokenPermissionMissing',
      `role-to-assume is set (${roleArn}), but this job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.`,
      {
        hint: 'Add `permissions: id-token: write` to the job (or the workflow) that runs this step. Workflows triggered from forks never get a token.',
      },
    );
  }
  const tokenCtx: AwsCallContext = { operation: 'OidcToken', audience: auth.audience, roleArn };
  let token: string;
  try {
    // @actions/core already retries 502/503/504 ten times inside getIDToken: a few rounds of ours on top are enough.
    token = await retry('GitHub OIDC token', () => deps.getIdToken(auth.audience), {
      maxAttempts: OIDC_ATTEMPTS,
      ...deps.retryPolicy,
      classify: classifyOidcError,
    });
  } catch (error) {
    throw toActionError(error, tokenCtx);
  }
  deps.setSecret(token);
  const subject = tokenSubject(token);

  const ctx: AwsCallContext = {
    operation: 'AssumeRoleWithWebIdentity',
    roleArn,
    audience: auth.audience,
    repository: deps.repository,
    region: auth.region,
    ...(subject === undefined ? {} : { oidcSubject: subject }),
  };
  const command = new AssumeRoleWithWebIdentityCommand({
    RoleArn: roleArn,
    RoleSessionName: auth.roleSessionName,
    DurationSeconds: auth.roleDurationSeconds,
    WebIdentityToken: token,
  });
  let answer;
  try {
    answer = await retry('sts:AssumeRoleWithWebIdentity', () => deps.sts.send(command), deps.retryPolicy);
  } catch (error) {
    throw toActionError(error, ctx);
  }
  const c = answer.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw unexpectedAnswer(ctx, 'credentials');
  deps.setSecret(c.AccessKeyId);
  deps.setSecret(c.SecretAccessKey);
  deps.setSecret(c.SessionToken);
  const identity = identityFromArn(answer.AssumedRoleUser?.Arn ?? '');
  if (identity === undefined) throw unexpectedAnswer(ctx, 'a valid AssumedRoleUser ARN');
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

async function callerIdentity(auth: AuthSettings, deps: CredentialDeps): Promise<CallerIdentity> {
  const ctx: AwsCallContext = { operation: 'GetCallerIdentity', region: auth.region };
  let answer;
  try {
    answer = await retry(
      'sts:GetCallerIdentity',
      () => deps.sts.send(new GetCallerIdentityCommand({})),
      deps.retryPolicy,
    );
  } catch (error) {
    throw toActionError(error, ctx);
  }
  const identity = identityFromArn(answer.Arn ?? '');
  if (identity === undefined) throw unexpectedAnswer(ctx, 'a valid caller ARN');
  return identity;
}

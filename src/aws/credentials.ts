/**
 * Who the run acts as. With role-to-assume: the job's GitHub OIDC token, exchanged with STS
 * AssumeRoleWithWebIdentity for temporary credentials (every secret masked as soon as it exists), and assumed again
 * with a fresh token before they expire, so a long rollout never fails with ExpiredToken. Without it: the SDK's
 * default chain (for example credentials exported by aws-actions/configure-aws-credentials), identified with
 * GetCallerIdentity. Either way the caller's ARN gives the partition and account that shorthand targets expand to.
 */
import {
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  type STSClient,
} from '@aws-sdk/client-sts';
import { ActionError } from '../errors.js';
import { bounded } from '../signals.js';
import type { AuthSettings, CallerIdentity } from '../types.js';
import { awsErrorCode, isOidcNetworkFailure } from './classify.js';
import { failure, toActionError } from './error-catalog.js';
import type { AwsCallContext } from './error-hints.js';

/** Attempts in all when the token request's connection breaks (@actions/core retries 502/503/504 itself). */
const OIDC_NETWORK_ATTEMPTS = 3;
/** STS documents IDPCommunicationError as worth retrying by the caller; the SDK does not retry it. */
const IDP_ATTEMPTS = 3;
/** Credentials are assumed again once they expire within this much (the SDK asks 5 minutes ahead). */
export const REFRESH_MARGIN_MS = 10 * 60_000;

/** Temporary credentials as the SDK clients take them. */
interface TemporaryCredentials {
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
  /** The step's cancellation. */
  signal: AbortSignal;
  /** Waits between attempts (the run's clock, scaled in tests). */
  sleep(ms: number): Promise<void>;
  /** Tells the log that the role was assumed again. */
  onRefresh?(credentials: TemporaryCredentials): void;
}

/** What the SDK clients are given: the current credentials, assumed again when they are about to expire. */
type CredentialProvider = () => Promise<TemporaryCredentials>;

export interface ResolvedCredentials {
  /** For the SDK clients; undefined: keep using the SDK's default chain. */
  credentials: CredentialProvider | undefined;
  identity: CallerIdentity;
  /** The OIDC token's `sub` claim, when a token was used and carried one. */
  subject?: string;
}

export async function resolveCredentials(
  auth: AuthSettings,
  deps: CredentialDeps,
): Promise<ResolvedCredentials> {
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
function refreshing(
  first: TemporaryCredentials,
  assumeAgain: () => Promise<TemporaryCredentials>,
  now: () => number = Date.now,
): CredentialProvider {
  let current = first;
  let pending: Promise<TemporaryCredentials> | undefined;
  return async () => {
    const expiresAt = current.expiration?.getTime();
    if (expiresAt === undefined || expiresAt - now() > REFRESH_MARGIN_MS) return current;
    pending ??= assumeAgain().finally(() => {
      pending = undefined;
    });
    current = await pending;
    return current;
  };
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

/** The job's OIDC token; a broken connection is tried again, what @actions/core already retried is not. */
async function idToken(auth: AuthSettings, roleArn: string, deps: CredentialDeps): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bounded(deps.signal, () => deps.getIdToken(auth.audience));
    } catch (error) {
      if (deps.signal.aborted) throw deps.signal.reason;
      if (attempt >= OIDC_NETWORK_ATTEMPTS || !isOidcNetworkFailure(error)) {
        throw toActionError(error, { operation: 'OidcToken', audience: auth.audience, roleArn });
      }
      await deps.sleep(250 * attempt);
    }
  }
}

async function assumeRole(
  auth: AuthSettings,
  roleArn: string,
  deps: CredentialDeps,
): Promise<{ credentials: TemporaryCredentials; identity: CallerIdentity; subject?: string }> {
  if (!deps.idTokenAvailable) {
    throw new ActionError(
      'IdTokenPermissionMissing',
      `role-to-assume is set (${roleArn}), but this job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.`,
      {
        hint: 'Add `permissions: id-token: write` to the job (or the workflow) that runs this step. Workflows triggered from forks never get a token.',
      },
    );
  }
  const token = await idToken(auth, roleArn, deps);
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
  for (let attempt = 1; answer === undefined; attempt++) {
    try {
      answer = await bounded(deps.signal, (abortSignal) => deps.sts.send(command, { abortSignal }));
    } catch (error) {
      if (deps.signal.aborted) throw deps.signal.reason;
      const code = awsErrorCode(error);
      const idp = code === 'IDPCommunicationError' || code === 'IDPCommunicationErrorException';
      if (!idp || attempt >= IDP_ATTEMPTS) throw toActionError(error, ctx);
      await deps.sleep(500 * attempt);
    }
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
    answer = await bounded(deps.signal, (abortSignal) =>
      deps.sts.send(new GetCallerIdentityCommand({}), { abortSignal }),
    );
  } catch (error) {
    if (deps.signal.aborted) throw deps.signal.reason;
    throw toActionError(error, ctx);
  }
  const identity = identityFromArn(answer.Arn ?? '');
  if (identity === undefined) throw unexpectedAnswer(ctx, 'a valid caller ARN');
  return identity;
}

import {
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
  type AssumeRoleWithWebIdentityCommandOutput,
} from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  identityFromArn,
  REFRESH_MARGIN_MS,
  resolveCredentials,
  tokenSubject,
  type CredentialDeps,
} from '../../../src/aws/credentials.js';
import { ActionError } from '../../../src/errors.js';
import type { AuthSettings } from '../../../src/types.js';
import { awsError, socketError, stsError } from './fixtures.js';

const ROLE = 'arn:aws:iam::123456789012:role/deployer';
const sts = mockClient(STSClient);

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

const TAG_TOKEN = jwt({ sub: 'repo:acme/fw:ref:refs/tags/v1.2.0', aud: 'sts.amazonaws.com' });

const auth = (overrides: Partial<AuthSettings> = {}): AuthSettings => ({
  region: 'eu-west-1',
  roleToAssume: ROLE,
  roleSessionName: 'ota-42-1',
  roleDurationSeconds: 3600,
  audience: 'sts.amazonaws.com',
  ...overrides,
});

function assumed(
  arn = 'arn:aws:sts::123456789012:assumed-role/deployer/ota-42-1',
): AssumeRoleWithWebIdentityCommandOutput {
  return {
    $metadata: {},
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLEKEYID',
      SecretAccessKey: 'example-secret-access-key',
      SessionToken: 'example-session-token',
      Expiration: new Date('2030-01-01T00:00:00Z'),
    },
    AssumedRoleUser: { Arn: arn, AssumedRoleId: 'AROAEXAMPLE:ota-42-1' },
  };
}

interface Harness {
  deps: CredentialDeps;
  secrets: string[];
  getIdToken: ReturnType<typeof vi.fn<(audience: string) => Promise<string>>>;
  sleeps: number[];
}

function harness(token: string | (() => Promise<string>) = TAG_TOKEN, idTokenAvailable = true): Harness {
  const secrets: string[] = [];
  const sleeps: number[] = [];
  const getIdToken = vi.fn((_audience: string) =>
    typeof token === 'string' ? Promise.resolve(token) : token(),
  );
  return {
    secrets,
    sleeps,
    getIdToken,
    deps: {
      sts: new STSClient({ region: 'eu-west-1' }),
      getIdToken,
      idTokenAvailable,
      setSecret: (s) => secrets.push(s),
      repository: 'acme/fw',
      signal: new AbortController().signal,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    },
  };
}

async function failureOf(promise: Promise<unknown>): Promise<ActionError> {
  const error: unknown = await promise.catch((e) => e);
  expect(error).toBeInstanceOf(ActionError);
  return error as ActionError;
}

beforeEach(() => sts.reset());
afterEach(() => sts.reset());

describe('resolveCredentials with role-to-assume (OIDC)', () => {
  it('exchanges the token for role credentials, masking every secret first', async () => {
    sts.on(AssumeRoleWithWebIdentityCommand).resolves(assumed());
    const h = harness();
    const result = await resolveCredentials(auth(), h.deps);
    const credentials = await result.credentials?.();

    expect(h.getIdToken.mock.calls).toEqual([['sts.amazonaws.com']]);
    expect(sts.commandCalls(AssumeRoleWithWebIdentityCommand).map((c) => c.args[0].input)).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'ota-42-1', DurationSeconds: 3600, WebIdentityToken: TAG_TOKEN },
    ]);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
    expect(h.secrets).toEqual([
      TAG_TOKEN,
      'ASIAEXAMPLEKEYID',
      'example-secret-access-key',
      'example-session-token',
    ]);
    expect(credentials).toEqual({
      accessKeyId: 'ASIAEXAMPLEKEYID',
      secretAccessKey: 'example-secret-access-key',
      sessionToken: 'example-session-token',
      expiration: new Date('2030-01-01T00:00:00Z'),
    });
    expect(result).toEqual({
      credentials: expect.any(Function),
      identity: {
        partition: 'aws',
        accountId: '123456789012',
        arn: 'arn:aws:sts::123456789012:assumed-role/deployer/ota-42-1',
      },
      subject: 'repo:acme/fw:ref:refs/tags/v1.2.0',
    });
  });

  it.each([
    ['arn:aws:sts::111122223333:assumed-role/deployer/s', 'aws', '111122223333'],
    ['arn:aws-cn:sts::444455556666:assumed-role/deployer/s', 'aws-cn', '444455556666'],
    ['arn:aws-us-gov:sts::777788889999:assumed-role/deployer/s', 'aws-us-gov', '777788889999'],
  ])('takes partition and account from the assumed role %s', async (arn, partition, accountId) => {
    sts.on(AssumeRoleWithWebIdentityCommand).resolves(assumed(arn));
    const { identity } = await resolveCredentials(auth(), harness().deps);
    expect(identity).toEqual({ partition, accountId, arn });
  });

  it('fails with IdTokenPermissionMissing before any call when the job has no id-token permission', async () => {
    const h = harness(TAG_TOKEN, false);
    const error = await failureOf(resolveCredentials(auth(), h.deps));
    expect([error.code, error.message, error.hint]).toEqual([
      'IdTokenPermissionMissing',
      `role-to-assume is set (${ROLE}), but this job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.`,
      'Add `permissions: id-token: write` to the job (or the workflow) that runs this step. Workflows triggered from forks never get a token.',
    ]);
    expect(h.getIdToken).not.toHaveBeenCalled();
    expect(sts.calls()).toHaveLength(0);
  });

  const coreError = (status: string, text: string): Error =>
    new Error(
      `Error message: Failed to get ID Token. \n \n        Error Code : ${status}\n \n        Error Message: ${text}`,
    );

  it.each([
    ['500', 'Internal Server Error'],
    ['503', 'Service Unavailable'],
    ['403', 'Forbidden'],
  ])(
    'fails with OidcTokenFailed at once when the token service answered %s (@actions/core retried 502-504 already)',
    async (status, text) => {
      const h = harness(() => Promise.reject(coreError(status, text)));
      const error = await failureOf(resolveCredentials(auth(), h.deps));
      expect([error.code, error.message, error.hint]).toEqual([
        'OidcTokenFailed',
        `Getting a GitHub OIDC token (audience sts.amazonaws.com) failed with OidcTokenFailed: Error message: Failed to get ID Token. Error Code : ${status} Error Message: ${text}`,
        "GitHub's token service failed even after retries: re-run the job; the job needs `permissions: id-token: write`.",
      ]);
      expect(h.getIdToken).toHaveBeenCalledTimes(1);
      expect(sts.calls()).toHaveLength(0);
    },
  );

  it('gives up on a token connection that keeps breaking after 3 attempts', async () => {
    const h = harness(() => Promise.reject(coreError('undefined', 'read ECONNRESET')));
    const error = await failureOf(resolveCredentials(auth(), h.deps));
    expect(error.code).toBe('OidcTokenFailed');
    expect(h.getIdToken).toHaveBeenCalledTimes(3);
    expect(h.sleeps).toEqual([250, 500]);
  });

  it('gets over a reset token connection', async () => {
    sts.on(AssumeRoleWithWebIdentityCommand).resolves(assumed());
    let calls = 0;
    const h = harness(() =>
      ++calls === 1 ? Promise.reject(coreError('undefined', 'read ECONNRESET')) : Promise.resolve(TAG_TOKEN),
    );
    const result = await resolveCredentials(auth(), h.deps);
    expect(calls).toBe(2);
    expect(result.subject).toBe('repo:acme/fw:ref:refs/tags/v1.2.0');
  });

  it.each([
    ['a tag push', 'repo:acme/fw:ref:refs/tags/v1.2.0', 'repo:acme/fw:ref:refs/tags/*'],
    ['a branch', 'repo:acme/fw:ref:refs/heads/main', 'repo:acme/fw:ref:refs/heads/main'],
    ['an environment', 'repo:acme/fw:environment:production', 'repo:acme/fw:environment:production'],
  ])(
    'explains an AccessDenied for %s with the sub and the matching trust-policy condition',
    async (_label, sub, condition) => {
      const token = jwt({ sub, aud: 'sts.amazonaws.com' });
      sts
        .on(AssumeRoleWithWebIdentityCommand)
        .rejects(
          stsError(
            'AccessDenied',
            'AccessDenied',
            403,
            'Not authorized to perform sts:AssumeRoleWithWebIdentity',
          ),
        );
      const h = harness(token);
      const error = await failureOf(resolveCredentials(auth(), h.deps));
      expect([error.code, error.message, error.hint]).toEqual([
        'AccessDenied',
        `Assuming role ${ROLE} with the GitHub OIDC token (token sub "${sub}") failed with AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity`,
        `The trust policy of ${ROLE} does not admit this workflow's token. Add the condition "StringLike": {"token.actions.githubusercontent.com:sub": "${condition}"} with "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, and make its Principal.Federated the account's OIDC provider token.actions.githubusercontent.com.`,
      ]);
      expect(sts.commandCalls(AssumeRoleWithWebIdentityCommand)).toHaveLength(1);
      expect(`${error.message} ${error.hint}`).not.toContain(token);
    },
  );

  it.each([
    [
      'Incorrect token audience',
      'The IAM OIDC provider token.actions.githubusercontent.com does not list the audience "sts.amazonaws.com": add it to the provider\'s audiences, or set the audience input to one it lists (normally sts.amazonaws.com).',
    ],
    [
      'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
      `Create the IAM OIDC identity provider https://token.actions.githubusercontent.com with audience sts.amazonaws.com in the account of ${ROLE}.`,
    ],
  ])('reports InvalidIdentityToken "%s" by its wire code, with a hint', async (message, hint) => {
    sts
      .on(AssumeRoleWithWebIdentityCommand)
      .rejects(stsError('InvalidIdentityTokenException', 'InvalidIdentityToken', 400, message));
    const error = await failureOf(resolveCredentials(auth(), harness().deps));
    expect([error.code, error.hint]).toEqual(['InvalidIdentityToken', hint]);
    expect(sts.commandCalls(AssumeRoleWithWebIdentityCommand)).toHaveLength(1);
  });

  it('retries STS IDPCommunicationError', async () => {
    sts
      .on(AssumeRoleWithWebIdentityCommand)
      .rejectsOnce(stsError('IDPCommunicationErrorException', 'IDPCommunicationError', 400, 'try again'))
      .resolves(assumed());
    const h = harness();
    await expect(resolveCredentials(auth(), h.deps)).resolves.toMatchObject({
      identity: { accountId: '123456789012' },
    });
    expect(sts.commandCalls(AssumeRoleWithWebIdentityCommand)).toHaveLength(2);
    expect(h.sleeps).toEqual([500]);
  });

  it('gives up on IDPCommunicationError after 3 attempts', async () => {
    sts
      .on(AssumeRoleWithWebIdentityCommand)
      .rejects(stsError('IDPCommunicationErrorException', 'IDPCommunicationError', 400, 'try again'));
    const error = await failureOf(resolveCredentials(auth(), harness().deps));
    expect(error.code).toBe('IDPCommunicationError');
    expect(sts.commandCalls(AssumeRoleWithWebIdentityCommand)).toHaveLength(3);
  });

  it('assumes the role again with a fresh token once the credentials are about to expire', async () => {
    const soon = new Date(Date.now() + REFRESH_MARGIN_MS - 1000);
    const later = new Date(Date.now() + 3600_000);
    const expiring = (expiration: Date, key: string): AssumeRoleWithWebIdentityCommandOutput => ({
      ...assumed(),
      Credentials: {
        AccessKeyId: key,
        SecretAccessKey: `${key}-secret`,
        SessionToken: `${key}-token`,
        Expiration: expiration,
      },
    });
    sts
      .on(AssumeRoleWithWebIdentityCommand)
      .resolvesOnce(expiring(soon, 'ASIAFIRSTKEY0001'))
      .resolves(expiring(later, 'ASIASECONDKEY002'));
    let tokens = 0;
    const h = harness(async () => jwt({ sub: 'repo:acme/fw:ref:refs/tags/v1.2.0', n: ++tokens }));
    const refreshed: string[] = [];
    const { credentials } = await resolveCredentials(auth(), {
      ...h.deps,
      onRefresh: (c) => refreshed.push(c.accessKeyId),
    });
    const [first, second] = await Promise.all([credentials?.(), credentials?.()]);
    expect([first?.accessKeyId, second?.accessKeyId]).toEqual(['ASIASECONDKEY002', 'ASIASECONDKEY002']);
    expect(refreshed).toEqual(['ASIASECONDKEY002']);
    expect(tokens).toBe(2);
    const sentTokens = sts
      .commandCalls(AssumeRoleWithWebIdentityCommand)
      .map((c) => c.args[0].input.WebIdentityToken);
    expect(new Set(sentTokens).size).toBe(2);
    expect(h.secrets).toEqual(expect.arrayContaining(['ASIASECONDKEY002', 'ASIASECONDKEY002-secret']));
    expect((await credentials?.())?.accessKeyId).toBe('ASIASECONDKEY002');
    expect(sts.commandCalls(AssumeRoleWithWebIdentityCommand)).toHaveLength(2);
  });

  it('refuses an answer without credentials', async () => {
    sts.on(AssumeRoleWithWebIdentityCommand).resolves({ $metadata: {} });
    const error = await failureOf(resolveCredentials(auth(), harness().deps));
    expect([error.code, error.message]).toEqual([
      'UnexpectedResponse',
      `Assuming role ${ROLE} with the GitHub OIDC token (token sub "repo:acme/fw:ref:refs/tags/v1.2.0") failed with UnexpectedResponse: STS answered without credentials`,
    ]);
  });
});

describe('resolveCredentials without role-to-assume (default chain)', () => {
  it.each([
    ['arn:aws:iam::111122223333:user/ci', 'aws', '111122223333'],
    ['arn:aws-cn:sts::444455556666:assumed-role/ci/session', 'aws-cn', '444455556666'],
    ['arn:aws-us-gov:iam::777788889999:user/ci', 'aws-us-gov', '777788889999'],
  ])(
    'identifies %s with GetCallerIdentity and keeps the default chain',
    async (arn, partition, accountId) => {
      sts.on(GetCallerIdentityCommand).resolves({ Arn: arn, Account: accountId, UserId: 'AIDAEXAMPLE' });
      const h = harness();
      const result = await resolveCredentials(auth({ roleToAssume: undefined }), h.deps);
      expect(result).toEqual({ credentials: undefined, identity: { partition, accountId, arn } });
      expect(h.getIdToken).not.toHaveBeenCalled();
      expect(h.secrets).toEqual([]);
      expect(sts.commandCalls(AssumeRoleWithWebIdentityCommand)).toHaveLength(0);
    },
  );

  it.each([
    [
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      'CredentialsNotFound',
      1,
    ],
    [
      awsError('ExpiredTokenException', 403, 'The security token included in the request is expired'),
      'ExpiredTokenException',
      1,
    ],
    [
      stsError(
        'InvalidClientTokenId',
        'InvalidClientTokenId',
        403,
        'The security token included in the request is invalid.',
      ),
      'InvalidClientTokenId',
      1,
    ],
    [socketError('ECONNREFUSED'), 'NetworkError', 1],
  ])('turns a GetCallerIdentity failure into a typed error (%s)', async (thrown, code, calls) => {
    sts.on(GetCallerIdentityCommand).rejects(thrown);
    const error = await failureOf(resolveCredentials(auth({ roleToAssume: undefined }), harness().deps));
    expect(error.code).toBe(code);
    expect(
      error.message.startsWith('Identifying the AWS credentials (sts:GetCallerIdentity) failed with'),
    ).toBe(true);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(calls);
  });
});

describe('tokenSubject / identityFromArn', () => {
  it.each([
    [jwt({ sub: 'repo:o/r:environment:prod' }), 'repo:o/r:environment:prod'],
    [jwt({ aud: 'x' }), undefined],
    [jwt({ sub: 42 }), undefined],
    ['not-a-jwt', undefined],
    ['a.!!!.c', undefined],
  ])('%s → %s', (token, sub) => {
    expect(tokenSubject(token)).toBe(sub);
  });

  it.each([
    ['arn:aws:sts::123456789012:assumed-role/r/s', { partition: 'aws', accountId: '123456789012' }],
    ['arn:aws-iso-b:iam::123456789012:user/u', { partition: 'aws-iso-b', accountId: '123456789012' }],
    ['arn:aws:sts::12345:assumed-role/r/s', undefined],
    ['not an arn', undefined],
  ])('%s → %o', (arn, expected) => {
    expect(identityFromArn(arn)).toEqual(expected === undefined ? undefined : { ...expected, arn });
  });
});

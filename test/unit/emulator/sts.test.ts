import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/index.js';
import { assumeRole, clients, failure, ROLE_ARN } from './clients.js';

let emulator: Emulator;
let sts: STSClient;

beforeEach(async () => {
  emulator = await startEmulator({
    roles: [
      { arn: ROLE_ARN, trustedSubs: ['repo:octo/firmware:ref:refs/tags/*'] },
      { arn: 'arn:aws:iam::123456789012:role/other-repo', trustedSubs: ['repo:octo/other:*'] },
      { arn: 'arn:aws:iam::123456789012:role/short', trustedSubs: ['repo:*'], maxSessionDuration: 3600 },
    ],
  });
  sts = new STSClient({ region: 'us-east-1', endpoint: emulator.env.AWS_ENDPOINT_URL_STS, maxAttempts: 1 });
});
afterEach(async () => {
  vi.useRealTimers();
  await emulator.close();
});

const assume = (input: Partial<ConstructorParameters<typeof AssumeRoleWithWebIdentityCommand>[0]> = {}) =>
  sts.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: ROLE_ARN,
      RoleSessionName: 'gha-ota',
      WebIdentityToken: emulator.issueOidcToken(),
      ...input,
    }),
  );

function tamper(jwt: string, change: Record<string, unknown>): string {
  const [head, payload, signature] = jwt.split('.') as [string, string, string];
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...change };
  return `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

describe('AssumeRoleWithWebIdentity', () => {
  it('issues fresh temporary credentials for the assumed role on every call', async () => {
    const before = Date.now();
    const first = await assume({ DurationSeconds: 900 });
    const second = await assume();
    expect(first).toMatchObject({
      SubjectFromWebIdentityToken: 'repo:octo/firmware:ref:refs/tags/v1.2.0',
      Audience: 'sts.amazonaws.com',
      Provider: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      AssumedRoleUser: {
        Arn: 'arn:aws:sts::123456789012:assumed-role/ota-deployer/gha-ota',
        AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:gha-ota$/),
      },
      Credentials: {
        AccessKeyId: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/),
        SecretAccessKey: expect.stringMatching(/^[A-Za-z0-9+/]{40}$/),
        SessionToken: expect.any(String),
      },
    });
    const expiresIn = first.Credentials!.Expiration!.getTime() - before;
    expect(expiresIn).toBeGreaterThan(899_000);
    expect(expiresIn).toBeLessThanOrEqual(901_000);
    expect(second.Credentials!.Expiration!.getTime() - before).toBeGreaterThan(3599_000);
    expect(second.Credentials!.AccessKeyId).not.toBe(first.Credentials!.AccessKeyId);
    expect(second.Credentials!.SessionToken).not.toBe(first.Credentials!.SessionToken);
    expect(emulator.requests.map((r) => [r.operation, r.status, r.headers.authorization])).toEqual([
      ['AssumeRoleWithWebIdentity', 200, undefined],
      ['AssumeRoleWithWebIdentity', 200, undefined],
    ]);
  });

  it.each([
    ['a role whose trust does not match the sub', { RoleArn: 'arn:aws:iam::123456789012:role/other-repo' }],
    ['a role that does not exist', { RoleArn: 'arn:aws:iam::123456789012:role/nope' }],
  ])('answers 403 AccessDenied for %s', async (_what, input) => {
    const error = await failure(assume(input));
    expect([error.name, error.message]).toEqual([
      'AccessDenied',
      'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    ]);
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(403);
  });

  it.each([
    [
      'a token for another audience',
      () => emulator.issueOidcToken('api://other'),
      'Incorrect token audience',
    ],
    [
      'a token with a forged claim',
      () => tamper(emulator.issueOidcToken(), { sub: 'repo:evil/x:ref:refs/heads/main' }),
      'The signature of the ID token could not be verified.',
    ],
    [
      'a token from another issuer',
      () => tamper(emulator.issueOidcToken(), { iss: 'https://evil.example' }),
      'No OpenIDConnect provider found in your account for https://evil.example',
    ],
    ['something that is not a JWT', () => 'not-a-jwt', 'The ID token provided is not a valid JWT.'],
  ])('answers InvalidIdentityToken for %s', async (_what, token, message) => {
    const error = await failure(assume({ WebIdentityToken: token() }));
    expect([error.name, error.message]).toEqual(['InvalidIdentityTokenException', message]);
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
  });

  it('answers ExpiredTokenException for a token past its exp', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1) });
    const token = emulator.issueOidcToken();
    vi.setSystemTime(Date.UTC(2026, 0, 1, 0, 5, 1));
    const error = await failure(assume({ WebIdentityToken: token }));
    expect([error.name, error.message]).toEqual([
      'ExpiredTokenException',
      'Token expired: current date/time 1767225901 must be before the expiration date/time 1767225900',
    ]);
  });

  it.each([
    [
      { RoleSessionName: 'a' },
      "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    ],
    [
      { RoleSessionName: 'has space' },
      "Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w+=,.@-]*$",
    ],
    [
      { DurationSeconds: 899 },
      "Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ],
    [
      { DurationSeconds: 43201 },
      "Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
    ],
    [
      { WebIdentityToken: 'abc' },
      "Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4",
    ],
  ])('answers ValidationError for %j', async (input, detail) => {
    const error = await failure(assume(input));
    expect([error.name, error.message]).toEqual([
      'ValidationError',
      `1 validation error detected: ${detail}`,
    ]);
  });

  it("refuses a duration over the role's MaxSessionDuration", async () => {
    const error = await failure(
      assume({ RoleArn: 'arn:aws:iam::123456789012:role/short', DurationSeconds: 7200 }),
    );
    expect([error.name, error.message]).toEqual([
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    ]);
  });

  it('sends the awsQuery error document as STS does', async () => {
    const res = await fetch(`${emulator.env.AWS_ENDPOINT_URL_STS}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=${encodeURIComponent('arn:aws:iam::123456789012:role/nope')}&RoleSessionName=s1&WebIdentityToken=${emulator.issueOidcToken()}`,
    });
    const requestId = res.headers.get('x-amzn-requestid');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('text/xml');
    expect(await res.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
        '<Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error>' +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
  });

  it('answers InvalidAction for an operation it does not know', async () => {
    const res = await fetch(`${emulator.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=AssumeRole&Version=2011-06-15',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(
      '<Code>InvalidAction</Code><Message>Could not find operation AssumeRole for version 2011-06-15</Message>',
    );
  });
});

describe('GetCallerIdentity', () => {
  it('names the static user and the assumed role', async () => {
    const asUser = await clients(emulator).sts.send(new GetCallerIdentityCommand({}));
    expect([asUser.Arn, asUser.Account, asUser.UserId]).toEqual([
      'arn:aws:iam::123456789012:user/emulator',
      '123456789012',
      'AIDAEMULATOREXAMPLE1X',
    ]);
    const asRole = await clients(emulator, await assumeRole(emulator)).sts.send(
      new GetCallerIdentityCommand({}),
    );
    expect(asRole.Arn).toBe('arn:aws:sts::123456789012:assumed-role/ota-deployer/emulator-test');
    expect(asRole.UserId).toMatch(/^AROA[A-Z2-7]{17}:emulator-test$/);
  });

  it.each([
    ['a wrong secret', { secretAccessKey: 'wrong' }, 'SignatureDoesNotMatch'],
    ['an unknown key', { accessKeyId: 'AKIANOTKNOWN00000000' }, 'InvalidClientTokenId'],
  ])('rejects %s', async (_what, change, name) => {
    const error = await failure(
      clients(emulator, { ...emulator.staticCredentials, ...change }).sts.send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(error.name).toBe(name);
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(403);
  });

  it('rejects an unsigned call with MissingAuthenticationToken', async () => {
    const res = await fetch(`${emulator.env.AWS_ENDPOINT_URL_STS}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});

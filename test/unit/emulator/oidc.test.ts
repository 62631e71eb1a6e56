import * as core from '@actions/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/index.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await emulator.close();
});

function claimsOf(jwt: string): Record<string, unknown> {
  const [head, payload, signature] = jwt.split('.');
  expect(JSON.parse(Buffer.from(head!, 'base64url').toString())).toEqual({
    alg: 'HS256',
    typ: 'JWT',
    kid: 'emulator-oidc',
  });
  expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
}

const tokenUrl = (audience?: string) =>
  `${emulator.env.ACTIONS_ID_TOKEN_REQUEST_URL}${audience === undefined ? '' : `&audience=${encodeURIComponent(audience)}`}`;

describe('OIDC token endpoint', () => {
  it('serves @actions/core getIDToken with the workflow claims', async () => {
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_URL', emulator.env.ACTIONS_ID_TOKEN_REQUEST_URL);
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_TOKEN', emulator.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const jwt = await core.getIDToken('sts.amazonaws.com');
    const claims = claimsOf(jwt);
    expect(claims).toMatchObject({
      iss: 'https://token.actions.githubusercontent.com',
      aud: 'sts.amazonaws.com',
      sub: 'repo:octo/firmware:ref:refs/tags/v1.2.0',
      repository: 'octo/firmware',
      repository_owner: 'octo',
      ref: 'refs/tags/v1.2.0',
      ref_type: 'tag',
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(300);
    expect(claims.nbf as number).toBeLessThanOrEqual(claims.iat as number);
    expect(emulator.requests.map((r) => [r.service, r.operation, r.status, r.query])).toEqual([
      ['oidc', 'OidcToken', 200, { 'api-version': '2.0', audience: 'sts.amazonaws.com' }],
    ]);
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong bearer token', { authorization: 'Bearer wrong' }],
  ])('answers 401 for %s', async (_what, headers: Record<string, string>) => {
    const res = await fetch(tokenUrl('sts.amazonaws.com'), { headers });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Bad credentials: the bearer token is missing or invalid' });
    expect(emulator.requests[0]?.errorCode).toBe('Unauthorized');
  });

  it('replies {count, value} and defaults the audience to the owner URL as GitHub does', async () => {
    const res = await fetch(tokenUrl(), {
      headers: { authorization: `Bearer ${emulator.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
    });
    const body = (await res.json()) as { count: number; value: string };
    expect(body.count).toBe(1);
    expect(claimsOf(body.value).aud).toBe('https://github.com/octo');
  });

  it.each([
    [{ repository: 'acme/fw', ref: 'refs/heads/main' }, 'repo:acme/fw:ref:refs/heads/main', 'branch'],
    [{ repository: 'acme/fw', environment: 'production' }, 'repo:acme/fw:environment:production', 'tag'],
    [{ sub: 'repo:acme/fw:pull_request' }, 'repo:acme/fw:pull_request', 'tag'],
  ])('derives sub from the claims option %j', async (oidcClaims, sub, refType) => {
    const other = await startEmulator({ oidcClaims });
    try {
      expect(claimsOf(other.issueOidcToken())).toMatchObject({ sub, ref_type: refType });
    } finally {
      await other.close();
    }
  });
});

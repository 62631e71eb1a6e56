/**
 * The server-side SigV4 check against an independent signer: @smithy/signature-v4, the signer inside the AWS SDK
 * (a dependency of every client), signs; the emulator's verifyRequest must accept exactly what it signed.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { verifyRequest, type AuthFailure, type SignedRequest } from '../../../emulator/auth.js';
import { CredentialStore } from '../../../emulator/credentials.js';
import { canonicalQuery, canonicalUri, parseAuthorization, sha256Hex } from '../../../emulator/sigv4.js';
import { NodeSha256 } from './clients.js';

const STATIC = { accessKeyId: 'AKIAEMULATOREXAMPLE1', secretAccessKey: 'static-secret' };
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

interface TestRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
  service: 'iot' | 's3';
}

async function sign(
  req: TestRequest,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  opts: { region?: string; service?: string; at?: number } = {},
): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: opts.service ?? req.service,
    region: opts.region ?? 'us-east-1',
    credentials,
    sha256: NodeSha256,
    uriEscapePath: req.service !== 's3',
  });
  const body = req.body ?? '';
  const payloadHash = sha256Hex(body);
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4566,
      path: req.path,
      query: req.query ?? {},
      headers: {
        host: '127.0.0.1:4566',
        'x-amz-content-sha256': payloadHash,
        'content-type': 'application/json',
      },
      body,
    },
    { signingDate: new Date(opts.at ?? NOW) },
  );
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const rawQuery = new URLSearchParams(req.query ?? {}).toString().replace(/\+/g, '%20');
  return { method: req.method, rawPath: req.path, rawQuery, headers, payloadHash };
}

describe('canonical parts', () => {
  it.each([
    ['/otaUpdates/fw-1', 'iot', '/otaUpdates/fw-1'],
    ['/otaUpdates/a%20b%2Fc', 'iot', '/otaUpdates/a%2520b%252Fc'],
    ['/a/./b/../c//d/', 'iot', '/a/c/d/'],
    ['/s3/bucket/a%20b/fw%21.bin', 's3', '/s3/bucket/a%20b/fw%21.bin'],
    ['/s3/bucket/dir//x', 's3', '/s3/bucket/dir//x'],
    ["/s3/bucket/it's", 's3', '/s3/bucket/it%27s'],
  ])('canonicalUri(%s, %s) = %s', (path, service, expected) => {
    expect(canonicalUri(path, service)).toBe(expected);
  });

  it.each([
    ['', ''],
    ['uploads', 'uploads='],
    ['x-id=PutObject&partNumber=2&uploadId=a%2Bb', 'partNumber=2&uploadId=a%2Bb&x-id=PutObject'],
    ['b=2&a=1&a=0', 'a=0&a=1&b=2'],
    ['k=a*b%20c', 'k=a%2Ab%20c'],
  ])('canonicalQuery(%s) = %s', (query, expected) => {
    expect(canonicalQuery(query)).toBe(expected);
  });

  it('parses an Authorization header and rejects other schemes', () => {
    const sig = 'a'.repeat(64);
    expect(
      parseAuthorization(
        `AWS4-HMAC-SHA256 Credential=AKID/20261126/eu-west-1/iot/aws4_request, SignedHeaders=host;x-amz-date, Signature=${sig}`,
      ),
    ).toEqual({
      accessKeyId: 'AKID',
      date: '20261126',
      region: 'eu-west-1',
      service: 'iot',
      signedHeaders: ['host', 'x-amz-date'],
      signature: sig,
    });
    expect(parseAuthorization('Bearer abc')).toBeUndefined();
  });
});

describe('verifyRequest against the SDK signer', () => {
  const store = new CredentialStore([STATIC], '123456789012', 'aws');
  const session = store.issue(
    { arn: 'arn:aws:sts::123456789012:assumed-role/r/s', userId: 'AROA:s', account: '123456789012' },
    new Date(NOW + 3600_000),
  );
  const sessionCreds = {
    accessKeyId: session.accessKeyId,
    secretAccessKey: session.secretAccessKey,
    sessionToken: session.sessionToken!,
  };
  const requests: TestRequest[] = [
    { method: 'POST', path: '/otaUpdates/fw-1', body: '{"targets":["t"]}', service: 'iot' },
    { method: 'GET', path: '/otaUpdates', query: { maxResults: '2', nextToken: 'a+b/c=' }, service: 'iot' },
    { method: 'DELETE', path: '/otaUpdates/a%20b', query: { forceDeleteAWSJob: 'true' }, service: 'iot' },
    {
      method: 'PUT',
      path: '/s3/firmware-bucket/dir/fw%20v1%21.bin',
      query: { 'x-id': 'PutObject' },
      service: 's3',
    },
    { method: 'POST', path: '/s3/firmware-bucket/fw.bin', query: { uploads: '' }, service: 's3' },
  ];

  it.each(requests)('accepts $method $path signed with static and with session credentials', async (req) => {
    const scope = { service: req.service, region: 'us-east-1', now: NOW };
    expect(verifyRequest(await sign(req, STATIC), scope, store)).toMatchObject({ ok: true });
    expect(verifyRequest(await sign(req, sessionCreds), scope, store)).toMatchObject({
      ok: true,
      credential: { arn: 'arn:aws:sts::123456789012:assumed-role/r/s' },
    });
  });

  const base = requests[0]!;
  const cases: [string, () => Promise<SignedRequest>, number, AuthFailure['kind']][] = [
    ['a wrong secret', () => sign(base, { ...STATIC, secretAccessKey: 'wrong' }), NOW, 'signature'],
    [
      'a tampered body',
      async () => ({ ...(await sign(base, STATIC)), payloadHash: sha256Hex('{"targets":[]}') }),
      NOW,
      'signature',
    ],
    [
      'a tampered path',
      async () => ({ ...(await sign(base, STATIC)), rawPath: '/otaUpdates/fw-2' }),
      NOW,
      'signature',
    ],
    [
      'an unknown key',
      () => sign(base, { ...STATIC, accessKeyId: 'AKIAUNKNOWN000000000' }),
      NOW,
      'unknownKey',
    ],
    [
      'a session key without its token',
      () => sign(base, { ...sessionCreds, sessionToken: undefined }),
      NOW,
      'badToken',
    ],
    ['a wrong session token', () => sign(base, { ...sessionCreds, sessionToken: 'forged' }), NOW, 'badToken'],
    ['a static key with a token', () => sign(base, { ...STATIC, sessionToken: 'x' }), NOW, 'badToken'],
    [
      'expired session credentials',
      () => sign(base, sessionCreds, { at: NOW + 3600_000 }),
      NOW + 3600_000,
      'expired',
    ],
    ['another region', () => sign(base, STATIC, { region: 'eu-west-1' }), NOW, 'region'],
    ['another service', () => sign(base, STATIC, { service: 'execute-api' }), NOW, 'service'],
    ['a signature 20 minutes old', () => sign(base, STATIC, { at: NOW - 20 * 60_000 }), NOW, 'skew'],
    [
      'no Authorization header',
      async () => {
        const r = await sign(base, STATIC);
        return { ...r, headers: { ...r.headers, authorization: undefined } };
      },
      NOW,
      'missing',
    ],
    [
      'a malformed Authorization header',
      async () => {
        const r = await sign(base, STATIC);
        return { ...r, headers: { ...r.headers, authorization: 'AWS4-HMAC-SHA256 Credential=x' } };
      },
      NOW,
      'malformed',
    ],
  ];

  it.each(cases)('rejects %s', async (_what, build, now, kind) => {
    const result = verifyRequest(await build(), { service: 'iot', region: 'us-east-1', now }, store);
    expect(result.ok ? undefined : result.failure.kind).toBe(kind);
  });
});

/** HS256 JSON Web Tokens: header.payload.signature, each base64url. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Claims = Record<string, unknown>;

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export function signJwt(claims: Claims, key: Buffer, keyId: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: keyId }));
  const body = b64url(JSON.stringify(claims));
  const signature = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

export type JwtCheck =
  | { ok: true; claims: Claims }
  | { ok: false; reason: 'malformed' }
  | { ok: false; reason: 'signature'; claims: Claims };

/** Decodes a token and checks its signature; the claims (unverified ones too, for their issuer) are the caller's to judge. */
export function verifyJwt(token: string, key: Buffer): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [head, body, signature] = parts as [string, string, string];
  let claims: unknown;
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    return { ok: false, reason: 'malformed' };
  const decoded = claims as Claims;
  const expected = createHmac('sha256', key).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  const signed =
    (header as { alg?: unknown }).alg === 'HS256' &&
    given.length === expected.length &&
    timingSafeEqual(given, expected);
  return signed ? { ok: true, claims: decoded } : { ok: false, reason: 'signature', claims: decoded };
}

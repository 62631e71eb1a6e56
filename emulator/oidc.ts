/**
 * The GitHub Actions OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN): a bearer-checked GET that
 * answers `{count, value}` with a signed JWT carrying the workflow's repository, ref and `sub`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Exchange, Reply } from './exchange.js';
import type { WireError } from './faults.js';
import { signJwt, verifyJwt, type Claims, type JwtCheck } from './jwt.js';
import type { OidcClaimsOption } from './types.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const TOKEN_PATH = '/oidc/token';
const TOKEN_LIFETIME_S = 300;
const KEY_ID = 'emulator-oidc';

export class OidcIssuer {
  /** What ACTIONS_ID_TOKEN_REQUEST_TOKEN holds; the endpoint wants it as the bearer. */
  readonly requestToken = randomBytes(24).toString('base64url');
  readonly #key = randomBytes(32);
  readonly #claims: Required<Pick<OidcClaimsOption, 'repository' | 'ref'>> & OidcClaimsOption;

  constructor(claims: OidcClaimsOption = {}) {
    this.#claims = { repository: 'octo/firmware', ref: 'refs/tags/v1.2.0', ...claims };
  }

  get subject(): string {
    const { sub, repository, ref, environment } = this.#claims;
    if (sub !== undefined) return sub;
    return environment !== undefined
      ? `repo:${repository}:environment:${environment}`
      : `repo:${repository}:ref:${ref}`;
  }

  issue(audience: string, nowMs = Date.now()): string {
    const now = Math.floor(nowMs / 1000);
    const { repository, ref, environment } = this.#claims;
    const claims: Claims = {
      jti: randomUUID(),
      sub: this.subject,
      aud: audience,
      ref,
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      repository,
      repository_owner: repository.split('/')[0],
      ...(environment !== undefined ? { environment } : {}),
      job_workflow_ref: `${repository}/.github/workflows/release.yml@${ref}`,
      runner_environment: 'github-hosted',
      iss: GITHUB_ISSUER,
      nbf: now - 5,
      iat: now,
      exp: now + TOKEN_LIFETIME_S,
    };
    return signJwt(claims, this.#key, KEY_ID);
  }

  verify(token: string): JwtCheck {
    return verifyJwt(token, this.#key);
  }

  /** The reply to GET /oidc/token, or undefined when the bearer is wrong (checked before any fault applies). */
  authorize(ex: Exchange): WireError | undefined {
    // The auth scheme is case-insensitive (RFC 9110); the token is not.
    const [scheme, token] = (ex.header('authorization') ?? '').split(' ', 2);
    if (scheme?.toLowerCase() === 'bearer' && token === this.requestToken) return undefined;
    return {
      status: 401,
      code: 'Unauthorized',
      message: 'Bad credentials: the bearer token is missing or invalid',
    };
  }

  tokenReply(ex: Exchange): Reply {
    const audience =
      ex.query.get('audience') ?? `https://github.com/${this.#claims.repository.split('/')[0]}`;
    return jsonReply(200, { count: 1, value: this.issue(audience) });
  }
}

function jsonReply(status: number, body: object, errorCode?: string): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    ...(errorCode !== undefined ? { errorCode } : {}),
  };
}

export function oidcErrorReply(error: WireError): Reply {
  return jsonReply(error.status, { message: error.message }, error.code);
}

/**
 * STS over awsQuery (form POST in, XML out): AssumeRoleWithWebIdentity (unsigned; checks the model constraints,
 * the OIDC token and the role's trust) and GetCallerIdentity (SigV4-signed).
 */
import { stsAuthError, verifyRequest } from './auth.js';
import type { EmulatorContext } from './context.js';
import { roleId } from './credentials.js';
import type { Exchange, Reply } from './exchange.js';
import type { WireError } from './faults.js';
import type { Claims } from './jwt.js';
import { checkShape, formatViolations } from './model-check.js';
import { STS_SHAPES } from './model/sts-shapes.js';
import { GITHUB_ISSUER } from './oidc.js';
import { runOperation } from './operation.js';
import { sha256Hex } from './sigv4.js';
import { el, xmlDocument } from './xml.js';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';
const STS_AUDIENCE = 'sts.amazonaws.com';
const DEFAULT_DURATION_S = 3600;

function stsErrorReply(requestId: string): (error: WireError) => Reply {
  return (error) => ({
    status: error.status,
    headers: { 'content-type': 'text/xml' },
    body: xmlDocument('ErrorResponse', NAMESPACE, [
      el('Error', [
        el('Type', error.status >= 500 ? 'Receiver' : 'Sender'),
        el('Code', error.code),
        el('Message', error.message),
      ]),
      el('RequestId', requestId),
    ]),
    errorCode: error.code,
  });
}

function resultReply(action: string, requestId: string, result: string[]): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: xmlDocument(`${action}Response`, NAMESPACE, [
      el(`${action}Result`, result),
      el('ResponseMetadata', [el('RequestId', requestId)]),
    ]),
  };
}

/** StringLike: `*` matches any run of characters, `?` exactly one; case-sensitive. */
function stringLike(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  return new RegExp(`^${re}$`, 's').test(value);
}

/** The form's members as the model shapes them: DurationSeconds as a number, PolicyArns.member.N.arn as a list. */
function requestValue(params: URLSearchParams): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  const policyArns: { arn: string }[] = [];
  for (const [name, v] of params) {
    const member = /^PolicyArns\.member\.(\d+)\.arn$/.exec(name);
    if (member) policyArns[Number(member[1]) - 1] = { arn: v };
    else if (name === 'DurationSeconds') value[name] = /^-?\d+$/.test(v) ? Number(v) : v;
    else if (name !== 'Action' && name !== 'Version') value[name] = v;
  }
  if (policyArns.length > 0) value.PolicyArns = policyArns.filter((p) => p !== undefined);
  return value;
}

const lowerFirst = (path: string): string =>
  path
    .split('.')
    .map((s) => s.charAt(0).toLowerCase() + s.slice(1))
    .join('.');

const invalidToken = (message: string): WireError => ({ status: 400, code: 'InvalidIdentityToken', message });

/** Judges the token as IAM's OIDC provider for GitHub would: its claims, or the error STS answers. */
function judgeToken(
  ctx: EmulatorContext,
  token: string,
  now: number,
): { error: WireError } | { claims: Claims } {
  const check = ctx.oidc.verify(token);
  if (!check.ok && check.reason === 'malformed')
    return { error: invalidToken('The ID token provided is not a valid JWT.') };
  const claims = check.claims;
  if (claims.iss !== GITHUB_ISSUER)
    return {
      error: invalidToken(`No OpenIDConnect provider found in your account for ${String(claims.iss)}`),
    };
  if (!check.ok) return { error: invalidToken('The signature of the ID token could not be verified.') };
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  if (now >= exp * 1000) {
    return {
      error: {
        status: 400,
        code: 'ExpiredTokenException',
        message: `Token expired: current date/time ${Math.floor(now / 1000)} must be before the expiration date/time ${exp}`,
      },
    };
  }
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(STS_AUDIENCE)) return { error: invalidToken('Incorrect token audience') };
  return { claims };
}

function assumeRoleWithWebIdentity(ctx: EmulatorContext, params: URLSearchParams, requestId: string): Reply {
  const reply = stsErrorReply(requestId);
  const request = requestValue(params);
  const violations = checkShape(STS_SHAPES, 'AssumeRoleWithWebIdentityRequest', request, '').map((v) => ({
    ...v,
    path: lowerFirst(v.path),
  }));
  if (violations.length > 0)
    return reply({ status: 400, code: 'ValidationError', message: formatViolations(violations) });
  const roleArn = request.RoleArn as string;
  const sessionName = request.RoleSessionName as string;
  const duration = (request.DurationSeconds as number | undefined) ?? DEFAULT_DURATION_S;
  const now = Date.now();

  const judged = judgeToken(ctx, request.WebIdentityToken as string, now);
  if ('error' in judged) return reply(judged.error);
  const sub = String(judged.claims.sub);
  const role = ctx.roles.find((r) => r.arn === roleArn);
  if (!role || !role.trustedSubs.some((p) => stringLike(p, sub)))
    return reply({
      status: 403,
      code: 'AccessDenied',
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    });
  if (duration > role.maxSessionDuration)
    return reply({
      status: 400,
      code: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });

  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const assumedArn = `arn:${ctx.partition}:sts::${ctx.accountId}:assumed-role/${roleName}/${sessionName}`;
  const assumedRoleId = `${roleId(roleArn)}:${sessionName}`;
  const issued = ctx.credentials.issue(
    { arn: assumedArn, userId: assumedRoleId, account: ctx.accountId },
    new Date(now + duration * 1000),
  );
  return resultReply('AssumeRoleWithWebIdentity', requestId, [
    el('SubjectFromWebIdentityToken', sub),
    el('Audience', STS_AUDIENCE),
    el('AssumedRoleUser', [el('Arn', assumedArn), el('AssumedRoleId', assumedRoleId)]),
    el('Credentials', [
      el('AccessKeyId', issued.accessKeyId),
      el('SecretAccessKey', issued.secretAccessKey),
      el('SessionToken', issued.sessionToken ?? ''),
      el('Expiration', issued.expiration!.toISOString().replace(/\.\d{3}Z$/, 'Z')),
    ]),
    el(
      'Provider',
      `arn:${ctx.partition}:iam::${ctx.accountId}:oidc-provider/token.actions.githubusercontent.com`,
    ),
  ]);
}

export async function handleSts(ex: Exchange, ctx: EmulatorContext): Promise<void> {
  const body = await ex.readBody();
  const params = new URLSearchParams(ex.rawQuery);
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
  const action = params.get('Action') ?? '';
  const toReply = stsErrorReply(ex.requestId);

  if (
    params.get('Version') !== VERSION ||
    (action !== 'AssumeRoleWithWebIdentity' && action !== 'GetCallerIdentity')
  ) {
    ex.record.operation = 'Unknown';
    await ex.send(
      toReply({
        status: 400,
        code: 'InvalidAction',
        message: `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
      }),
    );
    return;
  }
  ex.record.operation = action;

  if (action === 'AssumeRoleWithWebIdentity') {
    await runOperation(ex, 'sts', ctx.controls, toReply, async () =>
      assumeRoleWithWebIdentity(ctx, params, ex.requestId),
    );
    return;
  }
  const scope = { service: 'sts' as const, region: ctx.region, now: Date.now() };
  const auth = verifyRequest(ex.signedRequest(sha256Hex(body)), scope, ctx.credentials);
  if (!auth.ok) {
    await ex.send(toReply(stsAuthError(auth.failure, scope)));
    return;
  }
  const caller = auth.credential;
  await runOperation(ex, 'sts', ctx.controls, toReply, async () =>
    resultReply('GetCallerIdentity', ex.requestId, [
      el('Arn', caller.arn),
      el('UserId', caller.userId),
      el('Account', caller.account),
    ]),
  );
}

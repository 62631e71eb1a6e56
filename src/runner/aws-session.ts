/**
 * Opening AWS: the stages that load the SDK are imported only now, once the inputs are valid (a bad input never
 * pays for the SDK). Over OIDC the token is fetched first: it needs no SDK, and loading the SDK blocks the event
 * loop, which would hold the token request back. Then the credentials, who we are, and the clients.
 */
import { bounded } from '../signals.js';
import type { StageContext } from '../stages/context.js';
import type { ActionsCore, RunDependencies } from './dependencies.js';
import type { ParsedRun } from './parse.js';
import type { RunRecord } from './record.js';

type Stages = typeof import('../stages/index.js');

export interface AwsSession {
  stages: Stages;
  ctx: StageContext;
  close(): void;
}

export async function openAws(
  parsed: ParsedRun,
  deps: RunDependencies,
  record: RunRecord,
): Promise<AwsSession> {
  const { settings, env, context, timing } = parsed;
  const auth = settings.auth;
  const needsToken = auth.roleToAssume !== undefined && env.idTokenRequestAvailable;
  const getIdToken = await tokenFirst(deps.core, needsToken, auth.audience, deps.signal);
  const stages = await import('../stages/index.js');
  const { clients, identity } = await stages.connect(auth, {
    clients: {
      region: auth.region,
      endpoints: env.endpoints,
      proxy: env.proxy,
      requestTimeoutMs: timing.requestTimeoutMs,
      connectionTimeoutMs: timing.connectionTimeoutMs,
      retryDelayScale: timing.retryDelayScale,
    },
    getIdToken,
    idTokenAvailable: env.idTokenRequestAvailable,
    setSecret: (secret) => deps.core.setSecret(secret),
    repository: context.repository,
    log: deps.core,
    clock: deps.clock,
    scale: timing.timing.scale,
    signal: deps.signal,
  });
  record.connected(identity);
  return {
    stages,
    ctx: {
      clients,
      identity,
      log: deps.core,
      clock: deps.clock,
      timing: timing.timing,
      signal: deps.signal,
      progress: record,
      runUrl: runUrl(context),
    },
    close: () => clients.destroy(),
  };
}

/** The workflow run's page, when the context names one. */
function runUrl(context: ParsedRun['context']): string | undefined {
  if (!context.repository || !context.runId) return undefined;
  return `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`;
}

/** getIDToken, whose first call answers with the token (or failure) fetched here, when one will be needed. */
async function tokenFirst(
  core: Pick<ActionsCore, 'getIDToken'>,
  needed: boolean,
  audience: string,
  signal: AbortSignal,
): Promise<(audience: string) => Promise<string>> {
  let early = needed ? core.getIDToken(audience) : undefined;
  early?.catch(() => undefined);
  // Bounded by the step's cancellation like every other call: a hanging token service must not hold a canceled step.
  if (early) await bounded(signal, () => early?.catch(() => '') ?? Promise.resolve(''));
  return (asked) => {
    const token = early ?? core.getIDToken(asked);
    early = undefined;
    return token;
  };
}

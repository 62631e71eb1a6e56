/**
 * Connect: the SDK clients and who they act as. With role-to-assume the role is assumed with the job's OIDC token
 * (and assumed again before its credentials expire); without it the environment's credentials are identified.
 */
import { createClients, type AwsClients, type ClientOptions } from '../aws/clients.js';
import { resolveCredentials } from '../aws/credentials.js';
import type { AuthSettings, CallerIdentity, Clock, Log } from '../types.js';

export interface ConnectOptions {
  /** Region, endpoints, proxy, timeouts and retries; the credentials come from here. */
  clients: Omit<ClientOptions, 'credentials'>;
  getIdToken(audience: string): Promise<string>;
  idTokenAvailable: boolean;
  setSecret(secret: string): void;
  /** `owner/repo`, for trust-policy advice. */
  repository: string;
  log: Log;
  clock: Clock;
  /** Multiplies the waits between credential attempts (1 on a real runner). */
  scale: number;
  signal: AbortSignal;
}

export async function connect(
  auth: AuthSettings,
  options: ConnectOptions,
): Promise<{ clients: AwsClients; identity: CallerIdentity }> {
  const sts = createClients(options.clients);
  try {
    const { credentials, identity } = await resolveCredentials(auth, {
      sts: sts.sts,
      getIdToken: options.getIdToken,
      idTokenAvailable: options.idTokenAvailable,
      setSecret: options.setSecret,
      repository: options.repository,
      signal: options.signal,
      sleep: (ms) => options.clock.sleep(ms * options.scale),
      onRefresh: (fresh) =>
        options.log.info(
          `Assumed ${auth.roleToAssume ?? 'the role'} again before its credentials expire${
            fresh.expiration ? ` (the new ones last until ${fresh.expiration.toISOString()})` : ''
          }`,
        ),
    });
    options.log.info(`Acting as ${identity.arn}`);
    const clients = createClients({ ...options.clients, credentials });
    // The first STS client stays: the credentials are assumed again through it.
    const destroyBoth = (destroy: () => void) => () => {
      destroy();
      sts.destroy();
    };
    return { clients: Object.assign(clients, { destroy: destroyBoth(clients.destroy) }), identity };
  } catch (error) {
    sts.destroy();
    throw error;
  }
}

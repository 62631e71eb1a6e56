/**
 * The SDK clients, built once and in one place: region, credentials, endpoint overrides, proxy agents, per-request
 * timeouts and the action's user agent. SDK retries are off (maxAttempts 1): src/retry.ts retries, knowing which
 * failures are worth it and which calls must never be repeated blindly (CreateOTAUpdate).
 *
 * After assuming the role, build the clients again with the new credentials, `createClients({ ...options,
 * credentials })`; the first clients stay usable. Call `destroy()` on every set built once the run is over.
 */
import { IoTClient } from '@aws-sdk/client-iot';
import type { S3Client } from '@aws-sdk/client-s3';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import packageJson from '../../package.json' with { type: 'json' };
import { proxyAgentsFor, type ProxyAgents, type ProxySettings } from './proxy.js';

/** Static credentials or a provider; undefined in ClientOptions means the SDK's default chain. */
export type AwsCredentials = NonNullable<STSClientConfig['credentials']>;

/** AWS_ENDPOINT_URL (`all`) and the per-service AWS_ENDPOINT_URL_<SERVICE> values; a service's own wins. */
export interface EndpointOverrides {
  all?: string | undefined;
  iot?: string | undefined;
  sts?: string | undefined;
  s3?: string | undefined;
}

export interface ClientOptions {
  region: string;
  credentials?: AwsCredentials | undefined;
  endpoints: EndpointOverrides;
  proxy?: ProxySettings | undefined;
  /** Longest wait for one IoT or STS request, and for silence on any socket (default 30 s). */
  requestTimeoutMs?: number | undefined;
  /** Longest wait for a TCP (or proxy tunnel) connection (default 10 s). */
  connectionTimeoutMs?: number | undefined;
  /** Appended to the SDK's user agent; default `aws-iot-ota-update-action/<version>`. */
  userAgent?: string | undefined;
}

/** Each client is built on first use: a run that only assumes a role never builds an IoT client, and so on. */
export interface AwsClients {
  readonly iot: IoTClient;
  readonly sts: STSClient;
  /** Loads @aws-sdk/client-s3 on first use, so runs that never touch S3 never load it. */
  s3(): Promise<S3Client>;
  /** Closes kept-alive sockets (and proxy tunnels) of every client built so far. */
  destroy(): void;
}

export const ACTION_USER_AGENT = `aws-iot-ota-update-action/${packageJson.version}`;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;
/**
 * An S3 part upload needs time in proportion to its size, so S3 requests get this overall limit; a stalled
 * connection is still caught within requestTimeoutMs by the socket inactivity timeout.
 */
export const S3_REQUEST_TIMEOUT_MS = 300_000;

export type Service = 'iot' | 'sts' | 's3';

/** The endpoint a service's client is given: its own override, else AWS_ENDPOINT_URL, else the SDK's default. */
export function endpointFor(service: Service, endpoints: EndpointOverrides): string | undefined {
  return endpoints[service] ?? endpoints.all;
}

interface HandlerOptions {
  requestTimeout: number;
  connectionTimeout: number;
  socketTimeout: number;
  throwOnRequestTimeout: true;
  httpAgent?: ProxyAgents['httpAgent'];
  httpsAgent?: ProxyAgents['httpsAgent'];
}

/** The settings every client shares. */
function commonConfig(opts: ClientOptions, requestTimeout: number, agents: ProxyAgents | undefined) {
  const idle = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // Given as options (not a NodeHttpHandler instance), the SDK builds its own handler: no direct dependency on
  // @smithy/node-http-handler. throwOnRequestTimeout: without it an exceeded requestTimeout only logs a warning.
  const requestHandler: HandlerOptions = {
    requestTimeout,
    connectionTimeout: opts.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    socketTimeout: idle,
    throwOnRequestTimeout: true,
    ...agents,
  };
  return {
    region: opts.region,
    credentials: opts.credentials,
    maxAttempts: 1,
    retryMode: 'standard',
    requestHandler,
    customUserAgent: opts.userAgent ?? ACTION_USER_AGENT,
  } as const;
}

export function createClients(opts: ClientOptions): AwsClients {
  const idle = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const agents = () => (opts.proxy === undefined ? undefined : proxyAgentsFor(opts.proxy));
  const built: { destroy(): void }[] = [];
  const keep = <C extends { destroy(): void }>(client: C): C => {
    built.push(client);
    return client;
  };
  let iot: IoTClient | undefined;
  let sts: STSClient | undefined;
  let s3: Promise<S3Client> | undefined;
  return {
    get iot() {
      return (iot ??= keep(
        new IoTClient({
          ...commonConfig(opts, idle, agents()),
          endpoint: endpointFor('iot', opts.endpoints),
        }),
      ));
    },
    get sts() {
      return (sts ??= keep(
        new STSClient({
          ...commonConfig(opts, idle, agents()),
          endpoint: endpointFor('sts', opts.endpoints),
        }),
      ));
    },
    s3: () =>
      (s3 ??= import('@aws-sdk/client-s3').then(({ S3Client }) => {
        const endpoint = endpointFor('s3', opts.endpoints);
        const proxied = agents();
        return keep(
          new S3Client({
            ...commonConfig(opts, Math.max(idle, S3_REQUEST_TIMEOUT_MS), proxied),
            endpoint,
            // Custom endpoints (emulators, S3-compatible stores) rarely serve virtual-host bucket names.
            forcePathStyle: endpoint !== undefined,
            // The SDK's handler does not wait for "100 Continue" on a caller-supplied agent anyway, and the header
            // would be written before the proxy agent can put the absolute URL in the request line.
            ...(proxied === undefined ? {} : { expectContinueHeader: false }),
          }),
        );
      })),
    destroy: () => built.forEach((client) => client.destroy()),
  };
}

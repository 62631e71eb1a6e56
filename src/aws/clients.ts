/**
 * The SDK clients, built once and in one place: region, credentials, endpoint overrides, proxy agents, per-request
 * timeouts, the action's user agent and the retries. Every call is retried by the SDK's standard strategy
 * (throttling and transient failures, jittered backoff), except on `iotOnce`: CreateOTAUpdate is not idempotent, so
 * it goes out once and src/stages/create.ts decides what a failure means.
 *
 * After assuming the role, build the clients again with the new credentials, `createClients({ ...options,
 * credentials })`; the first clients stay usable. Call `destroy()` on every set built once the run is over.
 */
import { IoTClient } from '@aws-sdk/client-iot';
import type { S3Client } from '@aws-sdk/client-s3';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { StandardRetryStrategy } from '@smithy/core/retry';
import packageJson from '../../package.json' with { type: 'json' };
import { DEFAULT_CONNECTION_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from './timeouts.js';
import { proxyAgentsFor, type ProxyAgents, type ProxySettings } from './proxy.js';

/** Static credentials or a provider; undefined in ClientOptions means the SDK's default chain. */
type AwsCredentials = NonNullable<STSClientConfig['credentials']>;

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
  /** Attempts in all for a retried call (default 4). */
  maxAttempts?: number | undefined;
  /** Multiplies the SDK's retry delays: 1 on a real runner, small in the emulator tests. */
  retryDelayScale?: number | undefined;
}

/** Each client is built on first use: a run that only assumes a role never builds an IoT client, and so on. */
export interface AwsClients {
  readonly iot: IoTClient;
  /** Makes every call exactly once: for CreateOTAUpdate, whose retries are the caller's decision. */
  readonly iotOnce: IoTClient;
  readonly sts: STSClient;
  /** Loads @aws-sdk/client-s3 on first use, so runs that never touch S3 never load it. */
  s3(): Promise<S3Client>;
  /** Closes kept-alive sockets (and proxy tunnels) of every client built so far. */
  destroy(): void;
}

export const ACTION_USER_AGENT = `aws-iot-ota-update-action/${packageJson.version}`;
/**
 * An S3 part upload needs time in proportion to its size, so S3 requests get this overall limit; a stalled
 * connection is still caught within requestTimeoutMs by the socket inactivity timeout.
 */
const S3_REQUEST_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_ATTEMPTS = 4;

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

/**
 * The SDK's standard strategy; with its delays scaled when asked (the delay base is the SDK's: 50 ms, 1 s for
 * throttling, doubling up to 20 s, full jitter).
 */
function retryStrategy(maxAttempts: number, scale: number): StandardRetryStrategy {
  if (scale === 1) return new StandardRetryStrategy(maxAttempts);
  let base = 50;
  return new StandardRetryStrategy({
    maxAttempts,
    backoff: {
      setDelayBase: (delay: number) => {
        base = delay;
      },
      computeNextBackoffDelay: (attempt: number) =>
        Math.floor(Math.random() * Math.min(base * 2 ** attempt, 20_000) * scale),
    },
  });
}

/** The settings every client shares. */
function commonConfig(
  opts: ClientOptions,
  requestTimeout: number,
  agents: ProxyAgents | undefined,
  maxAttempts: number,
) {
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
    retryStrategy: retryStrategy(maxAttempts, opts.retryDelayScale ?? 1),
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
  const attempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  let iot: IoTClient | undefined;
  let iotOnce: IoTClient | undefined;
  let sts: STSClient | undefined;
  let s3: Promise<S3Client> | undefined;
  return {
    get iot() {
      return (iot ??= keep(
        new IoTClient({
          ...commonConfig(opts, idle, agents(), attempts),
          endpoint: endpointFor('iot', opts.endpoints),
        }),
      ));
    },
    get iotOnce() {
      return (iotOnce ??= keep(
        new IoTClient({
          ...commonConfig(opts, idle, agents(), 1),
          endpoint: endpointFor('iot', opts.endpoints),
        }),
      ));
    },
    get sts() {
      return (sts ??= keep(
        new STSClient({
          ...commonConfig(opts, idle, agents(), attempts),
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
            ...commonConfig(opts, Math.max(idle, S3_REQUEST_TIMEOUT_MS), proxied, attempts),
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

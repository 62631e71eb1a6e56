/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for the SDK clients, which ignore these variables by themselves. The agents
 * come from TooTallNate's proxy-agents: https-proxy-agent opens a CONNECT tunnel for HTTPS targets (TLS stays end to
 * end), http-proxy-agent sends plain-HTTP requests to the proxy in absolute form. Whether a connection uses the proxy
 * is decided per target host by the Actions toolkit's own NO_PROXY matching (`checkBypass` of @actions/http-client,
 * which the OIDC token request goes through too), so NO_PROXY also covers hosts the SDK picks itself (S3
 * virtual-host buckets) and loopback never goes through a proxy. That matching reads NO_PROXY from process.env;
 * `preferUpperCaseProxyVariables` (runner/inputs.ts) has made the upper-case spelling win there by then.
 */
import http from 'node:http';
import https from 'node:https';
import { checkBypass } from '@actions/http-client/lib/proxy';
import { Agent, type AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { ActionError } from '../errors.js';

/** The proxy URLs as read from the environment (upper case first, then lower case); empty means unset. */
export interface ProxySettings {
  /** HTTPS_PROXY: used for https:// targets. */
  https?: string | undefined;
  /** HTTP_PROXY: used for http:// targets. */
  http?: string | undefined;
}

export interface ProxyAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

/** A proxy refused or failed to open the tunnel; `proxyStatus` is 0 when it closed without answering. */
export class ProxyConnectError extends Error {
  readonly proxyStatus: number;

  constructor(message: string, proxyStatus: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProxyConnectError';
    this.proxyStatus = proxyStatus;
  }
}

function parseProxyUrl(value: string | undefined, variable: string): URL | undefined {
  const text = value?.trim() ?? '';
  if (text === '') return undefined;
  let url: URL;
  try {
    url = new URL(text.includes('://') ? text : `http://${text}`);
  } catch {
    throw new ActionError('InvalidInput', `${variable} is not a valid proxy URL.`, {
      hint: `Set ${variable} to http://host:port (or http://user:password@host:port), or unset it.`,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ActionError(
      'InvalidInput',
      `${variable} uses ${url.protocol}; only http:// and https:// proxies work.`,
      { hint: `Set ${variable} to http://host:port, or unset it.` },
    );
  }
  return url;
}

/** Where the proxy is, for messages: never its credentials. */
function describeProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

/** `host:port` of a connection the SDK asks for, an IPv6 address in brackets. */
function authority(opts: AgentConnectOpts): string {
  const host = opts.host ?? 'localhost';
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${opts.port}`;
}

/** The connection's target as a URL, for the toolkit's NO_PROXY matching. */
function targetUrl(opts: AgentConnectOpts): URL {
  return new URL(`${opts.secureEndpoint ? 'https' : 'http'}://${authority(opts)}`);
}

/** What https-proxy-agent's `proxyConnect` event carries: the status line of the proxy's answer. */
interface ProxyAnswer {
  statusCode: number;
  statusText: string;
}

function hasCode(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error;
}

/**
 * https-proxy-agent with a proxy's refusal as a ProxyConnectError: by itself it hands the proxy's answer to the
 * request as if the target had sent it, and reports a proxy that hangs up as a plain Error.
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  override async connect(req: http.ClientRequest, opts: AgentConnectOpts) {
    const tunnel = `CONNECT ${authority(opts)}`;
    let answer: ProxyAnswer | undefined;
    const onAnswer = (connect: ProxyAnswer) => (answer = connect);
    req.once('proxyConnect', onAnswer);
    try {
      const socket = await super.connect(req, opts);
      if (answer !== undefined && answer.statusCode !== 200) {
        socket.destroy();
        const status = `${answer.statusCode} ${answer.statusText}`.trim();
        throw new ProxyConnectError(
          `Proxy ${describeProxy(this.proxy)} answered ${status} to ${tunnel}.`,
          answer.statusCode,
        );
      }
      return socket;
    } catch (error) {
      // Socket errors (ECONNREFUSED, ...) keep their code; anything else is the proxy misbehaving.
      if (error instanceof ProxyConnectError || hasCode(error)) throw error;
      throw new ProxyConnectError(
        `Proxy ${describeProxy(this.proxy)} closed the connection before answering ${tunnel}.`,
        0,
        { cause: error },
      );
    } finally {
      req.off('proxyConnect', onAnswer);
    }
  }
}

/** Builds the proxy's agent with the signal that closes its every connection. */
type ProxiedAgentFactory = (signal: AbortSignal) => Agent;

/** Hands each connection to the proxy's agent or to a direct one, by the target's host. */
class PerTargetAgent extends Agent {
  private readonly lifetime = new AbortController();
  private readonly proxied: Agent;

  constructor(
    proxied: ProxiedAgentFactory,
    private readonly direct: http.Agent,
  ) {
    super({ keepAlive: true });
    this.proxied = proxied(this.lifetime.signal);
  }

  connect(_req: http.ClientRequest, opts: AgentConnectOpts): http.Agent {
    return checkBypass(targetUrl(opts)) ? this.direct : this.proxied;
  }

  /** Closes every connection, a tunnel still waiting for the proxy's answer included. */
  override destroy(): void {
    this.lifetime.abort();
    this.proxied.destroy();
    this.direct.destroy();
    super.destroy();
  }
}

const POOL = { keepAlive: true, maxSockets: 50 } as const;

/**
 * Agents for the SDK's request handler, or undefined when neither HTTPS_PROXY nor HTTP_PROXY is set; a protocol
 * without a proxy gets a plain keep-alive agent. Throws InvalidInput for a proxy URL that cannot be used. The SDK's
 * connectionTimeout bounds each connection, the proxy's answer to CONNECT included; destroying the agents also
 * closes a tunnel whose proxy never answered.
 */
export function proxyAgentsFor(settings: ProxySettings): ProxyAgents | undefined {
  const httpsProxy = parseProxyUrl(settings.https, 'HTTPS_PROXY');
  const httpProxy = parseProxyUrl(settings.http, 'HTTP_PROXY');
  if (httpsProxy === undefined && httpProxy === undefined) return undefined;
  const httpDirect = new http.Agent(POOL);
  const httpsDirect = new https.Agent(POOL);
  return {
    httpAgent:
      httpProxy === undefined
        ? httpDirect
        : new PerTargetAgent(
            // One connection per request: http-proxy-agent puts the absolute URL into a request's head when it
            // opens a connection, and a request handed over by PerTargetAgent has its head written already, so
            // a kept-alive connection would get the head in origin form.
            (signal) => new HttpProxyAgent(httpProxy.href, { keepAlive: false, signal }),
            httpDirect,
          ),
    httpsAgent:
      httpsProxy === undefined
        ? httpsDirect
        : new PerTargetAgent((signal) => new TunnelAgent(httpsProxy.href, { ...POOL, signal }), httpsDirect),
  };
}

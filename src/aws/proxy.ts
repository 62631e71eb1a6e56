/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for the SDK clients, which ignore these variables by themselves. Two small
 * agents built on Node's own http/https/net/tls: HTTPS targets go through a CONNECT tunnel (TLS stays end to end),
 * plain-HTTP targets are sent to the proxy in absolute form (`GET http://host/path`). Whether a connection uses the
 * proxy is decided per target host, so NO_PROXY also covers hosts the SDK picks itself (S3 virtual-host buckets).
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { ActionError } from '../errors.js';

/** As read from the environment (upper case first, then lower case); empty means unset. */
export interface ProxySettings {
  /** HTTPS_PROXY: used for https:// targets. */
  https?: string | undefined;
  /** HTTP_PROXY: used for http:// targets. */
  http?: string | undefined;
  /** NO_PROXY: comma-separated hosts, domain suffixes, `host:port`, or `*`. */
  noProxy?: string | undefined;
}

export interface ProxyAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

/** A proxy refused or failed to open the tunnel; `proxyStatus` is 0 when it closed without answering. */
export class ProxyConnectError extends Error {
  readonly proxyStatus: number;

  constructor(message: string, proxyStatus: number) {
    super(message);
    this.name = 'ProxyConnectError';
    this.proxyStatus = proxyStatus;
  }
}

const MAX_CONNECT_RESPONSE_BYTES = 16 * 1024;

function parseProxyUrl(value: string | undefined, variable: string): URL | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
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
      {
        hint: `Set ${variable} to http://host:port, or unset it.`,
      },
    );
  }
  return url;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** TLS server names cannot be IP addresses. */
function sniName(host: string): string | undefined {
  const h = stripBrackets(host);
  return net.isIP(h) === 0 ? h : undefined;
}

/** Loopback never goes through a proxy: the proxy's loopback is not ours. */
function isLoopback(host: string): boolean {
  const h = stripBrackets(host).toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * True when NO_PROXY exempts `host:port`: `*`; an exact host; a domain suffix (`example.com` and `.example.com` both
 * match `a.example.com`); an entry with a port matches that port only. Case-insensitive; loopback always bypasses.
 */
export function bypassesProxy(host: string, port: number, noProxy: string | undefined): boolean {
  if (isLoopback(host)) return true;
  const target = stripBrackets(host).toLowerCase();
  for (const raw of (noProxy ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const portMatch = /^(.*?):(\d+)$/.exec(entry);
    const entryHost = stripBrackets(portMatch?.[1] ?? entry).replace(/^\*?\./, '');
    if (portMatch && Number(portMatch[2]) !== port) continue;
    if (target === entryHost || target.endsWith(`.${entryHost}`)) return true;
  }
  return false;
}

/** The proxy a request to `target` goes through, or undefined for a direct connection. */
export function proxyFor(target: URL, settings: ProxySettings): URL | undefined {
  const secure = target.protocol === 'https:';
  const proxy = secure
    ? parseProxyUrl(settings.https, 'HTTPS_PROXY')
    : parseProxyUrl(settings.http, 'HTTP_PROXY');
  if (proxy === undefined) return undefined;
  const port = target.port === '' ? (secure ? 443 : 80) : Number(target.port);
  return bypassesProxy(target.hostname, port, settings.noProxy) ? undefined : proxy;
}

function proxyPort(proxy: URL): number {
  return proxy.port === '' ? (proxy.protocol === 'https:' ? 443 : 80) : Number(proxy.port);
}

function authority(host: string, port: number): string {
  const h = stripBrackets(host);
  return `${h.includes(':') ? `[${h}]` : h}:${port}`;
}

function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  const pair = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/** Where the proxy is, for messages: never its credentials. */
function describeProxy(proxy: URL): string {
  return `${proxy.protocol}//${authority(proxy.hostname, proxyPort(proxy))}`;
}

/** Opens a CONNECT tunnel to host:port through the proxy and resolves with the raw socket once it answers 200. */
function openTunnel(proxy: URL, host: string, port: number, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const target = authority(host, port);
    const socket: net.Socket =
      proxy.protocol === 'https:'
        ? tls.connect({
            host: stripBrackets(proxy.hostname),
            port: proxyPort(proxy),
            servername: sniName(proxy.hostname),
          })
        : net.connect({ host: stripBrackets(proxy.hostname), port: proxyPort(proxy) });
    let received = Buffer.alloc(0);
    const fail = (error: Error): void => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onError = (error: Error): void => fail(error);
    const onClose = (): void =>
      fail(
        new ProxyConnectError(
          `Proxy ${describeProxy(proxy)} closed the connection before answering CONNECT ${target}.`,
          0,
        ),
      );
    const onTimeout = (): void =>
      fail(
        Object.assign(
          new Error(
            `Proxy ${describeProxy(proxy)} did not open a tunnel to ${target} within ${timeoutMs} ms.`,
          ),
          {
            name: 'TimeoutError',
            code: 'ETIMEDOUT',
          },
        ),
      );
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) {
        if (received.length > MAX_CONNECT_RESPONSE_BYTES) {
          fail(
            new ProxyConnectError(
              `Proxy ${describeProxy(proxy)} sent an oversized answer to CONNECT ${target}.`,
              0,
            ),
          );
        }
        return;
      }
      const statusLine = received.subarray(0, received.indexOf('\r\n')).toString('latin1');
      const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine)?.[1] ?? 0);
      if (status !== 200) {
        fail(
          new ProxyConnectError(
            `Proxy ${describeProxy(proxy)} answered "${statusLine}" to CONNECT ${target}.`,
            status,
          ),
        );
        return;
      }
      cleanup();
      socket.setTimeout(0);
      const rest = received.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    function cleanup(): void {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('timeout', onTimeout);
    }
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('timeout', onTimeout);
    socket.setTimeout(timeoutMs);
    const auth = proxyAuthorization(proxy);
    socket.write(
      `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`,
    );
  });
}

type ConnectCallback = (err: Error | null, stream: Duplex) => void;

/** HTTPS through a CONNECT tunnel; TLS is negotiated with the target over the tunnel. */
class TunnellingAgent extends https.Agent {
  constructor(
    private readonly settings: ProxySettings,
    private readonly connectTimeoutMs: number,
  ) {
    super({ keepAlive: true, maxSockets: 50 });
  }

  override createConnection(
    options: https.RequestOptions,
    callback?: ConnectCallback,
  ): Duplex | null | undefined {
    const host = options.host ?? options.hostname ?? 'localhost';
    const port = Number(options.port ?? 443);
    const proxy = proxyFor(new URL(`https://${authority(host, port)}`), this.settings);
    if (proxy === undefined || callback === undefined) return super.createConnection(options, callback);
    openTunnel(proxy, host, port, this.connectTimeoutMs).then(
      (socket) => {
        callback(
          null,
          tls.connect({
            ...options,
            host,
            port,
            path: undefined,
            socket,
            servername: sniName(options.servername ?? host),
          }),
        );
      },
      // Node's agent ignores the stream argument when it is given an error.
      (error: Error) => (callback as unknown as (err: Error) => void)(error),
    );
    return undefined;
  }
}

interface AgentWithAddRequest {
  addRequest(req: http.ClientRequest, options: http.RequestOptions): void;
}

/**
 * Plain HTTP through the proxy: the request line carries the absolute URL and the connection goes to the proxy.
 * Node has no public hook for this; `addRequest` is the agent method that receives each request before its head is
 * written (the same hook well-known proxy agents use), so the path and target can still be changed there.
 */
class ForwardingAgent extends http.Agent {
  constructor(private readonly settings: ProxySettings) {
    super({ keepAlive: true, maxSockets: 50 });
  }

  addRequest(req: http.ClientRequest, options: http.RequestOptions): void {
    const host = options.host ?? options.hostname ?? 'localhost';
    const port = Number(options.port ?? 80);
    const target = authority(host, port);
    const proxy = proxyFor(new URL(`http://${target}`), this.settings);
    let effective = options;
    if (proxy !== undefined) {
      req.path = `http://${target}${req.path}`;
      const auth = proxyAuthorization(proxy);
      if (auth !== undefined) req.setHeader('Proxy-Authorization', auth);
      effective = { ...options, host: proxy.hostname, hostname: proxy.hostname, port: proxyPort(proxy) };
    }
    (http.Agent.prototype as unknown as AgentWithAddRequest).addRequest.call(this, req, effective);
  }
}

/**
 * Agents for the SDK's request handler, or undefined when neither HTTPS_PROXY nor HTTP_PROXY is set. Throws
 * InvalidInput for a proxy URL that cannot be used.
 */
export function proxyAgentsFor(settings: ProxySettings, connectTimeoutMs: number): ProxyAgents | undefined {
  const httpsProxy = parseProxyUrl(settings.https, 'HTTPS_PROXY');
  const httpProxy = parseProxyUrl(settings.http, 'HTTP_PROXY');
  if (httpsProxy === undefined && httpProxy === undefined) return undefined;
  return {
    httpAgent: new ForwardingAgent(settings),
    httpsAgent: new TunnellingAgent(settings, connectTimeoutMs),
  };
}

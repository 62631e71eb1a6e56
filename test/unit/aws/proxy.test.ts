import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { LookupAddress } from 'node:dns';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetOTAUpdateCommand } from '@aws-sdk/client-iot';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifyError } from '../../../src/aws/classify.js';
import { createClients, type AwsClients } from '../../../src/aws/clients.js';
import { toActionError } from '../../../src/aws/error-catalog.js';
import { ActionError } from '../../../src/errors.js';
import { ProxyConnectError, proxyAgentsFor } from '../../../src/aws/proxy.js';
import { startLoopback, type Loopback } from './loopback.js';

// NO_PROXY is matched by the toolkit from process.env: start every test from none.
beforeEach(() => {
  vi.stubEnv('NO_PROXY', '');
  vi.stubEnv('no_proxy', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('proxyAgentsFor', () => {
  it('returns no agents when no proxy is set', () => {
    expect(proxyAgentsFor({})).toBeUndefined();
    expect(proxyAgentsFor({ https: ' ', http: '' })).toBeUndefined();
  });

  it.each([
    [{ https: 'socks5://proxy:1080' }, 'HTTPS_PROXY uses socks5:; only http:// and https:// proxies work.'],
    [{ http: 'http://[not-a-host' }, 'HTTP_PROXY is not a valid proxy URL.'],
  ])('rejects an unusable proxy URL %o', (s, message) => {
    const error: unknown = (() => {
      try {
        return proxyAgentsFor(s);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ActionError);
    expect(error).toMatchObject({ code: 'InvalidInput', message });
  });
});

/** A forward proxy on 127.0.0.1 that sends every target host to a local port, and counts what it forwarded. */
interface TestProxy {
  url: string;
  connects: { target: string; auth: string | undefined }[];
  forwarded: { url: string; auth: string | undefined }[];
  /** Client connections that have closed. */
  closed(): number;
  close(): Promise<void>;
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/** How the proxy answers CONNECT: open the tunnel, refuse with a status, hang up, or never answer. */
type ConnectBehaviour = 'tunnel' | 'hang-up' | 'silent' | number;

async function startProxy(
  route: (authority: string) => number,
  onConnect: ConnectBehaviour = 'tunnel',
): Promise<TestProxy> {
  let closed = 0;
  const connects: TestProxy['connects'] = [];
  const forwarded: TestProxy['forwarded'] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    forwarded.push({ url: req.url ?? '', auth: req.headers['proxy-authorization'] });
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: route(target.host),
        method: req.method,
        path: target.pathname + target.search,
        headers,
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => {
      closed += 1;
      sockets.delete(s);
    });
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push({ target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    // Silent: never answer, but notice when the client goes (the HTTP server keeps half-open sockets).
    if (onConnect === 'silent') {
      client.resume().on('end', () => client.destroy());
      return;
    }
    if (onConnect === 'hang-up') {
      client.end();
      return;
    }
    if (typeof onConnect === 'number') {
      client.end(`HTTP/1.1 ${onConnect} Refused\r\n\r\n`);
      return;
    }
    const upstream = net.connect(route(req.url ?? ''), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    forwarded,
    closed: () => closed,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

const TLS_HOST = 'iot.eu-west-1.amazonaws.com';
let tlsDir = '';
let cert = '';
let key = '';

beforeAll(() => {
  tlsDir = mkdtempSync(join(tmpdir(), 'proxy-test-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${TLS_HOST}`,
      '-addext',
      `subjectAltName=DNS:${TLS_HOST}`,
      '-keyout',
      join(tlsDir, 'key.pem'),
      '-out',
      join(tlsDir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(tlsDir, 'cert.pem'), 'utf8');
  key = readFileSync(join(tlsDir, 'key.pem'), 'utf8');
});

afterAll(() => rmSync(tlsDir, { recursive: true, force: true }));

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function startTlsServer(): Promise<{ port: number; paths: string[] }> {
  const paths: string[] = [];
  const server = https.createServer({ key, cert }, (req, res) => {
    paths.push(`${req.headers.host} ${req.url}`);
    res.end('hello over tls');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, paths };
}

function get(options: https.RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS through a CONNECT tunnel', () => {
  it('tunnels to the target named in the URL, authenticates, verifies TLS end to end, and reuses the tunnel', async () => {
    const tlsServer = await startTlsServer();
    const proxy = await startProxy(() => tlsServer.port);
    cleanup.push(() => proxy.close());
    const proxyUrl = proxy.url.replace('http://', 'http://deploy:p%40ss@');
    const agents = proxyAgentsFor({ https: proxyUrl });
    cleanup.push(() => agents?.httpsAgent.destroy());
    const request = {
      host: TLS_HOST,
      port: 443,
      path: '/otaUpdates/fw-1',
      agent: agents?.httpsAgent,
      ca: cert,
    };
    expect(await get(request)).toEqual({ status: 200, body: 'hello over tls' });
    expect(await get({ ...request, path: '/otaUpdates/fw-2' })).toEqual({
      status: 200,
      body: 'hello over tls',
    });
    expect(proxy.connects).toEqual([
      { target: `${TLS_HOST}:443`, auth: `Basic ${Buffer.from('deploy:p@ss').toString('base64')}` },
    ]);
    expect(tlsServer.paths).toEqual([`${TLS_HOST} /otaUpdates/fw-1`, `${TLS_HOST} /otaUpdates/fw-2`]);
  });

  it('rejects a certificate that does not match the target', async () => {
    const tlsServer = await startTlsServer();
    const proxy = await startProxy(() => tlsServer.port);
    cleanup.push(() => proxy.close());
    const agents = proxyAgentsFor({ https: proxy.url });
    cleanup.push(() => agents?.httpsAgent.destroy());
    await expect(
      get({ host: 'sts.eu-west-1.amazonaws.com', path: '/', agent: agents?.httpsAgent, ca: cert }),
    ).rejects.toThrow(/does not match certificate's altnames/);
    expect(proxy.connects).toHaveLength(1);
  });

  it('connects directly to loopback targets and to NO_PROXY hosts, and tunnels the rest', async () => {
    const tlsServer = await startTlsServer();
    const proxy = await startProxy(() => tlsServer.port);
    cleanup.push(() => proxy.close());
    vi.stubEnv('NO_PROXY', 'example.org,.internal.example');
    const agents = proxyAgentsFor({ https: proxy.url });
    cleanup.push(() => agents?.httpsAgent.destroy());
    const direct = { port: tlsServer.port, agent: agents?.httpsAgent, ca: cert, servername: TLS_HOST };
    // A NO_PROXY name is looked up and connected to directly: here it resolves to the TLS server.
    const toLoopback = ((_host: string, options: { all?: boolean }, callback: LookupCallback) =>
      options.all === true
        ? callback(null, [{ address: '127.0.0.1', family: 4 }])
        : callback(null, '127.0.0.1', 4)) as unknown as net.LookupFunction;
    expect((await get({ ...direct, host: '127.0.0.1', path: '/loopback' })).body).toBe('hello over tls');
    expect(
      (await get({ ...direct, host: 'iot.internal.example', lookup: toLoopback, path: '/named' })).body,
    ).toBe('hello over tls');
    expect(proxy.connects).toEqual([]);
    expect(
      (await get({ host: TLS_HOST, path: '/tunnelled', agent: agents?.httpsAgent, ca: cert })).body,
    ).toBe('hello over tls');
    expect(proxy.connects.map((c) => c.target)).toEqual([`${TLS_HOST}:443`]);
  });

  it('reports a refused tunnel as a ProxyConnectError without the proxy password', async () => {
    const proxy = await startProxy(() => 1, 407);
    cleanup.push(() => proxy.close());
    const agents = proxyAgentsFor({ https: proxy.url.replace('http://', 'http://deploy:hunter2@') });
    cleanup.push(() => agents?.httpsAgent.destroy());
    const error: unknown = await get({ host: TLS_HOST, path: '/', agent: agents?.httpsAgent }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ProxyConnectError);
    expect(error).toMatchObject({
      proxyStatus: 407,
      message: `Proxy ${proxy.url} answered 407 Refused to CONNECT ${TLS_HOST}:443.`,
    });
    expect(String((error as Error).message)).not.toContain('hunter2');
    expect(classifyError(error)).toBe('permanent');
    expect(toActionError(error, { operation: 'GetCallerIdentity' }).code).toBe('NetworkError');
  });

  it('reports a proxy that hangs up before answering as a transient ProxyConnectError', async () => {
    const proxy = await startProxy(() => 1, 'hang-up');
    cleanup.push(() => proxy.close());
    const agents = proxyAgentsFor({ https: proxy.url });
    cleanup.push(() => agents?.httpsAgent.destroy());
    const error: unknown = await get({ host: TLS_HOST, path: '/', agent: agents?.httpsAgent }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({
      name: 'ProxyConnectError',
      proxyStatus: 0,
      message: `Proxy ${proxy.url} closed the connection before answering CONNECT ${TLS_HOST}:443.`,
    });
    expect(classifyError(error)).toBe('transient');
  });

  it('gives up on a proxy that never answers CONNECT, and closes the tunnel when the clients go', async () => {
    const proxy = await startProxy(() => 1, 'silent');
    cleanup.push(() => proxy.close());
    const clients = createClients({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      endpoints: { sts: 'https://sts.eu-west-1.amazonaws.com' },
      proxy: { https: proxy.url },
      connectionTimeoutMs: 200,
      // One attempt: what is under test is the one tunnel, not the SDK's retries.
      maxAttempts: 1,
    });
    const error: unknown = await clients.sts.send(new GetCallerIdentityCommand({})).catch((e) => e);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(classifyError(error)).toBe('transient');
    expect(proxy.connects).toHaveLength(1);
    expect(proxy.closed()).toBe(0);
    clients.destroy();
    await vi.waitFor(() => expect(proxy.closed()).toBe(1), { timeout: 2000 });
  });
});

describe('the SDK clients through a plain-HTTP forward proxy', () => {
  let target: Loopback;
  let proxy: TestProxy;
  let clients: AwsClients;

  afterEach(async () => {
    clients.destroy();
    await proxy.close();
    await target.close();
  });

  it('sends IoT and S3 requests in absolute form through the proxy, a second request too', async () => {
    target = await startLoopback((req, res) => {
      if (req.url.startsWith('/otaUpdates/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"otaUpdateInfo":{"otaUpdateId":"fw-1","otaUpdateStatus":"CREATE_COMPLETE"}}');
      } else {
        res.writeHead(200, { etag: '"e"', 'x-amz-version-id': 'v7' });
        res.end();
      }
    });
    proxy = await startProxy(() => target.port);
    clients = createClients({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      endpoints: { iot: 'http://iot.emulator.test:4566', s3: 'http://s3.emulator.test:4566' },
      proxy: { http: proxy.url.replace('http://', 'http://deploy:pw@') },
    });
    const reply = await clients.iot.send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' }));
    expect(reply.otaUpdateInfo?.otaUpdateStatus).toBe('CREATE_COMPLETE');
    await clients.iot.send(new GetOTAUpdateCommand({ otaUpdateId: 'fw-1' }));
    const s3 = await clients.s3();
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'fw', Key: 'app.bin', Body: body }));
    expect(put.VersionId).toBe('v7');

    const basic = `Basic ${Buffer.from('deploy:pw').toString('base64')}`;
    expect(proxy.forwarded).toEqual([
      { url: 'http://iot.emulator.test:4566/otaUpdates/fw-1', auth: basic },
      { url: 'http://iot.emulator.test:4566/otaUpdates/fw-1', auth: basic },
      {
        url: expect.stringMatching(/^http:\/\/s3\.emulator\.test:4566\/fw\/app\.bin\b/) as unknown as string,
        auth: basic,
      },
    ]);
    expect(
      target.requests.map((r) => [r.method, r.url.split('?')[0], r.headers.host, r.headers.expect]),
    ).toEqual([
      ['GET', '/otaUpdates/fw-1', 'iot.emulator.test:4566', undefined],
      ['GET', '/otaUpdates/fw-1', 'iot.emulator.test:4566', undefined],
      ['PUT', '/fw/app.bin', 's3.emulator.test:4566', undefined],
    ]);
    expect(target.requests[2]?.body.length).toBe(body.length);
    expect(proxy.connects).toEqual([]);
  });
});

/** The HTTP server: one port on 127.0.0.1 for every service, routed per request; close() drops every socket. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { EmulatorContext } from './context.js';
import { BodyTooLargeError, Exchange } from './exchange.js';
import { handleIot } from './iot.js';
import { iotErrorReply } from './iot-wire.js';
import { oidcErrorReply } from './oidc.js';
import { runOperation } from './operation.js';
import { resolveRoute } from './router.js';
import { handleS3 } from './s3.js';
import { handleSts } from './sts.js';
import type { RecordedRequest } from './types.js';

async function dispatch(
  ctx: EmulatorContext,
  log: RecordedRequest[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const route = resolveRoute(
    req.method ?? 'GET',
    q < 0 ? url : url.slice(0, q),
    new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    req.headers,
  );
  const ex = new Exchange(req, res, log, route.service, route.operation);
  try {
    switch (route.service) {
      case 'oidc': {
        const denied =
          route.operation === 'OidcToken'
            ? ctx.oidc.authorize(ex)
            : { status: 404, code: 'NotFound', message: 'Not Found' };
        if (denied) await ex.send(oidcErrorReply(denied));
        else
          await runOperation(ex, 'oidc', ctx.controls, oidcErrorReply, async () => ctx.oidc.tokenReply(ex));
        return;
      }
      case 'sts':
        return await handleSts(ex, ctx);
      case 's3':
        return await handleS3(ex, ctx, route);
      case 'iot':
        return await handleIot(ex, ctx, route);
    }
  } catch (error) {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const tooLarge = error instanceof BodyTooLargeError;
    await ex.send(
      iotErrorReply({
        status: tooLarge ? 413 : 500,
        code: tooLarge ? 'RequestEntityTooLarge' : 'InternalFailureException',
        message: `emulator: ${(error as Error).message}`,
      }),
    );
  }
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function listen(
  ctx: EmulatorContext,
  log: RecordedRequest[],
  port: number,
): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => void dispatch(ctx, log, req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('emulator: server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

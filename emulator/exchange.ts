/** One request and its reply: reading the body, sending, losing or resetting the reply, and recording it all. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SignedRequest } from './auth.js';
import type { RecordedRequest, Service } from './types.js';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
  /** Recorded with the request; the wire carries it in the body or headers already. */
  errorCode?: string;
}

export class BodyTooLargeError extends Error {}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export class Exchange {
  readonly requestId = randomUUID();
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly record: RecordedRequest;

  /** The request as SigV4 verification reads it, with the payload hash the service signs with. */
  signedRequest(payloadHash: string): SignedRequest {
    return {
      method: this.method,
      rawPath: this.rawPath,
      rawQuery: this.rawQuery,
      headers: this.req.headers,
      payloadHash,
    };
  }

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    log: RecordedRequest[],
    service: Service,
    operation: string,
  ) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.rawPath = q < 0 ? url : url.slice(0, q);
    this.rawQuery = q < 0 ? '' : url.slice(q + 1);
    this.query = new URLSearchParams(this.rawQuery);
    this.record = {
      service,
      operation,
      method: req.method ?? 'GET',
      path: this.rawPath,
      query: Object.fromEntries(this.query),
      headers: flatHeaders(req),
      status: 0,
      at: Date.now(),
    };
    log.push(this.record);
    res.on('close', () => {
      if (!res.writableFinished && this.record.status === 0 && this.record.errorCode === undefined)
        this.record.errorCode = 'ClientAborted';
    });
  }

  get method(): string {
    return this.record.method;
  }

  header(name: string): string | undefined {
    return this.record.headers[name];
  }

  /** The whole body, for the small JSON / form / XML bodies; recorded as bodyText. */
  async readBody(limit = 1024 * 1024): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new BodyTooLargeError(`request body over ${limit} bytes`);
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    if (body.length > 0) this.record.bodyText = body.toString('utf8');
    return body;
  }

  async send(reply: Reply): Promise<void> {
    this.#note(reply);
    if (this.res.destroyed) return;
    this.res.statusCode = reply.status;
    this.res.setHeader('x-amzn-RequestId', this.requestId);
    for (const [name, value] of Object.entries(reply.headers ?? {})) this.res.setHeader(name, value);
    const body = reply.body;
    if (body instanceof Readable) {
      await pipeline(body, this.res).catch(() => this.res.destroy());
      return;
    }
    if (body !== undefined && !this.res.hasHeader('content-length'))
      this.res.setHeader('content-length', Buffer.byteLength(body));
    this.res.end(this.method === 'HEAD' ? undefined : body);
  }

  /** The operation took effect; the client never hears of it. */
  loseReply(reply: Reply): void {
    this.#note(reply);
    this.record.replyLost = true;
    this.#destroy();
  }

  /** Drop the connection without a reply, as a reset does. */
  reset(): void {
    this.record.errorCode = 'ConnectionReset';
    this.#destroy();
  }

  #note(reply: Reply): void {
    this.record.status = reply.status;
    if (reply.errorCode !== undefined) this.record.errorCode = reply.errorCode;
  }

  #destroy(): void {
    this.req.socket.resetAndDestroy();
  }
}

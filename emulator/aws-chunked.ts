/**
 * Decodes `Content-Encoding: aws-chunked` bodies as a stream: `<hex size>[;ext]\r\n<data>\r\n` chunks, a zero
 * chunk, then trailer lines (`x-amz-checksum-crc32:<base64>`) and a blank line. The trailers are available once
 * the stream has ended.
 */
import { Transform, type TransformCallback } from 'node:stream';

const MAX_LINE = 8 * 1024;
const CRLF = Buffer.from('\r\n');

/** The body is not valid aws-chunked encoding (as opposed to the client going away). */
export class ChunkedEncodingError extends Error {}

type State = 'size' | 'data' | 'dataEnd' | 'trailer' | 'done';

export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  #state: State = 'size';
  #line = Buffer.alloc(0);
  #left = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.#consume(chunk);
      done();
    } catch (error) {
      done(error as ChunkedEncodingError);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.#state === 'done' ? undefined : new ChunkedEncodingError('aws-chunked body ended early'));
  }

  /** Bytes up to and without the next CRLF, or undefined while the line is incomplete. */
  #takeLine(chunk: Buffer, from: number): { line: string; next: number } | { next: number } {
    const joined =
      this.#line.length > 0 ? Buffer.concat([this.#line, chunk.subarray(from)]) : chunk.subarray(from);
    const end = joined.indexOf(CRLF);
    if (end < 0) {
      if (joined.length > MAX_LINE) throw new ChunkedEncodingError('aws-chunked line too long');
      this.#line = Buffer.from(joined);
      return { next: chunk.length };
    }
    const consumedFromChunk = end + 2 - this.#line.length;
    this.#line = Buffer.alloc(0);
    return { line: joined.subarray(0, end).toString('latin1'), next: from + consumedFromChunk };
  }

  #consume(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.#state === 'data') {
        const take = Math.min(this.#left, chunk.length - at);
        this.push(chunk.subarray(at, at + take));
        at += take;
        this.#left -= take;
        if (this.#left === 0) this.#state = 'dataEnd';
        continue;
      }
      if (this.#state === 'done') throw new ChunkedEncodingError('aws-chunked data after the final chunk');
      const taken = this.#takeLine(chunk, at);
      at = taken.next;
      if (!('line' in taken)) continue;
      this.#onLine(taken.line);
    }
  }

  #onLine(line: string): void {
    switch (this.#state) {
      case 'size': {
        const size = /^([0-9a-fA-F]+)(;.*)?$/.exec(line);
        if (!size)
          throw new ChunkedEncodingError(
            `aws-chunked: bad chunk header ${JSON.stringify(line.slice(0, 80))}`,
          );
        this.#left = parseInt(size[1]!, 16);
        this.#state = this.#left === 0 ? 'trailer' : 'data';
        return;
      }
      case 'dataEnd':
        if (line !== '') throw new ChunkedEncodingError('aws-chunked: chunk data longer than its size');
        this.#state = 'size';
        return;
      case 'trailer': {
        if (line === '') {
          this.#state = 'done';
          return;
        }
        const colon = line.indexOf(':');
        if (colon < 0) throw new ChunkedEncodingError('aws-chunked: bad trailer line');
        this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        return;
      }
      default:
        throw new ChunkedEncodingError(`aws-chunked: unexpected line in state ${this.#state}`);
    }
  }
}

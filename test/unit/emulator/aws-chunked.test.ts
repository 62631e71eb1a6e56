import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder } from '../../../emulator/aws-chunked.js';

const ENCODED =
  'c\r\nhello stream\r\n3;chunk-signature=00\r\nabc\r\n0\r\nx-amz-checksum-crc32:gtnkmQ==\r\n\r\n';

async function decode(pieces: Buffer[]): Promise<{ data: string; trailers: Map<string, string> }> {
  const decoder = new AwsChunkedDecoder();
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from(pieces).pipe(decoder)) chunks.push(chunk as Buffer);
  return { data: Buffer.concat(chunks).toString(), trailers: decoder.trailers };
}

function split(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

describe('AwsChunkedDecoder', () => {
  it.each([1, 2, 3, 7, 1000])(
    'decodes data and trailers however the bytes arrive (pieces of %i)',
    async (size) => {
      const { data, trailers } = await decode(split(ENCODED, size));
      expect(data).toBe('hello streamabc');
      expect(Object.fromEntries(trailers)).toEqual({ 'x-amz-checksum-crc32': 'gtnkmQ==' });
    },
  );

  it.each([
    ['a body cut short', 'c\r\nhello', 'aws-chunked body ended early'],
    ['a chunk longer than its size', '2\r\nabc\r\n0\r\n\r\n', 'aws-chunked: chunk data longer than its size'],
    ['a bad chunk header', 'zz\r\nab\r\n', 'aws-chunked: bad chunk header "zz"'],
    ['data after the end', '0\r\n\r\nextra', 'aws-chunked data after the final chunk'],
  ])('rejects %s', async (_what, body, message) => {
    await expect(decode([Buffer.from(body)])).rejects.toThrow(message);
  });
});

/**
 * Streams an S3 object or part body to a file while hashing it (MD5 for the ETag, SHA-256 when the client
 * signed it, the flexible checksums it declared), decoding aws-chunked bodies, then checks what was declared.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsChunkedDecoder, ChunkedEncodingError } from './aws-chunked.js';
import {
  checksumHeader,
  createDigest,
  isChecksumAlgorithm,
  type ChecksumAlgorithm,
  type Digest,
} from './checksums.js';
import type { WireError } from './faults.js';

interface ReceivedBody {
  size: number;
  md5: Buffer;
  /** base64 per computed algorithm. */
  checksums: Map<ChecksumAlgorithm, string>;
}

export type BodyOutcome = { ok: true; body: ReceivedBody } | { ok: false; error: WireError };

const NOT_A_VALUE = new Set(['mode', 'algorithm', 'type']);

/** Algorithms named by `x-amz-checksum-<alg>` headers, the trailer and x-amz-sdk-checksum-algorithm. */
function declaredAlgorithms(headers: Record<string, string>): {
  algorithms: string[];
  trailer: string[];
} {
  const names = new Set<string>();
  for (const name of Object.keys(headers)) {
    const m = /^x-amz-checksum-(.+)$/.exec(name);
    if (m && !NOT_A_VALUE.has(m[1]!)) names.add(m[1]!.toUpperCase());
  }
  const trailer = (headers['x-amz-trailer'] ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
  for (const t of trailer) {
    const m = /^x-amz-checksum-(.+)$/.exec(t);
    if (m) names.add(m[1]!.toUpperCase());
  }
  const sdk = headers['x-amz-sdk-checksum-algorithm'];
  if (sdk) names.add(sdk.toUpperCase());
  return { algorithms: [...names], trailer };
}

const badDigest = (message: string): WireError => ({ status: 400, code: 'BadDigest', message });

export async function receiveBody(
  source: Readable,
  file: string,
  headers: Record<string, string>,
  extraAlgorithm: ChecksumAlgorithm | undefined,
): Promise<BodyOutcome> {
  const declared = declaredAlgorithms(headers);
  const unsupported = declared.algorithms.filter((a) => !isChecksumAlgorithm(a));
  if (unsupported.length > 0)
    return {
      ok: false,
      error: {
        status: 501,
        code: 'NotImplemented',
        message: `Checksum algorithm ${unsupported.join(', ')} is not emulated.`,
      },
    };
  const algorithms = new Set(declared.algorithms as ChecksumAlgorithm[]);
  if (extraAlgorithm) algorithms.add(extraAlgorithm);

  const payloadHash = headers['x-amz-content-sha256'] ?? '';
  const signedHash = /^[0-9a-f]{64}$/.test(payloadHash);
  const md5 = createHash('md5');
  const sha256 = signedHash ? createHash('sha256') : undefined;
  const digests = new Map<ChecksumAlgorithm, Digest>([...algorithms].map((a) => [a, createDigest(a)]));
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      md5.update(chunk);
      sha256?.update(chunk);
      for (const d of digests.values()) d.update(chunk);
      done(null, chunk);
    },
  });
  const decoder = payloadHash.startsWith('STREAMING-') ? new AwsChunkedDecoder() : undefined;
  try {
    await pipeline([source, ...(decoder ? [decoder] : []), tap, createWriteStream(file)]);
  } catch (error) {
    rmSync(file, { force: true });
    if (!(error instanceof ChunkedEncodingError)) throw error;
    return { ok: false, error: { status: 400, code: 'IncompleteBody', message: (error as Error).message } };
  }

  const checksums = new Map([...digests].map(([a, d]) => [a, d.digest().toString('base64')] as const));
  const body: ReceivedBody = { size, md5: md5.digest(), checksums };
  const problem = verify(body, headers, {
    decoder,
    sha256Hex: sha256?.digest('hex'),
    payloadHash,
    trailer: declared.trailer,
  });
  if (problem) {
    rmSync(file, { force: true });
    return { ok: false, error: problem };
  }
  return { ok: true, body };
}

function verify(
  body: ReceivedBody,
  headers: Record<string, string>,
  seen: {
    decoder: AwsChunkedDecoder | undefined;
    sha256Hex: string | undefined;
    payloadHash: string;
    trailer: string[];
  },
): WireError | undefined {
  const decodedLength = headers['x-amz-decoded-content-length'];
  if (seen.decoder && decodedLength !== undefined && Number(decodedLength) !== body.size)
    return {
      status: 400,
      code: 'IncompleteBody',
      message:
        'You did not provide the number of bytes specified by the x-amz-decoded-content-length header.',
    };
  if (seen.sha256Hex !== undefined && seen.sha256Hex !== seen.payloadHash)
    return {
      status: 400,
      code: 'XAmzContentSHA256Mismatch',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    };
  const contentMd5 = headers['content-md5'];
  if (contentMd5 !== undefined && contentMd5 !== body.md5.toString('base64'))
    return badDigest('The Content-MD5 you specified did not match what we received.');
  for (const [algorithm, value] of body.checksums) {
    const name = checksumHeader(algorithm);
    const given = headers[name] ?? seen.decoder?.trailers.get(name);
    if (given === undefined && seen.trailer.includes(name))
      return {
        status: 400,
        code: 'InvalidRequest',
        message: `The trailer ${name} was declared but not sent.`,
      };
    if (given !== undefined && given !== value)
      return badDigest(`The ${algorithm} you specified did not match the calculated checksum.`);
  }
  return undefined;
}

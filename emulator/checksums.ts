/** The S3 flexible checksums the emulator verifies and returns, computed incrementally over streamed bodies. */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface Digest {
  update(chunk: Buffer): void;
  /** The raw checksum bytes (base64 on the wire). */
  digest(): Buffer;
}

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

/** `x-amz-checksum-crc32` for CRC32, and so on. */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** The XML element name in multipart replies: ChecksumCRC32, ChecksumSHA256, ... */
export function checksumElement(algorithm: ChecksumAlgorithm): string {
  return `Checksum${algorithm}`;
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32cUpdate(crc: number, chunk: Buffer): number {
  let c = ~crc >>> 0;
  for (const byte of chunk) c = CRC32C_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export function createDigest(algorithm: ChecksumAlgorithm): Digest {
  switch (algorithm) {
    case 'CRC32':
    case 'CRC32C': {
      const step = algorithm === 'CRC32' ? (c: number, b: Buffer) => crc32(b, c) : crc32cUpdate;
      let value = 0;
      return { update: (chunk) => void (value = step(value, chunk)), digest: () => uint32(value) };
    }
    case 'SHA1':
    case 'SHA256': {
      const hash = createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256');
      return { update: (chunk) => void hash.update(chunk), digest: () => hash.digest() };
    }
  }
}

export function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): string {
  const digest = createDigest(algorithm);
  digest.update(data);
  return digest.digest().toString('base64');
}

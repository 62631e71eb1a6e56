/**
 * The sha256 of a local file. Every read lands in the same buffer, so memory stays flat whatever the file's size:
 * a read stream allocates a fresh chunk per read, and those pile up (tens of MB for a 1 GiB file) until the next
 * garbage collection.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const READ_BYTES = 1024 * 1024;

export interface FileDigest {
  /** Lower-case hex. */
  sha256: string;
  /** Bytes read. */
  size: number;
}

export async function sha256File(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  const file = await open(path, 'r');
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, READ_BYTES, size);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await file.close();
  }
  return { sha256: hash.digest('hex'), size };
}

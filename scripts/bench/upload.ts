/**
 * A 1 GiB firmware release: a sparse file (no disk space until written), a dedicated emulator whose storage (the
 * received gigabyte) goes away with it, and the action's peak RSS. The upload window is the emulator's receipt of
 * CreateMultipartUpload to its receipt of CompleteMultipartUpload; the hash is timed from AssumeRoleWithWebIdentity
 * to the next request, which the run sends once the file is hashed.
 */
import { closeSync, openSync, ftruncateSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type RecordedRequest } from '../../emulator/index.js';
import { actionRelease, type BenchContext } from './runs.js';

const LARGE_FIRMWARE_BYTES = 1024 * 1024 * 1024;

export interface LargeUpload {
  bytes: number;
  elapsedMs: number;
  hashMs: number;
  uploadMs: number;
  parts: number;
  peakRssBytes: number;
}

function at(requests: readonly RecordedRequest[], operation: string, from = 0): number {
  const index = requests.findIndex((r, i) => i >= from && r.operation === operation);
  if (index < 0) throw new Error(`no ${operation} request in the large upload`);
  return index;
}

export async function largeUpload(root: string, script: string, node: string): Promise<LargeUpload> {
  const dir = join(root, 'large');
  mkdirSync(dir);
  const firmware = join(dir, 'firmware-1g.bin');
  const fd = openSync(firmware, 'w');
  ftruncateSync(fd, LARGE_FIRMWARE_BYTES);
  closeSync(fd);
  const emulator = await startEmulator({ otaPollsToComplete: 1 });
  try {
    const ctx: BenchContext = { emulator, root, script };
    const run = await actionRelease(ctx, node, 'v9.0.0', { firmware, peakRss: true });
    const r = run.requests;
    const assumed = at(r, 'AssumeRoleWithWebIdentity');
    const created = at(r, 'CreateMultipartUpload');
    const completed = at(r, 'CompleteMultipartUpload', created);
    return {
      bytes: LARGE_FIRMWARE_BYTES,
      elapsedMs: run.elapsedMs,
      hashMs: r[assumed + 1]!.at - r[assumed]!.at,
      uploadMs: r[completed]!.at - r[created]!.at,
      parts: r.filter((q) => q.operation === 'UploadPart').length,
      peakRssBytes: run.peakRssBytes ?? 0,
    };
  } finally {
    await emulator.close();
  }
}

/**
 * What a run of the bundle loads: probe runs (probe.mjs preloaded) list the files and count the built-in modules,
 * and this sizes them, raw and gzipped.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { runTimed, type TimedOptions, type TimedRun } from './process.js';

const PROBE = fileURLToPath(new URL('./probe.mjs', import.meta.url));

export interface Probe {
  /** Absolute paths of the files loaded, in load order. */
  files: string[];
  /** Node built-in modules loaded (process.moduleLoadList `NativeModule` entries). */
  builtins: number;
  run: TimedRun;
}

/** Runs `node --import probe.mjs args` and reads what it loaded. */
export async function probe(
  node: string,
  args: readonly string[],
  options: TimedOptions,
  outFile: string,
): Promise<Probe> {
  const run = await runTimed(node, ['--import', PROBE, ...args], {
    ...options,
    env: { ...options.env, BENCH_PROBE_OUT: outFile },
  });
  const recorded = JSON.parse(readFileSync(outFile, 'utf8')) as { files: string[]; builtins: number };
  rmSync(outFile, { force: true });
  rmSync(`${outFile}.esm`, { force: true });
  return { files: recorded.files.map((url) => fileURLToPath(url)), builtins: recorded.builtins, run };
}

export interface Sized {
  name: string;
  bytes: number;
  gzipBytes: number;
}

function sizeOf(path: string): Sized {
  const content = readFileSync(path);
  return { name: basename(path), bytes: content.length, gzipBytes: gzipSync(content).length };
}

/** The files under `dir` that were loaded (the probe itself and anything outside `dir` excluded). */
export function loadedFrom(dir: string, files: readonly string[]): Sized[] {
  const prefix = `${dir}/`;
  return files.filter((f) => f.startsWith(prefix)).map(sizeOf);
}

/** Every JavaScript file of the bundle directory. */
export function bundleFiles(dir: string): Sized[] {
  return readdirSync(dir)
    .filter((f) => /\.(c|m)?js$/.test(f))
    .map((f) => sizeOf(join(dir, f)));
}

export function total(files: readonly Sized[]): { bytes: number; gzipBytes: number } {
  return files.reduce((t, f) => ({ bytes: t.bytes + f.bytes, gzipBytes: t.gzipBytes + f.gzipBytes }), {
    bytes: 0,
    gzipBytes: 0,
  });
}

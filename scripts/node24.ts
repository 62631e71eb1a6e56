/**
 * The action runs on Node 24 (`runs.using: node24`). This machine's Node may be older, so tests, the demo and
 * the benchmark get a pinned Node 24 binary from the npm registry (`npx node@<version>`, cached after the first
 * time) and run `dist/index.js` with it. NODE24_BIN overrides the lookup.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const NODE24_VERSION = '24.9.0';

let cached: Promise<string> | undefined;

export function resolveNode24(): Promise<string> {
  cached ??= lookUp();
  return cached;
}

async function lookUp(): Promise<string> {
  const fromEnv = process.env.NODE24_BIN;
  if (fromEnv) return fromEnv;
  if (process.versions.node.startsWith('24.')) return process.execPath;
  const { stdout } = await promisify(execFile)(
    'npx',
    ['-y', `node@${NODE24_VERSION}`, '-p', 'process.execPath'],
    { timeout: 300_000, maxBuffer: 1 << 20 },
  );
  const path = stdout.trim().split('\n').pop() ?? '';
  if (!path) throw new Error(`could not resolve a Node ${NODE24_VERSION} binary with npx`);
  return path;
}

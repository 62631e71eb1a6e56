/**
 * The two Node majors start-up is measured on: 24 (the action's runtime, scripts/node24.ts) and 20 (the oldest the
 * package supports). Node 20 is this process's own binary when it runs on 20, else fetched once with
 * `npx node@20` (cached by npm). NODE20_BIN overrides the lookup.
 */
import { resolveNode24 } from '../node24.js';
import { capture } from './process.js';

export interface NodeBinary {
  label: string;
  path: string;
  version: string;
}

async function resolveNode20(): Promise<string> {
  const fromEnv = process.env.NODE20_BIN;
  if (fromEnv) return fromEnv;
  if (process.versions.node.startsWith('20.')) return process.execPath;
  const out = await capture('npx', ['-y', 'node@20', '-p', 'process.execPath']);
  const path = out.split('\n').pop() ?? '';
  if (!path) throw new Error('could not resolve a Node 20 binary with npx');
  return path;
}

export async function nodeBinaries(): Promise<NodeBinary[]> {
  const binaries: NodeBinary[] = [];
  for (const [label, path] of [
    ['Node 24', await resolveNode24()],
    ['Node 20', await resolveNode20()],
  ] as const) {
    binaries.push({ label, path, version: await capture(path, ['-p', 'process.versions.node']) });
  }
  return binaries;
}

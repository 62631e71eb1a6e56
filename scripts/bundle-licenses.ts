/**
 * licenses.txt of a bundle: name@version, license and license text of every npm package webpack put into any of its
 * chunks, read from ncc's `--stats-out` file. ncc's own `--license` cannot be used for this: its license plugin
 * writes one file per chunk under the one name, so a bundle with lazily loaded chunks ships the licenses of those
 * chunks only and none of the entry chunk's (@actions/core, undici, yaml, ...).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface StatsModule {
  name?: string;
  /** The parts of a concatenated module. */
  modules?: StatsModule[];
}

/** `node_modules/<name>` (innermost, scoped or not) of every module in the stats, relative to the build's root. */
function packageRoots(modules: readonly StatsModule[], roots = new Set<string>()): Set<string> {
  for (const module of modules) {
    const root = /^\.\/(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(module.name ?? '')?.[1];
    if (root !== undefined) roots.add(root);
    packageRoots(module.modules ?? [], roots);
  }
  return roots;
}

function licenseEntry(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    license?: string;
  };
  const file = readdirSync(root).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  const text =
    file === undefined ? '(no license file in the package)' : readFileSync(join(root, file), 'utf8');
  return `${pkg.name}@${pkg.version}\n${pkg.license ?? 'UNKNOWN'}\n${text.trim()}`;
}

/** Writes `outFile` from the stats of a build run in `buildRoot`; returns how many packages it names. */
export function writeLicenses(statsFile: string, buildRoot: string, outFile: string): number {
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { modules?: StatsModule[] };
  const entries = [...packageRoots(stats.modules ?? [])].map((root) => licenseEntry(join(buildRoot, root)));
  const unique = [...new Set(entries)].sort();
  writeFileSync(outFile, `${unique.join('\n\n---\n\n')}\n`);
  return unique.length;
}

/**
 * `npm run bundle [-- --outdir DIR]`: src/index.ts → dist/ (or DIR), the code runners execute, built by
 * @vercel/ncc: ESM output (package.json says `"type": "module"`, and ncc writes a dist/package.json saying so),
 * minified, every dynamic `import()` its own chunk, and licenses.txt naming every bundled package
 * (scripts/bundle-licenses.ts). The folder is emptied first, so a chunk the source no longer produces does not
 * linger. `bundle(dir)` is the same for the tests.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { writeLicenses } from './bundle-licenses.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NCC = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js');

/** Builds the action into `outDir` (absolute, or relative to the repository) and returns ncc's size summary. */
export async function bundle(outDir: string): Promise<string> {
  const out = resolve(REPO, outDir);
  rmSync(out, { recursive: true, force: true });
  const work = mkdtempSync(join(tmpdir(), 'ota-bundle-'));
  try {
    const stats = join(work, 'stats.json');
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      // --no-cache: ncc's cache lives outside the repository; a build must depend on the checkout alone.
      [
        NCC,
        'build',
        join(REPO, 'src', 'index.ts'),
        '--out',
        out,
        '--minify',
        '--no-cache',
        '--stats-out',
        stats,
      ],
      { cwd: REPO, maxBuffer: 16 << 20 },
    );
    const packages = writeLicenses(stats, REPO, join(out, 'licenses.txt'));
    return `${stdout}${stderr}licenses.txt: ${packages} packages\n`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outdir } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } }).values;
  process.stdout.write(await bundle(outdir));
}

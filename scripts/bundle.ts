/**
 * `npm run bundle [-- --outdir DIR]`: src/index.ts → dist/ (or DIR), the code runners execute. esbuild, because
 * what a run loads is the action's own cost (issue 7):
 * - the SDK's ES module builds (`module` before `main`), so unused commands and schemas are tree-shaken away;
 * - code splitting: what a run may never need (S3, multipart upload, credential providers) sits in chunks loaded on
 *   first use, and every chunk is minified;
 * - statically imported Node built-ins are `require`d instead: on Node 24, importing a built-in as an ES module
 *   builds a facade that reads every export, and `node:http`'s lazy exports then load Node's internal undici
 *   (about 25 ms);
 * - the npm `undici` that @actions/http-client imports for proxied `fetch` dispatchers (never used by this action)
 *   goes to dist/undici.cjs and is loaded only if a ProxyAgent is ever constructed.
 * Output names carry content hashes, so a rebuild of the same source gives the same dist/.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';

const OUT = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } }).values.outdir;
const UNDICI_FILE = 'undici.cjs';
const REQUIRE_BANNER = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

const builtinPattern = new RegExp(
  `^(node:)?(${builtinModules.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`,
);

const builtinsAsRequire: Plugin = {
  name: 'builtins-as-require',
  setup(b) {
    // A dynamic import() stays a native one: it runs late if at all, and must see the named exports.
    b.onResolve({ filter: builtinPattern }, (args) =>
      args.namespace === 'builtin' || args.kind === 'dynamic-import'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

const deferredUndici: Plugin = {
  name: 'deferred-undici',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'deferred-undici' }));
    b.onResolve({ filter: new RegExp(`^\\./${UNDICI_FILE.replace('.', '\\.')}$`) }, (args) => ({
      path: args.path,
      external: true,
    }));
    b.onLoad({ filter: /.*/, namespace: 'deferred-undici' }, () => ({
      contents: `export class ProxyAgent {
  constructor(options) {
    return new (require('./${UNDICI_FILE}').ProxyAgent)(options);
  }
}`,
      loader: 'js',
    }));
  },
};

/** name@version, license and license text of every package that went into the bundle. */
function licenses(metafiles: Metafile[]): string {
  const roots = new Set<string>();
  for (const meta of metafiles) {
    for (const input of Object.keys(meta.inputs)) {
      const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) roots.add(m[1]!);
    }
  }
  const entries = [...roots].map((root) => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const licenseFile = readdirSync(root).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = licenseFile === undefined ? '' : readFileSync(join(root, licenseFile), 'utf8').trim();
    return `${pkg.name}@${pkg.version}\n${pkg.license ?? 'UNKNOWN'}\n${text}`;
  });
  return `${[...new Set(entries)].sort().join('\n\n---\n\n')}\n`;
}

rmSync(OUT, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  mainFields: ['module', 'main'],
  metafile: true,
  logLevel: 'warning',
} satisfies BuildOptions;
const action = await build({
  ...common,
  entryPoints: ['src/index.ts'],
  format: 'esm',
  splitting: true,
  outdir: OUT,
  chunkNames: '[name]-[hash]',
  banner: { js: REQUIRE_BANNER },
  plugins: [builtinsAsRequire, deferredUndici],
});
const undici = await build({
  ...common,
  // Resolved from @actions/http-client, so it is the undici that package would load.
  stdin: { contents: "module.exports = require('undici');", resolveDir: 'node_modules/@actions/http-client' },
  format: 'cjs',
  outfile: join(OUT, UNDICI_FILE),
});
writeFileSync(join(OUT, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
writeFileSync(join(OUT, 'licenses.txt'), licenses([action.metafile, undici.metafile]));
for (const [file, { bytes }] of Object.entries({ ...action.metafile.outputs, ...undici.metafile.outputs })) {
  console.log(`${String(bytes).padStart(9)}  ${file}`);
}

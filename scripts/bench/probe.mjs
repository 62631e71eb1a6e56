/**
 * Preloaded with `node --import` in the benchmark's probe runs: records every file the process loads, as ES module
 * (through a loader hook) or CommonJS (require.cache), and the Node built-in modules it loaded, into the JSON file
 * named by BENCH_PROBE_OUT when the process exits. Plain JavaScript, so any Node runs it without a TypeScript loader.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import process from 'node:process';
import { URL } from 'node:url';

const out = process.env.BENCH_PROBE_OUT;
if (out) {
  const esmList = `${out}.esm`;
  writeFileSync(esmList, '');
  register(new URL('./probe-hooks.mjs', import.meta.url), { data: { esmList } });
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const esm = readFileSync(esmList, 'utf8').split('\n').filter(Boolean);
    const cjs = Object.keys(require.cache).map((path) => `file://${path}`);
    const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).length;
    writeFileSync(out, JSON.stringify({ files: [...new Set([...esm, ...cjs])], builtins }));
  });
}

/**
 * `npm run bench [-- --runs N] [-- --skip-large]`: the action's own cost, measured on the built bundle (dist/)
 * against the embedded emulator, printed as a table with each figure beside its target (issue 7). Build first with
 * `npm run bundle`. BENCH_SKIP_LARGE=1 also skips the 1 GiB upload.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/index.js';
import { actionEnv, benchRoot, FIRMWARE_PATH, newJob, releaseInputs } from './bench/action.js';
import { resolveAwsCli } from './bench/cli.js';
import { bundleFiles, loadedFrom, probe, total, type Sized } from './bench/footprint.js';
import { nodeBinaries, type NodeBinary } from './bench/nodes.js';
import { capture } from './bench/process.js';
import { callRows, figures, type Figures } from './bench/report.js';
import {
  actionRelease,
  awsCliRelease,
  bareNode,
  invalidInputs,
  SMALL_FIRMWARE_BYTES,
  toFirstRequest,
  toInvalidInputExit,
  type ActionRelease,
  type BenchContext,
  type CliRun,
} from './bench/runs.js';
import { renderTable, summarize } from './bench/table.js';
import { largeUpload, type LargeUpload } from './bench/upload.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    'skip-large': { type: 'boolean', default: false },
    dist: { type: 'string', default: join(REPO, 'dist') },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer, got ${values.runs}`);
const skipLarge = values['skip-large'] || process.env.BENCH_SKIP_LARGE === '1';
const dist = resolve(values.dist);
const script = join(dist, 'index.js');
if (!existsSync(script)) throw new Error(`${script} does not exist: run \`npm run bundle\` first`);

const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

async function main(): Promise<void> {
  const nodes = await nodeBinaries();
  const node24 = nodes[0]!;
  const aws = await resolveAwsCli();
  const awsVersion = aws === undefined ? 'not found' : (await capture(aws, ['--version'])).split(' ')[0]!;
  const emulator = await startEmulator({ otaPollsToComplete: 1 });
  const root = benchRoot();
  const ctx: BenchContext = { emulator, root, script };
  try {
    progress(`warm-up (not counted), then ${runs} rounds`);
    for (const node of nodes) {
      await bareNode(node.path);
      await toFirstRequest(ctx, node.path, 'v0.0.1');
      await toInvalidInputExit(ctx, node.path, 'v0.0.1');
    }
    await actionRelease(ctx, node24.path, 'v0.0.1');
    if (aws !== undefined) await awsCliRelease(ctx, aws, 0);

    const startup = new Map(
      nodes.map((n) => [n.label, { bare: [] as number[], first: [] as number[], invalid: [] as number[] }]),
    );
    const releases: ActionRelease[] = [];
    const cliRuns: CliRun[] = [];
    for (let i = 1; i <= runs; i++) {
      progress(`round ${i}/${runs}`);
      const tag = `v1.0.${i}`;
      for (const node of nodes) {
        const s = startup.get(node.label)!;
        s.bare.push(await bareNode(node.path));
        s.first.push(await toFirstRequest(ctx, node.path, tag));
        s.invalid.push(await toInvalidInputExit(ctx, node.path, tag));
      }
      releases.push(await actionRelease(ctx, node24.path, tag));
      if (aws !== undefined) cliRuns.push(await awsCliRelease(ctx, aws, i));
    }

    progress('probing what the bundle loads');
    const footprint = await measureFootprint(ctx, node24);
    const rss = await actionRelease(ctx, node24.path, 'v2.0.0', { peakRss: true });

    let large: LargeUpload | undefined;
    if (!skipLarge) {
      progress('1 GiB upload');
      large = await largeUpload(root, script, node24.path);
    }

    const f: Figures = {
      runs,
      nodes: nodes.map((n) => ({ node: n, ...startup.get(n.label)! })),
      releases,
      cliRuns,
      awsAvailable: aws !== undefined,
      smallReleaseRssBytes: rss.peakRssBytes ?? 0,
      ...footprint,
      large,
    };
    const rows = [...figures(f), ...callRows(releases, cliRuns)];
    console.log(header(nodes, awsVersion));
    console.log(renderTable(rows));
    console.log(`\n${summarize(rows)}`);
    console.log(
      `\nChunks a tag release loads besides index.js: ${
        f.releaseFiles
          .filter((x) => x.name !== 'index.js')
          .map((x) => x.name)
          .join(', ') || 'none'
      }`,
    );
    console.log(DEFINITIONS);
  } finally {
    await emulator.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function measureFootprint(
  ctx: BenchContext,
  node: NodeBinary,
): Promise<{
  releaseFiles: Sized[];
  startFiles: Sized[];
  startBuiltins: number;
  bareBuiltins: number;
  allFiles: Sized[];
}> {
  const out = join(ctx.root, 'probe.json');
  const bare = await probe(node.path, ['-e', '0'], { env: { PATH: process.env.PATH ?? '' } }, out);
  const startJob = newJob(ctx.root);
  const start = await probe(
    node.path,
    [ctx.script],
    { env: actionEnv(ctx.emulator, startJob, invalidInputs(), 'v3.0.0'), cwd: startJob.workspace },
    out,
  );
  ctx.emulator.reset();
  const releaseJob = newJob(ctx.root);
  writeFileSync(join(releaseJob.workspace, FIRMWARE_PATH), randomBytes(SMALL_FIRMWARE_BYTES));
  const release = await probe(
    node.path,
    [ctx.script],
    { env: actionEnv(ctx.emulator, releaseJob, releaseInputs(), 'v3.0.1'), cwd: releaseJob.workspace },
    out,
  );
  ctx.emulator.reset();
  if (release.run.exitCode !== 0) throw new Error(`the probed release failed:\n${release.run.stdout}`);
  return {
    releaseFiles: loadedFrom(dist, release.files),
    startFiles: loadedFrom(dist, start.files),
    startBuiltins: start.builtins,
    bareBuiltins: bare.builtins,
    allFiles: bundleFiles(dist),
  };
}

function header(nodes: readonly NodeBinary[], awsVersion: string): string {
  const gib = (totalmem() / 1024 ** 3).toFixed(1);
  return [
    `Action bundle: ${script} (total ${total(bundleFiles(dist)).bytes} bytes in dist/)`,
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${gib} GiB RAM; ${nodes.map((n) => `${n.label} = v${n.version}`).join(', ')}; ${awsVersion}`,
    `Runs: median of ${runs} after one warm-up; the emulator completes an OTA update at its first poll; load average at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}.`,
    '',
  ].join('\n');
}

const DEFINITIONS = `
Definitions
- start-up: spawn of \`node dist/index.js\` (a tag-release step's environment) to the emulator's receipt of the first
  request, the GitHub OIDC token request (the process is then killed); and spawn to exit of a run whose aws-region is
  invalid. Bare node: spawn to exit of \`node -e 0\`. Target: the invalid-input exit on Node 24 at most 120 ms above
  bare node.
- release: spawn to exit of a complete tag release (OIDC token, AssumeRoleWithWebIdentity, 64 KiB upload,
  CreateOTAUpdate, GetOTAUpdate polls until CREATE_COMPLETE) on Node 24. The AWS CLI path does the same with curl
  (token) and \`aws sts assume-role-with-web-identity\`, \`aws s3api put-object\`, \`aws iot create-ota-update\`,
  \`aws iot get-ota-update\`, sleeping before each poll as the action does (1 s, then ×1.5). Real schedule: as
  measured, both including that 1 s wait. Own cost: the same minus the scheduled waits, i.e. what each path itself
  costs; the 8× target applies to the own cost, since no client can shorten the wait on the service.
- bundle (reported, no target): bytes (1 MB = 10^6) and gzip (level 6) of dist/index.js and of every dist/ file a
  release loads (recorded by a loader hook); files and Node built-in modules loaded by the invalid-input run, i.e.
  everything loaded before the first AWS call can be made.
- upload: a 1 GiB sparse file released to a dedicated emulator (which streams it to disk); throughput over the
  emulator's receipt of CreateMultipartUpload to CompleteMultipartUpload; peak RSS of the action process
  (/usr/bin/time, else /proc VmHWM).
- AWS calls: the requests the emulator received during one release, by service and operation.`;

await main();

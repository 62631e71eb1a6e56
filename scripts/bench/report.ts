/** The measured figures turned into table rows, each beside its target. */
import type { RecordedRequest } from '../../emulator/index.js';
import { total, type Sized } from './footprint.js';
import type { NodeBinary } from './nodes.js';
import type { ActionRelease, CliRun } from './runs.js';
import {
  countBy,
  formatBytes,
  formatMs,
  formatRate,
  formatRatio,
  median,
  scheduledWaitMs,
  verdict,
} from './stats.js';
import type { Row } from './table.js';
import type { LargeUpload } from './upload.js';

const TARGETS = {
  /** Spawn to exit on a bad input, Node 24, above bare `node -e 0`. */
  invalidInputAboveBareMs: 120,
  releaseRatio: 8,
  uploadRssBytes: 150_000_000,
} as const;

interface StartupSamples {
  node: NodeBinary;
  bare: number[];
  first: number[];
  invalid: number[];
}

export interface Figures {
  runs: number;
  /** Node 24 first: the target applies to it. */
  nodes: StartupSamples[];
  releases: ActionRelease[];
  cliRuns: CliRun[];
  awsAvailable: boolean;
  smallReleaseRssBytes: number;
  releaseFiles: Sized[];
  startFiles: Sized[];
  startBuiltins: number;
  bareBuiltins: number;
  allFiles: Sized[];
  large: LargeUpload | undefined;
}

function startupRows(samples: StartupSamples, judged: boolean): Row[] {
  const section = `Start-up, ${samples.node.label} (v${samples.node.version})`;
  const bare = median(samples.bare);
  const above = (values: number[]) => median(values) - bare;
  const value = (values: number[]) => `${formatMs(median(values))} (+${formatMs(above(values))})`;
  return [
    { section, measure: 'bare `node -e 0`', value: formatMs(bare) },
    { section, measure: 'to the first request (OIDC token)', value: value(samples.first) },
    {
      section,
      measure: 'to exit on an invalid input',
      value: value(samples.invalid),
      ...(judged
        ? {
            target: `≤ bare + ${TARGETS.invalidInputAboveBareMs} ms`,
            result: verdict(above(samples.invalid), 'at-most', TARGETS.invalidInputAboveBareMs),
          }
        : {}),
    },
  ];
}

function releaseRows(f: Figures): Row[] {
  const section = `Release, Node 24 (64 KiB)`;
  const action = median(f.releases.map((r) => r.elapsedMs));
  const actionOwn = median(f.releases.map((r) => r.elapsedMs - scheduledWaitMs(r.polls)));
  const rows: Row[] = [
    { section, measure: 'action, real poll schedule', value: formatMs(action) },
    { section, measure: 'action, own cost (scheduled waits subtracted)', value: formatMs(actionOwn) },
    { section, measure: 'action, peak RSS', value: formatBytes(f.smallReleaseRssBytes) },
  ];
  if (!f.awsAvailable) {
    return [
      ...rows,
      {
        section,
        measure: 'AWS CLI path',
        value: 'not run: `aws` not found',
        target: `≥ ${TARGETS.releaseRatio}× faster`,
        result: 'FAIL',
      },
    ];
  }
  const cli = median(f.cliRuns.map((r) => r.elapsedMs));
  const cliOwn = median(f.cliRuns.map((r) => r.elapsedMs - r.waitedMs));
  return [
    ...rows,
    { section, measure: 'AWS CLI path, real poll schedule', value: formatMs(cli) },
    { section, measure: 'AWS CLI path, own cost', value: formatMs(cliOwn) },
    { section, measure: 'ratio CLI / action, real poll schedule', value: formatRatio(cli / action) },
    {
      section,
      measure: 'ratio CLI / action, own cost',
      value: formatRatio(cliOwn / actionOwn),
      target: `≥ ${TARGETS.releaseRatio}×`,
      result: verdict(cliOwn / actionOwn, 'at-least', TARGETS.releaseRatio),
    },
  ];
}

function bundleRows(f: Figures): Row[] {
  const section = 'Bundle (dist/)';
  const index = f.allFiles.find((x) => x.name === 'index.js');
  const release = total(f.releaseFiles);
  const start = total(f.startFiles);
  const all = total(f.allFiles);
  const gz = (s: { bytes: number; gzipBytes: number }) =>
    `${formatBytes(s.bytes)} (gzip ${formatBytes(s.gzipBytes)})`;
  return [
    { section, measure: 'dist/index.js', value: index === undefined ? 'missing' : gz(index) },
    {
      section,
      measure: `a release loads: index.js + ${f.releaseFiles.length - 1} chunks`,
      value: gz(release),
    },
    { section, measure: `loaded at start: ${f.startFiles.length} files`, value: gz(start) },
    {
      section,
      measure: 'Node built-in modules loaded at start',
      value: `${f.startBuiltins} (bare node: ${f.bareBuiltins})`,
    },
    { section, measure: `all of dist/: ${f.allFiles.length} files`, value: gz(all) },
  ];
}

function uploadRows(large: LargeUpload | undefined): Row[] {
  const section = 'Upload, 1 GiB';
  if (large === undefined) return [{ section, measure: 'skipped (--skip-large)', value: '' }];
  return [
    { section, measure: 'whole release step', value: formatMs(large.elapsedMs) },
    { section, measure: 'sha256 of the file', value: formatRate(large.bytes, large.hashMs) },
    {
      section,
      measure: `upload throughput (${large.parts} parts)`,
      value: formatRate(large.bytes, large.uploadMs),
    },
    {
      section,
      measure: 'peak RSS of the action',
      value: formatBytes(large.peakRssBytes),
      target: `≤ ${formatBytes(TARGETS.uploadRssBytes)}`,
      result: verdict(large.peakRssBytes, 'at-most', TARGETS.uploadRssBytes),
    },
  ];
}

export function figures(f: Figures): Row[] {
  return [
    ...f.nodes.flatMap((samples, i) => startupRows(samples, i === 0)),
    ...releaseRows(f),
    ...bundleRows(f),
    ...uploadRows(f.large),
  ];
}

/** `service:Operation` of each request; GetOTAUpdate split into the look-up before the create and the polls. */
export function callNames(requests: readonly RecordedRequest[]): string[] {
  const created = requests.findIndex((r) => r.operation === 'CreateOTAUpdate');
  return requests.map((r, i) => {
    const name = `${r.service}:${r.operation}`;
    if (r.operation !== 'GetOTAUpdate') return name;
    return created >= 0 && i > created ? `${name} (poll)` : `${name} (look-up)`;
  });
}

/** The floor of calls a release needs, for the operations that have one. */
const CALL_FLOOR: Readonly<Record<string, number>> = {
  'oidc:OidcToken': 1,
  'sts:AssumeRoleWithWebIdentity': 1,
  'iot:CreateOTAUpdate': 1,
  'iot:GetOTAUpdate (poll)': 1,
};

export function callRows(releases: readonly ActionRelease[], cliRuns: readonly CliRun[]): Row[] {
  const section = 'AWS calls per release';
  const first = releases[0];
  if (first === undefined) return [];
  const names = callNames(first.requests);
  const same = releases.every((r) => callNames(r.requests).join() === names.join());
  const counts = countBy(names);
  for (const name of Object.keys(CALL_FLOOR)) if (!counts.has(name)) counts.set(name, 0);
  const rows: Row[] = [...counts].map(([name, count]) => {
    const floor = CALL_FLOOR[name];
    return {
      section,
      measure: name,
      value: String(count),
      ...(floor === undefined
        ? {}
        : { target: `= ${floor} (floor)`, result: count === floor ? 'PASS' : 'FAIL' }),
    };
  });
  rows.push({
    section,
    measure: 'total, action',
    value: `${names.length}${same ? ' (same in every run)' : ' (varied between runs!)'}`,
  });
  const cli = cliRuns[0];
  if (cli !== undefined)
    rows.push({ section, measure: 'total, AWS CLI path', value: String(cli.requests.length) });
  return rows;
}

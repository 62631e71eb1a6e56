/**
 * `npm run demo`: the bundled action (dist/index.js, on Node 24) ships a firmware release to the embedded local
 * AWS emulator, the way a tag-release workflow would: GitHub OIDC → STS → S3 upload → CreateOTAUpdate → polls until
 * CREATE_COMPLETE. Then it runs the same release again, which finds its own update and changes nothing.
 * No AWS account and no network are needed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/index.js';
import { runAction } from './run-step.js';
import { resolveNode24 } from './node24.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

/** The workflow step the demo runs, as a user would write it under `with:`. */
export const DEMO_INPUTS = {
  'role-to-assume': `arn:aws:iam::${ACCOUNT}:role/github-ota-deployer`,
  'aws-region': REGION,
  'ota-role-arn': `arn:aws:iam::${ACCOUNT}:role/iot-ota-service`,
  targets: 'thinggroup/field-fleet\nthing/bench-device-01',
  firmware: 'build/firmware.bin',
  's3-bucket': 'acme-firmware-releases',
  'rollout-config': 'maximumPerMinute: 50',
  'abort-config': [
    'abortCriteriaList:',
    '  - failureType: FAILED',
    '    action: CANCEL',
    '    thresholdPercentage: 10',
    '    minNumberOfExecutedThings: 5',
  ].join('\n'),
  'timeout-config': 'inProgressTimeoutInMinutes: 60',
};

async function main(): Promise<number> {
  const node = await resolveNode24();
  const workspace = mkdtempSync(join(tmpdir(), 'ota-demo-'));
  const emulator = await startEmulator({
    region: REGION,
    accountId: ACCOUNT,
    roles: [
      { arn: DEMO_INPUTS['role-to-assume'], trustedSubs: ['repo:acme/sensor-firmware:ref:refs/tags/*'] },
    ],
    oidcClaims: { repository: 'acme/sensor-firmware', ref: 'refs/tags/v2.4.0' },
    buckets: [{ name: DEMO_INPUTS['s3-bucket'], versioned: true }],
  });
  try {
    const build = join(workspace, 'build');
    mkdirSync(build);
    writeFileSync(join(build, 'firmware.bin'), demoFirmware(256 * 1024));

    const github = {
      repository: 'acme/sensor-firmware',
      ref: 'refs/tags/v2.4.0',
      refName: 'v2.4.0',
      refType: 'tag' as const,
    };
    console.log(`Emulator on ${emulator.url}; action: dist/index.js on Node ${await nodeVersion(node)}\n`);
    console.log('Step inputs (with:):');
    for (const [name, value] of Object.entries(DEMO_INPUTS))
      console.log(`  ${name}: ${value.replace(/\n/g, '\n    ')}`);

    let exitCode = 0;
    for (const attempt of ['First run of the release', 'Re-run of the same release']) {
      const run = await runAction({
        node,
        inputs: DEMO_INPUTS,
        emulator,
        github,
        env: { GITHUB_WORKSPACE: workspace },
      });
      console.log(`\n=== ${attempt}: exit code ${run.exitCode} ===\n`);
      // The runner swallows ::add-mask:: commands; show that a value was masked, not the (emulated) value.
      console.log(
        indent(
          run.stdout.trim().replace(/^::add-mask::.*$/gm, '::add-mask::(a secret, hidden by the runner)'),
        ),
      );
      if (run.exitCode !== 0) console.log(indent(run.stderr.trim()));
      console.log('\nOutputs:');
      for (const [name, value] of Object.entries(run.outputs)) {
        console.log(
          `  ${name}: ${name === 'request' ? '(the request JSON, ' + value.length + ' characters)' : value}`,
        );
      }
      console.log('\nJob summary:');
      console.log(indent(htmlToText(run.summary)));
      exitCode ||= run.exitCode;
    }
    const calls = emulator.requests.map((r) => `${r.service}:${r.operation}`);
    console.log(`\nRequests that reached the emulator: ${calls.length}`);
    console.log(indent(countBy(calls)));
    console.log(`OTA updates in the emulator: ${emulator.otaUpdates.size} (the re-run created none)`);
    return exitCode;
  } finally {
    await emulator.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

function demoFirmware(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

async function nodeVersion(node: string): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  return execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
}

function countBy(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => `${item} ×${n}`).join('\n');
}

function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/g, ', ')
    .replace(/<\/(tr|h\d|p)>/g, '\n')
    .replace(/<\/t[hd]>/g, ' | ')
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

process.exitCode = await main();

/**
 * `npm run demo`: the bundled action (dist/index.js, on Node 24) against the embedded local AWS emulator, the way
 * a tag-release workflow runs it: GitHub OIDC → STS → S3 upload → CreateOTAUpdate → CREATE_COMPLETE → the IoT job
 * followed on simulated devices (`wait: rollout`). The steps are in demo-scenario.ts: v2.4.0 to the field fleet
 * (green), its re-run (reused, no second update), v2.5.0 to the canary group (red: the abort config cancels it).
 * The red step is the outcome shown, so the demo exits 0; it exits 1 only when a step does not do what it claims.
 * No AWS account and no network are needed.
 */
import { execFileSync } from 'node:child_process';
import type { Emulator } from '../emulator/index.js';
import { DEMO_EMULATOR, DEMO_INPUTS, DEMO_TIME_SCALE, playDemo, type PlayedStep } from './demo-scenario.js';
import { resolveNode24 } from './node24.js';

async function main(): Promise<number> {
  const node = await resolveNode24();
  const version = execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
  console.log(`Action: dist/index.js on Node ${version}; the local AWS emulator in ${DEMO_EMULATOR.region}.`);
  console.log(
    `Fleet: ${fleetText()}. Device time runs ${DEMO_TIME_SCALE}× faster, and the action's waits with it.\n`,
  );
  console.log('Step inputs (with:):');
  for (const [name, value] of Object.entries(DEMO_INPUTS))
    console.log(`  ${name}: ${value.replace(/\n/g, '\n    ')}`);

  const started = Date.now();
  let first = true;
  const { played, requests } = await playDemo(node, (step, emulator) => {
    if (first) console.log(`\nEmulator on ${emulator.url}`);
    first = false;
    show(step, emulator);
  });

  const calls = requests.map((r) => `${r.service}:${r.operation}`);
  console.log(`\nRequests that reached the emulator: ${calls.length}`);
  console.log(indent(countBy(calls)));
  const failed = played.flatMap((p) => p.checks.filter((c) => !c.ok).map((c) => ({ step: p.step.title, c })));
  const total = played.reduce((n, p) => n + p.checks.length, 0);
  console.log(`\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  if (failed.length === 0) {
    console.log(`Every step did what it shows (${total} checks).`);
    return 0;
  }
  console.log(`UNEXPECTED: ${failed.length} of ${total} checks did not hold:`);
  for (const { step, c } of failed) console.log(`  ${step}: ${c.what}: found ${c.found}`);
  return 1;
}

function show({ step, run, checks }: PlayedStep, emulator: Emulator): void {
  console.log(`\n=== ${step.title} (tag ${step.tag}): exit code ${run.exitCode} ===`);
  const changed = Object.entries(step.inputs).filter(
    ([name, value]) => DEMO_INPUTS[name as keyof typeof DEMO_INPUTS] !== value,
  );
  for (const [name, value] of changed) console.log(`  with ${name}: ${value}`);
  console.log('');
  // The runner swallows ::add-mask:: commands; show that a value was masked, not the (emulated) value.
  console.log(
    indent(run.stdout.trim().replace(/^::add-mask::.*$/gm, '::add-mask::(a secret, hidden by the runner)')),
  );
  console.log('\nOutputs:');
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(
      `  ${name}: ${name === 'request' ? '(the request JSON, ' + value.length + ' characters)' : value}`,
    );
  }
  console.log('\nJob summary:');
  console.log(indent(htmlToText(run.summary)));
  console.log(`\nOTA updates in the emulator: ${emulator.otaUpdates.size}`);
  console.log('Checks:');
  for (const c of checks)
    console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.what}${c.ok ? '' : `: found ${c.found}`}`);
}

function fleetText(): string {
  const groups = new Map<string, number>();
  let alone = 0;
  for (const thing of DEMO_EMULATOR.things ?? []) {
    if (!thing.groups?.length) alone += 1;
    for (const group of thing.groups ?? []) groups.set(group, (groups.get(group) ?? 0) + 1);
  }
  const parts = [...groups].map(([group, n]) => `thinggroup/${group} (${n} things)`);
  return [...parts, `${alone} thing${alone === 1 ? '' : 's'} in no group`].join(', ');
}

function countBy(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => `${item} ×${n}`).join('\n');
}

function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/g, ', ')
    .replace(/<\/(tr|h\d|p|li)>/g, '\n')
    .replace(/<\/t[hd]>/g, ' | ')
    .replace(/<li>/g, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
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

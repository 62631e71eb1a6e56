/**
 * The measured runs: start-up (bare node, the action to its first request, the action to its exit on an invalid
 * input), a complete tag release by the action, and the same release with the AWS CLI. Each run starts from a reset
 * emulator and a fresh firmware file, so every release uploads and creates.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator, RecordedRequest } from '../../emulator/index.js';
import { actionEnv, FIRMWARE_PATH, newJob, readOutputs, releaseInputs } from './action.js';
import { cliRelease, type CliRelease } from './cli.js';
import { runTimed } from './process.js';

export const SMALL_FIRMWARE_BYTES = 64 * 1024;

export interface BenchContext {
  emulator: Emulator;
  /** Temp directory for jobs; removed by the caller. */
  root: string;
  /** Absolute path of the action's entry (dist/index.js). */
  script: string;
}

export async function bareNode(node: string): Promise<number> {
  const run = await runTimed(node, ['-e', '0'], { env: { PATH: process.env.PATH ?? '' } });
  return run.elapsedMs;
}

/** Spawn to the emulator's receipt of the first request (the OIDC token request); the process is then killed. */
export async function toFirstRequest(ctx: BenchContext, node: string, tag: string): Promise<number> {
  ctx.emulator.reset();
  const job = newJob(ctx.root);
  writeFileSync(join(job.workspace, FIRMWARE_PATH), randomBytes(SMALL_FIRMWARE_BYTES));
  const run = await runTimed(node, [ctx.script], {
    env: actionEnv(ctx.emulator, job, releaseInputs(), tag),
    cwd: job.workspace,
    stopWhen: () => ctx.emulator.requests.length > 0,
  });
  const first = ctx.emulator.requests[0];
  if (first === undefined) throw new Error(`the action made no request:\n${run.stdout}\n${run.stderr}`);
  if (first.operation !== 'OidcToken')
    throw new Error(`the first request was ${first.operation}, not OidcToken`);
  ctx.emulator.reset();
  return first.at - run.startedAt;
}

/** The inputs of a release with one invalid value: the run must fail before any request. */
export function invalidInputs(): Record<string, string> {
  return { ...releaseInputs(), 'aws-region': 'not a region' };
}

/** Spawn to exit of a run whose inputs are invalid. */
export async function toInvalidInputExit(ctx: BenchContext, node: string, tag: string): Promise<number> {
  ctx.emulator.reset();
  const job = newJob(ctx.root);
  const run = await runTimed(node, [ctx.script], {
    env: actionEnv(ctx.emulator, job, invalidInputs(), tag),
    cwd: job.workspace,
  });
  const outputs = readOutputs(job);
  if (run.exitCode !== 1 || outputs['error-code'] !== 'InvalidInput' || ctx.emulator.requests.length > 0) {
    throw new Error(`expected an InvalidInput failure without requests:\n${run.stdout}\n${run.stderr}`);
  }
  return run.elapsedMs;
}

export interface ActionRelease {
  elapsedMs: number;
  /** GetOTAUpdate calls after CreateOTAUpdate. */
  polls: number;
  requests: RecordedRequest[];
  peakRssBytes?: number;
}

/** A complete tag release of `size` bytes of firmware (random, or a sparse file at `firmware` when given). */
export async function actionRelease(
  ctx: BenchContext,
  node: string,
  tag: string,
  options: { firmware?: string; peakRss?: boolean } = {},
): Promise<ActionRelease> {
  ctx.emulator.reset();
  const job = newJob(ctx.root);
  if (options.firmware === undefined)
    writeFileSync(join(job.workspace, FIRMWARE_PATH), randomBytes(SMALL_FIRMWARE_BYTES));
  const run = await runTimed(node, [ctx.script], {
    env: actionEnv(ctx.emulator, job, releaseInputs(options.firmware), tag),
    cwd: job.workspace,
    peakRss: options.peakRss === true,
    timeoutMs: 600_000,
  });
  const outputs = readOutputs(job);
  if (
    run.exitCode !== 0 ||
    outputs.result !== 'created' ||
    outputs['ota-update-status'] !== 'CREATE_COMPLETE'
  ) {
    throw new Error(`the release did not complete (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  }
  const requests = [...ctx.emulator.requests];
  ctx.emulator.reset();
  return {
    elapsedMs: run.elapsedMs,
    polls: pollsAfterCreate(requests),
    requests,
    ...(run.peakRssBytes === undefined ? {} : { peakRssBytes: run.peakRssBytes }),
  };
}

function pollsAfterCreate(requests: readonly RecordedRequest[]): number {
  const created = requests.findIndex((r) => r.operation === 'CreateOTAUpdate');
  if (created < 0) return 0;
  return requests.slice(created + 1).filter((r) => r.operation === 'GetOTAUpdate').length;
}

export interface CliRun extends CliRelease {
  requests: RecordedRequest[];
}

export async function awsCliRelease(ctx: BenchContext, aws: string, index: number): Promise<CliRun> {
  ctx.emulator.reset();
  const job = newJob(ctx.root);
  const firmware = join(job.workspace, FIRMWARE_PATH);
  writeFileSync(firmware, randomBytes(SMALL_FIRMWARE_BYTES));
  const result = await cliRelease({
    aws,
    emulator: ctx.emulator,
    firmware,
    key: `cli/v1.0.${index}/firmware.bin`,
    otaUpdateId: `cli-release-${index}`,
    home: job.workspace,
  });
  const requests = [...ctx.emulator.requests];
  ctx.emulator.reset();
  return { ...result, requests };
}

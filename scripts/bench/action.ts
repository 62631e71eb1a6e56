/**
 * The action as the runner starts it: `node dist/index.js` with INPUT_* variables, the GitHub context of a tag push,
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, the emulator's endpoints and OIDC request variables, and nothing from
 * the developer's AWS configuration.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '../../emulator/index.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const BUCKET = 'firmware-bucket';
export const DEPLOYER_ROLE = `arn:aws:iam::${ACCOUNT}:role/ota-deployer`;
export const OTA_SERVICE_ROLE = `arn:aws:iam::${ACCOUNT}:role/ota-service`;
const REPOSITORY = 'octo/firmware';
export const TARGET_GROUP = 'fleet';
export const FIRMWARE_PATH = 'build/firmware.bin';

/** The smallest tag-release step: OIDC role, region, service role, one thing group, one local file, one bucket. */
export function releaseInputs(firmware = FIRMWARE_PATH): Record<string, string> {
  return {
    'role-to-assume': DEPLOYER_ROLE,
    'aws-region': REGION,
    'ota-role-arn': OTA_SERVICE_ROLE,
    targets: `thinggroup/${TARGET_GROUP}`,
    firmware,
    's3-bucket': BUCKET,
  };
}

/** A directory standing in for the job: the checkout (workspace) and the runner's command files. */
export interface Job {
  workspace: string;
  /** The runner's temp folder (RUNNER_TEMP): the job's folder's parent, where the 1 GiB firmware lives. */
  runnerTemp: string;
  outputFile: string;
  summaryFile: string;
}

export function newJob(root: string): Job {
  const dir = mkdtempSync(join(root, 'job-'));
  const job = {
    workspace: join(dir, 'workspace'),
    runnerTemp: root,
    outputFile: join(dir, 'output'),
    summaryFile: join(dir, 'summary.md'),
  };
  mkdirSync(join(job.workspace, 'build'), { recursive: true });
  writeFileSync(job.outputFile, '');
  writeFileSync(job.summaryFile, '');
  return job;
}

export function benchRoot(): string {
  return mkdtempSync(join(tmpdir(), 'ota-bench-'));
}

export function actionEnv(
  emulator: Emulator,
  job: Job,
  inputs: Record<string, string>,
  tag: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: job.workspace,
    AWS_CONFIG_FILE: join(job.workspace, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(job.workspace, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REF: `refs/tags/${tag}`,
    GITHUB_REF_NAME: tag,
    GITHUB_REF_TYPE: 'tag',
    GITHUB_SHA: '3f786850e387550fdab836ed7e6dc881de23001b',
    GITHUB_RUN_ID: '4711',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_WORKSPACE: job.workspace,
    RUNNER_TEMP: job.runnerTemp,
    GITHUB_OUTPUT: job.outputFile,
    GITHUB_STEP_SUMMARY: job.summaryFile,
    ...emulator.env,
    ...extra,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

/** `name<<DELIMITER` blocks and `name=value` lines of GITHUB_OUTPUT. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block !== null) {
      const end = lines.indexOf(block[2]!, i + 1);
      outputs[block[1]!] = lines.slice(i + 1, end < 0 ? lines.length : end).join('\n');
      i = end < 0 ? lines.length : end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

export function readOutputs(job: Job): Record<string, string> {
  return parseOutputs(readFileSync(job.outputFile, 'utf8'));
}

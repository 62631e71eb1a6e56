/**
 * Runs the bundled action (dist/index.js, or the bundle `useActionScript` names) the way the GitHub runner does: a
 * child process with a clean environment, INPUT_* variables, temp GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_ENV
 * files and the GitHub context of a workflow run; pointed at an emulator when one is given. Returns what the step
 * produced.
 *
 * ```ts
 * const run = await runAction({ node, inputs: { 'ota-role-arn': '…' }, emulator, github: { ref: 'refs/heads/main' } });
 * run.exitCode; run.outputs['ota-update-id']; run.summary; run.errorLines;
 * ```
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '../emulator/index.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let actionScript = join(REPO_ROOT, 'dist', 'index.js');

/** Runs without `script` run this file from now on: the end-to-end tests' fresh bundle of src/ (test/e2e/setup.ts). */
export function useActionScript(path: string): void {
  actionScript = path;
}

export interface GitHubContextOptions {
  repository: string;
  ref: string;
  refName: string;
  refType: 'branch' | 'tag';
  sha: string;
  runId: string;
  runAttempt: string;
  eventName: string;
}

export interface RunActionOptions {
  /** The Node binary to run with (the pinned Node 24 in tests). */
  node: string;
  /** Inputs by their action.yml name. */
  inputs: Record<string, string>;
  /** Extra environment, applied last; undefined removes a variable. GITHUB_WORKSPACE also sets the working directory. */
  env?: Record<string, string | undefined>;
  /** Adds the emulator's env (endpoints, OIDC request URL and token, AWS_REGION). */
  emulator?: Emulator;
  /** Adds AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY of the emulator's static credentials. */
  staticCredentials?: boolean;
  /** Defaults: a tag push of v1.2.0 on octo/firmware. */
  github?: Partial<GitHubContextOptions>;
  /** Kill the process after this long (default 60 s) and reject. */
  timeoutMs?: number;
  /** Cancels the step as the runner does: SIGTERM to the process when aborted. */
  cancel?: AbortSignal;
  /** The signal a cancellation sends (default SIGTERM; the runner sends SIGINT first). */
  cancelWith?: 'SIGINT' | 'SIGTERM';
  /** Run this script instead of the action's bundle (the harness's own tests). */
  script?: string;
}

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Parsed from GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** The GITHUB_STEP_SUMMARY file. */
  summary: string;
  /** The messages of `::error…::message` lines on stdout, decoded. */
  errorLines: string[];
}

const DEFAULT_SHA = '3f786850e387550fdab836ed7e6dc881de23001b';

/** The whole GitHub context, filling in what is not given (ref ↔ refName + refType). */
export function githubContext(given: Partial<GitHubContextOptions> = {}): GitHubContextOptions {
  let { ref, refName, refType } = given;
  if (ref === undefined) {
    refType ??= 'tag';
    refName ??= 'v1.2.0';
    ref = `refs/${refType === 'tag' ? 'tags' : 'heads'}/${refName}`;
  } else {
    const m = /^refs\/(tags|heads)\/(.+)$/.exec(ref);
    refType ??= m?.[1] === 'heads' ? 'branch' : 'tag';
    refName ??= m?.[2] ?? ref;
  }
  return {
    repository: given.repository ?? 'octo/firmware',
    ref,
    refName,
    refType,
    sha: given.sha ?? DEFAULT_SHA,
    runId: given.runId ?? '4711',
    runAttempt: given.runAttempt ?? '1',
    eventName: given.eventName ?? 'push',
  };
}

/** `name<<DELIM` heredoc blocks and plain `name=value` lines, as @actions/core writes GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing ${delimiter} for ${name}`);
      out[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/** The message of each `::error::` workflow command, with the command escapes undone. */
export function errorMessages(stdout: string): string[] {
  return stdout
    .split(/\r?\n/)
    .filter((line) => line.startsWith('::error'))
    .map((line) => line.slice(line.indexOf('::', 2) + 2))
    .map((m) => m.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'));
}

function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export async function runAction(opts: RunActionOptions): Promise<ActionRun> {
  const temp = mkdtempSync(join(tmpdir(), 'ota-action-run-'));
  const workspace = opts.env?.GITHUB_WORKSPACE ?? join(temp, 'workspace');
  const files = {
    GITHUB_OUTPUT: join(temp, 'output'),
    GITHUB_STEP_SUMMARY: join(temp, 'summary.md'),
    GITHUB_ENV: join(temp, 'env'),
    GITHUB_PATH: join(temp, 'path'),
    GITHUB_STATE: join(temp, 'state'),
    GITHUB_EVENT_PATH: join(temp, 'event.json'),
  };
  try {
    for (const file of Object.values(files)) writeFileSync(file, '');
    if (opts.env?.GITHUB_WORKSPACE === undefined) mkdirSync(workspace);
    const gh = githubContext(opts.github);
    writeFileSync(
      files.GITHUB_EVENT_PATH,
      JSON.stringify({
        ref: gh.ref,
        repository: {
          full_name: gh.repository,
          name: gh.repository.split('/')[1],
          owner: { login: gh.repository.split('/')[0] },
        },
        head_commit: { id: gh.sha },
      }),
    );
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // Keep the developer's AWS config and the instance metadata service out of the run.
      AWS_CONFIG_FILE: join(temp, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(temp, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: gh.repository,
      GITHUB_REPOSITORY_OWNER: gh.repository.split('/')[0],
      GITHUB_REF: gh.ref,
      GITHUB_REF_NAME: gh.refName,
      GITHUB_REF_TYPE: gh.refType,
      GITHUB_SHA: gh.sha,
      GITHUB_RUN_ID: gh.runId,
      GITHUB_RUN_ATTEMPT: gh.runAttempt,
      GITHUB_EVENT_NAME: gh.eventName,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
      GITHUB_WORKFLOW: 'release',
      GITHUB_JOB: 'ota',
      GITHUB_ACTION: 'ota',
      GITHUB_ACTOR: 'octocat',
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: temp,
      GITHUB_WORKSPACE: workspace,
      ...files,
      ...opts.emulator?.env,
      ...(opts.staticCredentials && opts.emulator
        ? {
            AWS_ACCESS_KEY_ID: opts.emulator.staticCredentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: opts.emulator.staticCredentials.secretAccessKey,
          }
        : {}),
      ...Object.fromEntries(Object.entries(opts.inputs).map(([name, value]) => [inputVariable(name), value])),
      ...opts.env,
    };
    const childEnv = Object.fromEntries(
      Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const { exitCode, stdout, stderr } = await spawnBounded(
      opts.node,
      [opts.script ?? actionScript],
      { env: childEnv, cwd: workspace },
      opts.timeoutMs ?? 60_000,
      opts.cancel,
      opts.cancelWith ?? 'SIGTERM',
    );
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
      errorLines: errorMessages(stdout),
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

function spawnBounded(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd: string },
  timeoutMs: number,
  cancel?: AbortSignal,
  cancelWith: 'SIGINT' | 'SIGTERM' = 'SIGTERM',
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    cancel?.addEventListener('abort', () => child.kill(cancelWith), { once: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `action run exceeded ${timeoutMs} ms and was killed\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

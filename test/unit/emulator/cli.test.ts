/** scripts/emulator.ts as a process: env lines on stdout and in the env file, serving until SIGTERM. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../scripts/run-step.js';

const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startCli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', 'scripts/emulator.ts', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('scripts/emulator.ts', () => {
  it('prints and appends the env, serves it, and stops cleanly on SIGTERM', async () => {
    const envFile = join(dir, 'github_env');
    writeFileSync(envFile, 'EARLIER=kept\n');
    const child = startCli(['--write-env', envFile]);
    let stdout = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no env printed in time: ${stdout}`)), 15_000);
      child.stdout.on('data', (d: string) => {
        stdout += d;
        if (stdout.split('\n').length > 6) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const env = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(Object.keys(env)).toEqual([
      'AWS_ENDPOINT_URL_IOT',
      'AWS_ENDPOINT_URL_STS',
      'AWS_ENDPOINT_URL_S3',
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'AWS_REGION',
    ]);
    expect(readFileSync(envFile, 'utf8')).toBe(`EARLIER=kept\n${stdout.trim()}\n`);
    const token = await fetch(env.ACTIONS_ID_TOKEN_REQUEST_URL!, {
      headers: { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
    });
    expect(token.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('refuses a bad port with exit code 2', async () => {
    const child = startCli(['--port', 'http']);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toContain('emulator: --port must be an integer 0..65535, got http');
  });
});

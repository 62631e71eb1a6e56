/** scripts/emulator.ts as a process: env lines on stdout and in the env file, serving until SIGTERM. */
import { spawn } from 'node:child_process';
import { CreateOTAUpdateCommand, DescribeJobCommand, IoTClient } from '@aws-sdk/client-iot';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_STATIC_CREDENTIAL } from '../../../emulator/credentials.js';
import { REPO_ROOT } from '../../../scripts/run-step.js';
import { failure } from './clients.js';

const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startCli(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, ['--import', 'tsx', 'scripts/emulator.ts', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GITHUB_REPOSITORY: '', GITHUB_REF: '', ...env },
  });
}

/** The env lines the CLI prints, once all six are out (bounded by a timeout). */
async function envOf(child: ReturnType<typeof startCli>): Promise<Record<string, string>> {
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
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
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

  it("serves the user's region, account and fleet, with a token for GITHUB_REPOSITORY and GITHUB_REF", async () => {
    const fleet = join(dir, 'fleet.yaml');
    writeFileSync(fleet, 'things:\n  - { name: sensor-01, groups: [field-fleet] }\n');
    const child = startCli(['--region', 'eu-west-1', '--account', '111122223333', '--fleet', fleet], {
      GITHUB_REPOSITORY: 'acme/sensor-firmware',
      GITHUB_REF: 'refs/heads/main',
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const env = await envOf(child);
    const token = (await (
      await fetch(env.ACTIONS_ID_TOKEN_REQUEST_URL!, {
        headers: { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
      })
    ).json()) as { value: string };
    const claims = JSON.parse(Buffer.from(token.value.split('.')[1]!, 'base64url').toString()) as {
      sub: string;
    };
    expect([env.AWS_REGION, claims.sub]).toEqual([
      'eu-west-1',
      'repo:acme/sensor-firmware:ref:refs/heads/main',
    ]);
    const iot = new IoTClient({
      region: 'eu-west-1',
      endpoint: env.AWS_ENDPOINT_URL_IOT,
      credentials: DEFAULT_STATIC_CREDENTIAL,
      maxAttempts: 1,
    });
    const missing = await failure(
      iot.send(
        new CreateOTAUpdateCommand({
          otaUpdateId: 'fw-1',
          targets: ['arn:aws:iot:eu-west-1:111122223333:thinggroup/lab'],
          roleArn: 'arn:aws:iam::111122223333:role/iot-ota-service',
          files: [{ fileLocation: { stream: { streamId: 's', fileId: 0 } } }],
        }),
      ),
    );
    expect([missing.name, missing.message]).toEqual([
      'ResourceNotFoundException',
      'Thing group lab does not exist',
    ]);
    expect((await failure(iot.send(new DescribeJobCommand({ jobId: 'AFR_OTA-fw-1' })))).name).toBe(
      'ResourceNotFoundException',
    );
    expect(stderr).toContain('(eu-west-1, account 111122223333)');
    expect(stderr).toContain('1 thing in 1 thing group');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it.each([
    [['--fleet', '/nonexistent/fleet.yaml'], 'emulator: --fleet: cannot read /nonexistent/fleet.yaml'],
    [['--thing', 'bad name'], "emulator: 1 validation error detected: Value 'bad name' at 'things.1.name'"],
  ])('refuses %j with exit code 2', async (args, message) => {
    const child = startCli(args);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: npm run emulator -- [options]');
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

/** The end-to-end harness, driven with a tiny fake action instead of dist/index.js. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorMessages, githubContext, parseOutputFile, runAction } from '../../scripts/run-step.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';

const FAKE_ACTION = `
import { appendFileSync } from 'node:fs';
const out = (name, value) => appendFileSync(process.env.GITHUB_OUTPUT, name + '<<EOF_1\\n' + value + '\\nEOF_1\\n');
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(AWS_|GITHUB_|INPUT_|ACTIONS_)/.test(k)));
out('env', JSON.stringify(env));
out('cwd', process.cwd());
out('multi', 'line one\\nline two');
appendFileSync(process.env.GITHUB_OUTPUT, 'plain=value=with=equals\\n');
appendFileSync(process.env.GITHUB_STEP_SUMMARY, '## Summary\\n');
console.log('::error title=Failed::first%0Asecond 100%25');
console.log('::error::plain');
process.exitCode = 3;
`;

let dir: string;
let script: string;
let emulator: Emulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'harness-test-'));
  script = join(dir, 'fake-action.mjs');
  writeFileSync(script, FAKE_ACTION);
  writeFileSync(join(dir, 'sleep.mjs'), 'setInterval(() => {}, 1000);');
  emulator = await startEmulator();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runAction', () => {
  it('runs the script with a clean env, inputs, context, files and the emulator, and collects what it wrote', async () => {
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'leaked-from-parent');
    vi.stubEnv('GITHUB_TOKEN', 'leaked-from-parent');
    const run = await runAction({
      node: process.execPath,
      script,
      emulator,
      staticCredentials: true,
      inputs: { 'ota-role-arn': 'arn:aws:iam::1:role/x', 'file name': 'a b' },
      env: { AWS_REGION: undefined, EXTRA: 'x' },
    });
    expect([run.exitCode, run.stderr]).toEqual([3, '']);
    const env = JSON.parse(run.outputs.env!) as Record<string, string>;
    expect(env).toMatchObject({
      'INPUT_OTA-ROLE-ARN': 'arn:aws:iam::1:role/x',
      INPUT_FILE_NAME: 'a b',
      AWS_ACCESS_KEY_ID: emulator.staticCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulator.staticCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_IOT: emulator.url,
      AWS_ENDPOINT_URL_S3: `${emulator.url}/s3`,
      AWS_ENDPOINT_URL_STS: `${emulator.url}/sts`,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${emulator.url}/oidc/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: emulator.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
      AWS_EC2_METADATA_DISABLED: 'true',
      GITHUB_REPOSITORY: 'octo/firmware',
      GITHUB_REF: 'refs/tags/v1.2.0',
      GITHUB_REF_NAME: 'v1.2.0',
      GITHUB_REF_TYPE: 'tag',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_RUN_ID: '4711',
      GITHUB_RUN_ATTEMPT: '1',
    });
    expect(env.AWS_REGION).toBeUndefined();
    expect(env.GITHUB_TOKEN).toBeUndefined();
    expect(run.outputs.cwd).toBe(env.GITHUB_WORKSPACE);
    expect(run.outputs.multi).toBe('line one\nline two');
    expect(run.outputs.plain).toBe('value=with=equals');
    expect(run.summary).toBe('## Summary\n');
    expect(run.errorLines).toEqual(['first\nsecond 100%', 'plain']);
  });

  it('works in a given GITHUB_WORKSPACE with a branch context', async () => {
    const run = await runAction({
      node: process.execPath,
      script,
      inputs: {},
      env: { GITHUB_WORKSPACE: dir },
      github: { ref: 'refs/heads/main', eventName: 'workflow_dispatch' },
    });
    const env = JSON.parse(run.outputs.env!) as Record<string, string>;
    expect(run.outputs.cwd).toBe(dir);
    expect([env.GITHUB_REF_NAME, env.GITHUB_REF_TYPE, env.GITHUB_EVENT_NAME]).toEqual([
      'main',
      'branch',
      'workflow_dispatch',
    ]);
    expect(env.AWS_ENDPOINT_URL_IOT).toBeUndefined();
  });

  it('kills a run that outlives timeoutMs', async () => {
    await expect(
      runAction({ node: process.execPath, script: join(dir, 'sleep.mjs'), inputs: {}, timeoutMs: 300 }),
    ).rejects.toThrow('action run exceeded 300 ms and was killed');
  });
});

describe('pieces', () => {
  it.each([
    [{}, ['refs/tags/v1.2.0', 'v1.2.0', 'tag']],
    [{ refName: 'main', refType: 'branch' as const }, ['refs/heads/main', 'main', 'branch']],
    [{ ref: 'refs/tags/v2.0.0-rc.1' }, ['refs/tags/v2.0.0-rc.1', 'v2.0.0-rc.1', 'tag']],
  ])('githubContext(%j) fills in ref, refName and refType', (given, [ref, refName, refType]) => {
    expect(githubContext(given)).toMatchObject({ ref, refName, refType });
  });

  it('parses heredoc outputs whose value contains the name=value form', () => {
    expect(parseOutputFile('request<<ghadelimiter_1\n{"a":"b=c"}\nx<<y\nghadelimiter_1\nk=v\n')).toEqual({
      request: '{"a":"b=c"}\nx<<y',
      k: 'v',
    });
  });

  it('reads only ::error lines', () => {
    expect(errorMessages('::warning::w\n::error file=a.yml,line=1::bad%0D%0Ainput\ntext')).toEqual([
      'bad\r\ninput',
    ]);
  });
});

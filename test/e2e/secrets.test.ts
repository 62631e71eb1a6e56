/**
 * Secret hygiene end to end: the OIDC token, the temporary and static secret keys, the session token and a custom
 * signature never show in the step log, the outputs or the job summary, except in the `::add-mask::` commands
 * that hide them, on the happy path, on failure paths and in dry-run, with debug logging on (RUNNER_DEBUG=1).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, type ActionRun } from '../../scripts/run-step.js';
import {
  emulatorSecrets,
  expectNoLeaks,
  findLeaks,
  FRAGMENT_LENGTH,
  maskedValues,
  tapSts,
  type StsTap,
} from './leaks.js';

const node = inject('node24');
const DEBUG = { RUNNER_DEBUG: '1', OTA_ACTION_TIME_SCALE: '0.01' };

const BASE = {
  'ota-role-arn': 'arn:aws:iam::123456789012:role/ota-service',
  targets: 'thinggroup/fleet',
  firmware: 'firmware.bin',
  's3-bucket': 'firmware-bucket',
  'aws-region': 'us-east-1',
};
const OIDC = { ...BASE, 'role-to-assume': 'arn:aws:iam::123456789012:role/ota-deployer' };

interface Setup {
  emulator: Emulator;
  tap: StsTap;
  workspace: string;
}

async function withSetup(test: (s: Setup) => Promise<void>): Promise<void> {
  const emulator = await startEmulator();
  const tap = await tapSts(emulator);
  const workspace = mkdtempSync(join(tmpdir(), 'ota-secrets-'));
  writeFileSync(join(workspace, 'firmware.bin'), randomBytes(4096));
  try {
    await test({ emulator, tap, workspace });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    await tap.close();
    await emulator.close();
  }
}

function run(s: Setup, inputs: Record<string, string>, staticCredentials = false): Promise<ActionRun> {
  return runAction({
    node,
    emulator: s.emulator,
    inputs,
    staticCredentials,
    env: { GITHUB_WORKSPACE: s.workspace, ...DEBUG, ...(staticCredentials ? {} : s.tap.env) },
  });
}

/** A custom signature as a signing tool emits it: 72 random bytes, base64. */
function signature(): string {
  return randomBytes(72).toString('base64');
}

/** Every temporary credential STS issued, and the OIDC token, registered with ::add-mask:: by the run. */
function expectMasked(result: ActionRun, s: Setup): void {
  const masked = maskedValues(result);
  const issued = [
    ...s.tap.secrets(),
    ...emulatorSecrets(s.emulator).filter((secret) => secret.label === 'OIDC token'),
  ];
  expect(issued.map((secret) => secret.label).sort()).toEqual([
    'OIDC token',
    'STS AccessKeyId',
    'STS SecretAccessKey',
    'STS SessionToken',
  ]);
  for (const secret of issued) expect(masked.has(secret.value), `${secret.label} masked`).toBe(true);
}

describe('the leak checker', () => {
  const secret = { label: 'planted', value: 'S3cr3t/Value+With=Padding0123456789abcdef' };
  const runWith = (stdout: string, more: Partial<ActionRun> = {}): ActionRun => ({
    exitCode: 0,
    stdout,
    stderr: '',
    outputs: {},
    summary: '',
    errorLines: [],
    ...more,
  });

  it('finds a secret, or any long piece of it, wherever the run wrote it', () => {
    const piece = secret.value.slice(7, 7 + FRAGMENT_LENGTH);
    expect(findLeaks(runWith(`ok\nusing ${piece}…\n`), [secret])).toEqual([
      { label: 'planted', where: 'stdout line 2' },
    ]);
    expect(findLeaks(runWith('', { stderr: encodeURIComponent(secret.value) }), [secret])).toEqual([
      { label: 'planted', where: 'stderr' },
    ]);
    expect(findLeaks(runWith('', { outputs: { request: `"${secret.value}"` } }), [secret])).toEqual([
      { label: 'planted', where: 'output request' },
    ]);
    expect(findLeaks(runWith('', { summary: `<td>${secret.value}</td>` }), [secret])).toEqual([
      { label: 'planted', where: 'summary' },
    ]);
  });

  it('allows the ::add-mask:: command and pieces shorter than the fragment length', () => {
    const short = secret.value.slice(0, FRAGMENT_LENGTH - 1);
    expect(findLeaks(runWith(`::add-mask::${secret.value}\n${short}\n`), [secret])).toEqual([]);
  });
});

describe.concurrent('secrets stay out of the log, the outputs and the summary (debug logging on)', () => {
  it('a release over OIDC: every issued secret masked, none shown', () =>
    withSetup(async (s) => {
      const result = await run(s, OIDC);
      expect(result.exitCode, result.stdout).toBe(0);
      expect(result.stdout).toContain('::debug::');
      expectMasked(result, s);
      expectNoLeaks(result, s.emulator, { tap: s.tap });
    }));

  it('a release with static credentials', () =>
    withSetup(async (s) => {
      const result = await run(s, BASE, true);
      expect(result.exitCode, result.stdout).toBe(0);
      expectNoLeaks(result, s.emulator);
    }));

  it('a release with a custom signature', () =>
    withSetup(async (s) => {
      const sig = signature();
      const result = await run(s, { ...OIDC, signature: sig, 'certificate-name': 'ota.pem' });
      expect(result.exitCode, result.stdout).toBe(0);
      const stored = [...s.emulator.otaUpdates.values()][0];
      expect(JSON.stringify(stored?.request)).toContain(sig);
      expectNoLeaks(result, s.emulator, { tap: s.tap, extra: [{ label: 'custom signature', value: sig }] });
    }));

  it('dry-run with a custom signature: the request output and summary elide its bytes', () =>
    withSetup(async (s) => {
      const sig = signature();
      const result = await run(s, { ...OIDC, signature: sig, 'dry-run': 'true' });
      expect(result.exitCode, result.stdout).toBe(0);
      expect(result.outputs.result).toBe('dry-run');
      expect(result.outputs.request).toContain('"inlineDocument": "<72 bytes elided>"');
      expect(s.emulator.otaUpdates.size).toBe(0);
      expectNoLeaks(result, s.emulator, { tap: s.tap, extra: [{ label: 'custom signature', value: sig }] });
    }));

  it('dry-run with a signature file', () =>
    withSetup(async (s) => {
      const bytes = randomBytes(96);
      writeFileSync(join(s.workspace, 'firmware.sig'), bytes);
      const result = await run(s, { ...OIDC, 'signature-file': 'firmware.sig', 'dry-run': 'true' });
      expect(result.exitCode, result.stdout).toBe(0);
      expectNoLeaks(result, s.emulator, {
        tap: s.tap,
        extra: [{ label: 'signature file', value: bytes.toString('base64') }],
      });
    }));

  it('STS refuses the token (AccessDenied): the token is not quoted', () =>
    withSetup(async (s) => {
      s.emulator.controls.failAlways('AssumeRoleWithWebIdentity', {
        status: 403,
        code: 'AccessDenied',
        message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      });
      const result = await run(s, OIDC);
      expect(result.outputs['error-code']).toBe('AccessDenied');
      expect(result.stdout).toMatch(/::debug::.*ActionError/);
      expect(emulatorSecrets(s.emulator).map((secret) => secret.label)).toContain('OIDC token');
      expectNoLeaks(result, s.emulator, { tap: s.tap });
    }));

  it('IoT refuses the create after the role was assumed, with a custom signature', () =>
    withSetup(async (s) => {
      const sig = signature();
      s.emulator.controls.failAlways('CreateOTAUpdate', {
        status: 400,
        code: 'InvalidRequestException',
        message: 'The signature is not valid for the certificate',
      });
      const result = await run(s, { ...OIDC, signature: sig });
      expect(result.outputs['error-code']).toBe('InvalidRequestException');
      expect(result.outputs.request).toContain('bytes elided');
      expectMasked(result, s);
      expectNoLeaks(result, s.emulator, { tap: s.tap, extra: [{ label: 'custom signature', value: sig }] });
    }));

  it('an existing update with another signature (ExistingUpdateDiffers) names neither signature', () =>
    withSetup(async (s) => {
      const sig = signature();
      const old = signature();
      s.emulator.s3.putObject('firmware-bucket', 'fw.bin', Buffer.from('firmware'));
      s.emulator.seedOtaUpdate('fw-sig', {
        targets: ['arn:aws:iot:us-east-1:123456789012:thinggroup/fleet'],
        roleArn: BASE['ota-role-arn'],
        files: [
          {
            fileName: 'fw.bin',
            fileLocation: { s3Location: { bucket: 'firmware-bucket', key: 'fw.bin' } },
            codeSigning: { customCodeSigning: { signature: { inlineDocument: old } } },
          },
        ],
      });
      const result = await run(s, {
        ...OIDC,
        firmware: '',
        's3-key': 'fw.bin',
        'ota-update-id': 'fw-sig',
        signature: sig,
      });
      expect(result.outputs['error-code']).toBe('ExistingUpdateDiffers');
      expect(result.errorLines[0]).toContain('codeSigning.signature: existing "sha256:');
      expectNoLeaks(result, s.emulator, {
        tap: s.tap,
        extra: [
          { label: 'custom signature', value: sig },
          { label: 'existing signature', value: old },
        ],
      });
    }));

  it('the update fails to create (CREATE_FAILED) with static credentials', () =>
    withSetup(async (s) => {
      s.emulator.controls.createOutcome({ failed: { code: 'AccessDenied', message: 'iam:PassRole denied' } });
      const result = await run(s, BASE, true);
      expect(result.outputs['error-code']).toBe('CREATE_FAILED');
      expectNoLeaks(result, s.emulator);
    }));

  it('AWS cannot be reached after the role was assumed (NetworkError)', () =>
    withSetup(async (s) => {
      s.emulator.controls.failAlways('GetOTAUpdate', 'reset');
      const result = await run(s, OIDC);
      expect(result.outputs['error-code']).toBe('NetworkError');
      expectNoLeaks(result, s.emulator, { tap: s.tap });
    }));

  it('an invalid input next to a valid custom signature is reported without the signature', () =>
    withSetup(async (s) => {
      const sig = signature();
      const result = await run(s, { ...OIDC, signature: sig, 'hash-algorithm': 'MD5' });
      expect(result.outputs['error-code']).toBe('InvalidInput');
      expect(s.emulator.requests).toEqual([]);
      expectNoLeaks(result, s.emulator, { extra: [{ label: 'custom signature', value: sig }] });
    }));
});

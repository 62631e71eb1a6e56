/**
 * What a release pipeline needs, end to end on the emulator: if-exists, waiting and its failures, replacing a
 * failed update, a deletion in progress, code signing bytes on the wire, multi-file updates and a large upload.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction } from '../../scripts/run-step.js';
import { ACCOUNT, BUCKET, FAST, OTA_ROLE, releaseInputs, workspaceWithFirmware } from './fixtures.js';

const node = inject('node24');
let emulator: Emulator;

beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

const calls = (operation: string) => emulator.requests.filter((r) => r.operation === operation);

/** A release with an explicit id, so a test can seed what IoT already holds under it. */
function explicitRelease(extra: Record<string, string> = {}) {
  const { workspace, firmware } = workspaceWithFirmware(4096);
  return {
    inputs: releaseInputs(firmware, { 'ota-update-id': 'fw-release-42', ...extra }),
    env: { GITHUB_WORKSPACE: workspace, ...FAST },
  };
}

const seededBody = {
  targets: [`arn:aws:iot:us-east-1:${ACCOUNT}:thing/someone-else`],
  roleArn: OTA_ROLE,
  files: [{ fileName: 'old.bin', fileLocation: { s3Location: { bucket: BUCKET, key: 'old.bin' } } }],
};

describe('if-exists', () => {
  it('reuse: an update holding another release fails ExistingUpdateDiffers, listing the differences', async () => {
    emulator.seedOtaUpdate('fw-release-42', seededBody);
    const run = await runAction({ node, emulator, ...explicitRelease() });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('ExistingUpdateDiffers');
    expect(run.errorLines[0]).toContain('targets: existing');
    expect(run.errorLines[0]).toContain('thing/someone-else');
    expect(calls('CreateOTAUpdate')).toHaveLength(0);
    expect(calls('PutObject')).toHaveLength(0);
  });

  it('fail: any existing update fails ResourceAlreadyExistsException', async () => {
    emulator.seedOtaUpdate('fw-release-42', seededBody);
    const run = await runAction({ node, emulator, ...explicitRelease({ 'if-exists': 'fail' }) });
    expect(run.outputs['error-code']).toBe('ResourceAlreadyExistsException');
    expect(calls('CreateOTAUpdate')).toHaveLength(0);
  });

  it('replace: deletes with forceDeleteAWSJob, waits until the id is free, then creates', async () => {
    emulator.seedOtaUpdate('fw-release-42', seededBody);
    const run = await runAction({ node, emulator, ...explicitRelease({ 'if-exists': 'replace' }) });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe('replaced');
    const [deletion] = calls('DeleteOTAUpdate');
    expect(deletion?.query).toMatchObject({ forceDeleteAWSJob: 'true', deleteStream: 'true' });
    expect(calls('CreateOTAUpdate')).toHaveLength(1);
    expect(emulator.otaUpdates.get('fw-release-42')?.request.targets).toHaveLength(2);
  });

  it('an update that ended CREATE_FAILED is replaced with a notice, even under reuse', async () => {
    emulator.seedOtaUpdate('fw-release-42', seededBody, 'CREATE_FAILED', {
      code: 'AccessDenied',
      message: 'iam:PassRole',
    });
    const run = await runAction({ node, emulator, ...explicitRelease() });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/::notice::.*CREATE_FAILED/);
    expect(run.outputs.result).toBe('replaced');
  });

  it('an update being deleted: waits until the id is free, then creates', async () => {
    emulator.seedOtaUpdate('fw-release-42', seededBody, 'DELETE_IN_PROGRESS');
    const run = await runAction({ node, emulator, ...explicitRelease() });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe('created');
    expect(calls('DeleteOTAUpdate')).toHaveLength(0);
  });
});

describe('waiting', () => {
  it('CREATE_FAILED: fails with errorInfo, the PassRole hint, and what was created', async () => {
    emulator.controls.createOutcome({
      failed: {
        code: 'AWSIotException',
        message: 'User is not authorized to perform: iam:PassRole on resource',
      },
    });
    const run = await runAction({ node, emulator, ...explicitRelease() });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('CREATE_FAILED');
    expect(run.outputs['ota-update-id']).toBe('fw-release-42');
    expect(run.errorLines[0]).toContain('iam:PassRole');
    expect(run.summary).toContain('Exists in AWS: OTA update <code>fw-release-42</code>');
  });

  it('WaitTimeout: says the update goes on in AWS', async () => {
    emulator.controls.createOutcome('never');
    const run = await runAction({ node, emulator, ...explicitRelease({ 'wait-timeout-seconds': '2' }) });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('WaitTimeout');
    expect(run.errorLines[0]).toContain('goes on in AWS IoT');
  });

  it('wait: false returns right after the create call', async () => {
    const run = await runAction({ node, emulator, ...explicitRelease({ wait: 'false' }) });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['ota-update-status']).toBe('CREATE_PENDING');
    expect(calls('GetOTAUpdate')).toHaveLength(1);
  });
});

describe('what is shipped', () => {
  it('custom code signing: the signature reaches IoT as the bytes given, base64 once', async () => {
    const signature = Buffer.from([0x30, 0x45, 0x02, 0x21, 0x00, 0xff]).toString('base64');
    const run = await runAction({
      node,
      emulator,
      ...explicitRelease({ signature, 'certificate-name': '/certs/ota-signer.pem' }),
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const body = emulator.otaUpdates.get('fw-release-42')?.request as { files: { codeSigning: unknown }[] };
    expect(body.files[0]?.codeSigning).toEqual({
      customCodeSigning: {
        signature: { inlineDocument: signature },
        certificateChain: { certificateName: '/certs/ota-signer.pem' },
        hashAlgorithm: 'SHA256',
        signatureAlgorithm: 'ECDSA',
      },
    });
    expect(run.outputs.request).not.toContain(signature);
  });

  it('files: a multi-file update uploads each local path and pins its version', async () => {
    const { workspace, firmware } = workspaceWithFirmware(2048);
    writeFileSync(join(workspace, 'build', 'bootloader.bin'), 'boot');
    const files = [
      `- fileName: app.bin`,
      `  fileVersion: "1.2.0"`,
      `  path: ${firmware}`,
      `  fileLocation: {s3Location: {bucket: ${BUCKET}, key: multi/app.bin}}`,
      `- fileName: boot.bin`,
      `  fileType: 2`,
      `  path: build/bootloader.bin`,
      `  fileLocation: {s3Location: {bucket: ${BUCKET}, key: multi/boot.bin}}`,
    ].join('\n');
    const run = await runAction({
      node,
      emulator,
      inputs: {
        'role-to-assume': releaseInputs('x')['role-to-assume'] ?? '',
        'ota-role-arn': OTA_ROLE,
        targets: 'thinggroup/fleet',
        files,
      },
      env: { GITHUB_WORKSPACE: workspace, ...FAST },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const body = emulator.otaUpdates.get(run.outputs['ota-update-id'] ?? '')?.request as {
      files: { fileName: string; fileLocation: { s3Location: { version: string } } }[];
    };
    expect(body.files.map((f) => f.fileName)).toEqual(['app.bin', 'boot.bin']);
    expect(body.files[1]?.fileLocation.s3Location.version).toBe(
      emulator.s3.versions(BUCKET, 'multi/boot.bin')[0]?.versionId,
    );
    expect(JSON.stringify(body)).not.toContain('"path"');
  });

  it('a 50 MiB firmware goes up as a streaming multipart upload and is pinned', async () => {
    const { workspace, firmware } = workspaceWithFirmware(50 * 1024 * 1024);
    const run = await runAction({
      node,
      emulator,
      inputs: releaseInputs(firmware),
      env: { GITHUB_WORKSPACE: workspace, ...FAST },
      timeoutMs: 120_000,
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const [version] = emulator.s3.versions(BUCKET, 'firmware/v1.2.0/firmware.bin');
    expect(version?.size).toBe(50 * 1024 * 1024);
    expect(version?.sha256Metadata).toBe(run.outputs['firmware-sha256']);
    expect(run.outputs['firmware-s3-version']).toBe(version?.versionId);
    expect(calls('UploadPart').length).toBeGreaterThan(1);
    expect(calls('CompleteMultipartUpload')).toHaveLength(1);
    expect(run.stdout).toContain('50%');
  }, 180_000);
});

describe('cancellation', () => {
  it('a step cancelled during the upload aborts the multipart upload and fails', async () => {
    const { workspace, firmware } = workspaceWithFirmware(30 * 1024 * 1024);
    emulator.controls.delay('UploadPart', 400);
    const cancel = new AbortController();
    const running = runAction({
      node,
      emulator,
      inputs: releaseInputs(firmware),
      env: { GITHUB_WORKSPACE: workspace, ...FAST },
      cancel: cancel.signal,
    });
    for (let i = 0; i < 200 && calls('CreateMultipartUpload').length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    cancel.abort();
    const run = await running;
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('Canceled');
    expect(run.summary).toContain('Nothing was created in AWS.');
    expect(calls('AbortMultipartUpload')).toHaveLength(1);
    expect(emulator.s3.pendingUploads(BUCKET)).toEqual([]);
    expect(calls('CreateOTAUpdate')).toHaveLength(0);
  });
});

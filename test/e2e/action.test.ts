/**
 * The bundled action (dist/index.js) as a real process on Node 24 against the embedded emulator: the paths of a
 * release over OIDC and with ambient credentials, and each typed failure a user meets first.
 */
import { inject, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction } from '../../scripts/run-step.js';
import {
  ACCOUNT,
  BUCKET,
  DEPLOYER_ROLE,
  FAST,
  OTA_ROLE,
  releaseInputs,
  workspaceWithFirmware,
} from './fixtures.js';

const node = inject('node24');
let emulator: Emulator;

beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

const calls = () => emulator.requests.map((r) => `${r.service}:${r.operation}`);
const writes = () =>
  calls().filter((c) =>
    /PutObject|UploadPart|CreateMultipartUpload|CompleteMultipartUpload|CreateOTAUpdate|DeleteOTAUpdate/.test(
      c,
    ),
  );

describe('a tag release over GitHub OIDC', () => {
  it('uploads the firmware, creates the update, waits for it and reports it', async () => {
    const { workspace, firmware } = workspaceWithFirmware();
    const run = await runAction({
      node,
      inputs: releaseInputs(firmware),
      emulator,
      env: { GITHUB_WORKSPACE: workspace },
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const id = run.outputs['ota-update-id'] ?? '';
    expect(id).toMatch(/^firmware-v1-2-0-[0-9a-f]{8}$/);
    const stored = emulator.otaUpdates.get(id);
    const versions = emulator.s3.versions(BUCKET, 'firmware/v1.2.0/firmware.bin');
    expect(versions).toHaveLength(1);
    expect(run.outputs).toMatchObject({
      'ota-update-arn': `arn:aws:iot:us-east-1:${ACCOUNT}:otaupdate/${id}`,
      'ota-update-status': 'CREATE_COMPLETE',
      'aws-iot-job-id': `AFR_OTA-${id}`,
      'aws-iot-job-arn': `arn:aws:iot:us-east-1:${ACCOUNT}:job/AFR_OTA-${id}`,
      'firmware-s3-version': versions[0]?.versionId,
      result: 'created',
      'error-code': '',
    });
    expect(JSON.parse(run.outputs.request ?? '{}')).toMatchObject({ otaUpdateId: id, roleArn: OTA_ROLE });

    // What reached "AWS": the request as the model wants it, shorthand targets expanded in the caller's account.
    expect(stored?.request).toMatchObject({
      targets: [
        `arn:aws:iot:us-east-1:${ACCOUNT}:thinggroup/field-fleet`,
        `arn:aws:iot:us-east-1:${ACCOUNT}:thing/bench-01`,
      ],
      protocols: ['MQTT'],
      targetSelection: 'SNAPSHOT',
      roleArn: OTA_ROLE,
      files: [
        {
          fileName: 'firmware.bin',
          fileVersion: 'v1.2.0',
          fileLocation: {
            s3Location: {
              bucket: BUCKET,
              key: 'firmware/v1.2.0/firmware.bin',
              version: versions[0]?.versionId,
            },
          },
        },
      ],
    });
    expect(stored?.request.description).toMatch(/^octo\/firmware@v1\.2\.0 \([0-9a-f]{7}\)$/);
    expect(emulator.otaUpdates.size).toBe(1);
    const sequence = calls();
    expect(sequence.slice(0, 2)).toEqual(['oidc:OidcToken', 'sts:AssumeRoleWithWebIdentity']);
    expect(sequence.filter((c) => c === 'iot:CreateOTAUpdate')).toHaveLength(1);
    expect(sequence.at(-1)).toBe('iot:GetOTAUpdate');

    expect(run.summary).toContain(id);
    expect(run.summary).toContain('CREATE_COMPLETE');
    expect(run.summary).toContain(versions[0]?.versionId ?? 'missing');
    expect(run.errorLines).toEqual([]);
  });

  it('re-running the same release finds its update: no second upload, no second update, green', async () => {
    const { workspace, firmware } = workspaceWithFirmware();
    const first = await runAction({
      node,
      inputs: releaseInputs(firmware),
      emulator,
      env: { GITHUB_WORKSPACE: workspace, ...FAST },
    });
    const writesAfterFirst = writes().length;
    const second = await runAction({
      node,
      inputs: releaseInputs(firmware),
      emulator,
      env: { GITHUB_WORKSPACE: workspace, ...FAST },
    });

    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs['ota-update-id']).toBe(first.outputs['ota-update-id']);
    expect(second.outputs['firmware-s3-version']).toBe(first.outputs['firmware-s3-version']);
    expect(second.outputs.result).toBe('reused');
    expect(writes()).toHaveLength(writesAfterFirst);
    expect(emulator.otaUpdates.size).toBe(1);
  });

  it('derives another id for other firmware bytes', async () => {
    const a = workspaceWithFirmware(1024, 1);
    const b = workspaceWithFirmware(1024, 2);
    const first = await runAction({
      node,
      inputs: releaseInputs(a.firmware),
      emulator,
      env: { GITHUB_WORKSPACE: a.workspace, ...FAST },
    });
    const second = await runAction({
      node,
      inputs: releaseInputs(b.firmware),
      emulator,
      env: { GITHUB_WORKSPACE: b.workspace, ...FAST },
    });
    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(second.outputs['ota-update-id']).not.toBe(first.outputs['ota-update-id']);
    expect(emulator.otaUpdates.size).toBe(2);
  });
});

describe('ambient credentials on a branch, started by hand', () => {
  it('signs with the credentials in the environment and ships an existing object at its current version', async () => {
    const version = emulator.s3.putObject(BUCKET, 'builds/fw-7.bin', Buffer.from('firmware'));
    const run = await runAction({
      node,
      inputs: {
        'ota-role-arn': OTA_ROLE,
        targets: `arn:aws:iot:us-east-1:${ACCOUNT}:thing/bench-01`,
        's3-bucket': BUCKET,
        's3-key': 'builds/fw-7.bin',
        'ota-update-id': 'manual-rollout-7',
        'rollout-config': '{"maximumPerMinute": 20}',
        wait: 'false',
      },
      emulator,
      github: {
        ref: 'refs/heads/main',
        refName: 'main',
        refType: 'branch',
        eventName: 'workflow_dispatch',
        sha: 'f'.repeat(40),
      },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: '',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: '',
        AWS_ACCESS_KEY_ID: emulator.staticCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emulator.staticCredentials.secretAccessKey,
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      'ota-update-id': 'manual-rollout-7',
      'ota-update-status': 'CREATE_PENDING',
      'firmware-s3-version': version,
      result: 'created',
    });
    expect(emulator.otaUpdates.get('manual-rollout-7')?.request).toMatchObject({
      awsJobExecutionsRolloutConfig: { maximumPerMinute: 20 },
      files: [{ fileName: 'fw-7.bin', fileVersion: 'fffffff', fileLocation: { s3Location: { version } } }],
    });
    expect(calls()).toEqual([
      'sts:GetCallerIdentity',
      's3:HeadObject',
      'iot:GetOTAUpdate',
      'iot:CreateOTAUpdate',
    ]);
  });
});

describe('dry-run', () => {
  it('resolves everything and prints the exact request, changing nothing', async () => {
    const { workspace, firmware } = workspaceWithFirmware();
    const run = await runAction({
      node,
      inputs: releaseInputs(firmware, { 'dry-run': 'true' }),
      emulator,
      env: { GITHUB_WORKSPACE: workspace },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe('dry-run');
    const request = JSON.parse(run.outputs.request ?? '{}');
    expect(request.otaUpdateId).toBe(run.outputs['ota-update-id']);
    expect(run.stdout).toContain('Dry run');
    expect(writes()).toEqual([]);
    expect(emulator.otaUpdates.size).toBe(0);

    // The real run afterwards uses the very id the preview showed.
    const real = await runAction({
      node,
      inputs: releaseInputs(firmware),
      emulator,
      env: { GITHUB_WORKSPACE: workspace, ...FAST },
    });
    expect(real.outputs['ota-update-id']).toBe(request.otaUpdateId);
  });
});

describe('typed failures', () => {
  it('InvalidInput: names every bad input and makes no AWS call', async () => {
    const run = await runAction({
      node,
      inputs: {
        'ota-role-arn': 'not-an-arn',
        targets: 'thing/ok',
        's3-bucket': BUCKET,
        's3-key': 'k',
        protocols: 'FTP',
      },
      emulator,
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('InvalidInput');
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain('ota-role-arn');
    expect(run.errorLines[0]).toContain('protocols');
    expect(emulator.requests).toEqual([]);
  });

  it('InvalidInput: a GITHUB_OUTPUT file that is not there stops the run before AWS, in one error line', async () => {
    const { workspace, firmware } = workspaceWithFirmware(16);
    const missing = `${workspace}/no-such-dir/output`;
    const run = await runAction({
      node,
      inputs: releaseInputs(firmware),
      emulator,
      env: { GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: missing },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errorLines).toEqual([
      `GITHUB_OUTPUT is "${missing}", which is not a file this step can write (ENOENT): the step's outputs, the OTA update id among them, would be lost. The runner creates this file for every step. Running the action outside a workflow, point GITHUB_OUTPUT at an existing writable file, or unset it.`,
    ]);
    expect(run.stdout).toContain(
      "::warning::Could not write the step's outputs: Error: Missing file at path:",
    );
    // No crash: nothing on stderr, so no stack trace and no line of the bundle's source.
    expect(run.stderr).toBe('');
    expect(emulator.requests).toEqual([]);
  });

  it('IdTokenPermissionMissing: role-to-assume without the id-token permission', async () => {
    const { workspace, firmware } = workspaceWithFirmware(16);
    const run = await runAction({
      node,
      inputs: releaseInputs(firmware),
      emulator,
      env: {
        GITHUB_WORKSPACE: workspace,
        ACTIONS_ID_TOKEN_REQUEST_URL: '',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: '',
      },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('IdTokenPermissionMissing');
    expect(run.errorLines[0]).toContain('id-token: write');
    expect(emulator.requests).toEqual([]);
  });

  it('AccessDenied: a trust policy that does not match the token names the role, the sub and the condition', async () => {
    await emulator.close();
    emulator = await startEmulator({
      roles: [{ arn: DEPLOYER_ROLE, trustedSubs: ['repo:octo/firmware:environment:production'] }],
    });
    const { workspace, firmware } = workspaceWithFirmware(16);
    const run = await runAction({
      node,
      inputs: releaseInputs(firmware),
      emulator,
      env: { GITHUB_WORKSPACE: workspace },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('AccessDenied');
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain(DEPLOYER_ROLE);
    expect(run.errorLines[0]).toContain('repo:octo/firmware:ref:refs/tags/v1.2.0');
    expect(run.errorLines[0]).toContain('repo:octo/firmware:ref:refs/tags/*');
    expect(writes()).toEqual([]);
  });

  it('BucketNotVersioned: names the bucket and the one-line fix before anything is written', async () => {
    emulator.s3.createBucket('plain-bucket', false);
    const { workspace, firmware } = workspaceWithFirmware(16);
    const run = await runAction({
      node,
      inputs: releaseInputs(firmware, { 's3-bucket': 'plain-bucket' }),
      emulator,
      env: { GITHUB_WORKSPACE: workspace },
    });
    expect(run.outputs['error-code']).toBe('BucketNotVersioned');
    expect(run.errorLines[0]).toContain('plain-bucket');
    expect(run.errorLines[0]).toContain('put-bucket-versioning');
    expect(writes()).toEqual([]);
  });

  it('NoSuchKey: an existing object that is not there, naming bucket and key', async () => {
    const run = await runAction({
      node,
      inputs: {
        'role-to-assume': DEPLOYER_ROLE,
        'ota-role-arn': OTA_ROLE,
        targets: 'thing/a',
        's3-bucket': BUCKET,
        's3-key': 'missing.bin',
      },
      emulator,
    });
    expect(run.outputs['error-code']).toBe('NoSuchKey');
    expect(run.errorLines[0]).toContain(BUCKET);
    expect(run.errorLines[0]).toContain('missing.bin');
  });

  it.each([
    ['InvalidRequestException', 400],
    ['UnauthorizedException', 401],
    ['AccessDeniedException', 403],
    ['ResourceNotFoundException', 404],
  ])('%s from CreateOTAUpdate fails the step with that code', async (code, status) => {
    emulator.controls.failAlways('CreateOTAUpdate', { status, code, message: `emulated ${code}` });
    const { workspace, firmware } = workspaceWithFirmware(16);
    const run = await runAction({
      node,
      inputs: releaseInputs(firmware),
      emulator,
      env: { GITHUB_WORKSPACE: workspace, ...FAST },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe(code);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toContain(`emulated ${code}`);
    expect(calls().filter((c) => c === 'iot:CreateOTAUpdate')).toHaveLength(1);
  });

  it('NetworkError: AWS cannot be reached', async () => {
    const { workspace, firmware } = workspaceWithFirmware(16);
    const run = await runAction({
      node,
      inputs: releaseInputs(firmware),
      emulator,
      env: { GITHUB_WORKSPACE: workspace, ...FAST, AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9/sts' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('NetworkError');
  });

  it('prints no stack trace unless the step runs in debug', async () => {
    emulator.controls.failAlways('CreateOTAUpdate', {
      status: 400,
      code: 'InvalidRequestException',
      message: 'bad',
    });
    const { workspace, firmware } = workspaceWithFirmware(16);
    const quiet = await runAction({
      node,
      inputs: releaseInputs(firmware),
      emulator,
      env: { GITHUB_WORKSPACE: workspace, ...FAST },
    });
    const debug = await runAction({
      node,
      inputs: releaseInputs(firmware),
      emulator,
      env: { GITHUB_WORKSPACE: workspace, ...FAST, RUNNER_DEBUG: '1' },
    });
    expect(quiet.stdout + quiet.stderr).not.toMatch(/\n\s+at /);
    expect(debug.stdout).toMatch(/::debug::.*at /s);
  });
});

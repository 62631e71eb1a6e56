/**
 * run() end to end in-process, through its RunDependencies seam: INPUT_* in an injected environment, @actions/core's
 * output and log calls recorded, the SDK clients mocked. No process, no network.
 */
import * as core from '@actions/core';
import {
  CreateOTAUpdateCommand,
  GetOTAUpdateCommand,
  IoTClient,
  ListTagsForResourceCommand,
  type CreateOTAUpdateRequest,
} from '@aws-sdk/client-iot';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/main.js';
import type { ActionsCore, RunDependencies } from '../../src/runner/dependencies.js';
import { awsError } from './aws/fixtures.js';
import { fakeClock } from './stages/context.js';

const iot = mockClient(IoTClient);
const sts = mockClient(STSClient);
const summaryFile = join(mkdtempSync(join(tmpdir(), 'run-summary-')), 'summary.md');

const INPUTS = {
  'aws-region': 'eu-west-1',
  'ota-role-arn': 'arn:aws:iam::123456789012:role/ota-service',
  'ota-update-id': 'fw-42',
  targets: 'thinggroup/fleet',
  's3-bucket': 'fw-bucket',
  's3-key': 'releases/fw.bin',
  's3-version': 'v-3',
  wait: 'false',
};

interface Run {
  outputs: Record<string, string>;
  log: string[];
  errors: string[];
  failed: boolean;
}

interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** setOutput throws, as @actions/core's does when the GITHUB_OUTPUT file has gone. */
  outputsFail?: boolean;
}

async function runWith(inputs: Record<string, string>, options: RunOptions = {}): Promise<Run> {
  const result: Run = { outputs: {}, log: [], errors: [], failed: false };
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    GITHUB_REPOSITORY: 'acme/widget',
    GITHUB_REF: 'refs/tags/v1.2.0',
    GITHUB_SHA: 'abcdef0123456789',
    GITHUB_RUN_ID: '42',
    GITHUB_RUN_ATTEMPT: '1',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const say = (message: string | Error) => void result.log.push(String(message));
  const fake: ActionsCore = {
    setOutput: (name, value) => {
      if (options.outputsFail) throw new Error('Missing file at path: /gone/output');
      result.outputs[name] = String(value);
    },
    info: say,
    warning: say,
    notice: say,
    debug: () => undefined,
    error: (message) => void result.errors.push(String(message)),
    summary: core.summary,
    getIDToken: () => Promise.reject(new Error('no OIDC in this test')),
    setSecret: () => undefined,
  };
  const deps: RunDependencies = {
    env,
    github: {
      repo: { owner: 'acme', repo: 'widget' },
      ref: 'refs/tags/v1.2.0',
      sha: 'abcdef0123456789',
      runId: 42,
      runAttempt: 1,
      eventName: 'push',
      serverUrl: 'https://github.com',
    },
    core: fake,
    clock: fakeClock(),
    signal: new AbortController().signal,
    fail: () => {
      result.failed = true;
    },
  };
  await run(deps);
  return result;
}

beforeEach(() => {
  iot.reset();
  sts.reset();
  writeFileSync(summaryFile, '');
  process.env.GITHUB_STEP_SUMMARY = summaryFile;
  core.summary.emptyBuffer();
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Arn: 'arn:aws:iam::123456789012:user/ci', Account: '123456789012' });
  iot.on(GetOTAUpdateCommand).rejects(awsError('ResourceNotFoundException', 404));
});
afterAll(() => {
  delete process.env.GITHUB_STEP_SUMMARY;
});

describe('run', () => {
  it('a dry run resolves, prints the request it would send, and changes nothing', async () => {
    const r = await runWith({ ...INPUTS, 'dry-run': 'true' });
    expect(r.failed).toBe(false);
    expect(r.outputs.result).toBe('dry-run');
    expect(r.outputs['error-code']).toBe('');
    const request = JSON.parse(r.outputs.request ?? '') as CreateOTAUpdateRequest;
    expect(request.targets).toEqual(['arn:aws:iot:eu-west-1:123456789012:thinggroup/fleet']);
    expect(request.files?.[0]?.fileLocation?.s3Location).toEqual({
      bucket: 'fw-bucket',
      key: 'releases/fw.bin',
      version: 'v-3',
    });
    expect(r.log).toContain('OTA update fw-42 does not exist yet: a run would create it.');
    expect(iot.commandCalls(CreateOTAUpdateCommand)).toHaveLength(0);
    expect(readFileSync(summaryFile, 'utf8')).toContain('OTA update fw-42 (dry run: nothing was changed)');
  });

  it('a re-run of the same release reuses its update and creates nothing', async () => {
    const first = await runWith({ ...INPUTS, 'dry-run': 'true' });
    const request = JSON.parse(first.outputs.request ?? '') as CreateOTAUpdateRequest;
    iot.on(GetOTAUpdateCommand).resolves({
      otaUpdateInfo: {
        otaUpdateId: 'fw-42',
        otaUpdateArn: 'arn:aws:iot:eu-west-1:123456789012:otaupdate/fw-42',
        otaUpdateStatus: 'CREATE_COMPLETE',
        awsIotJobId: 'AFR_OTA-fw-42',
        targets: request.targets,
        protocols: request.protocols,
        targetSelection: request.targetSelection,
        otaUpdateFiles: request.files,
      },
    });
    iot.on(ListTagsForResourceCommand).resolves({ tags: request.tags });
    const r = await runWith(INPUTS);
    expect(r.failed).toBe(false);
    expect(r.outputs).toMatchObject({
      result: 'reused',
      'ota-update-arn': 'arn:aws:iot:eu-west-1:123456789012:otaupdate/fw-42',
      'ota-update-status': 'CREATE_COMPLETE',
      'aws-iot-job-id': 'AFR_OTA-fw-42',
    });
    expect(iot.commandCalls(CreateOTAUpdateCommand)).toHaveLength(0);
    expect(iot.commandCalls(ListTagsForResourceCommand)[0]?.args[0].input).toEqual({
      resourceArn: 'arn:aws:iot:eu-west-1:123456789012:otaupdate/fw-42',
    });
    expect(r.log.filter((l) => l.includes('could not be compared'))).toEqual([]);
  });

  it('a re-run with another ota-role-arn is refused, naming the field GetOTAUpdate does not show', async () => {
    const first = await runWith({ ...INPUTS, 'dry-run': 'true' });
    const request = JSON.parse(first.outputs.request ?? '') as CreateOTAUpdateRequest;
    iot.on(GetOTAUpdateCommand).resolves({
      otaUpdateInfo: {
        otaUpdateId: 'fw-42',
        otaUpdateArn: 'arn:aws:iot:eu-west-1:123456789012:otaupdate/fw-42',
        otaUpdateStatus: 'CREATE_COMPLETE',
        targets: request.targets,
        protocols: request.protocols,
        targetSelection: request.targetSelection,
        otaUpdateFiles: request.files,
      },
    });
    iot.on(ListTagsForResourceCommand).resolves({ tags: request.tags });
    const r = await runWith({ ...INPUTS, 'ota-role-arn': 'arn:aws:iam::123456789012:role/another-service' });
    expect(r.failed).toBe(true);
    expect(r.outputs['error-code']).toBe('ExistingUpdateDiffers');
    expect(r.errors[0]).toContain(
      'roleArn (ota-role-arn): differs from what the existing update was created with',
    );
  });

  it('a refusal from AWS fails the step with its typed code and one error line', async () => {
    iot.on(CreateOTAUpdateCommand).rejects(awsError('AccessDeniedException', 403, 'not authorized'));
    const r = await runWith(INPUTS);
    expect(r.failed).toBe(true);
    expect(r.outputs['error-code']).toBe('AccessDeniedException');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(
      'Creating OTA update fw-42 failed with AccessDeniedException: not authorized',
    );
    expect(r.outputs['ota-update-id']).toBeUndefined();
  });

  it('a GITHUB_OUTPUT that is a directory fails InvalidInput before any AWS call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-output-'));
    const r = await runWith(INPUTS, { env: { GITHUB_OUTPUT: dir } });
    expect(r.failed).toBe(true);
    expect(r.outputs['error-code']).toBe('InvalidInput');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(
      `GITHUB_OUTPUT is ${JSON.stringify(dir)}, which is not a file this step can write (not a regular file)`,
    );
    expect(sts.calls()).toHaveLength(0);
  });

  it('outputs that cannot be written still leave the one error line, and a warning saying so', async () => {
    iot.on(CreateOTAUpdateCommand).rejects(awsError('AccessDeniedException', 403, 'not authorized'));
    const r = await runWith(INPUTS, { outputsFail: true });
    expect(r.failed).toBe(true);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain('Creating OTA update fw-42 failed with AccessDeniedException');
    expect(r.log).toContain("Could not write the step's outputs: Error: Missing file at path: /gone/output");
  });

  it('a bad input fails InvalidInput before any AWS call', async () => {
    const r = await runWith({ ...INPUTS, targets: 'not a target' });
    expect(r.failed).toBe(true);
    expect(r.outputs['error-code']).toBe('InvalidInput');
    expect(sts.calls()).toHaveLength(0);
    expect(iot.calls()).toHaveLength(0);
  });
});

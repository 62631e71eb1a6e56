/**
 * The AWS CLI (v1, botocore: an independent SigV4 signer and protocol implementation) as a client of the emulator:
 * what it sends must verify, and what the emulator answers must parse into the CLI's JSON.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumOf } from '../../emulator/checksums.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { findTool } from './tools.js';

const aws = findTool('aws', 'the AWS CLI conformance suite');
const run = promisify(execFile);

interface CliResult {
  code: number;
  json: Record<string, unknown> | undefined;
  stderr: string;
}

let emulator: Emulator;
let dir: string;
const firmware = Buffer.from('firmware image v1.2.0\n'.repeat(100));

/** Runs `aws <args>` against the emulator. CLI v1 has no pager, so it needs no --no-cli-pager (and rejects it). */
async function cli(
  args: string[],
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_CONFIG_FILE: join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
  };
  try {
    const { stdout, stderr } = await run(aws!, [...args, '--region', 'us-east-1', '--output', 'json'], {
      env,
      timeout: 20_000,
    });
    return {
      code: 0,
      json: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : undefined,
      stderr,
    };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, json: undefined, stderr: e.stderr };
  }
}

describe.skipIf(!aws)('AWS CLI against the emulator', () => {
  let assumed: CliResult;
  let put: CliResult;
  let missingUpdate: CliResult;
  let missingObject: CliResult;

  beforeAll(async () => {
    // Jobs queue their executions at once here, so the jobs calls below see executions.
    emulator = await startEmulator({ otaPollsToComplete: 1, deviceTimings: { targetProcessingSeconds: 0 } });
    dir = mkdtempSync(join(tmpdir(), 'aws-cli-conformance-'));
    writeFileSync(join(dir, 'fw.bin'), firmware);
    const s3 = ['--endpoint-url', emulator.env.AWS_ENDPOINT_URL_S3!];
    const creds = emulator.staticCredentials;
    // Independent calls run together: each CLI start costs about a second of Python start-up.
    [assumed, put, missingUpdate, missingObject] = await Promise.all([
      cli(
        [
          'sts',
          'assume-role-with-web-identity',
          '--role-arn',
          'arn:aws:iam::123456789012:role/ota-deployer',
          '--role-session-name',
          'aws-cli',
          '--web-identity-token',
          emulator.issueOidcToken(),
          '--duration-seconds',
          '900',
          '--endpoint-url',
          emulator.env.AWS_ENDPOINT_URL_STS!,
        ],
        creds,
      ),
      cli(
        [
          's3api',
          'put-object',
          '--bucket',
          'firmware-bucket',
          '--key',
          'releases/v1.2.0/fw.bin',
          '--body',
          join(dir, 'fw.bin'),
          '--metadata',
          'sha256=feed',
          ...s3,
        ],
        creds,
      ),
      cli(['iot', 'get-ota-update', '--ota-update-id', 'nope', '--endpoint-url', emulator.url], creds),
      cli(['s3api', 'head-object', '--bucket', 'firmware-bucket', '--key', 'nope', ...s3], creds),
    ]);
  }, 60_000);

  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sessionOf = (result: CliResult) => {
    const c = result.json!.Credentials as Record<string, string>;
    return {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
  };

  it('aws sts assume-role-with-web-identity gets temporary credentials, unsigned', () => {
    expect(assumed.code).toBe(0);
    expect(assumed.json).toMatchObject({
      AssumedRoleUser: { Arn: 'arn:aws:sts::123456789012:assumed-role/ota-deployer/aws-cli' },
      SubjectFromWebIdentityToken: 'repo:octo/firmware:ref:refs/tags/v1.2.0',
      Credentials: { AccessKeyId: expect.stringMatching(/^ASIA/) },
    });
    const call = emulator.requests.find((r) => r.operation === 'AssumeRoleWithWebIdentity');
    expect([call?.status, call?.headers.authorization]).toEqual([200, undefined]);
  });

  // The next two are independent and each waits for the CLI's start-up, so they run together.
  it.concurrent(
    'aws s3api put-object stores a version that head-object returns with its metadata and checksum',
    async ({ expect }) => {
      expect(put.code).toBe(0);
      const versionId = put.json!.VersionId as string;
      const head = await cli(
        [
          's3api',
          'head-object',
          '--bucket',
          'firmware-bucket',
          '--key',
          'releases/v1.2.0/fw.bin',
          '--checksum-mode',
          'ENABLED',
          '--endpoint-url',
          emulator.env.AWS_ENDPOINT_URL_S3!,
        ],
        sessionOf(assumed),
      );
      expect(head.json).toMatchObject({
        VersionId: versionId,
        ContentLength: firmware.length,
        Metadata: { sha256: 'feed' },
        ChecksumCRC32: checksumOf('CRC32', firmware),
      });
      expect(emulator.s3.versions('firmware-bucket', 'releases/v1.2.0/fw.bin')).toEqual([
        { versionId, size: firmware.length, sha256Metadata: 'feed', metadata: { sha256: 'feed' } },
      ]);
    },
  );

  it.concurrent(
    'aws iot create-ota-update and get-ota-update, signed with the session credentials',
    async ({ expect }) => {
      const session = sessionOf(assumed);
      const files = [
        {
          fileName: 'fw.bin',
          fileLocation: { s3Location: { bucket: 'firmware-bucket', key: 'releases/v1.2.0/fw.bin' } },
        },
      ];
      const created = await cli(
        [
          'iot',
          'create-ota-update',
          '--ota-update-id',
          'cli-release',
          '--targets',
          'arn:aws:iot:us-east-1:123456789012:thinggroup/fleet',
          '--role-arn',
          'arn:aws:iam::123456789012:role/iot-ota-service',
          '--files',
          JSON.stringify(files),
          '--endpoint-url',
          emulator.url,
        ],
        session,
      );
      expect(created.json).toEqual({
        otaUpdateId: 'cli-release',
        awsIotJobId: 'AFR_OTA-cli-release',
        otaUpdateArn: 'arn:aws:iot:us-east-1:123456789012:otaupdate/cli-release',
        awsIotJobArn: 'arn:aws:iot:us-east-1:123456789012:job/AFR_OTA-cli-release',
        otaUpdateStatus: 'CREATE_PENDING',
      });
      const got = await cli(
        ['iot', 'get-ota-update', '--ota-update-id', 'cli-release', '--endpoint-url', emulator.url],
        session,
      );
      expect(got.json!.otaUpdateInfo).toMatchObject({
        otaUpdateStatus: 'CREATE_COMPLETE',
        otaUpdateFiles: files,
        targets: ['arn:aws:iot:us-east-1:123456789012:thinggroup/fleet'],
        creationDate: expect.any(Number),
      });
      expect(
        emulator.requests
          .filter((r) => r.service === 'iot' && r.status === 200)
          .map((r) => r.headers['x-amz-security-token']),
      ).toEqual([session.sessionToken, session.sessionToken]);
    },
  );

  it('aws iot describe-job, list-job-executions-for-job (paginated), describe-job-execution and cancel-job', async () => {
    const creds = emulator.staticCredentials;
    const thing = (name: string) => `arn:aws:iot:us-east-1:123456789012:thing/${name}`;
    const body = { targets: [thing('a'), thing('b'), thing('c')], files: [] };
    emulator.seedOtaUpdate('cli-follow', { ...body, description: 'followed' });
    emulator.seedOtaUpdate('cli-cancel', body);
    const iot = (...args: string[]) => cli(['iot', ...args, '--endpoint-url', emulator.url], creds);
    const [described, listed, execution, canceled] = await Promise.all([
      iot('describe-job', '--job-id', 'AFR_OTA-cli-follow'),
      iot('list-job-executions-for-job', '--job-id', 'AFR_OTA-cli-follow', '--page-size', '2'),
      iot('describe-job-execution', '--job-id', 'AFR_OTA-cli-follow', '--thing-name', 'b'),
      iot(
        'cancel-job',
        '--job-id',
        'AFR_OTA-cli-cancel',
        '--reason-code',
        'CANARY_FAILED',
        '--comment',
        'from the CLI',
        '--force',
      ),
    ]);
    expect(described.json?.job).toMatchObject({
      jobId: 'AFR_OTA-cli-follow',
      jobArn: 'arn:aws:iot:us-east-1:123456789012:job/AFR_OTA-cli-follow',
      status: 'IN_PROGRESS',
      targetSelection: 'SNAPSHOT',
      description: 'followed',
      createdAt: expect.any(Number),
      jobProcessDetails: { numberOfQueuedThings: 3, numberOfSucceededThings: 0 },
    });
    expect((listed.json?.executionSummaries as { thingArn: string }[]).map((s) => s.thingArn)).toEqual(
      ['a', 'b', 'c'].map(thing),
    );
    expect(
      emulator.requests.filter((r) => r.operation === 'ListJobExecutionsForJob').map((r) => r.status),
    ).toEqual([200, 200]);
    expect(execution.json?.execution).toMatchObject({
      status: 'QUEUED',
      thingArn: thing('b'),
      executionNumber: 1,
    });
    expect(canceled.json).toEqual({
      jobArn: 'arn:aws:iot:us-east-1:123456789012:job/AFR_OTA-cli-cancel',
      jobId: 'AFR_OTA-cli-cancel',
    });
    expect(emulator.jobs.get('AFR_OTA-cli-cancel')).toMatchObject({
      status: 'CANCELED',
      forceCanceled: true,
      reasonCode: 'CANARY_FAILED',
      comment: 'from the CLI',
    });
  });

  it('shows the modeled errors the way the CLI reports AWS errors', () => {
    expect(missingUpdate.code).toBe(255);
    expect(missingUpdate.stderr).toContain(
      'An error occurred (ResourceNotFoundException) when calling the GetOTAUpdate operation: OTA Update nope does not exist',
    );
    expect(missingObject.code).toBe(255);
    expect(missingObject.stderr).toContain(
      'An error occurred (404) when calling the HeadObject operation: Not Found',
    );
  });
});

/**
 * The same tag release done the way users script it today, against the same emulator: the job's OIDC token with
 * curl, `aws sts assume-role-with-web-identity`, `aws s3api put-object`, `aws iot create-ota-update`, then
 * `aws iot get-ota-update` on the action's poll schedule until the update is complete.
 */
import type { Emulator } from '../../emulator/index.js';
import { ACCOUNT, BUCKET, DEPLOYER_ROLE, OTA_SERVICE_ROLE, REGION, TARGET_GROUP } from './action.js';
import { capture, runTimed } from './process.js';
import { pollDelayMs } from './stats.js';

const MAX_POLLS = 20;

/**
 * The AWS CLI's own executable. A pyenv shim re-resolves the interpreter on every call (a cost users of a plain
 * install do not pay), so the shim is looked through.
 */
export async function resolveAwsCli(): Promise<string | undefined> {
  let found: string;
  try {
    found = await capture('sh', ['-c', 'command -v aws']);
  } catch {
    return undefined;
  }
  if (!found.includes('/.pyenv/shims/')) return found;
  return capture('pyenv', ['which', 'aws']).catch(() => found);
}

export interface CliRelease {
  elapsedMs: number;
  /** Time spent sleeping between create and polls, by the same schedule as the action's. */
  waitedMs: number;
  polls: number;
}

interface Session {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
}

export async function cliRelease(opts: {
  aws: string;
  emulator: Emulator;
  firmware: string;
  key: string;
  otaUpdateId: string;
  home: string;
}): Promise<CliRelease> {
  const { emulator } = opts;
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: opts.home,
    AWS_CONFIG_FILE: `${opts.home}/no-aws-config`,
    AWS_SHARED_CREDENTIALS_FILE: `${opts.home}/no-aws-credentials`,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_DEFAULT_REGION: REGION,
  };
  const t0 = performance.now();
  let waitedMs = 0;
  const aws = async (args: string[], session?: Session): Promise<Record<string, unknown>> => {
    const env = session
      ? {
          ...baseEnv,
          AWS_ACCESS_KEY_ID: session.AccessKeyId,
          AWS_SECRET_ACCESS_KEY: session.SecretAccessKey,
          AWS_SESSION_TOKEN: session.SessionToken,
        }
      : baseEnv;
    const run = await runTimed(opts.aws, [...args, '--output', 'json'], { env, timeoutMs: 60_000 });
    if (run.exitCode !== 0) throw new Error(`aws ${args.slice(0, 2).join(' ')} failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  };

  const tokenUrl = `${emulator.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sts.amazonaws.com`;
  const token = JSON.parse(
    await capture('curl', [
      '-sSf',
      '-H',
      `Authorization: Bearer ${emulator.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`,
      tokenUrl,
    ]),
  ) as { value: string };
  const assumed = await aws([
    'sts',
    'assume-role-with-web-identity',
    '--role-arn',
    DEPLOYER_ROLE,
    '--role-session-name',
    'cli-release',
    '--web-identity-token',
    token.value,
    '--endpoint-url',
    emulator.env.AWS_ENDPOINT_URL_STS!,
  ]);
  const session = assumed.Credentials as Session;
  const put = await aws(
    [
      's3api',
      'put-object',
      '--bucket',
      BUCKET,
      '--key',
      opts.key,
      '--body',
      opts.firmware,
      '--endpoint-url',
      emulator.env.AWS_ENDPOINT_URL_S3!,
    ],
    session,
  );
  const files = [
    {
      fileName: opts.key.split('/').pop(),
      fileLocation: { s3Location: { bucket: BUCKET, key: opts.key, version: put.VersionId } },
    },
  ];
  await aws(
    [
      'iot',
      'create-ota-update',
      '--ota-update-id',
      opts.otaUpdateId,
      '--targets',
      `arn:aws:iot:${REGION}:${ACCOUNT}:thinggroup/${TARGET_GROUP}`,
      '--role-arn',
      OTA_SERVICE_ROLE,
      '--files',
      JSON.stringify(files),
      '--endpoint-url',
      emulator.url,
    ],
    session,
  );
  let polls = 0;
  let status = '';
  while (status !== 'CREATE_COMPLETE') {
    if (polls === MAX_POLLS)
      throw new Error(`OTA update ${opts.otaUpdateId} still ${status} after ${polls} polls`);
    const delay = pollDelayMs(polls);
    await new Promise((resolve) => setTimeout(resolve, delay));
    waitedMs += delay;
    const got = await aws(
      ['iot', 'get-ota-update', '--ota-update-id', opts.otaUpdateId, '--endpoint-url', emulator.url],
      session,
    );
    polls++;
    status = String((got.otaUpdateInfo as { otaUpdateStatus?: string } | undefined)?.otaUpdateStatus);
    if (status === 'CREATE_FAILED') throw new Error(`OTA update ${opts.otaUpdateId} ended CREATE_FAILED`);
  }
  return { elapsedMs: performance.now() - t0, waitedMs, polls };
}

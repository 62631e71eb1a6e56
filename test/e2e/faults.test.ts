/**
 * Fault injection: the bundled action on Node 24 against an emulator that throttles, fails, resets, loses replies
 * and answers slowly. Transient faults end green with exactly one update; permanent ones fail at once with the AWS
 * error name as error-code; persistent transient ones fail after bounded retries. Every run's output is scanned
 * for secrets. One emulator per case, cases run concurrently, delays scaled by OTA_ACTION_TIME_SCALE.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { startEmulator, type Emulator, type Fault } from '../../emulator/index.js';
import { runAction, type ActionRun } from '../../scripts/run-step.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../src/aws/clients.js';
import { expectNoLeaks, tapSts } from './leaks.js';

const node = inject('node24');

const OTA_ROLE = 'arn:aws:iam::123456789012:role/ota-service';
const DEPLOYER_ROLE = 'arn:aws:iam::123456789012:role/ota-deployer';
/** Above lib-storage's 5 MiB part size, so the upload is multipart with two parts. */
const MULTIPART_BYTES = 6 * 1024 * 1024;
/** Well past the scaled request timeout (30 s × 0.01, with its 1 s floor). */
const SLOW_MS = 2500;

type Outcome = { green: true } | { errorCode: string; message?: RegExp };

interface FaultCase {
  name: string;
  arrange(emulator: Emulator): void;
  outcome: Outcome;
  /** OTA updates stored afterwards. */
  updates: number;
  /**
   * Exact number of answered calls per operation. Calls the action gave up on before the answer came (a timeout,
   * e.g. on a busy machine) are left out: retrying them is right, and they would make the count flaky.
   */
  calls?: Record<string, number>;
  /** Exact number of requests per operation, answered or not. */
  attempts?: Record<string, number>;
  /** Bounds on the number of requests per operation. */
  atLeast?: Record<string, number>;
  atMost?: Record<string, number>;
  /** Static credentials instead of OIDC. */
  staticCredentials?: boolean;
  firmwareBytes?: number;
  /** Time for a delayed call to take effect after the run gave up on it. */
  settleMs?: number;
  timeoutMs?: number;
}

const firstN = (op: string, n: number, fault: Fault) => (e: Emulator) => e.controls.failFirst(op, n, fault);
const always = (op: string, fault: Fault) => (e: Emulator) => e.controls.failAlways(op, fault);
const GREEN: Outcome = { green: true };

const throttling: FaultCase[] = [
  {
    name: 'CreateOTAUpdate throttled twice',
    arrange: firstN('CreateOTAUpdate', 2, 'throttle'),
    outcome: GREEN,
    updates: 1,
    calls: { CreateOTAUpdate: 3 },
  },
  {
    name: 'GetOTAUpdate throttled 3 times',
    arrange: firstN('GetOTAUpdate', 3, 'throttle'),
    outcome: GREEN,
    updates: 1,
    calls: { CreateOTAUpdate: 1 },
    atLeast: { GetOTAUpdate: 6 },
  },
  {
    name: 'AssumeRoleWithWebIdentity throttled twice',
    arrange: firstN('AssumeRoleWithWebIdentity', 2, 'throttle'),
    outcome: GREEN,
    updates: 1,
    calls: { AssumeRoleWithWebIdentity: 3, OidcToken: 1 },
  },
  {
    name: 'PutObject slowed down (503 SlowDown) twice',
    arrange: firstN('PutObject', 2, 'throttle'),
    outcome: GREEN,
    updates: 1,
    calls: { PutObject: 3 },
  },
  {
    name: 'UploadPart slowed down twice in a multipart upload',
    arrange: firstN('UploadPart', 2, 'throttle'),
    firmwareBytes: MULTIPART_BYTES,
    outcome: GREEN,
    updates: 1,
    calls: { UploadPart: 4, CompleteMultipartUpload: 1, AbortMultipartUpload: 0 },
  },
];

const serverErrors: FaultCase[] = [
  {
    name: 'GetOTAUpdate 500 twice',
    arrange: firstN('GetOTAUpdate', 2, '500'),
    outcome: GREEN,
    updates: 1,
  },
  {
    name: 'GetOTAUpdate 503 twice',
    arrange: firstN('GetOTAUpdate', 2, '503'),
    outcome: GREEN,
    updates: 1,
  },
  {
    name: 'CreateOTAUpdate 500 once (not applied): looked up, tried again',
    arrange: firstN('CreateOTAUpdate', 1, '500'),
    outcome: GREEN,
    updates: 1,
    calls: { CreateOTAUpdate: 2 },
  },
  {
    name: 'CreateOTAUpdate 503 twice',
    arrange: firstN('CreateOTAUpdate', 2, '503'),
    outcome: GREEN,
    updates: 1,
    calls: { CreateOTAUpdate: 3 },
  },
  {
    name: 'AssumeRoleWithWebIdentity 503 twice',
    arrange: firstN('AssumeRoleWithWebIdentity', 2, '503'),
    outcome: GREEN,
    updates: 1,
    calls: { AssumeRoleWithWebIdentity: 3 },
  },
  {
    name: 'PutObject 500 twice',
    arrange: firstN('PutObject', 2, '500'),
    outcome: GREEN,
    updates: 1,
    calls: { PutObject: 3 },
  },
  {
    name: 'GetOTAUpdate always 503: ServiceUnavailableException after the SDK attempts, nothing created',
    arrange: always('GetOTAUpdate', '503'),
    outcome: { errorCode: 'ServiceUnavailableException' },
    updates: 0,
    calls: { GetOTAUpdate: DEFAULT_MAX_ATTEMPTS, CreateOTAUpdate: 0, PutObject: 0 },
  },
  {
    name: 'CreateOTAUpdate always 500: InternalFailureException after bounded attempts, nothing created',
    arrange: always('CreateOTAUpdate', '500'),
    outcome: { errorCode: 'InternalFailureException' },
    updates: 0,
    calls: { CreateOTAUpdate: 5 },
  },
  {
    name: 'PutObject always 503: ServiceUnavailable after the SDK attempts, nothing created',
    arrange: always('PutObject', '503'),
    outcome: { errorCode: 'ServiceUnavailable' },
    updates: 0,
    calls: { PutObject: DEFAULT_MAX_ATTEMPTS, CreateOTAUpdate: 0 },
  },
];

const resets: FaultCase[] = [
  {
    name: 'GetOTAUpdate connection reset twice',
    arrange: firstN('GetOTAUpdate', 2, 'reset'),
    outcome: GREEN,
    updates: 1,
  },
  {
    name: 'CreateOTAUpdate connection reset once (before it took effect)',
    arrange: firstN('CreateOTAUpdate', 1, 'reset'),
    outcome: GREEN,
    updates: 1,
    calls: { CreateOTAUpdate: 2 },
  },
  {
    name: 'AssumeRoleWithWebIdentity connection reset twice',
    arrange: firstN('AssumeRoleWithWebIdentity', 2, 'reset'),
    outcome: GREEN,
    updates: 1,
    calls: { AssumeRoleWithWebIdentity: 3 },
  },
  {
    name: 'PutObject connection reset once',
    arrange: firstN('PutObject', 1, 'reset'),
    outcome: GREEN,
    updates: 1,
    calls: { PutObject: 2 },
  },
  {
    name: 'UploadPart connection reset once',
    arrange: firstN('UploadPart', 1, 'reset'),
    firmwareBytes: MULTIPART_BYTES,
    outcome: GREEN,
    updates: 1,
    calls: { UploadPart: 3, CompleteMultipartUpload: 1 },
  },
  {
    name: 'GetOTAUpdate always reset: NetworkError',
    arrange: always('GetOTAUpdate', 'reset'),
    outcome: { errorCode: 'NetworkError' },
    updates: 0,
    calls: { GetOTAUpdate: DEFAULT_MAX_ATTEMPTS, CreateOTAUpdate: 0 },
  },
];

const lostReplies: FaultCase[] = [
  {
    name: 'CreateOTAUpdate stored but its reply lost: found by GetOTAUpdate and adopted',
    arrange: (e) => e.controls.loseReply('CreateOTAUpdate'),
    outcome: GREEN,
    updates: 1,
    calls: { CreateOTAUpdate: 1 },
  },
  {
    name: 'CreateOTAUpdate replies lost twice in a row',
    arrange: (e) => e.controls.loseReply('CreateOTAUpdate', 2),
    outcome: GREEN,
    updates: 1,
  },
  {
    name: 'AssumeRoleWithWebIdentity reply lost: fresh credentials on the next try',
    arrange: (e) => e.controls.loseReply('AssumeRoleWithWebIdentity'),
    outcome: GREEN,
    updates: 1,
    calls: { AssumeRoleWithWebIdentity: 2 },
  },
  {
    name: 'CreateMultipartUpload reply lost: a new multipart upload, the unheard one left to the lifecycle rule',
    arrange: (e) => e.controls.loseReply('CreateMultipartUpload'),
    firmwareBytes: MULTIPART_BYTES,
    outcome: GREEN,
    updates: 1,
    calls: { CreateMultipartUpload: 2, UploadPart: 2, CompleteMultipartUpload: 1 },
  },
  {
    name: 'CompleteMultipartUpload done but its reply lost: the landed version is recognised by its sha256',
    arrange: (e) => e.controls.loseReply('CompleteMultipartUpload'),
    firmwareBytes: MULTIPART_BYTES,
    outcome: GREEN,
    updates: 1,
    atLeast: { CompleteMultipartUpload: 1, HeadObject: 2 },
  },
  {
    name: 'PutObject stored but its reply lost: uploaded again, the second version shipped',
    arrange: (e) => e.controls.loseReply('PutObject'),
    outcome: GREEN,
    updates: 1,
    calls: { PutObject: 2 },
  },
];

const slowReplies: FaultCase[] = [
  {
    name: 'GetOTAUpdate once slower than the request timeout',
    arrange: (e) => e.controls.delay('GetOTAUpdate', SLOW_MS, 1),
    outcome: GREEN,
    updates: 1,
    settleMs: SLOW_MS,
  },
  {
    name: 'CreateOTAUpdate once slower than the request timeout (it still takes effect later)',
    arrange: (e) => e.controls.delay('CreateOTAUpdate', SLOW_MS, 1),
    outcome: GREEN,
    updates: 1,
    settleMs: SLOW_MS,
  },
  {
    name: 'AssumeRoleWithWebIdentity once slower than the request timeout',
    arrange: (e) => e.controls.delay('AssumeRoleWithWebIdentity', SLOW_MS, 1),
    outcome: GREEN,
    updates: 1,
    settleMs: SLOW_MS,
  },
  {
    name: 'PutObject once slower than the socket timeout',
    arrange: (e) => e.controls.delay('PutObject', SLOW_MS, 1),
    outcome: GREEN,
    updates: 1,
    settleMs: SLOW_MS,
  },
  {
    name: 'GetOTAUpdate always slow: NetworkError after bounded retries',
    arrange: (e) => e.controls.delay('GetOTAUpdate', SLOW_MS),
    outcome: { errorCode: 'NetworkError', message: /TimeoutError/ },
    updates: 0,
    attempts: { GetOTAUpdate: DEFAULT_MAX_ATTEMPTS, CreateOTAUpdate: 0 },
    settleMs: SLOW_MS,
  },
];

const oidc: FaultCase[] = [
  {
    name: 'OIDC token endpoint 503 twice',
    arrange: firstN('OidcToken', 2, 'oidc503'),
    outcome: GREEN,
    updates: 1,
    calls: { OidcToken: 3, AssumeRoleWithWebIdentity: 1 },
  },
  {
    name: 'OIDC token endpoint reset once',
    arrange: firstN('OidcToken', 1, 'reset'),
    outcome: GREEN,
    updates: 1,
    calls: { OidcToken: 2 },
  },
  {
    name: 'OIDC token endpoint always 500: OidcTokenFailed at once (an answer is not retried), no STS call',
    arrange: always('OidcToken', '500'),
    outcome: { errorCode: 'OidcTokenFailed' },
    updates: 0,
    calls: { OidcToken: 1, AssumeRoleWithWebIdentity: 0 },
  },
  {
    name: 'OIDC token endpoint always 503: OidcTokenFailed, no STS call',
    arrange: always('OidcToken', 'oidc503'),
    outcome: { errorCode: 'OidcTokenFailed' },
    updates: 0,
    calls: { AssumeRoleWithWebIdentity: 0 },
    timeoutMs: 60_000,
  },
];

const sts: FaultCase[] = [
  {
    name: 'STS AccessDenied fails at once',
    arrange: always('AssumeRoleWithWebIdentity', {
      status: 403,
      code: 'AccessDenied',
      message: 'Not authorized',
    }),
    outcome: { errorCode: 'AccessDenied' },
    updates: 0,
    calls: { AssumeRoleWithWebIdentity: 1, GetOTAUpdate: 0 },
  },
  {
    name: 'STS InvalidIdentityToken fails at once',
    arrange: always('AssumeRoleWithWebIdentity', {
      status: 400,
      code: 'InvalidIdentityToken',
      message: 'Incorrect token audience',
    }),
    outcome: { errorCode: 'InvalidIdentityToken' },
    updates: 0,
    calls: { AssumeRoleWithWebIdentity: 1, GetOTAUpdate: 0 },
  },
  {
    name: 'STS IDPCommunicationError twice',
    arrange: firstN('AssumeRoleWithWebIdentity', 2, {
      status: 400,
      code: 'IDPCommunicationError',
      message: 'Could not reach the identity provider',
    }),
    outcome: GREEN,
    updates: 1,
    calls: { AssumeRoleWithWebIdentity: 3, OidcToken: 1 },
  },
];

const permanent: FaultCase[] = [
  {
    name: 'CreateOTAUpdate LimitExceededException: a quota hint after few tries',
    arrange: always('CreateOTAUpdate', 'limit'),
    outcome: { errorCode: 'LimitExceededException', message: /quota/ },
    updates: 0,
    calls: { CreateOTAUpdate: 3 },
  },
  {
    name: 'CreateOTAUpdate InvalidRequestException fails at once',
    arrange: always('CreateOTAUpdate', {
      status: 400,
      code: 'InvalidRequestException',
      message: 'Invalid request: files[0] is not valid',
    }),
    outcome: { errorCode: 'InvalidRequestException' },
    updates: 0,
    calls: { CreateOTAUpdate: 1 },
  },
  {
    name: 'GetOTAUpdate UnauthorizedException fails at once',
    arrange: always('GetOTAUpdate', { status: 401, code: 'UnauthorizedException', message: 'Unauthorized' }),
    outcome: { errorCode: 'UnauthorizedException' },
    updates: 0,
    calls: { GetOTAUpdate: 1, CreateOTAUpdate: 0, PutObject: 0 },
  },
  {
    name: 'CreateOTAUpdate AccessDeniedException fails at once',
    arrange: always('CreateOTAUpdate', {
      status: 403,
      code: 'AccessDeniedException',
      message: 'User is not authorized to perform: iot:CreateOTAUpdate',
    }),
    outcome: { errorCode: 'AccessDeniedException' },
    updates: 0,
    calls: { CreateOTAUpdate: 1 },
  },
  {
    name: 'GetOTAUpdate AccessDeniedException with static credentials fails at once',
    arrange: always('GetOTAUpdate', {
      status: 403,
      code: 'AccessDeniedException',
      message: 'Not authorized',
    }),
    staticCredentials: true,
    outcome: { errorCode: 'AccessDeniedException' },
    updates: 0,
    calls: { GetOTAUpdate: 1, GetCallerIdentity: 1, OidcToken: 0 },
  },
];

function firmwareWorkspace(bytes: number): string {
  const workspace = mkdtempSync(join(tmpdir(), 'ota-faults-'));
  const content = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) content[i] = (i * 7 + 3) & 0xff;
  writeFileSync(join(workspace, 'firmware.bin'), content);
  return workspace;
}

function requestsOf(emulator: Emulator, operation: string) {
  return emulator.requests.filter((r) => r.operation === operation);
}

function answered(emulator: Emulator, operation: string): number {
  return requestsOf(emulator, operation).filter((r) => r.errorCode !== 'ClientAborted').length;
}

/** What the emulator saw, for failure messages. */
function trace(emulator: Emulator): string {
  return emulator.requests
    .map((r) => `${r.operation} ${r.status} ${r.errorCode ?? ''}${r.replyLost ? ' (reply lost)' : ''}`)
    .join('\n');
}

async function runCase(c: FaultCase): Promise<void> {
  const emulator = await startEmulator();
  const tap = await tapSts(emulator);
  const workspace = firmwareWorkspace(c.firmwareBytes ?? 32 * 1024);
  try {
    c.arrange(emulator);
    const run: ActionRun = await runAction({
      node,
      emulator,
      staticCredentials: c.staticCredentials === true,
      inputs: {
        ...(c.staticCredentials ? {} : { 'role-to-assume': DEPLOYER_ROLE }),
        'ota-role-arn': OTA_ROLE,
        targets: 'thinggroup/fleet',
        firmware: 'firmware.bin',
        's3-bucket': 'firmware-bucket',
        'aws-region': 'us-east-1',
      },
      env: {
        GITHUB_WORKSPACE: workspace,
        OTA_ACTION_TIME_SCALE: '0.01',
        ...(c.staticCredentials ? {} : tap.env),
      },
      timeoutMs: c.timeoutMs ?? 60_000,
    });
    if (c.settleMs) await sleep(c.settleMs);
    const log = `${run.stdout}\n${run.stderr}`;

    if ('green' in c.outcome) {
      expect(run.exitCode, log).toBe(0);
      expect(run.errorLines).toEqual([]);
      expect(run.outputs['error-code']).toBe('');
      expect(run.outputs['ota-update-status']).toBe('CREATE_COMPLETE');
      expect(['created', 'reused']).toContain(run.outputs.result);
      const stored = emulator.otaUpdates.get(run.outputs['ota-update-id'] ?? '');
      expect(stored?.status).toBe('CREATE_COMPLETE');
      const shipped = (stored?.request.files as { fileLocation: { s3Location: { version: string } } }[])[0];
      expect(shipped?.fileLocation.s3Location.version).toBe(run.outputs['firmware-s3-version']);
    } else {
      expect(run.exitCode, log).toBe(1);
      expect(run.outputs['error-code']).toBe(c.outcome.errorCode);
      expect(run.errorLines).toHaveLength(1);
      if (c.outcome.message) expect(run.errorLines[0]).toMatch(c.outcome.message);
    }
    expect(emulator.otaUpdates.size).toBe(c.updates);
    const seen = trace(emulator);
    for (const [operation, n] of Object.entries(c.calls ?? {})) {
      expect(answered(emulator, operation), `answered ${operation} calls in\n${seen}`).toBe(n);
    }
    for (const [operation, n] of Object.entries(c.attempts ?? {})) {
      expect(requestsOf(emulator, operation).length, `${operation} requests in\n${seen}`).toBe(n);
    }
    for (const [operation, n] of Object.entries(c.atLeast ?? {})) {
      expect(
        requestsOf(emulator, operation).length,
        `${operation} requests in\n${seen}`,
      ).toBeGreaterThanOrEqual(n);
    }
    for (const [operation, n] of Object.entries(c.atMost ?? {})) {
      expect(requestsOf(emulator, operation).length, `${operation} requests in\n${seen}`).toBeLessThanOrEqual(
        n,
      );
    }
    // A multipart upload is left behind only when the action never heard its id (the reply was lost or late).
    const unheard = requestsOf(emulator, 'CreateMultipartUpload').filter(
      (r) => r.replyLost === true || r.errorCode === 'ClientAborted',
    );
    expect(emulator.s3.pendingUploads('firmware-bucket').length).toBeLessThanOrEqual(unheard.length);
    expectNoLeaks(run, emulator, { tap });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    await tap.close();
    await emulator.close();
  }
}

const groups: [string, FaultCase[]][] = [
  ['throttling bursts', throttling],
  ['5xx answers', serverErrors],
  ['connection resets', resets],
  ['lost replies', lostReplies],
  ['slow replies', slowReplies],
  ['the OIDC token endpoint', oidc],
  ['STS errors', sts],
  ['quota and permanent errors', permanent],
];

// One pool, slowest first, so the long cases overlap the rest.
const cases = groups
  .flatMap(([group, list]) => list.map((c) => ({ ...c, name: `${group}: ${c.name}` })))
  .sort((a, b) => (b.timeoutMs ?? 0) - (a.timeoutMs ?? 0));

describe.concurrent('fault injection', () => {
  for (const c of cases) it(c.name, () => runCase(c), (c.timeoutMs ?? 60_000) + 10_000);
});

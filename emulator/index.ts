/**
 * An embedded local AWS for tests, the demo and CI: GitHub's OIDC token endpoint, STS, IoT OTA updates, the IoT
 * jobs behind them with simulated devices, and S3 on one 127.0.0.1 port, wire-compatible with the AWS SDK v3, the
 * AWS CLI and @actions/core. Node built-ins only (plus `yaml` for the CLI's fleet file).
 *
 * ```ts
 * const emulator = await startEmulator(options?: EmulatorOptions);
 * ```
 * EmulatorOptions (all optional):
 *   region 'us-east-1' · accountId '123456789012' · partition 'aws' · port 0 (a free one)
 *   staticCredentials [{accessKeyId, secretAccessKey, sessionToken?}]: accepted besides STS-issued ones (default one pair)
 *   roles [{arn, trustedSubs: StringLike globs on the token's sub, maxSessionDuration? (43200)}]:
 *     default arn:aws:iam::<account>:role/ota-deployer trusting 'repo:*'
 *   oidcClaims {repository 'octo/firmware', ref 'refs/tags/v1.2.0', sub?, environment?}
 *   otaPollsToComplete 2 (GetOTAUpdate polls until an update ends) · deletePolls 2 (polls in DELETE_IN_PROGRESS)
 *   buckets [{name, versioned?}] (default one versioned 'firmware-bucket') · storageDir (default a temp dir)
 *   things [{name, groups?: [group names], behaviour?}] · thingGroups [{name, behaviour?}]: the fleet (see below)
 *   clock () => epoch ms (default Date.now) · timeScale 1: emulated time = start + (clock − start) × timeScale
 *   deviceTimings {targetProcessingSeconds 10, startSeconds 10, runSeconds 120} (emulated seconds)
 *
 * Emulator:
 *   url                 http://127.0.0.1:PORT
 *   env                 AWS_ENDPOINT_URL_IOT (url), AWS_ENDPOINT_URL_STS (url/sts), AWS_ENDPOINT_URL_S3 (url/s3,
 *                       path-style), ACTIONS_ID_TOKEN_REQUEST_URL (url/oidc/token?api-version=2.0),
 *                       ACTIONS_ID_TOKEN_REQUEST_TOKEN, AWS_REGION
 *   staticCredentials   the first static pair
 *   requests            RecordedRequest[] in arrival order: {service, operation, method, path, query, headers,
 *                       status, errorCode?, bodyText? (not S3 object bodies), replyLost?, at}
 *   otaUpdates          Map<id, StoredOtaUpdate>: the CreateOTAUpdate body as received, status, arn, jobId, jobArn,
 *                       errorInfo?, creationDate, lastModifiedDate, polls, outcome, deletion?
 *   jobs                get(jobId) · all(): JobView copies at the current emulated time: status, reasonCode?,
 *                       comment?, forceCanceled, processingTargets?, counts per execution status, abortedBy?, and
 *                       executions [{thingName, status, outcome, queuedAt, notifiedAt?, startedAt?, statusDetails?,
 *                       timesOutAt?, versionNumber, forceCanceled}] in queue order
 *   fleet               open · things() [{name, arn, groups, behaviour}] · groups() [{name, arn, things, behaviour?}]
 *   now()               the current emulated time
 *   s3                  putObject(bucket, key, body, metadata?) → versionId · versions(bucket, key) newest first ·
 *                       setVersioning(bucket, enabled) · createBucket(name, versioned) · pendingUploads(bucket)
 *   seedOtaUpdate(id, body, status = 'CREATE_COMPLETE', errorInfo?)   an update that exists before the test (with a
 *                       job starting now when CREATE_COMPLETE or DELETE_FAILED)
 *   issueOidcToken(audience = 'sts.amazonaws.com')                     a token as the OIDC endpoint issues it
 *   controls            failFirst(op, n, fault) · failAlways(op, fault) · loseReply(op, n = 1) · delay(op, ms, n = all)
 *                       · createOutcome('complete' | {failed: {code, message}} | 'never')
 *                       · deviceBehaviour(thing, behaviour) · groupBehaviour(group, behaviour)
 *                       · addThingToGroup(thing, group) · clear() (faults, outcome and behaviours; joins stay)
 *                       op: an AWS operation name or 'OidcToken'; fault: 'throttle' | 'limit' | '500' | '503' |
 *                       'reset' | 'oidc503' | {status, code, message?}
 *   reset()             clears requests, OTA updates, jobs and controls, restores the configured fleet (buckets and
 *                       objects stay)
 *   close()             stops the server, drops every connection, removes the temp storage dir
 *
 * Behaviour worth knowing:
 * - Every IoT, S3 and GetCallerIdentity request must carry a valid SigV4 signature (service iot / s3 / sts, the
 *   emulator's region) from a static or STS-issued credential; failures answer as AWS does (403
 *   InvalidSignatureException / UnrecognizedClientException for IoT, SignatureDoesNotMatch / InvalidAccessKeyId /
 *   InvalidToken for S3). AssumeRoleWithWebIdentity is unsigned and needs a token from this emulator's OIDC endpoint.
 *   Signatures are checked against real time; only devices and the timestamps IoT answers use emulated time.
 * - Updates go CREATE_PENDING → CREATE_IN_PROGRESS → the outcome after otaPollsToComplete GetOTAUpdate polls. A
 *   deleted update stays DELETE_IN_PROGRESS for deletePolls polls (its id still taken), then is gone; deleting a
 *   CREATE_COMPLETE update without forceDeleteAWSJob ends DELETE_FAILED, as IoT refuses to delete a running job.
 *   With forceDeleteAWSJob the job is DELETION_IN_PROGRESS meanwhile and goes with the update; without, it stays.
 * - A delayed call takes effect after the delay even if the client has given up; loseReply resets the connection
 *   after the effect; a fault (and 'reset') happens before any effect.
 * - The fleet: with neither things nor thingGroups given it is open, as the tests that target arbitrary groups need:
 *   any target is accepted, an unknown thing is registered as a device that succeeds, an unknown group has no
 *   members. Once either is given, CreateOTAUpdate answers 404 ResourceNotFoundException naming each target that
 *   does not exist. Nested groups are not emulated.
 * - Jobs (DescribeJob, ListJobExecutionsForJob, DescribeJobExecution, CancelJob; routes, request constraints and
 *   error statuses read from model/iot-jobs-shapes.json): when an update reaches CREATE_COMPLETE its job
 *   AFR_OTA-<id> starts with processingTargets set and every count 0; targetProcessingSeconds later each thing the
 *   targets reach (once, however many targets reach it) has a QUEUED execution. Devices are notified at the rollout
 *   pace (rollout-pacer.ts: maximumPerMinute → 60/rate s apart; exponentialRate from baseRatePerMinute, × the factor
 *   each time another numberOfNotifiedThings are notified or numberOfSucceededThings succeed, capped by
 *   maximumPerMinute; no config → all at once), go IN_PROGRESS startSeconds after notification (a 'reject' device
 *   goes REJECTED instead), and SUCCEEDED or FAILED runSeconds later; timeoutConfig turns a longer IN_PROGRESS into
 *   TIMED_OUT. A SNAPSHOT job is COMPLETED once every execution is terminal (at once if its targets hold no things);
 *   a CONTINUOUS job never completes, and a thing that joins a target group later gets an execution.
 * - Behaviours (per thing, else its first group's that has one, else 'succeed'): 'succeed', 'fail' (detailsMap
 *   reason '0x01000000: 0xfffffffe') or {fail: reason}, 'reject' or {reject: reason}, 'offline' (notified, stays
 *   QUEUED), 'hang' (IN_PROGRESS until timed out), {failRate, seed, reason?} (a seeded hash of seed, job and thing
 *   decides). A behaviour is read when the execution is created; every control takes effect at the emulated moment
 *   it is made. Each request plays the job up to now: state is a function of emulated time alone. Events of one
 *   instant apply in queue order (a failure that cancels the job comes before a later device's start at that instant).
 * - The abort config, per criterion: once at least minNumberOfExecutedThings things have been notified (offline ones
 *   included), failures of its type (ALL: FAILED + REJECTED + TIMED_OUT; at least one) reaching thresholdPercentage
 *   of the notified things cancel the job: QUEUED executions are CANCELED, IN_PROGRESS ones run to their end. The
 *   emulated reasonCode is ABORT_CRITERIA_MET, the comment gives the figures (IoT's own wording is not documented).
 * - CancelJob: an IN_PROGRESS job is canceled as above, with reasonCode and comment recorded (still processing its
 *   targets: every execution is created CANCELED); force also cancels the IN_PROGRESS executions (forceCanceled). A
 *   CANCELED job not force-canceled takes force=true once more; any other CancelJob of a CANCELED, COMPLETED or
 *   DELETION_IN_PROGRESS job answers 400 InvalidRequestException. An unknown job is 404 ResourceNotFoundException.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatedClock } from './clock.js';
import type { EmulatorContext } from './context.js';
import { Controls } from './controls.js';
import { CredentialStore, DEFAULT_STATIC_CREDENTIAL } from './credentials.js';
import { OidcIssuer, TOKEN_PATH } from './oidc.js';
import { Fleet } from './fleet.js';
import { resolveTimings } from './job-model.js';
import { JobStore } from './job-store.js';
import { OtaStore } from './ota-store.js';
import { S3_PREFIX } from './router.js';
import { S3Store } from './s3-store.js';
import { listen } from './server.js';
import type { EmulatedS3, Emulator, EmulatorOptions, RecordedRequest } from './types.js';

export type * from './types.js';
export type * from './job-types.js';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const partition = options.partition ?? 'aws';
  const statics = options.staticCredentials ?? [DEFAULT_STATIC_CREDENTIAL];
  const first = statics[0];
  if (!first) throw new Error('emulator: staticCredentials must hold at least one pair');
  const ownStorage = options.storageDir === undefined;
  const storageDir = options.storageDir ?? mkdtempSync(join(tmpdir(), 'ota-emulator-'));

  const arnPrefix = `arn:${partition}:iot:${region}:${accountId}`;
  const clock = new EmulatedClock(options.clock, options.timeScale);
  const fleet = new Fleet({
    arnPrefix,
    ...(options.things !== undefined ? { things: options.things } : {}),
    ...(options.thingGroups !== undefined ? { thingGroups: options.thingGroups } : {}),
  });
  const jobs = new JobStore(clock, fleet, resolveTimings(options.deviceTimings));
  const controls = new Controls(jobs);
  const s3 = new S3Store(storageDir);
  for (const b of options.buckets ?? [{ name: 'firmware-bucket', versioned: true }])
    s3.createBucket(b.name, b.versioned ?? false);
  const ctx: EmulatorContext = {
    region,
    accountId,
    partition,
    credentials: new CredentialStore(statics, accountId, partition),
    oidc: new OidcIssuer(options.oidcClaims),
    roles: (
      options.roles ?? [
        { arn: `arn:${partition}:iam::${accountId}:role/ota-deployer`, trustedSubs: ['repo:*'] },
      ]
    ).map((r) => ({
      arn: r.arn,
      trustedSubs: r.trustedSubs,
      maxSessionDuration: r.maxSessionDuration ?? 43200,
    })),
    ota: new OtaStore({
      pollsToComplete: options.otaPollsToComplete ?? 2,
      deletePolls: options.deletePolls ?? 2,
      arnPrefix,
      now: () => clock.now(),
      jobs,
    }),
    fleet,
    jobs,
    s3,
    controls,
  };
  const requests: RecordedRequest[] = [];
  const server = await listen(ctx, requests, options.port ?? 0);

  const bucketOf = (name: string) => {
    const bucket = s3.bucket(name);
    if (!bucket) throw new Error(`emulator: no bucket ${name}`);
    return bucket;
  };
  const emulatedS3: EmulatedS3 = {
    putObject: (bucket, key, body, metadata = {}) =>
      s3.putObject(bucketOf(bucket), key, Buffer.from(body), metadata).versionId,
    versions: (bucket, key) =>
      (bucketOf(bucket).objects.get(key) ?? [])
        .slice()
        .reverse()
        .map((v) => ({
          versionId: v.versionId,
          size: v.size,
          ...(v.metadata.sha256 !== undefined ? { sha256Metadata: v.metadata.sha256 } : {}),
          metadata: { ...v.metadata },
        })),
    setVersioning: (bucket, enabled) => {
      bucketOf(bucket).versioning = enabled ? 'Enabled' : 'Suspended';
    },
    createBucket: (name, versioned) => void s3.createBucket(name, versioned),
    pendingUploads: (bucket) =>
      [...bucketOf(bucket).uploads.values()].map((u) => ({ key: u.key, uploadId: u.uploadId })),
  };

  return {
    url: server.url,
    env: {
      AWS_ENDPOINT_URL_IOT: server.url,
      AWS_ENDPOINT_URL_STS: `${server.url}/sts`,
      AWS_ENDPOINT_URL_S3: `${server.url}${S3_PREFIX}`,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${server.url}${TOKEN_PATH}?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: ctx.oidc.requestToken,
      AWS_REGION: region,
    },
    staticCredentials: { accessKeyId: first.accessKeyId, secretAccessKey: first.secretAccessKey },
    requests,
    otaUpdates: ctx.ota.updates,
    s3: emulatedS3,
    seedOtaUpdate: (id, body, status = 'CREATE_COMPLETE', errorInfo) =>
      void ctx.ota.seed(id, { ...body }, status, errorInfo, controls.outcome),
    issueOidcToken: (audience = 'sts.amazonaws.com') => ctx.oidc.issue(audience),
    controls,
    jobs: { get: (jobId) => jobs.view(jobId), all: () => jobs.views() },
    fleet: { open: fleet.open, things: () => fleet.things(), groups: () => fleet.groups() },
    now: () => new Date(clock.now()),
    reset: () => {
      requests.length = 0;
      ctx.ota.clear();
      jobs.clear();
      controls.clear();
      fleet.restore();
    },
    close: async () => {
      await server.close();
      if (ownStorage) rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

/**
 * One run of the action, top to bottom: read and validate the inputs, learn who we are in AWS, find out what the
 * firmware is and whether this release already exists, then (unless dry-run) upload, create and wait, and report.
 */
import {
  debug,
  error,
  getIDToken,
  info,
  notice,
  setOutput,
  setSecret,
  summary,
  warning,
} from '@actions/core';
import type { CreateOTAUpdateRequest, OTAUpdateInfo } from '@aws-sdk/client-iot';
import type { AwsClients, ClientOptions } from './aws/clients.js';
import { describeFiles, type ResolvedFile } from './stages/files.js';
import { readInputs, type RunEnv } from './runner/inputs.js';
import { decideStep, type Step } from './plan/decision.js';
import { deriveOtaUpdateId } from './plan/release-id.js';
import {
  reportFailure,
  setSuccessOutputs,
  writeSuccessSummary,
  type Core,
  type RunResultKind,
} from './runner/report.js';
import { buildRequest, requestToJson } from './plan/request.js';
import type { RetryPolicy } from './aws/retry.js';
import { parseSettings } from './settings/settings.js';
import { validateRequest } from './settings/shape-validation.js';
import { expandTargets } from './settings/targets.js';
import type { FileFacts, Settings } from './types.js';
import {
  DEFAULT_POLL_SCHEDULE,
  realClock,
  waitForCreation,
  waitUntilDeleted,
  type Clock,
  type WaitOptions,
} from './stages/wait.js';

export interface RunDependencies {
  env: NodeJS.ProcessEnv;
  core: Core & { getIDToken(audience: string): Promise<string>; setSecret(secret: string): void };
  clock: Clock;
  /** Aborted when the step is cancelled: an upload in flight stops and its multipart upload is aborted. */
  signal?: AbortSignal;
}

/** The real world: the process's environment, @actions/core, the wall clock, and the runner's cancellation. */
export function runnerDependencies(): RunDependencies {
  const cancellation = new AbortController();
  // The runner sends SIGINT, then SIGTERM, when a job is cancelled.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => cancellation.abort(new Error(`the step was cancelled (${signal})`)));
  }
  const core = { setOutput, info, warning, error, notice, debug, summary, getIDToken, setSecret };
  return { env: process.env, core, clock: realClock, signal: cancellation.signal };
}

/** What the run has learned so far, so a failure report can say it. */
interface Progress {
  region?: string;
  partition?: string;
  otaUpdateId?: string;
  requestJson?: string;
  debug: boolean;
}

export async function run(deps: RunDependencies = runnerDependencies()): Promise<void> {
  const { core: log, clock } = deps;
  const started = clock.now();
  const progress: Progress = { debug: false };
  let clients: AwsClients | undefined;
  try {
    // Parse: every input problem at once, before any AWS call.
    const { raw, context, env } = readInputs(deps.env);
    progress.debug = env.runnerDebug;
    const { settings, warnings } = parseSettings(raw, context, env);
    warnings.forEach((warning) => log.warning(warning));
    maskSignatures(settings, log);
    progress.region = settings.auth.region;
    warnIfCredentialsMayExpire(settings, log);
    const timing = timingFor(env.timeScale, clock);

    // Resolve: credentials, who we are, what the firmware is, and what IoT already holds under the id.
    // The OIDC token needs no SDK, and loading the SDK blocks the event loop for a while: ask for the token
    // first. Its answer (or failure, retried there) goes to the first getIdToken call of resolveCredentials.
    let earlyToken =
      settings.auth.roleToAssume !== undefined && env.idTokenRequestAvailable
        ? log.getIDToken(settings.auth.audience)
        : undefined;
    await earlyToken?.catch(() => undefined);
    const aws = await import('./stages/aws-stages.js');
    const { createClients, getOtaUpdate } = aws;
    const clientOptions = clientOptionsFor(settings, env, aws);
    const stsOnly = createClients(clientOptions);
    const { credentials, identity } = await aws.resolveCredentials(settings.auth, {
      sts: stsOnly.sts,
      getIdToken: (audience: string) => {
        const token = earlyToken ?? log.getIDToken(audience);
        earlyToken = undefined;
        return token;
      },
      idTokenAvailable: env.idTokenRequestAvailable,
      setSecret: (secret: string) => log.setSecret(secret),
      repository: context.repository,
      retryPolicy: timing.retry,
    });
    stsOnly.destroy();
    progress.partition = identity.partition;
    log.info(`Acting as ${identity.arn}`);
    clients = createClients({ ...clientOptions, credentials });
    const { iot, s3 } = clients;

    const targets = expandTargets(settings.targets, identity, settings.auth.region);
    const files = await aws.fingerprintFiles(settings.files, s3, timing.retry);
    const otaUpdateId = settings.otaUpdateId ?? deriveOtaUpdateId(settings, factsOf(files));
    progress.otaUpdateId = otaUpdateId;
    log.info(`OTA update id: ${otaUpdateId}${settings.otaUpdateId ? '' : ' (derived from the release)'}`);
    const lookup = (): Promise<OTAUpdateInfo | undefined> => getOtaUpdate(iot, otaUpdateId, timing.retry);
    const existing = await lookup();
    await aws.adoptExistingCopies(files, s3, existing, timing.retry);

    // Plan: the request and what to do about the id.
    const rebuild = (): CreateOTAUpdateRequest =>
      buildRequest(settings, otaUpdateId, targets, factsOf(files));
    let request = rebuild();
    validateRequest(request);
    progress.requestJson = requestToJson(request);
    const step = decideStep(existing, request, settings.behaviour.ifExists);
    log.info(describeStep(step, otaUpdateId));
    const waitOptions = (what: string): WaitOptions => ({
      otaUpdateId,
      timeoutMs: settings.behaviour.waitTimeoutSeconds * 1000,
      schedule: timing.poll,
      clock,
      onStatus: (status) => log.info(`${what}: ${status}`),
    });

    // Apply: the only stage that changes anything in AWS.
    let info: Partial<OTAUpdateInfo> = existing ?? {};
    let result: RunResultKind;
    if (settings.behaviour.dryRun) {
      log.info(
        `Dry run: nothing is uploaded, created or deleted. The request would be:\n${progress.requestJson}`,
      );
      result = 'dry-run';
    } else if (step.kind === 'reuse') {
      log.notice(`OTA update ${otaUpdateId} already holds this release; reusing it.`);
      result = 'reused';
    } else {
      if (step.kind === 'replace') {
        if (step.why === 'create-failed') {
          log.notice(
            `OTA update ${otaUpdateId} ended CREATE_FAILED and never reached a device; replacing it.`,
          );
        }
        await aws.deleteOtaUpdate(
          iot,
          otaUpdateId,
          // IoT makes a stream from S3 files and may delete it; a stream the user supplied is never deleted.
          { forceDeleteAWSJob: true, deleteStream: settings.files.every((f) => f.source.kind === 's3') },
          timing.retry,
        );
      }
      if (step.kind === 'replace' || step.kind === 'await-deletion') {
        await waitUntilDeleted(lookup, waitOptions('Waiting for the id to be free'));
      }
      await aws.uploadPending(files, s3, log, timing.retry, deps.signal);
      request = rebuild();
      progress.requestJson = requestToJson(request);
      const outcome = await aws.createOrAdopt(iot, request, {
        ifExists: settings.behaviour.ifExists,
        alignWith: async (found) => {
          await aws.adoptExistingCopies(files, s3, found, timing.retry);
          return rebuild();
        },
        awaitDeletion: () => waitUntilDeleted(lookup, waitOptions('Waiting for a concurrent deletion')),
        sleep: (ms) => clock.sleep(ms * timing.scale),
      });
      request = outcome.request;
      progress.requestJson = requestToJson(request);
      info = outcome.info;
      result = outcome.adopted ? 'reused' : step.kind === 'replace' ? 'replaced' : 'created';
      if (!outcome.adopted)
        log.info(`Created OTA update ${otaUpdateId} (${info.otaUpdateStatus ?? 'status unknown'})`);
    }

    // Wait: until the update (and its IoT job) really exists.
    if (
      result !== 'dry-run' &&
      settings.behaviour.wait !== 'none' &&
      info.otaUpdateStatus !== 'CREATE_COMPLETE'
    ) {
      info = await waitForCreation(lookup, waitOptions(`OTA update ${otaUpdateId}`));
    }

    // Report.
    const report = {
      result,
      otaUpdateId,
      otaUpdateArn: info.otaUpdateArn,
      status: info.otaUpdateStatus,
      awsIotJobId: info.awsIotJobId,
      awsIotJobArn: info.awsIotJobArn,
      targets,
      files: describeFiles(files),
      request,
      requestJson: progress.requestJson,
      region: settings.auth.region,
      partition: identity.partition,
      elapsedMs: clock.now() - started,
    };
    setSuccessOutputs(log, report);
    await writeSuccessSummary(log, report);
  } catch (error) {
    await reportFailure(log, error, {
      region: progress.region,
      partition: progress.partition,
      otaUpdateId: progress.otaUpdateId,
      requestJson: progress.requestJson,
      elapsedMs: clock.now() - started,
      debug: progress.debug,
    });
    process.exitCode = 1;
  } finally {
    clients?.destroy();
  }
}

/** A custom signature is key material of a kind: keep it out of every log line, as base64 and as given. */
function maskSignatures(settings: Settings, log: Pick<RunDependencies['core'], 'setSecret'>): void {
  for (const file of settings.files) {
    const bytes = file.codeSigning?.customCodeSigning?.signature?.inlineDocument;
    if (bytes && bytes.length > 0) log.setSecret(Buffer.from(bytes).toString('base64'));
  }
}

function factsOf(files: readonly ResolvedFile[]): FileFacts[] {
  return files.map((f) => f.facts);
}

function clientOptionsFor(
  settings: Settings,
  env: RunEnv,
  { DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_CONNECTION_TIMEOUT_MS }: typeof import('./stages/aws-stages.js'),
): ClientOptions {
  const options: ClientOptions = { region: settings.auth.region, endpoints: env.endpoints, proxy: env.proxy };
  if (env.timeScale === 1) return options;
  return {
    ...options,
    requestTimeoutMs: Math.max(50, DEFAULT_REQUEST_TIMEOUT_MS * env.timeScale),
    connectionTimeoutMs: Math.max(50, DEFAULT_CONNECTION_TIMEOUT_MS * env.timeScale),
  };
}

/** Real timings, or all of them scaled down for the emulator tests (OTA_ACTION_TIME_SCALE). */
function timingFor(
  scale: number,
  clock: Clock,
): { scale: number; poll: typeof DEFAULT_POLL_SCHEDULE; retry: Partial<RetryPolicy> } {
  if (scale === 1) return { scale, poll: DEFAULT_POLL_SCHEDULE, retry: {} };
  return {
    scale,
    poll: {
      ...DEFAULT_POLL_SCHEDULE,
      firstDelayMs: DEFAULT_POLL_SCHEDULE.firstDelayMs * scale,
      maxDelayMs: DEFAULT_POLL_SCHEDULE.maxDelayMs * scale,
    },
    retry: { sleep: (ms) => clock.sleep(ms * scale) },
  };
}

function warnIfCredentialsMayExpire(settings: Settings, log: Core): void {
  const { auth, behaviour } = settings;
  if (!auth.roleToAssume || behaviour.wait === 'none' || behaviour.dryRun) return;
  if (auth.roleDurationSeconds < behaviour.waitTimeoutSeconds) {
    log.warning(
      `role-duration-seconds (${auth.roleDurationSeconds}) is shorter than wait-timeout-seconds (${behaviour.waitTimeoutSeconds}): the assumed role's credentials may expire while the step waits. Raise role-duration-seconds (and the role's MaxSessionDuration) or lower wait-timeout-seconds.`,
    );
  }
}

function describeStep(step: Step, id: string): string {
  const status = 'existing' in step ? (step.existing.otaUpdateStatus ?? 'unknown status') : '';
  switch (step.kind) {
    case 'create':
      return `OTA update ${id} does not exist yet: creating it.`;
    case 'reuse':
      return `OTA update ${id} exists (${status}) and holds this release.`;
    case 'replace':
      return `OTA update ${id} exists (${status}): deleting it, then creating it again.`;
    case 'await-deletion':
      return `OTA update ${id} is being deleted: waiting until its id is free, then creating it.`;
  }
}

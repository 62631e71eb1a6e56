/**
 * The CreateOTAUpdate call, made safe to repeat. It goes out once per attempt (never retried blindly by the SDK):
 * after a reply that may have been lost (network error, timeout, 5xx) or a ResourceAlreadyExists answer, we look the
 * id up and ask the planner's own decision (src/plan/decision.ts) what the update we find means. An update holding
 * this very release is ours (or a concurrent run's of the same release) and is adopted; anything else is refused.
 * Refusals that took no effect (throttling, quota) are tried again after a pause.
 */
import type { CreateOTAUpdateRequest, OTAUpdateInfo } from '@aws-sdk/client-iot';
import { awsErrorCode, classifyError, isMaybeApplied } from '../aws/classify.js';
import { toActionError } from '../aws/error-catalog.js';
import type { AwsCallContext } from '../aws/error-hints.js';
import { createOtaUpdateOnce, getOtaUpdate } from '../aws/iot.js';
import { decide, notComparedWarning } from '../plan/decision.js';
import { sleepUnless } from '../signals.js';
import type { FileFacts, IfExists } from '../types.js';
import type { StageContext } from './context.js';
import { tagsOf } from './resolve.js';

/** Create attempts in all. */
const MAX_ATTEMPTS = 5;
/** Quota answers (LimitExceededException) get this many tries in all: a quota rarely frees up within seconds. */
const QUOTA_ATTEMPTS = 3;

export interface CreateOptions {
  ifExists: IfExists;
  /** The request again, with its files pointed at the versions an update found under the id ships (same bytes). */
  realign(found: OTAUpdateInfo): Promise<Realigned>;
  /** Waits until a concurrently deleted id is free. */
  awaitDeletion(): Promise<void>;
}

interface Realigned {
  request: CreateOTAUpdateRequest;
  files: FileFacts[];
}

export interface CreateOutcome {
  info: Partial<OTAUpdateInfo>;
  request: CreateOTAUpdateRequest;
  /** Set when an update holding this release was already there (our own lost reply, or a concurrent run): the
   * files as that update ships them. */
  adopted: FileFacts[] | undefined;
}

export async function createOrAdopt(
  request: CreateOTAUpdateRequest,
  options: CreateOptions,
  ctx: StageContext,
): Promise<CreateOutcome> {
  const id = request.otaUpdateId ?? '';
  const callCtx: AwsCallContext = {
    operation: 'CreateOTAUpdate',
    otaUpdateId: id,
    otaRoleArn: request.roleArn,
    region: await ctx.clients.iot.config.region(),
  };
  let mayHaveCreated = false;
  for (let attempt = 1; ; attempt++) {
    try {
      ctx.progress.createSent(id);
      const reply = await createOtaUpdateOnce(ctx.clients.iotOnce, request, ctx.signal);
      return {
        info: {
          otaUpdateId: reply.otaUpdateId ?? id,
          otaUpdateArn: reply.otaUpdateArn,
          otaUpdateStatus: reply.otaUpdateStatus,
          awsIotJobId: reply.awsIotJobId,
          awsIotJobArn: reply.awsIotJobArn,
        },
        request,
        adopted: undefined,
      };
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const alreadyExists = awsErrorCode(error) === 'ResourceAlreadyExistsException';
      const maybeApplied = isMaybeApplied(error);
      if (attempt >= MAX_ATTEMPTS) throw toActionError(error, callCtx);
      if (!alreadyExists && !maybeApplied) {
        // Refused before anything happened: throttling and quota answers are worth another try, the rest is final.
        const kind = classifyError(error);
        if (kind === 'permanent' || (kind === 'quota' && attempt >= QUOTA_ATTEMPTS)) {
          throw toActionError(error, callCtx);
        }
        await pause(attempt, ctx);
        continue;
      }
      mayHaveCreated ||= maybeApplied;

      const found = await getOtaUpdate(ctx.clients.iot, id, ctx.signal);
      if (!found) {
        await pause(attempt, ctx);
        continue;
      }
      if (alreadyExists && !mayHaveCreated && options.ifExists === 'fail')
        throw toActionError(error, callCtx);
      const aligned = await options.realign(found);
      // Our own create may be what we found: 'fail' cannot apply to it, and nothing found now is deleted.
      const ifExists = options.ifExists === 'fail' ? 'reuse' : options.ifExists;
      const step = decide(found, aligned.request, ifExists, {
        moment: 'conflict',
        tags: await tagsOf(found, ctx),
      });
      if (step.kind === 'await-deletion') {
        await options.awaitDeletion();
        continue;
      }
      const warning = step.kind === 'reuse' ? notComparedWarning(id, step.notCompared) : undefined;
      if (warning !== undefined) ctx.log.warning(warning);
      return { info: found, request: aligned.request, adopted: aligned.files };
    }
  }
}

async function pause(attempt: number, ctx: StageContext): Promise<void> {
  await sleepUnless(ctx.clock, Math.min(500 * 2 ** (attempt - 1), 5000) * ctx.timing.scale, ctx.signal);
}

/**
 * Apply: carries out a plan, the only stage that changes anything in AWS. Reuse changes nothing; replace deletes
 * what holds the id and waits until the id is free; then the planned uploads, then the create (or the adoption of
 * an identical update found under the id). Returns what it changed: the final request, the files' versions, and
 * what IoT said of the update.
 */
import type { CreateOTAUpdateRequest, OTAUpdateInfo } from '@aws-sdk/client-iot';
import { deleteOtaUpdate } from '../aws/iot.js';
import type { Plan } from '../plan/plan.js';
import { buildRequest } from '../plan/request.js';
import type { FileFacts, Settings } from '../types.js';
import type { StageContext } from './context.js';
import { createOrAdopt } from './create.js';
import { findCopies } from './resolve.js';
import { uploadAll } from './uploads.js';
import { waitUntilDeleted } from './wait.js';

export type AppliedResult = 'created' | 'replaced' | 'reused';

export interface Applied {
  result: AppliedResult;
  request: CreateOTAUpdateRequest;
  files: FileFacts[];
  /** What IoT said of the update: the create's reply, or the update found and adopted. */
  info: Partial<OTAUpdateInfo>;
}

export async function apply(settings: Settings, plan: Plan, ctx: StageContext): Promise<Applied> {
  const { step, otaUpdateId: id } = plan;
  const deletionWait = (what: string) => () =>
    waitUntilDeleted({ otaUpdateId: id, timeoutMs: settings.behaviour.waitTimeoutSeconds * 1000, what }, ctx);

  if (step.kind === 'reuse') {
    ctx.log.notice(`OTA update ${id} already holds this release; reusing it.`);
    ctx.progress.updateKnown(step.existing);
    return { result: 'reused', request: plan.request, files: plan.files, info: step.existing };
  }
  if (step.kind === 'replace') {
    if (step.why === 'create-failed') {
      ctx.log.notice(`OTA update ${id} ended CREATE_FAILED and never reached a device; replacing it.`);
    }
    await deleteOtaUpdate(ctx.clients.iot, id, ctx.signal);
    await deletionWait('Waiting for the id to be free')();
  } else if (step.kind === 'await-deletion') {
    await deletionWait('Waiting for the id to be free')();
  }

  const uploaded = await uploadAll(plan, ctx);
  const outcome = await createOrAdopt(
    buildRequest(settings, id, plan.targets, uploaded),
    {
      ifExists: settings.behaviour.ifExists,
      realign: async (found) => {
        const files = await findCopies(settings.files, uploaded, found, ctx);
        return { files, request: buildRequest(settings, id, plan.targets, files) };
      },
      awaitDeletion: deletionWait('Waiting for a concurrent deletion'),
    },
    ctx,
  );
  ctx.progress.updateKnown(outcome.info);
  if (!outcome.adopted)
    ctx.log.info(`Created OTA update ${id} (${outcome.info.otaUpdateStatus ?? 'status unknown'})`);
  return {
    result: outcome.adopted ? 'reused' : step.kind === 'replace' ? 'replaced' : 'created',
    request: outcome.request,
    files: outcome.adopted ?? uploaded,
    info: outcome.info,
  };
}

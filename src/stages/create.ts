/**
 * The CreateOTAUpdate call, made safe to repeat. The SDK never retries it blindly: after a reply that may have been
 * lost (network error, timeout, 5xx) or a ResourceAlreadyExists answer, we look the id up. An update holding this
 * very release is ours (or a concurrent run's of the same release) and is adopted; anything else is a typed failure.
 */
import type { CreateOTAUpdateRequest, IoTClient, OTAUpdateInfo } from '@aws-sdk/client-iot';
import { classifyError, isMaybeApplied } from '../aws/classify.js';
import { toActionError } from '../aws/error-catalog.js';
import { createOtaUpdateOnce, getOtaUpdate } from '../aws/iot.js';
import { describeDifferences } from '../plan/compare.js';
import { ActionError } from '../errors.js';
import type { IfExists } from '../types.js';

/** Quota answers (LimitExceededException) get this many tries in all: a quota rarely frees up within seconds. */
const QUOTA_ATTEMPTS = 3;

export interface CreateOptions {
  ifExists: IfExists;
  /** Re-points the request's files at an existing update's versions when they hold the same bytes. */
  alignWith: (existing: OTAUpdateInfo) => Promise<CreateOTAUpdateRequest>;
  /** Waits until a concurrently deleted id is free. */
  awaitDeletion: () => Promise<void>;
  sleep: (ms: number) => Promise<void>;
  maxAttempts?: number;
}

export interface CreateOutcome {
  info: Partial<OTAUpdateInfo>;
  request: CreateOTAUpdateRequest;
  /** True when an update holding this release was already there (our own lost reply, or a concurrent run). */
  adopted: boolean;
}

export async function createOrAdopt(
  iot: IoTClient,
  request: CreateOTAUpdateRequest,
  options: CreateOptions,
): Promise<CreateOutcome> {
  const id = request.otaUpdateId ?? '';
  const maxAttempts = options.maxAttempts ?? 5;
  let mayHaveCreated = false;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const reply = await createOtaUpdateOnce(iot, request);
      return {
        info: {
          otaUpdateId: reply.otaUpdateId ?? id,
          otaUpdateArn: reply.otaUpdateArn,
          otaUpdateStatus: reply.otaUpdateStatus,
          awsIotJobId: reply.awsIotJobId,
          awsIotJobArn: reply.awsIotJobArn,
        },
        request,
        adopted: false,
      };
    } catch (error) {
      const alreadyExists = errorName(error) === 'ResourceAlreadyExistsException';
      const maybeApplied = isMaybeApplied(error);
      lastError = error;
      if (!alreadyExists && !maybeApplied) {
        // Refused before anything happened: throttling and quota answers are worth another try, the rest is final.
        const kind = classifyError(error);
        const worthRetrying = kind === 'transient' || (kind === 'quota' && attempt < QUOTA_ATTEMPTS);
        if (!worthRetrying || attempt === maxAttempts) {
          throw toActionError(error, { operation: 'CreateOTAUpdate', otaUpdateId: id });
        }
        await options.sleep(backoffMs(attempt));
        continue;
      }
      mayHaveCreated ||= maybeApplied;

      const existing = await getOtaUpdate(iot, id);
      if (!existing) {
        await options.sleep(backoffMs(attempt));
        continue;
      }
      if (existing.otaUpdateStatus === 'DELETE_IN_PROGRESS') {
        await options.awaitDeletion();
        continue;
      }
      if (alreadyExists && !mayHaveCreated && options.ifExists === 'fail') {
        throw toActionError(error, { operation: 'CreateOTAUpdate', otaUpdateId: id });
      }
      const aligned = await options.alignWith(existing);
      const differences = describeDifferences(existing, aligned);
      if (differences.length > 0) {
        throw new ActionError(
          'ExistingUpdateDiffers',
          `OTA update ${id} was created meanwhile with a different release: ${differences.join('; ')}.`,
          {
            hint: 'Another run created this id with other content; give this release its own ota-update-id, or set if-exists to replace.',
          },
        );
      }
      return { info: existing, request: aligned, adopted: true };
    }
  }
  throw toActionError(lastError, { operation: 'CreateOTAUpdate', otaUpdateId: id });
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function backoffMs(attempt: number): number {
  return Math.min(500 * 2 ** (attempt - 1), 5000);
}

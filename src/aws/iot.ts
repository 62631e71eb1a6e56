/**
 * The OTA update calls, and the read of an update's tags. Reads and deletes go out on the retrying client; the create goes out once, because
 * repeating it blindly after a lost reply could create the update twice or mistake our own update for a stranger's.
 * Every call takes an AbortSignal: the caller bounds it by its deadline and by the step's cancellation.
 */
import {
  CreateOTAUpdateCommand,
  DeleteOTAUpdateCommand,
  GetOTAUpdateCommand,
  ListTagsForResourceCommand,
  type CreateOTAUpdateRequest,
  type CreateOTAUpdateResponse,
  type IoTClient,
  type OTAUpdateInfo,
} from '@aws-sdk/client-iot';
import { bounded } from '../signals.js';
import { awsErrorCode } from './classify.js';
import { failure, toActionError } from './error-catalog.js';
import type { AwsCallContext } from './error-hints.js';

/**
 * One CreateOTAUpdate attempt, on a client that does not retry (`clients.iotOnce`). Throws the SDK's error
 * unchanged, so the caller can decide: `isMaybeApplied(error)` (lost reply, timeout, 5xx: look the id up) versus a
 * definite refusal, then `toActionError(error, { operation: 'CreateOTAUpdate', ... })` to report it.
 */
export function createOtaUpdateOnce(
  iotOnce: IoTClient,
  request: CreateOTAUpdateRequest,
  signal: AbortSignal,
): Promise<CreateOTAUpdateResponse> {
  return bounded(signal, (abortSignal) => iotOnce.send(new CreateOTAUpdateCommand(request), { abortSignal }));
}

async function context(
  iot: IoTClient,
  operation: AwsCallContext['operation'],
  otaUpdateId: string,
): Promise<AwsCallContext> {
  return { operation, otaUpdateId, region: await iot.config.region() };
}

/** The update, or undefined when no update has this id. */
export async function getOtaUpdate(
  iot: IoTClient,
  otaUpdateId: string,
  signal: AbortSignal,
): Promise<OTAUpdateInfo | undefined> {
  let reply;
  try {
    reply = await bounded(signal, (abortSignal) =>
      iot.send(new GetOTAUpdateCommand({ otaUpdateId }), { abortSignal }),
    );
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (awsErrorCode(error) === 'ResourceNotFoundException') return undefined;
    throw toActionError(error, await context(iot, 'GetOTAUpdate', otaUpdateId));
  }
  if (reply.otaUpdateInfo === undefined) {
    const ctx = await context(iot, 'GetOTAUpdate', otaUpdateId);
    throw failure('UnexpectedResponse', ctx, 'AWS IoT answered without otaUpdateInfo');
  }
  return reply.otaUpdateInfo;
}

/** Starts deleting the update with its job and any stream IoT made; `not-found` when it was already gone. */
export async function deleteOtaUpdate(
  iot: IoTClient,
  otaUpdateId: string,
  signal: AbortSignal,
): Promise<'deleted' | 'not-found'> {
  // deleteStream: IoT deletes the stream it made from S3 files and never one the user supplied; false leaks streams.
  const command = new DeleteOTAUpdateCommand({ otaUpdateId, deleteStream: true, forceDeleteAWSJob: true });
  try {
    await bounded(signal, (abortSignal) => iot.send(command, { abortSignal }));
    return 'deleted';
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (awsErrorCode(error) === 'ResourceNotFoundException') return 'not-found';
    throw toActionError(error, await context(iot, 'DeleteOTAUpdate', otaUpdateId));
  }
}

/**
 * The update's tags, every page of them; 'unreadable' when the credentials may not read them (the caller says so,
 * and compares what it can).
 */
export async function listTags(
  iot: IoTClient,
  otaUpdateId: string,
  resourceArn: string,
  signal: AbortSignal,
): Promise<Record<string, string> | 'unreadable'> {
  const tags: Record<string, string> = {};
  let nextToken: string | undefined;
  try {
    do {
      const command = new ListTagsForResourceCommand({ resourceArn, ...(nextToken ? { nextToken } : {}) });
      const reply = await bounded(signal, (abortSignal) => iot.send(command, { abortSignal }));
      for (const tag of reply.tags ?? []) {
        if (tag.Key !== undefined)
          Object.defineProperty(tags, tag.Key, { value: tag.Value ?? '', enumerable: true });
      }
      nextToken = reply.nextToken;
    } while (nextToken);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const code = awsErrorCode(error);
    if (code === 'AccessDeniedException' || code === 'UnauthorizedException') return 'unreadable';
    throw toActionError(error, await context(iot, 'ListTagsForResource', otaUpdateId));
  }
  return tags;
}

/**
 * The three OTA update calls. Reads and deletes are retried (src/retry.ts); the create is a single attempt, because
 * repeating it blindly after a lost reply could create the update twice or mistake our own update for a stranger's.
 */
import {
  CreateOTAUpdateCommand,
  DeleteOTAUpdateCommand,
  GetOTAUpdateCommand,
  type CreateOTAUpdateRequest,
  type CreateOTAUpdateResponse,
  type IoTClient,
  type OTAUpdateInfo,
} from '@aws-sdk/client-iot';
import { retry, type RetryPolicy } from './retry.js';
import { awsErrorCode } from './classify.js';
import { failure, toActionError, type AwsCallContext } from './error-catalog.js';

/**
 * One CreateOTAUpdate attempt. Throws the SDK's error unchanged, so the caller can decide: `isMaybeApplied(error)`
 * (lost reply, timeout, 5xx: look the id up with GetOTAUpdate) versus a definite refusal, `awsErrorCode(error)` for
 * ResourceAlreadyExistsException, then `toActionError(error, { operation: 'CreateOTAUpdate', ... })` to report it.
 */
export function createOtaUpdateOnce(
  iot: IoTClient,
  request: CreateOTAUpdateRequest,
): Promise<CreateOTAUpdateResponse> {
  return iot.send(new CreateOTAUpdateCommand(request));
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
  policy?: Partial<RetryPolicy>,
): Promise<OTAUpdateInfo | undefined> {
  let reply;
  try {
    reply = await retry('iot:GetOTAUpdate', () => iot.send(new GetOTAUpdateCommand({ otaUpdateId })), policy);
  } catch (error) {
    if (awsErrorCode(error) === 'ResourceNotFoundException') return undefined;
    throw toActionError(error, await context(iot, 'GetOTAUpdate', otaUpdateId));
  }
  if (reply.otaUpdateInfo === undefined) {
    const ctx = await context(iot, 'GetOTAUpdate', otaUpdateId);
    throw failure('UnexpectedResponse', ctx, 'AWS IoT answered without otaUpdateInfo');
  }
  return reply.otaUpdateInfo;
}

export interface DeleteOptions {
  /** Also delete the stream IoT made from the update's S3 files; never a stream the user supplied. */
  deleteStream: boolean;
  /** Delete the update's IoT job even if it is in progress. */
  forceDeleteAWSJob: boolean;
}

/** Starts deleting the update; `not-found` when it was already gone (e.g. a retry after a lost reply). */
export async function deleteOtaUpdate(
  iot: IoTClient,
  otaUpdateId: string,
  options: DeleteOptions,
  policy?: Partial<RetryPolicy>,
): Promise<'deleted' | 'not-found'> {
  const command = new DeleteOTAUpdateCommand({
    otaUpdateId,
    deleteStream: options.deleteStream,
    forceDeleteAWSJob: options.forceDeleteAWSJob,
  });
  try {
    await retry('iot:DeleteOTAUpdate', () => iot.send(command), policy);
    return 'deleted';
  } catch (error) {
    if (awsErrorCode(error) === 'ResourceNotFoundException') return 'not-found';
    throw toActionError(error, await context(iot, 'DeleteOTAUpdate', otaUpdateId));
  }
}

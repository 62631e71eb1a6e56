/**
 * Wait: after apply, follow the update until it really exists (CREATE_COMPLETE: its IoT job is there), unless the
 * step was told not to wait.
 */
import type { OTAUpdateInfo } from '@aws-sdk/client-iot';
import type { Settings } from '../types.js';
import type { Applied } from './apply.js';
import type { StageContext } from './context.js';
import { waitForCreation } from './wait.js';

export async function follow(
  settings: Settings,
  applied: Applied,
  ctx: StageContext,
): Promise<Partial<OTAUpdateInfo>> {
  const id = applied.request.otaUpdateId ?? '';
  if (!settings.behaviour.wait || applied.info.otaUpdateStatus === 'CREATE_COMPLETE') return applied.info;
  return waitForCreation(
    { otaUpdateId: id, timeoutMs: settings.behaviour.waitTimeoutSeconds * 1000, what: `OTA update ${id}` },
    ctx,
  );
}

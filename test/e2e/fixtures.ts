/**
 * Shared pieces of the end-to-end tests: the step inputs of a typical tag release and a firmware file to ship.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ACCOUNT = '123456789012';
export const DEPLOYER_ROLE = `arn:aws:iam::${ACCOUNT}:role/ota-deployer`;
export const OTA_ROLE = `arn:aws:iam::${ACCOUNT}:role/ota-service`;
export const BUCKET = 'firmware-bucket';

/** Fast delays: the emulator moves on polls, not on time. */
export const FAST = { OTA_ACTION_TIME_SCALE: '0.01' };

/** A workspace holding `build/firmware.bin` with `size` deterministic bytes. */
export function workspaceWithFirmware(size = 64 * 1024, seed = 1): { workspace: string; firmware: string } {
  const workspace = mkdtempSync(join(tmpdir(), 'ota-e2e-'));
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  mkdirSync(join(workspace, 'build'));
  const firmware = 'build/firmware.bin';
  writeFileSync(join(workspace, firmware), bytes);
  return { workspace, firmware };
}

/** The `with:` of a tag-release step over OIDC that uploads `firmware`. */
export function releaseInputs(firmware: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'role-to-assume': DEPLOYER_ROLE,
    'ota-role-arn': OTA_ROLE,
    targets: 'thinggroup/field-fleet\nthing/bench-01',
    firmware,
    's3-bucket': BUCKET,
    ...extra,
  };
}

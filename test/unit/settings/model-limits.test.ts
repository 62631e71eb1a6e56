/**
 * Limits the action states in code that come from a model outside the generated IoT one: the Jobs API's JobId (the
 * ota-update-id bound) and STS's AssumeRoleWithWebIdentity parameters. They must agree with the model files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLE_DURATION_SECONDS, SESSION_NAME } from '../../../src/settings/auth.js';
import { OTA_UPDATE_ID_MAX_LENGTH } from '../../../src/settings/ota-update-id.js';

const root = join(import.meta.dirname, '../../..');
const json = (file: string) =>
  JSON.parse(readFileSync(join(root, 'model', file), 'utf8')) as {
    shapes: Record<
      string,
      {
        min?: number;
        max?: number;
        length?: { min?: number; max?: number };
        range?: object;
        pattern?: string;
      }
    >;
  };

describe('limits taken from other models', () => {
  it('ota-update-id keeps to what AFR_OTA-<id> leaves of a job id (iot-jobs-shapes.json JobId)', () => {
    const jobId = json('iot-jobs-shapes.json').shapes.JobId;
    expect(OTA_UPDATE_ID_MAX_LENGTH).toBe((jobId?.max ?? 0) - 'AFR_OTA-'.length);
  });

  it('role-session-name and role-duration-seconds are STS roleSessionNameType and roleDurationSecondsType', () => {
    const sts = json('sts-assumerolewithwebidentity-shapes.json').shapes;
    expect(SESSION_NAME.length).toEqual(sts.roleSessionNameType?.length);
    expect(SESSION_NAME.pattern.source).toBe(sts.roleSessionNameType?.pattern);
    expect(ROLE_DURATION_SECONDS).toEqual(sts.roleDurationSecondsType?.range);
  });
});

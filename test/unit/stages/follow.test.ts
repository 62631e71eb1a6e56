import { DescribeJobCommand, GetOTAUpdateCommand, IoTClient } from '@aws-sdk/client-iot';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Applied } from '../../../src/stages/apply.js';
import { follow } from '../../../src/stages/follow.js';
import { makeSettings } from '../fixtures.js';
import { testContext } from './context.js';

const iotMock = mockClient(IoTClient);
beforeEach(() => iotMock.reset());

const applied = (status: 'CREATE_PENDING' | 'CREATE_COMPLETE'): Applied => ({
  result: 'created',
  request: { otaUpdateId: 'fw-1', targets: [], files: [], roleArn: 'r' },
  files: [],
  info: { otaUpdateId: 'fw-1', otaUpdateStatus: status, awsIotJobId: 'AFR_OTA-fw-1' },
});
const behaviour = makeSettings().behaviour;

describe('follow', () => {
  it('returns at once with wait: false', async () => {
    const settings = makeSettings({ behaviour: { ...behaviour, wait: 'none' } });
    await expect(follow(settings, applied('CREATE_PENDING'), testContext())).resolves.toMatchObject({
      otaUpdateStatus: 'CREATE_PENDING',
    });
    expect(iotMock.calls()).toHaveLength(0);
  });

  it('waits for CREATE_COMPLETE, and not again for an update already complete', async () => {
    iotMock
      .on(GetOTAUpdateCommand)
      .resolves({ otaUpdateInfo: { otaUpdateId: 'fw-1', otaUpdateStatus: 'CREATE_COMPLETE' } });
    await expect(follow(makeSettings(), applied('CREATE_PENDING'), testContext())).resolves.toMatchObject({
      otaUpdateStatus: 'CREATE_COMPLETE',
    });
    iotMock.reset();
    await follow(makeSettings(), applied('CREATE_COMPLETE'), testContext());
    expect(iotMock.calls()).toHaveLength(0);
  });

  it('with wait: rollout follows the job to its verdict, recording it', async () => {
    iotMock.on(DescribeJobCommand).resolves({
      job: {
        jobId: 'AFR_OTA-fw-1',
        status: 'COMPLETED',
        targetSelection: 'SNAPSHOT',
        jobProcessDetails: { numberOfSucceededThings: 3 },
      },
    });
    const ctx = testContext();
    const settings = makeSettings({
      behaviour: {
        ...behaviour,
        wait: 'rollout',
        rollout: { successPercentage: 100, timeoutMinutes: 60, cancelOnFailure: false },
      },
    });
    await follow(settings, applied('CREATE_COMPLETE'), ctx);
    expect(iotMock.commandCalls(DescribeJobCommand)[0]?.args[0].input).toEqual({ jobId: 'AFR_OTA-fw-1' });
    expect(ctx.recorded.rollouts.at(-1)?.verdict?.kind).toBe('green');
  });
});

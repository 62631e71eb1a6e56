/**
 * The fleet through a started emulator: the open registry existing tests rely on, a configured one refusing unknown
 * targets, the device controls, reset, jobs deleted with their update, seeded jobs and scaled time.
 */
import {
  CreateOTAUpdateCommand,
  DeleteOTAUpdateCommand,
  DescribeJobCommand,
  GetOTAUpdateCommand,
  type CreateOTAUpdateCommandInput,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../emulator/index.js';
import { clients, createInput, failure, OTA_ROLE_ARN } from './clients.js';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
let emulator: Emulator | undefined;
let iot: IoTClient;
let now = 1_700_000_000_000;

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emulator = await startEmulator({ clock: () => now, ...options });
  iot = clients(emulator).iot;
  emulator.s3.putObject('firmware-bucket', 'fw.bin', 'firmware bytes');
  return emulator;
}
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function release(targets: string[], extra: Partial<CreateOTAUpdateCommandInput> = {}, id = 'fw-1') {
  await iot.send(new CreateOTAUpdateCommand({ ...createInput(id), targets, ...extra }));
  for (let i = 0; i < 2; i++) await iot.send(new GetOTAUpdateCommand({ otaUpdateId: id }));
  return `AFR_OTA-${id}`;
}

/** GetOTAUpdate until the update is gone (at most 5 polls). */
async function pollUntilGone(id: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const gone = await iot.send(new GetOTAUpdateCommand({ otaUpdateId: id })).then(
      () => false,
      () => true,
    );
    if (gone) return;
  }
}

const things = (e: Emulator, jobId = 'AFR_OTA-fw-1') =>
  e.jobs.get(jobId)?.executions.map((x) => `${x.thingName}:${x.status}`);

describe('with no fleet configured (open)', () => {
  it('accepts any target, registering unknown things as devices that succeed and unknown groups as empty', async () => {
    const e = await start();
    await release([`${ARN}:thinggroup/field-fleet`, `${ARN}:thing/bench-device-01`]);
    now += 140_000;
    expect([e.fleet.open, things(e), e.jobs.get('AFR_OTA-fw-1')?.status]).toEqual([
      true,
      ['bench-device-01:SUCCEEDED'],
      'COMPLETED',
    ]);
    expect(e.fleet.things()).toEqual([
      { name: 'bench-device-01', arn: `${ARN}:thing/bench-device-01`, groups: [], behaviour: 'succeed' },
    ]);
    expect(e.fleet.groups()).toEqual([
      { name: 'field-fleet', arn: `${ARN}:thinggroup/field-fleet`, things: [] },
    ]);
  });

  it('lets a test grow a group and give its devices behaviours', async () => {
    const e = await start();
    e.controls.addThingToGroup('sensor-07', 'field-fleet');
    e.controls.groupBehaviour('field-fleet', 'offline');
    e.controls.addThingToGroup('sensor-08', 'field-fleet');
    e.controls.deviceBehaviour('sensor-08', { fail: '0x01000000' });
    await release([`${ARN}:thinggroup/field-fleet`]);
    now += 1_000_000;
    expect(things(e)).toEqual(['sensor-07:QUEUED', 'sensor-08:FAILED']);
    expect(e.jobs.get('AFR_OTA-fw-1')?.executions[1]?.statusDetails).toEqual({ reason: '0x01000000' });
  });
});

describe('with a fleet configured', () => {
  const fleet: EmulatorOptions = {
    thingGroups: [{ name: 'canary' }, { name: 'basement', behaviour: 'offline' }],
    things: [
      { name: 'sensor-01', groups: ['canary', 'field-fleet'] },
      { name: 'sensor-02', groups: ['field-fleet', 'basement'] },
    ],
  };

  it('fails CreateOTAUpdate with 404 naming every target that does not exist, creating nothing', async () => {
    const e = await start(fleet);
    const error = await failure(
      iot.send(
        new CreateOTAUpdateCommand({
          ...createInput('fw-1'),
          targets: [`${ARN}:thinggroup/field-fleet`, `${ARN}:thinggroup/lab`, `${ARN}:thing/bench-device-01`],
        }),
      ),
    );
    expect([error.name, error.message]).toEqual([
      'ResourceNotFoundException',
      'Thing group lab does not exist; Thing bench-device-01 does not exist',
    ]);
    expect([e.otaUpdates.size, e.fleet.open, e.fleet.things().length]).toEqual([0, false, 2]);
  });

  it('declares the groups things name, and gives each thing of several targets one execution', async () => {
    const e = await start(fleet);
    expect(e.fleet.groups().map((g) => [g.name, g.things])).toEqual([
      ['canary', ['sensor-01']],
      ['basement', ['sensor-02']],
      ['field-fleet', ['sensor-01', 'sensor-02']],
    ]);
    await release([`${ARN}:thinggroup/canary`, `${ARN}:thinggroup/field-fleet`, `${ARN}:thing/sensor-01`]);
    now += 1_000_000;
    expect(things(e)).toEqual(['sensor-01:SUCCEEDED', 'sensor-02:QUEUED']);
  });

  it.each([
    [{ things: [{ name: 'bad name' }] }, "Value 'bad name' at 'things.1.name' failed to satisfy constraint"],
    [{ things: [{ name: 'a' }, { name: 'a' }] }, 'thing a is declared twice'],
    [{ thingGroups: [{ name: 'g' }, { name: 'g' }] }, 'thing group g is declared twice'],
    [
      { things: [{ name: 'a', behaviour: 'explode' as 'fail' }] },
      'thing a is not a device behaviour: "explode"',
    ],
    [
      { things: [{ name: 'a', behaviour: { failRate: 2, seed: 1 } }] },
      'failRate must be a number from 0 to 1, got 2',
    ],
  ])('refuses the options %j', async (options, message) => {
    await expect(startEmulator(options)).rejects.toThrow(message);
  });

  it('refuses controls naming a thing or group the configured fleet does not have', async () => {
    const e = await start(fleet);
    expect(() => e.controls.deviceBehaviour('ghost', 'fail')).toThrow(
      'emulator: no thing ghost (the fleet is configured)',
    );
    expect(() => e.controls.groupBehaviour('ghosts', 'fail')).toThrow('emulator: no thing group ghosts');
    expect(() => e.controls.addThingToGroup('sensor-09', 'ghosts')).toThrow(
      'emulator: no thing group ghosts',
    );
    e.controls.addThingToGroup('sensor-09', 'canary');
    expect(e.fleet.groups()[0]?.things).toEqual(['sensor-01', 'sensor-09']);
  });

  it('reset() drops jobs, joins and behaviours back to the configured fleet; controls.clear() only the behaviours', async () => {
    const e = await start(fleet);
    e.controls.addThingToGroup('sensor-09', 'canary');
    e.controls.deviceBehaviour('sensor-01', 'hang');
    e.controls.clear();
    expect(e.fleet.things().map((t) => [t.name, t.behaviour])).toEqual([
      ['sensor-01', 'succeed'],
      ['sensor-02', 'offline'],
      ['sensor-09', 'succeed'],
    ]);
    e.controls.deviceBehaviour('sensor-01', 'hang');
    await release([`${ARN}:thinggroup/canary`]);
    e.reset();
    expect([e.jobs.all(), e.fleet.things().map((t) => [t.name, t.behaviour])]).toEqual([
      [],
      [
        ['sensor-01', 'succeed'],
        ['sensor-02', 'offline'],
      ],
    ]);
  });
});

describe('jobs and their updates', () => {
  it('deletes the job with the update when forceDeleteAWSJob is set, DELETION_IN_PROGRESS meanwhile', async () => {
    const e = await start();
    const jobId = await release([`${ARN}:thing/a`]);
    await iot.send(new DeleteOTAUpdateCommand({ otaUpdateId: 'fw-1', forceDeleteAWSJob: true }));
    expect((await iot.send(new DescribeJobCommand({ jobId }))).job?.status).toBe('DELETION_IN_PROGRESS');
    await pollUntilGone('fw-1');
    expect([e.otaUpdates.size, (await failure(iot.send(new DescribeJobCommand({ jobId })))).name]).toEqual([
      0,
      'ResourceNotFoundException',
    ]);
  });

  it('keeps the job of an update deleted without forceDeleteAWSJob', async () => {
    const e = await start();
    e.seedOtaUpdate(
      'fw-1',
      { targets: [`${ARN}:thing/a`], roleArn: OTA_ROLE_ARN, files: [] },
      'DELETE_FAILED',
    );
    await iot.send(new DeleteOTAUpdateCommand({ otaUpdateId: 'fw-1' }));
    await pollUntilGone('fw-1');
    expect([e.otaUpdates.size, e.jobs.get('AFR_OTA-fw-1')?.status]).toEqual([0, 'IN_PROGRESS']);
  });

  it('gives an update seeded CREATE_COMPLETE a job starting now', async () => {
    const e = await start();
    e.seedOtaUpdate('old', { targets: [`${ARN}:thing/a`], files: [] });
    expect(e.jobs.get('AFR_OTA-old')).toMatchObject({
      otaUpdateId: 'old',
      status: 'IN_PROGRESS',
      createdAt: e.now(),
      processingTargets: [`${ARN}:thing/a`],
    });
  });
});

describe('timeScale', () => {
  it('runs a 140 s rollout of device time in a fraction of a second of real time', async () => {
    emulator = await startEmulator({ timeScale: 2000 });
    iot = clients(emulator).iot;
    emulator.s3.putObject('firmware-bucket', 'fw.bin', 'firmware bytes');
    const started = Date.now();
    const jobId = await release([`${ARN}:thing/a`, `${ARN}:thing/b`]);
    let status: string | undefined;
    for (let i = 0; i < 100 && status !== 'COMPLETED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await iot.send(new DescribeJobCommand({ jobId }))).job?.status;
    }
    expect([status, emulator.jobs.get(jobId)?.counts.SUCCEEDED]).toEqual(['COMPLETED', 2]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

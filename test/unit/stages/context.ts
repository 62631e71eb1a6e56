/** A StageContext for stage tests: mocked-client-friendly SDK clients, a clock whose sleeps pass at once, and records of the log and of the progress. */
import type { OTAUpdateInfo } from '@aws-sdk/client-iot';
import { IoTClient } from '@aws-sdk/client-iot';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsClients } from '../../../src/aws/clients.js';
import type { StageContext } from '../../../src/stages/context.js';
import type { RolloutRecord } from '../../../src/stages/rollout.js';
import type { CallerIdentity, Clock, FileFacts } from '../../../src/types.js';

const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };

export interface FakeClock extends Clock {
  slept: number[];
}

/** A clock whose sleep advances time at once and records each delay. */
export function fakeClock(): FakeClock {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

export interface Recorded {
  log: string[];
  uploaded: [number, FileFacts][];
  createsSent: number;
  updates: Partial<OTAUpdateInfo>[];
  rollouts: RolloutRecord[];
}

const IDENTITY: CallerIdentity = {
  partition: 'aws',
  accountId: '123456789012',
  arn: 'arn:aws:sts::123456789012:assumed-role/deployer/ota',
};

export function testContext(
  overrides: Partial<StageContext> = {},
): StageContext & { recorded: Recorded; clock: FakeClock } {
  const recorded: Recorded = { log: [], uploaded: [], createsSent: 0, updates: [], rollouts: [] };
  const iot = new IoTClient({ region: 'us-east-1', credentials });
  const s3 = new S3Client({ region: 'us-east-1', credentials });
  const clients: AwsClients = {
    iot,
    iotOnce: iot,
    sts: new STSClient({ region: 'us-east-1', credentials }),
    s3: async () => s3,
    destroy: () => undefined,
  };
  const say = (level: string) => (message: string) => recorded.log.push(`${level}: ${message}`);
  return {
    recorded,
    clients,
    identity: IDENTITY,
    log: { info: say('info'), notice: say('notice'), warning: say('warning'), debug: say('debug') },
    clock: fakeClock(),
    timing: {
      creationPoll: { firstDelayMs: 1000, factor: 2, maxDelayMs: 5000 },
      rolloutPoll: {
        firstDelayMs: 5000,
        factor: 1.5,
        maxDelayMs: 30_000,
        progressEveryMs: 60_000,
        wrapUpMs: 60_000,
      },
      scale: 1,
    },
    signal: new AbortController().signal,
    progress: {
      uploaded: (index, facts) => recorded.uploaded.push([index, facts]),
      createSent: () => {
        recorded.createsSent += 1;
      },
      updateKnown: (info) => recorded.updates.push(info),
      rolloutKnown: (rollout) => recorded.rollouts.push(rollout),
    },
    runUrl: 'https://github.com/acme/widget/actions/runs/42',
    ...overrides,
  } as StageContext & { recorded: Recorded; clock: FakeClock };
}

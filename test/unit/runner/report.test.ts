import * as core from '@actions/core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionError } from '../../../src/errors.js';
import {
  consoleLinks,
  reportFailure,
  setSuccessOutputs,
  writeSuccessSummary,
  type Core,
  type RunReport,
} from '../../../src/runner/report.js';

interface Recorded {
  outputs: Record<string, string>;
  errors: { message: string; title: string | undefined }[];
  debug: string[];
}

function recordingCore(): Core & { recorded: Recorded } {
  const recorded: Recorded = { outputs: {}, errors: [], debug: [] };
  return {
    recorded,
    setOutput: (name: string, value: unknown) => {
      recorded.outputs[name] = String(value);
    },
    info: () => undefined,
    warning: () => undefined,
    notice: () => undefined,
    debug: (message: string) => {
      recorded.debug.push(message);
    },
    error: (message: string | Error, properties?: core.AnnotationProperties) => {
      recorded.errors.push({ message: String(message), title: properties?.title });
    },
    summary: core.summary,
  };
}

const report: RunReport = {
  result: 'created',
  otaUpdateId: 'firmware-v1-2-0-0123abcd',
  otaUpdateArn: 'arn:aws:iot:eu-west-1:123456789012:otaupdate/firmware-v1-2-0-0123abcd',
  status: 'CREATE_COMPLETE',
  awsIotJobId: 'AFR_OTA-firmware-v1-2-0-0123abcd',
  awsIotJobArn: 'arn:aws:iot:eu-west-1:123456789012:job/AFR_OTA-firmware-v1-2-0-0123abcd',
  targets: ['arn:aws:iot:eu-west-1:123456789012:thinggroup/fleet'],
  files: [
    {
      fileName: 'fw.bin',
      location: 's3://b/k/fw.bin',
      s3Version: 'ver-1',
      sha256: 'ab'.repeat(32),
      origin: 'uploaded',
    },
  ],
  request: {
    otaUpdateId: 'x',
    targets: [],
    files: [],
    roleArn: 'r',
    awsJobExecutionsRolloutConfig: { maximumPerMinute: 10 },
  },
  requestJson: '{"otaUpdateId":"x"}',
  region: 'eu-west-1',
  partition: 'aws',
  elapsedMs: 4200,
};

// @actions/core remembers the summary file after its first write, so the whole file shares one.
const summaryFile = join(mkdtempSync(join(tmpdir(), 'summary-')), 'summary.md');
beforeEach(() => {
  writeFileSync(summaryFile, '');
  process.env.GITHUB_STEP_SUMMARY = summaryFile;
  core.summary.emptyBuffer();
});
afterAll(() => {
  delete process.env.GITHUB_STEP_SUMMARY;
});

describe('success', () => {
  it('sets every output', () => {
    const fake = recordingCore();
    setSuccessOutputs(fake, report);
    expect(fake.recorded.outputs).toEqual({
      'ota-update-id': 'firmware-v1-2-0-0123abcd',
      'ota-update-arn': 'arn:aws:iot:eu-west-1:123456789012:otaupdate/firmware-v1-2-0-0123abcd',
      'ota-update-status': 'CREATE_COMPLETE',
      'aws-iot-job-id': 'AFR_OTA-firmware-v1-2-0-0123abcd',
      'aws-iot-job-arn': 'arn:aws:iot:eu-west-1:123456789012:job/AFR_OTA-firmware-v1-2-0-0123abcd',
      'firmware-s3-version': 'ver-1',
      'firmware-sha256': 'ab'.repeat(32),
      result: 'created',
      request: '{"otaUpdateId":"x"}',
      'error-code': '',
    });
  });

  it('writes a summary with the id, status, job, targets, files, rollout, links and elapsed time', async () => {
    await writeSuccessSummary(recordingCore(), report);
    const text = readFileSync(summaryFile, 'utf8');
    for (const expected of [
      'OTA update firmware-v1-2-0-0123abcd: created',
      'CREATE_COMPLETE',
      'AFR_OTA-firmware-v1-2-0-0123abcd',
      'thinggroup/fleet',
      's3://b/k/fw.bin',
      'ver-1',
      'ab'.repeat(32),
      '10 things a minute<br><code>{&quot;maximumPerMinute&quot;:10}</code>',
      'https://eu-west-1.console.aws.amazon.com/iot/home?region=eu-west-1#/jobhub/details/AFR_OTA-firmware-v1-2-0-0123abcd',
      '4.2 s',
    ]) {
      expect(text).toContain(expected);
    }
  });
});

describe('failure', () => {
  it('sets error-code, writes one error line with the hint, and summarises what was already created', async () => {
    const fake = recordingCore();
    const error = new ActionError('CREATE_FAILED', 'OTA update fw ended CREATE_FAILED: denied', {
      hint: 'Grant iam:PassRole.',
      created: { otaUpdateId: 'fw', otaUpdateArn: 'arn:aws:iot:us-east-1:1:otaupdate/fw' },
    });
    const code = await reportFailure(fake, error, {
      region: 'us-east-1',
      partition: 'aws',
      otaUpdateId: 'fw',
      requestJson: '{}',
      elapsedMs: 1000,
      debug: false,
    });
    expect(code).toBe('CREATE_FAILED');
    expect(fake.recorded.outputs).toEqual({
      'error-code': 'CREATE_FAILED',
      request: '{}',
      'ota-update-id': 'fw',
      'ota-update-arn': 'arn:aws:iot:us-east-1:1:otaupdate/fw',
    });
    expect(fake.recorded.errors).toEqual([
      {
        message: 'OTA update fw ended CREATE_FAILED: denied Grant iam:PassRole.',
        title: 'OTA update failed: CREATE_FAILED',
      },
    ]);
    expect(fake.recorded.debug).toEqual([]);
    const text = readFileSync(summaryFile, 'utf8');
    expect(text).toContain('OTA update failed: CREATE_FAILED');
    expect(text).toContain('Grant iam:PassRole.');
    expect(text).toContain('Already created in AWS: OTA update <code>fw</code>');
  });

  it('turns an unexpected throw into InternalError and prints the stack only in debug', async () => {
    const fake = recordingCore();
    const code = await reportFailure(fake, new Error('boom'), {
      region: undefined,
      partition: undefined,
      otaUpdateId: undefined,
      requestJson: undefined,
      elapsedMs: 0,
      debug: true,
    });
    expect(code).toBe('InternalError');
    expect(fake.recorded.errors[0]?.message).toContain('Unexpected failure: boom');
    expect(fake.recorded.debug[0]).toContain('Error: boom');
  });
});

describe('consoleLinks', () => {
  it.each([
    [
      'aws',
      'us-east-1',
      'https://us-east-1.console.aws.amazon.com/iot/home?region=us-east-1#/jobhub/details/AFR_OTA-fw',
    ],
    [
      'aws-cn',
      'cn-north-1',
      'https://console.amazonaws.cn/iot/home?region=cn-north-1#/jobhub/details/AFR_OTA-fw',
    ],
    [
      'aws-us-gov',
      'us-gov-west-1',
      'https://console.amazonaws-us-gov.com/iot/home?region=us-gov-west-1#/jobhub/details/AFR_OTA-fw',
    ],
  ])('uses the %s console', (partition, region, expected) => {
    expect(consoleLinks(partition, region, 'fw', undefined)[0]?.href).toBe(expected);
  });
});

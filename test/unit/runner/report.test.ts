import * as core from '@actions/core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionError } from '../../../src/errors.js';
import { RunRecord } from '../../../src/runner/record.js';
import { consoleLinks } from '../../../src/runner/console-links.js';
import {
  describePlan,
  reportFailure,
  setSuccessOutputs,
  shippedFiles,
  writeSuccessSummary,
  type Core,
  type RunReport,
} from '../../../src/runner/report.js';
import type { Plan } from '../../../src/plan/plan.js';
import { fileFacts, localFile, makeSettings } from '../fixtures.js';

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
  rollout: undefined,
  job: {
    partition: 'aws',
    region: 'eu-west-1',
    otaUpdateId: 'firmware-v1-2-0-0123abcd',
    jobId: 'AFR_OTA-firmware-v1-2-0-0123abcd',
  },
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
      'console-url':
        'https://eu-west-1.console.aws.amazon.com/iot/home?region=eu-west-1#/jobhub/details/AFR_OTA-firmware-v1-2-0-0123abcd',
      'rollout-status': '',
      'things-total': '',
      'things-succeeded': '',
      'things-failed': '',
      'things-canceled': '',
      'things-pending': '',
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

/** The record of a run that got as far as `steps` say. */
function recordOf(steps: { created?: boolean; uploaded?: boolean; createSent?: boolean } = {}): RunRecord {
  const record = new RunRecord(0);
  record.parsed(makeSettings(), false);
  record.connected({
    partition: 'aws',
    accountId: '123456789012',
    arn: 'arn:aws:sts::123456789012:assumed-role/d/s',
  });
  record.otaUpdateId = 'fw';
  record.request = { otaUpdateId: 'fw', targets: [], files: [], roleArn: 'r' };
  record.files = [fileFacts('ab'.repeat(32), undefined)];
  if (steps.uploaded) record.uploaded(0, { ...fileFacts('ab'.repeat(32), 'ver-9'), origin: 'uploaded' });
  if (steps.createSent) record.createSent('fw');
  if (steps.created) {
    record.createSent('fw');
    record.updateKnown({
      otaUpdateArn: 'arn:aws:iot:us-east-1:1:otaupdate/fw',
      otaUpdateStatus: 'CREATE_FAILED',
      awsIotJobId: undefined,
    });
  }
  return record;
}

describe('failure', () => {
  it('sets error-code and the update it knows of, writes one error line with the hint, and says what exists', async () => {
    const fake = recordingCore();
    const error = new ActionError('CREATE_FAILED', 'OTA update fw ended CREATE_FAILED: denied', {
      hint: 'Grant iam:PassRole.',
    });
    const code = await reportFailure(fake, error, recordOf({ created: true, uploaded: true }), 1000);
    expect(code).toBe('CREATE_FAILED');
    expect(fake.recorded.outputs).toEqual({
      'error-code': 'CREATE_FAILED',
      request: '{\n  "otaUpdateId": "fw",\n  "targets": [],\n  "files": [],\n  "roleArn": "r"\n}',
      'ota-update-id': 'fw',
      'ota-update-arn': 'arn:aws:iot:us-east-1:1:otaupdate/fw',
      'ota-update-status': 'CREATE_FAILED',
      'console-url': '',
      'rollout-status': '',
      'things-total': '',
      'things-succeeded': '',
      'things-failed': '',
      'things-canceled': '',
      'things-pending': '',
    });
    expect(fake.recorded.errors).toEqual([
      {
        message: 'OTA update fw ended CREATE_FAILED: denied. Grant iam:PassRole.',
        title: 'OTA update failed: CREATE_FAILED',
      },
    ]);
    expect(fake.recorded.debug).toEqual([]);
    const text = readFileSync(summaryFile, 'utf8');
    expect(text).toContain('OTA update failed: CREATE_FAILED');
    expect(text).toContain('Grant iam:PassRole.');
    expect(text).toContain(
      'Exists in AWS: OTA update <code>fw</code> (<code>arn:aws:iot:us-east-1:1:otaupdate/fw</code>), CREATE_FAILED',
    );
    expect(text).toContain(
      'Uploaded: <code>s3://fw-bucket/widget/v1.2.0/fw.bin</code> version <code>ver-9</code> (a re-run reuses it).',
    );
    expect(text).toContain('1.0 s');
  });

  it.each([
    [{}, 'Nothing was created in AWS.'],
    [
      { createSent: true },
      'A CreateOTAUpdate request for <code>fw</code> went out without an answer: the update may exist; a re-run finds it.',
    ],
  ])('says what exists in AWS for a run that got as far as %o', async (steps, expected) => {
    const fake = recordingCore();
    await reportFailure(
      fake,
      new ActionError('Canceled', 'The step was canceled (SIGINT).'),
      recordOf(steps),
      0,
    );
    expect(readFileSync(summaryFile, 'utf8')).toContain(expected);
    expect(fake.recorded.outputs['ota-update-id']).toBeUndefined();
  });

  it('turns an unexpected throw into InternalError and prints the stack only in debug', async () => {
    const fake = recordingCore();
    const record = new RunRecord(0);
    record.debug = true;
    const code = await reportFailure(fake, new Error('boom'), record, 0);
    expect(code).toBe('InternalError');
    expect(fake.recorded.errors[0]?.message).toContain('Unexpected failure: boom');
    expect(fake.recorded.debug[0]).toContain('Error: boom');
  });

  it('escapes what it shows in the summary', async () => {
    await reportFailure(
      recordingCore(),
      new ActionError('X', 'bad <img src=x onerror=alert(1)> & "q"'),
      recordOf(),
      0,
    );
    const text = readFileSync(summaryFile, 'utf8');
    expect(text).toContain('bad &lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;');
    expect(text).not.toContain('<img');
  });
});

describe('describePlan', () => {
  const plan = (step: Plan['step']): Plan => ({
    otaUpdateId: 'fw',
    targets: [],
    request: { otaUpdateId: 'fw', targets: [], files: [], roleArn: 'r' },
    files: [],
    uploads: [],
    step,
    warnings: [],
  });
  const existing = { otaUpdateStatus: 'CREATE_COMPLETE' as const };
  it.each([
    [plan({ kind: 'create' }), false, 'OTA update fw does not exist yet: creating it.'],
    [plan({ kind: 'create' }), true, 'OTA update fw does not exist yet: a run would create it.'],
    [
      plan({ kind: 'reuse', existing, notCompared: [] }),
      true,
      'OTA update fw exists (CREATE_COMPLETE) and holds this release.',
    ],
    [
      plan({ kind: 'replace', existing, why: 'if-exists' }),
      true,
      'OTA update fw exists (CREATE_COMPLETE): a run would delete it, then create it again.',
    ],
    [
      plan({ kind: 'await-deletion', existing }),
      false,
      'OTA update fw is being deleted: waiting until its id is free, then creating it.',
    ],
  ])('%#: %s', (p, dryRun, line) => {
    expect(describePlan(p, dryRun)).toBe(line);
    if (dryRun) expect(describePlan(p, dryRun)).not.toMatch(/\b(creating|deleting|waiting)\b/);
  });
});

describe('shippedFiles', () => {
  it('describes S3 files and streams for the summary', () => {
    const settings = makeSettings({
      files: [localFile(), localFile({ source: { kind: 'stream', streamId: 'fw-stream', fileId: 3 } })],
    });
    expect(
      shippedFiles(settings, [fileFacts('ab'.repeat(32), 'v1'), fileFacts(undefined, undefined)]).map((f) => [
        f.location,
        f.origin,
        f.s3Version,
      ]),
    ).toEqual([
      ['s3://fw-bucket/widget/v1.2.0/fw.bin', 'uploaded', 'v1'],
      ['stream fw-stream#3', 'stream', undefined],
    ]);
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

import { describe, expect, it } from 'vitest';
import { documentedRuleViolations } from '../../../emulator/iot-rules.js';

const scope = { partition: 'aws', region: 'us-east-1', accountId: '123456789012' };
const valid = {
  targets: [
    'arn:aws:iot:us-east-1:123456789012:thinggroup/fleet',
    'arn:aws:iot:us-east-1:123456789012:thing/dev-1',
  ],
  roleArn: 'arn:aws:iam::123456789012:role/service-role/iot-ota',
  files: [{ fileLocation: { s3Location: { bucket: 'b', key: 'k' } } }],
};

describe('documentedRuleViolations', () => {
  it('accepts a valid request', () => {
    expect(documentedRuleViolations(valid, scope)).toEqual([]);
  });

  it.each([
    [
      'a file without location',
      { files: [{ fileName: 'x' }] },
      'files.1.member.fileLocation must specify exactly one of stream or s3Location',
    ],
    [
      'a file with both stream and S3 location',
      { files: [{ fileLocation: { stream: { streamId: 's' }, s3Location: { bucket: 'b', key: 'k' } } }] },
      'files.1.member.fileLocation must specify exactly one of stream or s3Location',
    ],
    [
      'two code signing methods',
      {
        files: [
          {
            fileLocation: { stream: { streamId: 's' } },
            codeSigning: { awsSignerJobId: 'j', customCodeSigning: {} },
          },
        ],
      },
      'files.1.member.codeSigning must specify exactly one of awsSignerJobId, startSigningJobParameter or customCodeSigning',
    ],
    [
      'a repeated protocol',
      { protocols: ['MQTT', 'MQTT'] },
      'protocols must not repeat a protocol; valid values are [HTTP], [MQTT], [HTTP, MQTT]',
    ],
    [
      'a presigned URL config without HTTP',
      { protocols: ['MQTT'], awsJobPresignedUrlConfig: { expiresInSec: 300 } },
      'awsJobPresignedUrlConfig is only valid when protocols includes HTTP',
    ],
    [
      'a presigned URL config with the default protocols',
      { awsJobPresignedUrlConfig: {} },
      'awsJobPresignedUrlConfig is only valid when protocols includes HTTP',
    ],
    [
      'a presigned URL lifetime over an hour',
      { protocols: ['HTTP'], awsJobPresignedUrlConfig: { expiresInSec: 3601 } },
      'awsJobPresignedUrlConfig.expiresInSec must be between 60 and 3600 seconds, got 3601',
    ],
    [
      'an in-progress timeout over a week',
      { awsJobTimeoutConfig: { inProgressTimeoutInMinutes: 10081 } },
      'awsJobTimeoutConfig.inProgressTimeoutInMinutes must be between 1 and 10080, got 10081',
    ],
    [
      'an increment factor with two decimals',
      {
        awsJobExecutionsRolloutConfig: {
          exponentialRate: { baseRatePerMinute: 1, incrementFactor: 1.25, rateIncreaseCriteria: {} },
        },
      },
      'awsJobExecutionsRolloutConfig.exponentialRate.incrementFactor allows at most one decimal, got 1.25',
    ],
    [
      'an increment factor the Jobs API does not take',
      {
        awsJobExecutionsRolloutConfig: {
          exponentialRate: { baseRatePerMinute: 1, incrementFactor: 1, rateIncreaseCriteria: {} },
        },
      },
      'awsJobExecutionsRolloutConfig.exponentialRate.incrementFactor must be between 1.1 and 5, got 1',
    ],
    [
      'a threshold with three decimals',
      {
        awsJobAbortConfig: {
          abortCriteriaList: [
            {
              failureType: 'ALL',
              action: 'CANCEL',
              thresholdPercentage: 10.125,
              minNumberOfExecutedThings: 1,
            },
          ],
        },
      },
      'awsJobAbortConfig.abortCriteriaList.1.member.thresholdPercentage allows at most two decimals, got 10.125',
    ],
    [
      'a user ARN as role',
      { roleArn: 'arn:aws:iam::123456789012:user/someone' },
      'roleArn arn:aws:iam::123456789012:user/someone is not an IAM role ARN',
    ],
    ['a bare thing name as target', { targets: ['dev-1'] }, 'target dev-1 is not a thing or thing group ARN'],
    [
      'a target in another region',
      { targets: ['arn:aws:iot:eu-west-1:123456789012:thing/dev-1'] },
      'target arn:aws:iot:eu-west-1:123456789012:thing/dev-1 is not in partition aws, region us-east-1, account 123456789012',
    ],
  ])('rejects %s', (_what, change, message) => {
    expect(documentedRuleViolations({ ...valid, ...change }, scope)).toEqual([message]);
  });

  it('accepts one decimal and two decimals where allowed', () => {
    const request = {
      ...valid,
      awsJobExecutionsRolloutConfig: {
        exponentialRate: { baseRatePerMinute: 1, incrementFactor: 1.5, rateIncreaseCriteria: {} },
      },
      awsJobAbortConfig: {
        abortCriteriaList: [
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 12.75, minNumberOfExecutedThings: 1 },
        ],
      },
    };
    expect(documentedRuleViolations(request, scope)).toEqual([]);
  });
});

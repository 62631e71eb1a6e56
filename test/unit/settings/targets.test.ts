import { describe, expect, it } from 'vitest';
import {
  expandTargets,
  foreignTargetProblems,
  parseArnPartitionAccount,
  parseTargetArn,
  targetRefText,
  uniqueTargets,
} from '../../../src/settings/targets.js';
import type { CallerIdentity } from '../../../src/types.js';

const CHINA: CallerIdentity = {
  partition: 'aws-cn',
  accountId: '210987654321',
  arn: 'arn:aws-cn:sts::210987654321:assumed-role/ota/run-1',
};

describe('expandTargets', () => {
  it('expands shorthand in the caller partition, region and account, and keeps ARNs as written', () => {
    expect(
      expandTargets(
        [
          { kind: 'thing', name: 'dev:1' },
          { kind: 'thinggroup', name: 'fleet_a' },
          { kind: 'arn', arn: 'arn:aws:iot:us-east-1:123456789012:thing/x' },
        ],
        CHINA,
        'cn-north-1',
      ),
    ).toEqual([
      'arn:aws-cn:iot:cn-north-1:210987654321:thing/dev:1',
      'arn:aws-cn:iot:cn-north-1:210987654321:thinggroup/fleet_a',
      'arn:aws:iot:us-east-1:123456789012:thing/x',
    ]);
  });

  it('writes shorthand back as written', () => {
    expect([
      targetRefText({ kind: 'thing', name: 'a' }),
      targetRefText({ kind: 'thinggroup', name: 'b' }),
      targetRefText({ kind: 'arn', arn: 'arn:aws:iot:eu-west-1:123456789012:thing/c' }),
    ]).toEqual(['thing/a', 'thinggroup/b', 'arn:aws:iot:eu-west-1:123456789012:thing/c']);
  });
});

describe('parseArnPartitionAccount', () => {
  it.each([
    ['arn:aws-cn:sts::123456789012:assumed-role/x/y', { partition: 'aws-cn', accountId: '123456789012' }],
    ['arn:aws:iam::000000000001:user/ci', { partition: 'aws', accountId: '000000000001' }],
    [
      'arn:aws-us-gov:sts::123456789012:federated-user/u',
      { partition: 'aws-us-gov', accountId: '123456789012' },
    ],
  ])('%s', (arn, expected) => {
    expect(parseArnPartitionAccount(arn)).toEqual(expected);
  });

  it.each(['arn:aws:sts::12345:assumed-role/x', 'not an arn', 'arn:aws:sts::123456789012:'])(
    'rejects %j',
    (arn) => {
      expect(() => parseArnPartitionAccount(arn)).toThrow(
        `not an ARN with a partition and account: "${arn}"`,
      );
    },
  );
});

describe('parseTargetArn', () => {
  it.each([
    [
      'arn:aws:iot:eu-west-1:123456789012:thing/dev-1',
      { partition: 'aws', region: 'eu-west-1', accountId: '123456789012', kind: 'thing', name: 'dev-1' },
    ],
    [
      'arn:aws-cn:iot:cn-north-1:123456789012:thinggroup/g:1',
      {
        partition: 'aws-cn',
        region: 'cn-north-1',
        accountId: '123456789012',
        kind: 'thinggroup',
        name: 'g:1',
      },
    ],
    ['arn:aws:iot:eu-west-1:123456789012:thing/', undefined],
    ['arn:aws:iot:eu-west-1:123456789012:job/j', undefined],
    ['arn:aws:iam:eu-west-1:123456789012:thing/x', undefined],
  ])('%s', (arn, expected) => {
    expect(parseTargetArn(arn)).toEqual(expected);
  });
});

describe('foreignTargetProblems', () => {
  const ONLY_OWN = 'a job targets things and thing groups of its own account and region only';
  const CALLER = 'account 210987654321 in aws-cn/cn-north-1';
  it.each([
    ["the caller's own account and region", 'arn:aws-cn:iot:cn-north-1:210987654321:thing/a', []],
    [
      'another account',
      'arn:aws-cn:iot:cn-north-1:123456789012:thing/a',
      [
        `"arn:aws-cn:iot:cn-north-1:123456789012:thing/a" is in account 123456789012 in aws-cn/cn-north-1, but the update is created by ${CALLER}: ${ONLY_OWN}`,
      ],
    ],
    [
      'another partition',
      'arn:aws:iot:cn-north-1:210987654321:thinggroup/g',
      [
        `"arn:aws:iot:cn-north-1:210987654321:thinggroup/g" is in account 210987654321 in aws/cn-north-1, but the update is created by ${CALLER}: ${ONLY_OWN}`,
      ],
    ],
    [
      'another region',
      'arn:aws-cn:iot:cn-northwest-1:210987654321:thing/a',
      [
        `"arn:aws-cn:iot:cn-northwest-1:210987654321:thing/a" is in account 210987654321 in aws-cn/cn-northwest-1, but the update is created by ${CALLER}: ${ONLY_OWN}`,
      ],
    ],
  ])('%s', (_what, arn, messages) => {
    expect(foreignTargetProblems([arn], CHINA, 'cn-north-1')).toEqual(
      messages.map((message) => ({ input: 'targets', message })),
    );
  });
});

describe('uniqueTargets', () => {
  it('keeps each expanded ARN once, in order, and names the spellings that meant the same target', () => {
    const refs = [
      { kind: 'thing', name: 'a' },
      { kind: 'arn', arn: 'arn:aws-cn:iot:cn-north-1:210987654321:thinggroup/g' },
      { kind: 'arn', arn: 'arn:aws-cn:iot:cn-north-1:210987654321:thing/a' },
      { kind: 'thinggroup', name: 'g' },
      { kind: 'thing', name: 'b' },
    ] as const;
    expect(uniqueTargets(refs, expandTargets([...refs], CHINA, 'cn-north-1'))).toEqual({
      arns: [
        'arn:aws-cn:iot:cn-north-1:210987654321:thing/a',
        'arn:aws-cn:iot:cn-north-1:210987654321:thinggroup/g',
        'arn:aws-cn:iot:cn-north-1:210987654321:thing/b',
      ],
      warnings: [
        'targets: "thing/a" and "arn:aws-cn:iot:cn-north-1:210987654321:thing/a" are the same target (arn:aws-cn:iot:cn-north-1:210987654321:thing/a); it is used once',
        'targets: "arn:aws-cn:iot:cn-north-1:210987654321:thinggroup/g" and "thinggroup/g" are the same target (arn:aws-cn:iot:cn-north-1:210987654321:thinggroup/g); it is used once',
      ],
    });
  });
});

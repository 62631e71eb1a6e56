import type {
  AwsJobAbortConfig,
  AwsJobExecutionsRolloutConfig,
  AwsJobTimeoutConfig,
} from '@aws-sdk/client-iot';
import { describe, expect, it } from 'vitest';
import {
  abortConfigWords,
  rolloutConfigWords,
  timeoutConfigWords,
} from '../../../src/runner/config-words.js';

describe('rolloutConfigWords', () => {
  it.each<[string, AwsJobExecutionsRolloutConfig | undefined, string]>([
    ['not set', undefined, 'default'],
    ['empty', {}, 'default'],
    ['a maximum rate', { maximumPerMinute: 50 }, '50 things a minute'],
    ['one a minute', { maximumPerMinute: 1 }, '1 thing a minute'],
    [
      'exponential on notified things',
      {
        exponentialRate: {
          baseRatePerMinute: 10,
          incrementFactor: 1.5,
          rateIncreaseCriteria: { numberOfNotifiedThings: 20 },
        },
      },
      'exponential: from 10 a minute, ×1.5 each time 20 things are notified',
    ],
    [
      'exponential on succeeded things, capped',
      {
        maximumPerMinute: 100,
        exponentialRate: {
          baseRatePerMinute: 5,
          incrementFactor: 2,
          rateIncreaseCriteria: { numberOfSucceededThings: 1 },
        },
      },
      'exponential: from 5 a minute, ×2 each time 1 thing succeeds, at most 100 a minute',
    ],
    [
      'exponential on both',
      {
        exponentialRate: {
          baseRatePerMinute: 1,
          incrementFactor: 1.1,
          rateIncreaseCriteria: { numberOfNotifiedThings: 1, numberOfSucceededThings: 3 },
        },
      },
      'exponential: from 1 a minute, ×1.1 each time 1 thing is notified or 3 things succeed',
    ],
  ])('%s', (_what, config, words) => {
    expect(rolloutConfigWords(config)).toBe(words);
  });
});

describe('abortConfigWords', () => {
  it.each<[string, AwsJobAbortConfig | undefined, string]>([
    ['not set', undefined, 'default'],
    ['no criteria', { abortCriteriaList: [] }, 'default'],
    [
      'one criterion',
      {
        abortCriteriaList: [
          { failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 5 },
        ],
      },
      'cancel when at least 10 % of the executed things fail, once 5 have been notified',
    ],
    [
      'several criteria',
      {
        abortCriteriaList: [
          {
            failureType: 'REJECTED',
            action: 'CANCEL',
            thresholdPercentage: 12.5,
            minNumberOfExecutedThings: 1,
          },
          {
            failureType: 'TIMED_OUT',
            action: 'CANCEL',
            thresholdPercentage: 50,
            minNumberOfExecutedThings: 2,
          },
          { failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 100, minNumberOfExecutedThings: 10 },
        ],
      },
      'cancel when at least 12.5 % of the executed things reject the job, once 1 has been notified; ' +
        'or cancel when at least 50 % of the executed things time out, once 2 have been notified; ' +
        'or cancel when at least 100 % of the executed things fail, reject the job or time out, once 10 have been notified',
    ],
  ])('%s', (_what, config, words) => {
    expect(abortConfigWords(config)).toBe(words);
  });
});

describe('timeoutConfigWords', () => {
  it.each<[string, AwsJobTimeoutConfig | undefined, string]>([
    ['not set', undefined, 'default'],
    ['empty', {}, 'default'],
    ['an hour', { inProgressTimeoutInMinutes: 60 }, '60 minutes per device'],
    ['a minute', { inProgressTimeoutInMinutes: 1 }, '1 minute per device'],
  ])('%s', (_what, config, words) => {
    expect(timeoutConfigWords(config)).toBe(words);
  });
});

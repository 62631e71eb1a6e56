/**
 * The job's rollout, abort and timeout configs in words, for the job summary beside their JSON: "50 things a
 * minute", "cancel when at least 10 % of the executed things fail, once 5 have been notified", "60 minutes per
 * device". Pure; undefined or empty configs read "default".
 */
import type {
  AwsJobAbortConfig,
  AwsJobAbortCriteria,
  AwsJobExecutionsRolloutConfig,
  AwsJobTimeoutConfig,
} from '@aws-sdk/client-iot';

const DEFAULT = 'default';

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function isEmpty(config: object): boolean {
  return Object.values(config).every((v) => v === undefined);
}

export function rolloutConfigWords(config: AwsJobExecutionsRolloutConfig | undefined): string {
  if (config === undefined || isEmpty(config)) return DEFAULT;
  const { maximumPerMinute: max, exponentialRate: rate } = config;
  if (rate === undefined) return max === undefined ? DEFAULT : `${count(max, 'thing', 'things')} a minute`;
  const notified = rate.rateIncreaseCriteria?.numberOfNotifiedThings;
  const succeeded = rate.rateIncreaseCriteria?.numberOfSucceededThings;
  const when = [
    notified === undefined ? '' : `${count(notified, 'thing is', 'things are')} notified`,
    succeeded === undefined ? '' : `${count(succeeded, 'thing succeeds', 'things succeed')}`,
  ]
    .filter(Boolean)
    .join(' or ');
  const cap = max === undefined ? '' : `, at most ${max} a minute`;
  return `exponential: from ${rate.baseRatePerMinute ?? '?'} a minute, ×${rate.incrementFactor ?? '?'} each time ${
    when || '?'
  }${cap}`;
}

const FAILING: Record<string, string> = {
  FAILED: 'fail',
  REJECTED: 'reject the job',
  TIMED_OUT: 'time out',
  ALL: 'fail, reject the job or time out',
};

function criterionWords(c: AwsJobAbortCriteria): string {
  const failing = FAILING[c.failureType ?? ''] ?? `end ${c.failureType ?? '?'}`;
  const min = c.minNumberOfExecutedThings ?? 1;
  // CANCEL is the only action the API has.
  return `cancel when at least ${c.thresholdPercentage ?? '?'} % of the executed things ${failing}, once ${
    min === 1 ? '1 has' : `${min} have`
  } been notified`;
}

export function abortConfigWords(config: AwsJobAbortConfig | undefined): string {
  const criteria = config?.abortCriteriaList ?? [];
  return criteria.length === 0 ? DEFAULT : criteria.map(criterionWords).join('; or ');
}

export function timeoutConfigWords(config: AwsJobTimeoutConfig | undefined): string {
  const minutes = config?.inProgressTimeoutInMinutes;
  return minutes === undefined ? DEFAULT : `${count(minutes, 'minute', 'minutes')} per device`;
}

/**
 * CreateOTAUpdate rules that AWS documents but the model does not encode (one-of members, ranges stated in the
 * docs or in the Jobs API the update's job goes through, ARN formats). Runs on a request that already satisfies
 * the model, so member types can be trusted.
 */
import { JOBS_MODEL } from './model/iot-jobs.js';

export interface AccountScope {
  partition: string;
  region: string;
  accountId: string;
}

type Obj = Record<string, unknown>;

/** The Jobs API's IncrementFactor range, which the OTA model's own increment factor lacks. */
const FACTOR_SHAPE = JOBS_MODEL.shapes.IncrementFactor;
const FACTOR_RANGE = FACTOR_SHAPE?.type === 'double' ? FACTOR_SHAPE.range : undefined;

const ROLE_ARN = /^arn:[a-z-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const TARGET_ARN = /^arn:([a-z-]+):iot:([a-z0-9-]+):(\d{12}):(thing|thinggroup)\/[a-zA-Z0-9:_-]+$/;

function obj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

function decimals(value: number): number {
  const text = String(value);
  const dot = text.indexOf('.');
  return dot < 0 || text.includes('e') ? 0 : text.length - dot - 1;
}

function presentOf(value: Obj, names: readonly string[]): string[] {
  return names.filter((n) => value[n] !== undefined && value[n] !== null);
}

function fileRules(file: Obj, path: string): string[] {
  const out: string[] = [];
  const location = obj(file.fileLocation);
  const where = location ? presentOf(location, ['stream', 's3Location']) : [];
  if (where.length !== 1) out.push(`${path}.fileLocation must specify exactly one of stream or s3Location`);
  const signing = obj(file.codeSigning);
  if (signing) {
    const how = presentOf(signing, ['awsSignerJobId', 'startSigningJobParameter', 'customCodeSigning']);
    if (how.length !== 1)
      out.push(
        `${path}.codeSigning must specify exactly one of awsSignerJobId, startSigningJobParameter or customCodeSigning`,
      );
  }
  return out;
}

export function documentedRuleViolations(request: Obj, scope: AccountScope): string[] {
  const out: string[] = [];
  const files = Array.isArray(request.files) ? request.files : [];
  files.forEach((f, i) => {
    const file = obj(f);
    if (file) out.push(...fileRules(file, `files.${i + 1}.member`));
  });

  const protocols = Array.isArray(request.protocols) ? (request.protocols as string[]) : ['MQTT'];
  if (new Set(protocols).size !== protocols.length)
    out.push(`protocols must not repeat a protocol; valid values are [HTTP], [MQTT], [HTTP, MQTT]`);
  const presigned = obj(request.awsJobPresignedUrlConfig);
  if (presigned && !protocols.includes('HTTP'))
    out.push('awsJobPresignedUrlConfig is only valid when protocols includes HTTP');
  const expires = presigned?.expiresInSec;
  if (typeof expires === 'number' && (expires < 60 || expires > 3600))
    out.push(`awsJobPresignedUrlConfig.expiresInSec must be between 60 and 3600 seconds, got ${expires}`);

  const timeout = obj(request.awsJobTimeoutConfig)?.inProgressTimeoutInMinutes;
  if (typeof timeout === 'number' && (timeout < 1 || timeout > 10080))
    out.push(`awsJobTimeoutConfig.inProgressTimeoutInMinutes must be between 1 and 10080, got ${timeout}`);

  const factor = obj(obj(request.awsJobExecutionsRolloutConfig)?.exponentialRate)?.incrementFactor;
  if (typeof factor === 'number' && decimals(factor) > 1)
    out.push(
      `awsJobExecutionsRolloutConfig.exponentialRate.incrementFactor allows at most one decimal, got ${factor}`,
    );
  const { min = -Infinity, max = Infinity } = FACTOR_RANGE ?? {};
  if (typeof factor === 'number' && (factor < min || factor > max))
    out.push(
      `awsJobExecutionsRolloutConfig.exponentialRate.incrementFactor must be between ${min} and ${max}, got ${factor}`,
    );

  const criteria = obj(request.awsJobAbortConfig)?.abortCriteriaList;
  if (Array.isArray(criteria))
    criteria.forEach((c, i) => {
      const pct = obj(c)?.thresholdPercentage;
      if (typeof pct === 'number' && decimals(pct) > 2)
        out.push(
          `awsJobAbortConfig.abortCriteriaList.${i + 1}.member.thresholdPercentage allows at most two decimals, got ${pct}`,
        );
    });

  if (typeof request.roleArn === 'string' && !ROLE_ARN.test(request.roleArn))
    out.push(`roleArn ${request.roleArn} is not an IAM role ARN`);

  const targets = Array.isArray(request.targets) ? request.targets : [];
  for (const target of targets) {
    const m = TARGET_ARN.exec(String(target));
    if (!m) out.push(`target ${String(target)} is not a thing or thing group ARN`);
    else if (m[1] !== scope.partition || m[2] !== scope.region || m[3] !== scope.accountId)
      out.push(
        `target ${String(target)} is not in partition ${scope.partition}, region ${scope.region}, account ${scope.accountId}`,
      );
  }
  return out;
}

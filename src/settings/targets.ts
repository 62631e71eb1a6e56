/**
 * Thing and thing-group targets: the written forms (full ARN, `thing/NAME`, `thinggroup/NAME`), their expansion to
 * ARNs once STS has told us the partition and account, and what is checked of the ARNs then (pure): each is in the
 * caller's partition, account and region, and each is used once.
 */
import type { InputProblem } from '../errors.js';
import { INPUTS } from '../runner/names.js';
import type { CallerIdentity, TargetRef } from '../types.js';

/** Thing and thing-group names: 1..128 of `[a-zA-Z0-9:_-]` (ThingName / ThingGroupName in the IoT model). */
export const THING_NAME_PATTERN = /^[a-zA-Z0-9:_-]{1,128}$/;

/** A job takes at most 100 targets (AWS IoT API reference, AssociateTargetsWithJob). */
export const TARGETS_MAX = 100;

/** `arn:<partition>:iot:<region>:<account>:thing/NAME` or `…:thinggroup/NAME`. */
export const TARGET_ARN_PATTERN =
  /^arn:([a-z][a-z0-9-]*):iot:([a-z0-9-]+):(\d{12}):(thing|thinggroup)\/([a-zA-Z0-9:_-]{1,128})$/;

export interface TargetArnParts {
  partition: string;
  region: string;
  accountId: string;
  kind: 'thing' | 'thinggroup';
  name: string;
}

/** The parts of a thing or thing-group ARN; undefined when `arn` is not one. */
export function parseTargetArn(arn: string): TargetArnParts | undefined {
  const m = TARGET_ARN_PATTERN.exec(arn);
  if (!m) return undefined;
  const [, partition = '', region = '', accountId = '', kind = '', name = ''] = m;
  return { partition, region, accountId, kind: kind === 'thing' ? 'thing' : 'thinggroup', name };
}

/** A target as it is written in the workflow: the ARN, or `thing/NAME` / `thinggroup/NAME`. */
export function targetRefText(target: TargetRef): string {
  return target.kind === 'arn' ? target.arn : `${target.kind}/${target.name}`;
}

/** Full ARNs in the caller's partition, `region` and account; ARNs given in full are kept as written. */
export function expandTargets(targets: TargetRef[], identity: CallerIdentity, region: string): string[] {
  return targets.map((t) =>
    t.kind === 'arn'
      ? t.arn
      : `arn:${identity.partition}:iot:${region}:${identity.accountId}:${t.kind}/${t.name}`,
  );
}

/**
 * A problem for each target outside the caller's partition, account or `region`: a job only reaches things and
 * thing groups of its own account and region, and IoT would refuse the create (or, worse, a partial rollout).
 */
export function foreignTargetProblems(
  arns: readonly string[],
  identity: CallerIdentity,
  region: string,
): InputProblem[] {
  const caller = `account ${identity.accountId} in ${identity.partition}/${region}`;
  return arns.flatMap((arn) => {
    const parts = parseTargetArn(arn);
    if (
      parts === undefined ||
      (parts.partition === identity.partition &&
        parts.accountId === identity.accountId &&
        parts.region === region)
    ) {
      return [];
    }
    return [
      {
        input: INPUTS.targets,
        message: `${JSON.stringify(arn)} is in account ${parts.accountId} in ${parts.partition}/${parts.region}, but the update is created by ${caller}: a job targets things and thing groups of its own account and region only`,
      },
    ];
  });
}

/**
 * The expanded ARNs with each target once: `thing/a` and its full ARN are one target. A warning names each one
 * written twice, in the words of the duplicate warning at parse time.
 */
export function uniqueTargets(
  targets: readonly TargetRef[],
  arns: readonly string[],
): { arns: string[]; warnings: string[] } {
  const firstWritten = new Map<string, string>();
  const unique: string[] = [];
  const warnings: string[] = [];
  arns.forEach((arn, i) => {
    const written = targets[i] === undefined ? arn : targetRefText(targets[i]);
    const first = firstWritten.get(arn);
    if (first === undefined) {
      firstWritten.set(arn, written);
      unique.push(arn);
    } else {
      warnings.push(
        `targets: ${JSON.stringify(first)} and ${JSON.stringify(written)} are the same target (${arn}); it is used once`,
      );
    }
  });
  return { arns: unique, warnings };
}

/** Partition and account of any ARN, e.g. the caller ARN `arn:aws-cn:sts::123456789012:assumed-role/x/y`. */
export function parseArnPartitionAccount(arn: string): { partition: string; accountId: string } {
  const m = /^arn:([a-z][a-z0-9-]*):[a-z0-9-]+:[a-z0-9-]*:(\d{12}):.+$/.exec(arn);
  if (!m?.[1] || !m[2]) throw new Error(`not an ARN with a partition and account: "${arn}"`);
  return { partition: m[1], accountId: m[2] };
}

/**
 * The credentials inputs: the region (from the input or the environment), the role to assume with the OIDC token,
 * its session name and lifetime, and the token's audience. Also the role-ARN check ota-role-arn shares.
 */
import { INPUTS, type InputName } from '../runner/names.js';
import type { RunEnv } from '../runner/inputs.js';
import type { AuthSettings, GitHubContext } from '../types.js';
import { parseInteger, type Problems } from './parse-values.js';
import { validateShape } from './shape-validation.js';
import { describeValue } from './values.js';

/** `us-east-1`, at most 32 characters: the longest region names today have 15 (us-isof-south-1). */
const REGION_PATTERN = /^(?=.{1,32}$)[a-z]{2}(-[a-z]+)+-\d+$/;
/** `arn:<partition>:iam::<account>:role/[path/]NAME`. */
const ROLE_ARN_PATTERN = /^arn:[a-z][a-z0-9-]*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** STS's roleSessionNameType (model/sts-assumerolewithwebidentity-shapes.json): 2..64 of `[\w+=,.@-]`. */
export const SESSION_NAME = { length: { min: 2, max: 64 }, pattern: /^[\w+=,.@-]*$/ } as const;
/** STS's roleDurationSecondsType: 900..43200 seconds. */
export const ROLE_DURATION_SECONDS = { min: 900, max: 43200 } as const;
/**
 * The OIDC token's audience must be a client ID of the account's OIDC provider, and IAM's clientIDType is 1..255
 * characters; it goes into the token request's URL and the step log, so no control characters either.
 */
const AUDIENCE_MAX = 255;
const CONTROL = /[\p{C}\u2028\u2029]/u;

export function parseAuth(
  get: (n: InputName) => string,
  context: GitHubContext,
  env: RunEnv,
  problems: Problems,
): AuthSettings {
  const given = get(INPUTS.awsRegion);
  const [region, from] = given
    ? [given, '']
    : env.awsRegion
      ? [env.awsRegion, ' (from AWS_REGION)']
      : env.awsDefaultRegion
        ? [env.awsDefaultRegion, ' (from AWS_DEFAULT_REGION)']
        : ['', ''];
  if (!region) {
    problems.push({
      input: INPUTS.awsRegion,
      message: 'is required: set aws-region, or AWS_REGION / AWS_DEFAULT_REGION in the environment',
    });
  } else if (!REGION_PATTERN.test(region)) {
    problems.push({
      input: INPUTS.awsRegion,
      message: `must be an AWS region such as us-east-1, got ${describeValue(region)}${from}`,
    });
  }

  const roleToAssume = get(INPUTS.roleToAssume) || undefined;
  if (roleToAssume !== undefined) checkRoleArn(INPUTS.roleToAssume, roleToAssume, problems);

  const defaultSession = ['ota', context.runId, context.runAttempt]
    .filter(Boolean)
    .join('-')
    .replace(/[^\w+=,.@-]/g, '-')
    .slice(0, 64);
  const roleSessionName = get(INPUTS.roleSessionName) || defaultSession;
  const { min, max } = SESSION_NAME.length;
  if (
    roleSessionName.length < min ||
    roleSessionName.length > max ||
    !SESSION_NAME.pattern.test(roleSessionName)
  ) {
    problems.push({
      input: INPUTS.roleSessionName,
      message: `must be ${min}..${max} characters of letters, digits and '_+=,.@-', got ${describeValue(roleSessionName)}`,
    });
  }

  const audience = get(INPUTS.audience) || 'sts.amazonaws.com';
  if ([...audience].length > AUDIENCE_MAX || CONTROL.test(audience)) {
    problems.push({
      input: INPUTS.audience,
      message: `must be 1..${AUDIENCE_MAX} characters without control characters (a client ID of the account's GitHub OIDC provider, such as sts.amazonaws.com), got ${describeValue(audience)}`,
    });
  }

  return {
    region,
    roleToAssume,
    roleSessionName,
    roleDurationSeconds: parseInteger(
      INPUTS.roleDurationSeconds,
      get(INPUTS.roleDurationSeconds),
      3600,
      ROLE_DURATION_SECONDS,
      problems,
    ),
    audience,
  };
}

export function checkRoleArn(input: InputName, arn: string, problems: Problems): void {
  const model = validateShape('RoleArn', arn, input);
  if (model.length > 0) problems.push(...model);
  else if (!ROLE_ARN_PATTERN.test(arn)) {
    problems.push({
      input,
      message: `must be an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/NAME), got ${describeValue(arn)}`,
    });
  }
}

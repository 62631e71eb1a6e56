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

export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** `arn:<partition>:iam::<account>:role/[path/]NAME`. */
export const ROLE_ARN_PATTERN = /^arn:[a-z][a-z0-9-]*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;

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
  if (!SESSION_NAME_PATTERN.test(roleSessionName)) {
    problems.push({
      input: INPUTS.roleSessionName,
      message: `must be 2..64 characters of letters, digits and '_+=,.@-', got ${describeValue(roleSessionName)}`,
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
      { min: 900, max: 43200 },
      problems,
    ),
    audience: get(INPUTS.audience) || 'sts.amazonaws.com',
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

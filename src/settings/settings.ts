/**
 * Parse and validate: raw input strings + GitHub context → one typed Settings object with every default applied.
 * Collects every problem and throws them together as one InvalidInputError.
 */
import type {
  AwsJobAbortConfig,
  AwsJobExecutionsRolloutConfig,
  AwsJobPresignedUrlConfig,
  AwsJobTimeoutConfig,
  Protocol,
  Tag,
  TargetSelection,
} from '@aws-sdk/client-iot';
import { InvalidInputError } from '../errors.js';
import type { RunEnv } from '../runner/inputs.js';
import { INPUTS, type InputName, SINGLE_FILE_INPUTS } from '../runner/names.js';
import { checkRoleArn, parseAuth } from './auth.js';
import { MAP_MAX_ENTRIES } from './documented.js';
import { parseFilesList, parseSingleFile } from './parse-files.js';
import { parseBehaviour } from './behaviour.js';
import { parseStringMap, parseYamlObject, type Problems, splitList } from './parse-values.js';
import type { ShapeName } from './model.generated.js';
import { parseTargets } from './parse-targets.js';
import { unsignedWarning } from './signing.js';
import { checkUnknownInputs } from './unknown-inputs.js';
import { validateShape } from './shape-validation.js';
import { otaUpdateIdProblems } from './ota-update-id.js';
import { describeValue, joinPath, own } from './values.js';
import type { GitHubContext, RawInputs, Settings } from '../types.js';
import { ACTION_TAG_PREFIX, MAX_TAGS_PER_RESOURCE, MAX_USER_TAGS } from './action-tags.js';

export interface ParsedSettings {
  settings: Settings;
  /** Things worth telling the user that do not stop the run. */
  warnings: string[];
}

const DESCRIPTION_MAX = 2028;
const MAP_LIMIT = { max: MAP_MAX_ENTRIES, noun: 'entries' };
const KNOWN_INPUTS: ReadonlySet<string> = new Set(Object.values(INPUTS));

function parseProtocols(text: string, problems: Problems): Protocol[] {
  if (text === '') return ['MQTT'];
  const items = splitList(text);
  const valid = items.every((p) => p === 'MQTT' || p === 'HTTP') && new Set(items).size === items.length;
  if (!valid || items.length === 0) {
    problems.push({
      input: INPUTS.protocols,
      message: `must be MQTT, HTTP or MQTT,HTTP, got ${describeValue(text)}`,
    });
    return ['MQTT'];
  }
  return items as Protocol[];
}

/** A value of an API shape, or undefined when it is not set or not valid (then the problems say why). */
function shaped<T>(input: InputName, shape: ShapeName, value: unknown, problems: Problems): T | undefined {
  const found = validateShape(shape, value, input);
  problems.push(...found);
  return found.length === 0 ? (value as T) : undefined;
}

function jobConfig<T>(input: InputName, shape: ShapeName, text: string, problems: Problems): T | undefined {
  if (text === '') return undefined;
  const value = parseYamlObject(input, text, problems);
  return value === undefined ? undefined : shaped<T>(input, shape, value, problems);
}

function parseTags(text: string, problems: Problems): Tag[] | undefined {
  const input = INPUTS.tags;
  if (text === '') return undefined;
  const map = parseStringMap(input, text, problems, {
    max: MAX_USER_TAGS,
    noun: `tags (IoT allows ${MAX_TAGS_PER_RESOURCE}, the action adds ${MAX_TAGS_PER_RESOURCE - MAX_USER_TAGS} of its own)`,
  });
  if (map === undefined) return undefined;
  const before = problems.length;
  const entries = Object.entries(map);
  for (const [key, value] of entries) {
    const subject = `key ${describeValue(key)}`;
    problems.push(...validateShape('TagKey', key, input, subject));
    if (/^aws:/i.test(key))
      problems.push({ input, message: `${subject} must not start with "aws:" (reserved by AWS)` });
    if (key.startsWith(ACTION_TAG_PREFIX))
      problems.push({
        input,
        message: `${subject} must not start with "${ACTION_TAG_PREFIX}" (the action's own tags use that prefix)`,
      });
    problems.push(...validateShape('TagValue', value, input, joinPath('', key)));
  }
  if (problems.length > before) return undefined;
  return entries.map(([Key, Value]) => ({ Key, Value: Value as string }));
}

function defaultDescription(context: GitHubContext): string {
  let text = context.repository || 'OTA update';
  if (context.refName) text += `@${context.refName}`;
  if (context.sha) text += ` (${context.sha.slice(0, 7)})`;
  return [...text.replace(/\p{C}/gu, '')].slice(0, DESCRIPTION_MAX).join('');
}

const INPUT_ORDER = new Map<string, number>(Object.values(INPUTS).map((name, i) => [name, i]));

/**
 * Every input parsed and validated, with its defaults. Throws InvalidInputError carrying every problem found,
 * each naming its input and what would be valid. Reads local files named by inputs (it checks they exist and
 * reads a signature file) but never hashes firmware.
 */
export function parseSettings(raw: RawInputs, context: GitHubContext, env: RunEnv): ParsedSettings {
  const unknown = Object.keys(raw).filter((name) => !KNOWN_INPUTS.has(name));
  if (unknown.length > 0)
    throw new Error(`parseSettings got inputs that names.ts does not define: ${unknown.join(', ')}`);

  const problems: Problems = [];
  const warnings: string[] = [];
  const get = (name: InputName): string => own(raw, name)?.trim() ?? '';

  const auth = parseAuth(get, context, env, problems);

  const otaUpdateId = get(INPUTS.otaUpdateId) || undefined;
  if (otaUpdateId !== undefined) problems.push(...otaUpdateIdProblems(otaUpdateId));

  const roleArn = get(INPUTS.otaRoleArn);
  if (!roleArn) {
    problems.push({
      input: INPUTS.otaRoleArn,
      message:
        'is required: the ARN of the IAM role AWS IoT assumes for the update (arn:aws:iam::<account>:role/NAME)',
    });
  } else {
    checkRoleArn(INPUTS.otaRoleArn, roleArn, problems);
  }

  const targets = parseTargets(get(INPUTS.targets), auth.region, problems, warnings);

  const filesText = get(INPUTS.files);
  const roots = { workspace: env.workspace, runnerTemp: env.runnerTemp };
  const singleSet = SINGLE_FILE_INPUTS.filter((name) => get(name) !== '');
  let files: Settings['files'] = [];
  if (filesText) {
    if (singleSet.length > 0) {
      problems.push({
        input: INPUTS.files,
        message: `cannot be combined with the single-file inputs (${singleSet.join(', ')}): use one or the other`,
      });
    }
    files = parseFilesList(filesText, roots, problems);
  } else {
    const file = parseSingleFile(raw, context, roots, problems);
    if (file) files = [file];
  }

  const protocols = parseProtocols(get(INPUTS.protocols), problems);
  const targetSelection =
    shaped<TargetSelection>(
      INPUTS.targetSelection,
      'TargetSelection',
      get(INPUTS.targetSelection) || 'SNAPSHOT',
      problems,
    ) ?? 'SNAPSHOT';

  const description = get(INPUTS.description) || defaultDescription(context);
  problems.push(...validateShape('OTAUpdateDescription', description, INPUTS.description));

  const rolloutConfig = jobConfig<AwsJobExecutionsRolloutConfig>(
    INPUTS.rolloutConfig,
    'AwsJobExecutionsRolloutConfig',
    get(INPUTS.rolloutConfig),
    problems,
  );
  const abortConfig = jobConfig<AwsJobAbortConfig>(
    INPUTS.abortConfig,
    'AwsJobAbortConfig',
    get(INPUTS.abortConfig),
    problems,
  );
  const timeoutConfig = jobConfig<AwsJobTimeoutConfig>(
    INPUTS.timeoutConfig,
    'AwsJobTimeoutConfig',
    get(INPUTS.timeoutConfig),
    problems,
  );
  const presignedUrlConfig = jobConfig<AwsJobPresignedUrlConfig>(
    INPUTS.presignedUrlConfig,
    'AwsJobPresignedUrlConfig',
    get(INPUTS.presignedUrlConfig),
    problems,
  );
  if (get(INPUTS.presignedUrlConfig) && !protocols.includes('HTTP')) {
    problems.push({
      input: INPUTS.presignedUrlConfig,
      message: `only applies when protocols include HTTP (protocols is ${protocols.join(',')})`,
    });
  }

  const additionalText = get(INPUTS.additionalParameters);
  const additionalMap = additionalText
    ? parseStringMap(INPUTS.additionalParameters, additionalText, problems, MAP_LIMIT)
    : undefined;
  const additionalParameters =
    additionalMap === undefined
      ? undefined
      : shaped<Record<string, string>>(
          INPUTS.additionalParameters,
          'AdditionalParameterMap',
          additionalMap,
          problems,
        );

  const unsigned = unsignedWarning(files, filesText !== '');
  if (unsigned !== undefined) warnings.push(unsigned);

  const tags = parseTags(get(INPUTS.tags), problems);
  const behaviour = parseBehaviour(get, problems, warnings);
  checkUnknownInputs(get(INPUTS.unknownInputs), env.unknownInputVariables, problems, warnings);

  if (problems.length > 0) {
    // An input the action does not have comes first: it is often why another one is missing.
    const order = (p: { input: string }) => INPUT_ORDER.get(p.input) ?? -1;
    throw new InvalidInputError([...problems].sort((a, b) => order(a) - order(b)));
  }

  return {
    settings: {
      auth,
      otaUpdateId,
      roleArn,
      targets,
      files,
      protocols,
      targetSelection,
      description,
      rolloutConfig,
      abortConfig,
      timeoutConfig,
      presignedUrlConfig,
      additionalParameters,
      tags,
      behaviour,
      release: { repoName: context.repository.split('/').pop() ?? '', refName: context.refName },
    },
    warnings,
  };
}

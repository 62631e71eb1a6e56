/**
 * The emulator CLI's flags (see USAGE) as EmulatorOptions, so a user can run their own workflow's inputs against
 * it: region, account, buckets, the roles to assume, things and thing groups (flags and a YAML fleet file), device
 * behaviours and the time scale. The OIDC token's repository and ref follow GITHUB_REPOSITORY and GITHUB_REF.
 */
import { parseArgs } from 'node:util';
import { parseBehaviour, BEHAVIOUR_FORMS } from '../emulator/device-behaviour.js';
import { parseFleetFile } from '../emulator/fleet-file.js';
import type { EmulatorOptions, ThingGroupOption, ThingOption } from '../emulator/index.js';

export const USAGE = `usage: npm run emulator -- [options]
  --port N                   port on 127.0.0.1 (default: a free one)
  --write-env PATH           also append the KEY=VALUE lines to PATH (GITHUB_ENV-compatible)
  --region R                 default us-east-1
  --account ID               12 digits, default 123456789012
  --partition P              aws (default), aws-cn, aws-us-gov
  --bucket NAME[:unversioned]  a bucket (repeatable; default one versioned firmware-bucket)
  --role NAME|ARN            a role the OIDC token can assume (repeatable; default ota-deployer)
  --trust PATTERN            the roles trust tokens whose sub matches (repeatable; default repo:*)
  --thing NAME[:GROUP,...]   a thing and its groups (repeatable)
  --thing-group NAME         a thing group (repeatable)
  --behaviour thing/NAME=B | thinggroup/NAME=B   a device behaviour: ${BEHAVIOUR_FORMS}
  --fleet FILE.yaml          things and thing groups from a file (see docs/local-testing.md)
  --time-scale N             emulated device time runs N times faster (default 1)
Without --thing, --thing-group or --fleet any target is accepted; with them, unknown targets fail with 404.`;

export class UsageError extends Error {}

export interface CliSettings {
  options: EmulatorOptions;
  writeEnv?: string;
}

const FLAGS = {
  port: { type: 'string' },
  'write-env': { type: 'string' },
  region: { type: 'string' },
  account: { type: 'string' },
  partition: { type: 'string' },
  bucket: { type: 'string', multiple: true },
  role: { type: 'string', multiple: true },
  trust: { type: 'string', multiple: true },
  thing: { type: 'string', multiple: true },
  'thing-group': { type: 'string', multiple: true },
  behaviour: { type: 'string', multiple: true },
  fleet: { type: 'string' },
  'time-scale': { type: 'string' },
} as const;

function checked(value: string | undefined, pattern: RegExp, flag: string, what: string): string | undefined {
  if (value !== undefined && !pattern.test(value))
    throw new UsageError(`${flag} must be ${what}, got ${value}`);
  return value;
}

function numberFlag(value: string | undefined, flag: string, ok: (n: number) => boolean, what: string) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !ok(n)) throw new UsageError(`${flag} must be ${what}, got ${value}`);
  return n;
}

/** Things and groups from the fleet file and the flags, with the --behaviour settings applied. */
function fleetOf(
  values: { thing?: string[]; 'thing-group'?: string[]; behaviour?: string[]; fleet?: string },
  readFile: (path: string) => string,
): Pick<EmulatorOptions, 'things' | 'thingGroups'> {
  const file = values.fleet === undefined ? undefined : parseFleetFile(readFile(values.fleet), values.fleet);
  const things: ThingOption[] = [...(file?.things ?? [])];
  const thingGroups: ThingGroupOption[] = [...(file?.thingGroups ?? [])];
  for (const spec of values.thing ?? []) {
    const [name = '', groups] = spec.split(/:(.*)/s);
    things.push({ name, ...(groups ? { groups: groups.split(',') } : {}) });
  }
  for (const name of values['thing-group'] ?? []) thingGroups.push({ name });
  for (const spec of values.behaviour ?? []) {
    const m = /^(thing|thinggroup)\/([^=]+)=(.+)$/s.exec(spec);
    if (!m)
      throw new UsageError(
        `--behaviour must be thing/NAME=BEHAVIOUR or thinggroup/NAME=BEHAVIOUR, got ${spec}`,
      );
    const [, kind, name, text] = m as unknown as [string, string, string, string];
    const behaviour = parseBehaviour(text, `--behaviour ${kind}/${name}`);
    if (kind === 'thing') {
      const i = things.findIndex((t) => t.name === name);
      if (i < 0)
        throw new UsageError(`--behaviour names thing ${name}, which no --thing or --fleet declares`);
      things[i] = { ...things[i]!, behaviour };
    } else {
      const i = thingGroups.findIndex((g) => g.name === name);
      const known = i >= 0 || things.some((t) => t.groups?.includes(name));
      if (!known)
        throw new UsageError(`--behaviour names thing group ${name}, which no flag or --fleet declares`);
      if (i >= 0) thingGroups[i] = { ...thingGroups[i]!, behaviour };
      else thingGroups.push({ name, behaviour });
    }
  }
  const configured = values.fleet !== undefined || things.length > 0 || thingGroups.length > 0;
  return configured ? { things, thingGroups } : {};
}

export function cliSettings(
  argv: string[],
  env: Record<string, string | undefined>,
  readFile: (path: string) => string,
): CliSettings {
  let values: ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const port =
    numberFlag(
      values.port,
      '--port',
      (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
      'an integer 0..65535',
    ) ?? 0;
  const region = checked(values.region, /^[a-z]{2}(-[a-z]+)+-\d+$/, '--region', 'a region such as eu-west-1');
  const accountId = checked(values.account, /^\d{12}$/, '--account', '12 digits');
  const partition = checked(values.partition, /^aws(-[a-z]+)*$/, '--partition', 'aws, aws-cn or aws-us-gov');
  const timeScale = numberFlag(
    values['time-scale'],
    '--time-scale',
    (n) => Number.isFinite(n) && n > 0,
    'a number > 0',
  );
  const arnAccount = accountId ?? '123456789012';
  const roles = (values.role ?? []).map((role) => {
    if (!role.startsWith('arn:') && !/^[\w+=,.@/-]+$/.test(role))
      throw new UsageError(`--role must be a role name or ARN, got ${role}`);
    return {
      arn: role.startsWith('arn:') ? role : `arn:${partition ?? 'aws'}:iam::${arnAccount}:role/${role}`,
      trustedSubs: values.trust ?? ['repo:*'],
    };
  });
  if (values.trust && roles.length === 0)
    roles.push({
      arn: `arn:${partition ?? 'aws'}:iam::${arnAccount}:role/ota-deployer`,
      trustedSubs: values.trust,
    });
  const buckets = (values.bucket ?? []).map((spec) => {
    const m = /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(:unversioned)?$/.exec(spec);
    if (!m)
      throw new UsageError(`--bucket must be NAME or NAME:unversioned with an S3 bucket name, got ${spec}`);
    return { name: m[1]!, versioned: m[2] === undefined };
  });
  const { GITHUB_REPOSITORY: repository, GITHUB_REF: ref } = env;
  const options: EmulatorOptions = {
    port,
    ...(region ? { region } : {}),
    ...(accountId ? { accountId } : {}),
    ...(partition ? { partition } : {}),
    ...(roles.length > 0 ? { roles } : {}),
    ...(buckets.length > 0 ? { buckets } : {}),
    ...(repository || ref
      ? { oidcClaims: { ...(repository ? { repository } : {}), ...(ref ? { ref } : {}) } }
      : {}),
    ...(timeScale !== undefined ? { timeScale } : {}),
    ...fleetOf(values, readFile),
  };
  return { options, ...(values['write-env'] !== undefined ? { writeEnv: values['write-env'] } : {}) };
}

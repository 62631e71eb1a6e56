/**
 * `npm run emulator -- [options]` (USAGE in emulator-options.ts): the local AWS emulator as a standalone process,
 * configured with the user's region, account, buckets, roles and fleet. Prints the environment that points the
 * action (or the AWS CLI / SDK) at it as KEY=VALUE lines on stdout and appends them to --write-env PATH
 * (GITHUB_ENV-compatible), then serves until SIGINT or SIGTERM.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { cliSettings, USAGE, UsageError, type CliSettings } from './emulator-options.js';

function usage(message: string): never {
  console.error(`emulator: ${message.replace(/^emulator: /, '')}\n${USAGE}`);
  process.exit(2);
}

function summary(emulator: Emulator, settings: CliSettings): string {
  const { options } = settings;
  const things = emulator.fleet.things().length;
  const groups = emulator.fleet.groups().length;
  const fleet = emulator.fleet.open
    ? 'no fleet configured: any target is accepted, unknown things succeed'
    : `${things} thing${things === 1 ? '' : 's'} in ${groups} thing group${groups === 1 ? '' : 's'}`;
  return [
    `emulator: listening on ${emulator.url} (${emulator.env.AWS_REGION}, account ${options.accountId ?? '123456789012'})`,
    `emulator: roles ${(options.roles ?? [{ arn: 'ota-deployer (default)' }]).map((r) => r.arn).join(', ')}`,
    `emulator: buckets ${(options.buckets ?? [{ name: 'firmware-bucket' }]).map((b) => b.name).join(', ')}`,
    `emulator: ${fleet}; device time ×${options.timeScale ?? 1}; stop with Ctrl-C`,
  ].join('\n');
}

function readFleetFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--fleet: cannot read ${path}: ${(error as Error).message}`);
  }
}

let settings: CliSettings;
let emulator: Emulator;
try {
  settings = cliSettings(process.argv.slice(2), process.env, readFleetFile);
  emulator = await startEmulator(settings.options);
} catch (error) {
  // Options the emulator refuses say so with an 'emulator:' prefix; anything else (a port in use) is not a usage error.
  const message = (error as Error).message;
  if (error instanceof UsageError || message.startsWith('emulator:')) usage(message);
  throw error;
}
const lines = Object.entries(emulator.env).map(([name, value]) => `${name}=${value}`);
if (settings.writeEnv !== undefined) appendFileSync(settings.writeEnv, `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
console.error(summary(emulator, settings));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}

/**
 * `npm run emulator -- [--port N] [--write-env PATH]`: the local AWS emulator as a standalone process. Prints the
 * environment that points the action (or the AWS CLI / SDK) at it as KEY=VALUE lines on stdout and appends them to
 * PATH (GITHUB_ENV-compatible), then serves until SIGINT or SIGTERM.
 */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/index.js';

function usage(message: string): never {
  console.error(`emulator: ${message}\nusage: tsx scripts/emulator.ts [--port N] [--write-env PATH]`);
  process.exit(2);
}

let values: { port?: string; 'write-env'?: string };
try {
  ({ values } = parseArgs({ options: { port: { type: 'string' }, 'write-env': { type: 'string' } } }));
} catch (error) {
  usage((error as Error).message);
}
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  usage(`--port must be an integer 0..65535, got ${values.port}`);

const emulator = await startEmulator({ port });
const lines = Object.entries(emulator.env).map(([name, value]) => `${name}=${value}`);
if (values['write-env'] !== undefined) appendFileSync(values['write-env'], `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
console.error(`emulator: listening on ${emulator.url}; stop with Ctrl-C`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}

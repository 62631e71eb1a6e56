/** Finding the external tools the conformance suites run, a free loopback port, and moto_server on one. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * The executable's path on PATH, or undefined; says loudly when it is absent, since the suite then skips. Under
 * CI=true an absent tool is an error instead: CI must run every conformance suite, not pass by skipping one.
 */
export function findTool(
  name: string,
  purpose: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  if (env.CI === 'true') {
    throw new Error(
      `${purpose} cannot run: \`${name}\` is not on PATH, and CI=true does not allow skipping it.`,
    );
  }
  console.warn(`SKIPPING ${purpose}: \`${name}\` is not on PATH. Install it to run this conformance suite.`);
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/** Polls `url` until it answers at all, for at most `timeoutMs`. */
async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`${url} did not answer within ${timeoutMs} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export interface MotoServer {
  /** http://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
}

/** Starts moto_server on a free 127.0.0.1 port and waits until it answers (at most 20 s). */
export async function startMotoServer(executable: string): Promise<MotoServer> {
  const port = await freePort();
  const moto = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (moto.exitCode !== null) return;
    moto.kill('SIGTERM');
    await Promise.race([once(moto, 'exit'), new Promise((resolve) => setTimeout(resolve, 3000))]);
    if (moto.exitCode === null) moto.kill('SIGKILL');
  };
  try {
    await waitForHttp(`${url}/moto-api/`, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/**
 * Secret hygiene of an end-to-end run: no secret, nor any long piece of one, appears in stdout, stderr, the step
 * outputs or the job summary, except in the `::add-mask::` commands that register it with the runner.
 *
 * ```ts
 * const tap = await tapSts(emulator);                 // optional: also learn the secret keys STS hands out
 * const run = await runAction({ ..., emulator, env: { ...tap.env } });
 * expectNoLeaks(run, emulator, { tap, extra: [{ label: 'custom signature', value: signature }] });
 * ```
 *
 * What the emulator shows of the secrets it issued: the OIDC tokens (in the AssumeRoleWithWebIdentity form
 * bodies), the session tokens (x-amz-security-token of signed requests) and the temporary access key ids (in the
 * Authorization headers); its static secret key and the OIDC request bearer are known up front. The temporary
 * secret keys travel only in STS replies, which the emulator does not record: tapSts() forwards STS traffic
 * through a loopback relay that reads them.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import type { ActionRun } from '../../scripts/run-step.js';

export interface Secret {
  /** What it is, for the failure message (never the value itself). */
  label: string;
  value: string;
}

export interface Leak {
  label: string;
  /** `stdout line 12`, `stderr`, `output request`, `summary`. */
  where: string;
}

/** Pieces this long of a secret count as a leak (a truncated token in a message is still a leak). */
export const FRAGMENT_LENGTH = 20;

/** Every secret the emulator handed out or accepted during the runs so far, as far as it shows them. */
export function emulatorSecrets(emulator: Emulator): Secret[] {
  const secrets: Secret[] = [
    { label: 'static secret access key', value: emulator.staticCredentials.secretAccessKey },
  ];
  const bearer = emulator.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (bearer) secrets.push({ label: 'OIDC request bearer (ACTIONS_ID_TOKEN_REQUEST_TOKEN)', value: bearer });
  for (const r of emulator.requests) {
    if (r.service === 'sts' && r.bodyText) {
      const token = new URLSearchParams(r.bodyText).get('WebIdentityToken');
      if (token) secrets.push({ label: 'OIDC token', value: token });
    }
    const sessionToken = r.headers['x-amz-security-token'];
    if (sessionToken) secrets.push({ label: 'STS session token', value: sessionToken });
    const keyId = /Credential=(ASIA[A-Z0-9]+)\//.exec(r.headers.authorization ?? '')?.[1];
    if (keyId) secrets.push({ label: 'STS access key id', value: keyId });
  }
  return dedupe(secrets);
}

function dedupe(secrets: Secret[]): Secret[] {
  const seen = new Set<string>();
  return secrets.filter((s) => s.value !== '' && !seen.has(s.value) && seen.add(s.value) !== undefined);
}

/** The pieces of a secret that must not show: all of it when short, every FRAGMENT_LENGTH window when long. */
function fragments(value: string): string[] {
  const forms = [...new Set([value, encodeURIComponent(value)])];
  return forms.flatMap((form) => {
    if (form.length <= FRAGMENT_LENGTH) return [form];
    return Array.from({ length: form.length - FRAGMENT_LENGTH + 1 }, (_, i) =>
      form.slice(i, i + FRAGMENT_LENGTH),
    );
  });
}

/** The places a run writes to, each as [where, text]; `::add-mask::` commands are left out. */
function places(run: ActionRun): [string, string][] {
  const stdout = run.stdout
    .split('\n')
    .map((line, i): [string, string] => [`stdout line ${i + 1}`, line])
    .filter(([, line]) => !line.startsWith('::add-mask::'));
  return [
    ...stdout,
    ['stderr', run.stderr],
    ...Object.entries(run.outputs).map(([name, value]): [string, string] => [`output ${name}`, value]),
    ['summary', run.summary],
  ];
}

export function findLeaks(run: ActionRun, secrets: readonly Secret[]): Leak[] {
  const leaks: Leak[] = [];
  for (const [where, text] of places(run)) {
    if (text.length === 0) continue;
    for (const secret of secrets) {
      if (fragments(secret.value).some((piece) => text.includes(piece)))
        leaks.push({ label: secret.label, where });
    }
  }
  return leaks;
}

/** The values a run registered with `::add-mask::`. */
export function maskedValues(run: ActionRun): Set<string> {
  return new Set(
    run.stdout
      .split('\n')
      .filter((line) => line.startsWith('::add-mask::'))
      .map((line) => line.slice('::add-mask::'.length).replace(/\r$/, '')),
  );
}

export interface LeakCheckOptions {
  /** Secrets the test itself gave the run (a custom signature, ...). */
  extra?: readonly Secret[];
  tap?: StsTap;
}

/** Fails the test, naming each secret and where it showed (never the value), when any secret leaked. */
export function expectNoLeaks(run: ActionRun, emulator: Emulator, options: LeakCheckOptions = {}): Secret[] {
  const secrets = dedupe([
    ...emulatorSecrets(emulator),
    ...(options.tap?.secrets() ?? []),
    ...(options.extra ?? []),
  ]);
  const leaks = findLeaks(run, secrets).map((l) => `${l.label} in ${l.where}`);
  expect(leaks, 'secrets in the step log, outputs or summary').toEqual([]);
  return secrets;
}

export interface StsTap {
  /** Point the run's STS endpoint here. */
  env: { AWS_ENDPOINT_URL_STS: string };
  /** The temporary credentials STS replied with so far. */
  secrets(): Secret[];
  close(): Promise<void>;
}

/** A loopback relay in front of the emulator's STS endpoint that reads the credentials in each reply. */
export async function tapSts(emulator: Emulator): Promise<StsTap> {
  // The emulator also serves STS at its root, so paths (and SigV4 signatures over them) pass through unchanged.
  const upstream = new URL(emulator.url);
  const found: Secret[] = [];
  const server = createServer((req, res) => {
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (reply: IncomingMessage) => {
        const chunks: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => chunks.push(chunk));
        reply.on('end', () => {
          const body = Buffer.concat(chunks);
          const xml = body.toString('utf8');
          for (const name of ['AccessKeyId', 'SecretAccessKey', 'SessionToken']) {
            const value = new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1];
            if (value) found.push({ label: `STS ${name}`, value });
          }
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          res.end(body);
        });
        reply.on('error', () => req.socket.destroy());
      },
    );
    // A reset or lost reply upstream reaches the client as a reset, as it would without the relay.
    forward.on('error', () => req.socket.resetAndDestroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: { AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}` },
    secrets: () => [...found],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

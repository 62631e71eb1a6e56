/**
 * Timed child processes. Always asynchronous: the emulator lives in this process, and a synchronous spawn would
 * block the event loop it answers on.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIME = '/usr/bin/time';

export interface TimedRun {
  exitCode: number;
  /** Date.now() just before the spawn, to compare with the emulator's request timestamps. */
  startedAt: number;
  /** Spawn to exit (or to the kill, when `stopWhen` fired). */
  elapsedMs: number;
  stdout: string;
  stderr: string;
  /** Peak resident set size in bytes, when asked for. */
  peakRssBytes?: number;
  /** True when `stopWhen` fired and the process was killed. */
  stopped: boolean;
}

export interface TimedOptions {
  env: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** Polled every 2 ms; when it returns true the process is killed (SIGKILL) and the run ends. */
  stopWhen?: () => boolean;
  /** Measure the peak RSS: with /usr/bin/time when present, else by polling /proc/<pid>/status VmHWM. */
  peakRss?: boolean;
}

/** Runs `command args` to its end (or `stopWhen`), timing it from spawn to exit. */
export function runTimed(command: string, args: readonly string[], options: TimedOptions): Promise<TimedRun> {
  const useTime = options.peakRss === true && existsSync(TIME);
  const rssFile = join(tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [file, argv] = useTime ? [TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, [...args]];
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let stopped = false;
    let polledHwmKb = 0;
    const startedAt = Date.now();
    const t0 = performance.now();
    const child = spawn(file, argv, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ran longer than ${options.timeoutMs} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    const poll = setInterval(() => {
      if (options.stopWhen?.() === true && !stopped) {
        stopped = true;
        child.kill('SIGKILL');
      }
      if (options.peakRss === true && !useTime && child.pid !== undefined)
        polledHwmKb = Math.max(polledHwmKb, vmHwmKb(child.pid));
    }, 2);
    child.on('error', (error) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const elapsedMs = performance.now() - t0;
      clearTimeout(timer);
      clearInterval(poll);
      let peakKb = polledHwmKb;
      if (useTime) {
        peakKb = lastNumber(existsSync(rssFile) ? readFileSync(rssFile, 'utf8') : '');
        rmSync(rssFile, { force: true });
      }
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        startedAt,
        elapsedMs,
        stdout,
        stderr,
        stopped,
        ...(options.peakRss === true ? { peakRssBytes: peakKb * 1024 } : {}),
      });
    });
  });
}

/** The last integer in the text (/usr/bin/time may print a "Command exited with non-zero status" line first). */
export function lastNumber(text: string): number {
  const numbers = text.match(/\d+/g);
  return numbers === null ? 0 : Number(numbers[numbers.length - 1]);
}

function vmHwmKb(pid: number): number {
  try {
    return lastNumber(/^VmHWM:.*$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[0] ?? '');
  } catch {
    return 0;
  }
}

/** stdout of a short command, asynchronously. */
export async function capture(command: string, args: readonly string[], env = process.env): Promise<string> {
  const run = await runTimed(command, args, { env: env as Record<string, string>, timeoutMs: 300_000 });
  if (run.exitCode !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout.trim();
}

/**
 * Local files named by inputs (`firmware`, `files[].path`, `signature-file`): only a regular, non-empty file inside
 * the workspace or the runner's temporary directory, after symlinks are resolved, so that no input can ship
 * /proc/self/environ, a secret elsewhere on the runner, a FIFO or a device. Synchronous and cheap (a realpath and a
 * stat each): this runs before anything else.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Problems } from './parse-values.js';
import { describeValue } from './values.js';

/** The directories a local file may be in: GITHUB_WORKSPACE and, when the runner sets it, RUNNER_TEMP. */
export interface FileRoots {
  workspace: string;
  runnerTemp: string | undefined;
}

/** A local file as checked: its real path (symlinks resolved; what is read later) and its size. */
export interface LocalFile {
  path: string;
  size: number;
}

export interface LocalFileRules {
  /** The most bytes the file may hold (e.g. a signature), with what it is, for the message. */
  maxBytes?: { bytes: number; what: string };
}

/** Linux's PATH_MAX: no longer path names a file. */
const PATH_MAX = 4096;
const CONTROL = /[\p{C}\u2028\u2029]/u;

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function allowedText(roots: FileRoots): string {
  const workspace = `the workspace (GITHUB_WORKSPACE ${JSON.stringify(roots.workspace)})`;
  return roots.runnerTemp === undefined
    ? workspace
    : `${workspace} or the runner's temporary directory (RUNNER_TEMP ${JSON.stringify(roots.runnerTemp)})`;
}

/**
 * The file `path` names, resolved against the workspace, or undefined when it is not one a run may read (the
 * problem then names `input`, and `subject` such as `[0].path` inside it).
 */
export function resolveLocalFile(
  input: string,
  subject: string,
  path: string,
  roots: FileRoots,
  problems: Problems,
  rules: LocalFileRules = {},
): LocalFile | undefined {
  const say = (text: string) => problems.push({ input, message: subject ? `${subject} ${text}` : text });
  if (path.length > PATH_MAX || CONTROL.test(path)) {
    say(
      `must be a file path of at most ${PATH_MAX} characters without control characters, got ${describeValue(path)}`,
    );
    return undefined;
  }
  const full = resolve(roots.workspace, path);
  const got = (real: string, extra = '') =>
    `got ${describeValue(path)} (resolved to ${JSON.stringify(real)}${extra})`;
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    say(`must name an existing file, ${got(full)}`);
    return undefined;
  }
  const inside = [roots.workspace, roots.runnerTemp]
    .filter((root): root is string => root !== undefined)
    .some((root) => isInside(real, realOrResolved(root)));
  if (!inside) {
    say(`must name a file inside ${allowedText(roots)}, ${got(real)}`);
    return undefined;
  }
  let stats;
  try {
    stats = statSync(real);
  } catch {
    say(`must name an existing file, ${got(real)}`);
    return undefined;
  }
  if (!stats.isFile()) {
    say(`must name a regular file (not a directory, FIFO, socket or device), ${got(real)}`);
    return undefined;
  }
  if (stats.size === 0) {
    say(`must not be empty, ${got(real, ', 0 bytes')}`);
    return undefined;
  }
  const max = rules.maxBytes;
  if (max !== undefined && stats.size > max.bytes) {
    say(`must be at most ${max.bytes} bytes (${max.what}), ${got(real, `, ${stats.size} bytes`)}`);
    return undefined;
  }
  return { path: real, size: stats.size };
}

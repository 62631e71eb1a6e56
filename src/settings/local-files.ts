/**
 * Local files named by inputs (`firmware`, `files[].path`, `signature-file`): resolved against the workspace and
 * checked before anything reads them.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Problems } from './parse-values.js';
import { describeValue } from './values.js';

/** A local file named by an input, resolved against the workspace; it must exist and be a regular file. */
export function resolveLocalFile(
  input: string,
  subject: string,
  path: string,
  workspace: string,
  problems: Problems,
): string | undefined {
  const full = resolve(workspace, path);
  const say = (text: string) => problems.push({ input, message: subject ? `${subject} ${text}` : text });
  let isFile: boolean;
  try {
    isFile = statSync(full).isFile();
  } catch {
    say(`must name an existing file, got ${describeValue(path)} (resolved to ${full})`);
    return undefined;
  }
  if (!isFile) {
    say(`must name a regular file, got ${describeValue(path)} (resolved to ${full})`);
    return undefined;
  }
  return full;
}

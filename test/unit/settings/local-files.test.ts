/**
 * Local files (`firmware`, `files[].path`, `signature-file`): only regular, non-empty files inside GITHUB_WORKSPACE or
 * RUNNER_TEMP once symlinks are resolved; everything else is refused with a message naming the input and what is
 * allowed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InputName } from '../../../src/runner/names.js';
import { parseIn, problemsIn } from '../fixtures.js';

/** root/ws (the workspace), root/tmp (RUNNER_TEMP), root/out (neither), root/ws-link (a symlink to the workspace). */
const root = realpathSync(mkdtempSync(join(tmpdir(), 'ota-local-files-')));
const ws = join(root, 'ws');
const temp = join(root, 'tmp');
beforeAll(() => {
  for (const dir of [ws, temp, join(root, 'out'), join(ws, 'dir'), join(ws, 'build')]) mkdirSync(dir);
  writeFileSync(join(ws, 'fw.bin'), 'firmware');
  writeFileSync(join(ws, 'sig.bin'), Buffer.from([1, 2, 3]));
  writeFileSync(join(ws, 'build', 'app.bin'), 'app');
  writeFileSync(join(ws, 'empty.bin'), '');
  writeFileSync(join(ws, 'big.sig'), Buffer.alloc(4097, 1));
  writeFileSync(join(temp, 'staged.bin'), 'staged firmware');
  writeFileSync(join(root, 'out', 'secret.bin'), 'not for devices');
  symlinkSync(join(root, 'out', 'secret.bin'), join(ws, 'link-out.bin'));
  symlinkSync('/dev/null', join(ws, 'link-null.bin'));
  symlinkSync(join(ws, 'build', 'app.bin'), join(ws, 'link-in.bin'));
  symlinkSync(ws, join(root, 'ws-link'));
  execFileSync('mkfifo', [join(ws, 'pipe.bin')]);
});

/** Messages with the test's directories written as <ws>, <tmp>, <root> and the process id as <pid>. */
function problems(input: InputName, path: string, runnerTemp: string | null = temp): string[] {
  const inputs = problemInputs(input, path);
  return problemsIn(ws, { inputs, env: { runnerTemp: runnerTemp ?? undefined } }).map((p) =>
    p
      .replaceAll(ws, '<ws>')
      .replaceAll(temp, '<tmp>')
      .replaceAll(root, '<root>')
      .replaceAll(`/proc/${process.pid}/`, '/proc/<pid>/'),
  );
}

function problemInputs(input: InputName, path: string): Partial<Record<InputName, string>> {
  if (input === 'files') {
    return {
      firmware: '',
      's3-bucket': '',
      files: JSON.stringify([{ path, fileLocation: { s3Location: { bucket: 'b', key: 'k' } } }]),
    };
  }
  return input === 'firmware' ? { firmware: path } : { 'signature-file': path };
}

const WHERE =
  'inside the workspace (GITHUB_WORKSPACE "<ws>") or the runner\'s temporary directory (RUNNER_TEMP "<tmp>")';
const REGULAR = 'must name a regular file (not a directory, FIFO, socket or device)';

/** [what, path, the message after `input: ` (and `[0].path ` for files)]. */
const refused: [string, string, string][] = [
  ['/etc/passwd', '/etc/passwd', `must name a file ${WHERE}, got "/etc/passwd" (resolved to "/etc/passwd")`],
  [
    '/proc/self/environ',
    '/proc/self/environ',
    `must name a file ${WHERE}, got "/proc/self/environ" (resolved to "/proc/<pid>/environ")`,
  ],
  [
    'a path up and out of the workspace',
    '../out/secret.bin',
    `must name a file ${WHERE}, got "../out/secret.bin" (resolved to "<root>/out/secret.bin")`,
  ],
  [
    'a path that does not exist',
    '../../x',
    `must name an existing file, got "../../x" (resolved to "${join(ws, '../../x')}")`,
  ],
  [
    'a symlink out of the workspace',
    'link-out.bin',
    `must name a file ${WHERE}, got "link-out.bin" (resolved to "<root>/out/secret.bin")`,
  ],
  [
    'a symlink to a device',
    'link-null.bin',
    `must name a file ${WHERE}, got "link-null.bin" (resolved to "/dev/null")`,
  ],
  ['a device', '/dev/zero', `must name a file ${WHERE}, got "/dev/zero" (resolved to "/dev/zero")`],
  ['a FIFO', 'pipe.bin', `${REGULAR}, got "pipe.bin" (resolved to "<ws>/pipe.bin")`],
  ['a directory', 'dir', `${REGULAR}, got "dir" (resolved to "<ws>/dir")`],
  ['the workspace itself', '.', `must name a file ${WHERE}, got "." (resolved to "<ws>")`],
  [
    'a 0-byte file',
    'empty.bin',
    'must not be empty, got "empty.bin" (resolved to "<ws>/empty.bin", 0 bytes)',
  ],
  [
    'a line break (a second log line)',
    'fw.bin\n::error::forged',
    'must be a file path of at most 4096 characters without control characters, got "fw.bin\\n::error::forged"',
  ],
  [
    'a path longer than PATH_MAX',
    'd/'.repeat(2100),
    `must be a file path of at most 4096 characters without control characters, got "${'d/'.repeat(20)}"… (4200 characters)`,
  ],
];

describe.each<[InputName, string]>([
  ['firmware', ''],
  ['files', '[0].path '],
  ['signature-file', ''],
])('%s refuses', (input, subject) => {
  it.each(refused)('%s', (_what, path, message) => {
    expect(problems(input, path)).toEqual([`${input}: ${subject}${message}`]);
  });

  it('a file in RUNNER_TEMP when the runner has no RUNNER_TEMP', () => {
    expect(problems(input, join(temp, 'staged.bin'), null)).toEqual([
      `${input}: ${subject}must name a file inside the workspace (GITHUB_WORKSPACE "<ws>"), got "<tmp>/staged.bin" (resolved to "<tmp>/staged.bin")`,
    ]);
  });
});

describe('signature-file', () => {
  it('refuses a file larger than a signature can be', () => {
    expect(problems('signature-file', 'big.sig')).toEqual([
      'signature-file: must be at most 4096 bytes (the most a signature may hold), got "big.sig" (resolved to "<ws>/big.sig", 4097 bytes)',
    ]);
  });
});

describe('local files that are allowed', () => {
  const localPath = (path: string, env: { workspace?: string; runnerTemp?: string } = {}) => {
    const file = parseIn(env.workspace ?? ws, {
      inputs: { firmware: path },
      env: { runnerTemp: temp, ...env },
    }).settings.files[0]?.source;
    return file?.kind === 's3' ? file.localPath : undefined;
  };
  it.each([
    ['a relative path in the workspace', 'build/app.bin', {}, 'build/app.bin'],
    ['an absolute path in the workspace', join(ws, 'fw.bin'), {}, 'fw.bin'],
    ['a symlink that stays in the workspace, read where it points', 'link-in.bin', {}, 'build/app.bin'],
    ['a file in RUNNER_TEMP', join(temp, 'staged.bin'), {}, '../tmp/staged.bin'],
    ['a workspace reached through a symlink', 'fw.bin', { workspace: join(root, 'ws-link') }, 'fw.bin'],
  ])('%s', (_what, path, env, expected) => {
    expect(localPath(path, env)).toBe(join(ws, expected));
  });
});

/**
 * scripts/move-major-tag.sh against a throwaway repository whose `origin` is a bare repository on disk.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '../../../scripts/move-major-tag.sh');
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

let dir: string;
let work: string;
let origin: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();
}

function commitAndTag(tag: string): string {
  git(work, 'commit', '--allow-empty', '-q', '-m', tag);
  git(work, 'tag', '-a', tag, '-m', tag);
  return git(work, 'rev-parse', 'HEAD');
}

function move(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('bash', [script, ...args], { cwd: work, env: gitEnv, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

const commitOf = (cwd: string, tag: string): string => git(cwd, 'rev-parse', `refs/tags/${tag}^{commit}`);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'move-major-tag-'));
  origin = join(dir, 'origin.git');
  work = join(dir, 'work');
  git(dir, 'init', '-q', '--bare', origin);
  git(dir, 'init', '-q', work);
  git(work, 'remote', 'add', 'origin', origin);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('scripts/move-major-tag.sh', () => {
  it('creates v1 at v1.0.0, then moves it to v1.1.0, locally and on origin', () => {
    const first = commitAndTag('v1.0.0');
    expect(move('v1.0.0')).toMatchObject({
      status: 0,
      stdout: expect.stringContaining(`v1 -> v1.0.0 (${first})`),
    });
    expect(commitOf(work, 'v1')).toBe(first);
    expect(commitOf(origin, 'v1')).toBe(first);

    const second = commitAndTag('v1.1.0');
    expect(move('v1.1.0').status).toBe(0);
    expect(commitOf(work, 'v1')).toBe(second);
    expect(commitOf(origin, 'v1')).toBe(second);
    expect(git(work, 'cat-file', '-t', 'refs/tags/v1')).toBe('tag');
  });

  it('moves v2 independently of v1', () => {
    const one = commitAndTag('v1.4.0');
    const two = commitAndTag('v2.0.0');
    expect(move('--no-push', 'v1.4.0').status).toBe(0);
    expect(move('--no-push', 'v2.0.0').status).toBe(0);
    expect([commitOf(work, 'v1'), commitOf(work, 'v2')]).toEqual([one, two]);
  });

  it('with --no-push leaves origin alone', () => {
    commitAndTag('v1.0.0');
    expect(move('--no-push', 'v1.0.0').status).toBe(0);
    expect(git(origin, 'tag', '--list')).toBe('');
  });

  it.each([
    ['1.2.3', "error: '1.2.3' is not a release tag of the form vMAJOR.MINOR.PATCH"],
    ['v1.2', "error: 'v1.2' is not a release tag of the form vMAJOR.MINOR.PATCH"],
    ['v1.2.3-rc.1', "error: 'v1.2.3-rc.1' is not a release tag of the form vMAJOR.MINOR.PATCH"],
    ['v01.2.3', "error: 'v01.2.3' is not a release tag of the form vMAJOR.MINOR.PATCH"],
    ['v9.9.9', 'error: tag v9.9.9 does not exist here'],
  ])('refuses %s', (tag, message) => {
    commitAndTag('v1.0.0');
    const run = move('--no-push', tag);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(git(work, 'tag', '--list', 'v1')).toBe('');
  });

  it('refuses to move v1 back to an older release without --force', () => {
    const old = commitAndTag('v1.0.0');
    const current = commitAndTag('v1.1.0');
    expect(move('--no-push', 'v1.1.0').status).toBe(0);

    const refused = move('--no-push', 'v1.0.0');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `error: v1.0.0 (${old}) does not descend from the commit v1 points at (${current})`,
    );
    expect(commitOf(work, 'v1')).toBe(current);

    expect(move('--no-push', '--force', 'v1.0.0').status).toBe(0);
    expect(commitOf(work, 'v1')).toBe(old);
  });

  it('refuses to skip a newer release of the same major', () => {
    commitAndTag('v1.0.0');
    commitAndTag('v1.0.1');
    const run = move('--no-push', 'v1.0.0');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'error: v1.0.1 is newer than v1.0.0; use --force to point v1 at an older release',
    );
  });

  it.each([[[]], [['--remote']], [['--bogus', 'v1.0.0']], [['v1.0.0', 'v1.0.1']]])(
    'prints usage for %j',
    (args) => {
      const run = move(...args);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(
        /^usage: .*move-major-tag\.sh \[--no-push\] \[--remote NAME\] \[--force\] vMAJOR\.MINOR\.PATCH$/,
      );
    },
  );
});

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../../src/stages/hash.js';

const dir = mkdtempSync(join(tmpdir(), 'hash-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('sha256File', () => {
  it.each([
    ['empty', Buffer.alloc(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', Buffer.from('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('%s', async (name, content, sha256) => {
    await expect(sha256File(file(name, content))).resolves.toEqual({ sha256, size: content.length });
  });

  it.each([
    ['larger than one read', 3 * 1024 * 1024 + 5],
    ['a whole number of reads', 2 * 1024 * 1024],
    ['one byte short of a read', 1024 * 1024 - 1],
  ])('reads a file %s', async (name, length) => {
    const content = Buffer.alloc(length);
    for (let i = 0; i < content.length; i++) content[i] = (i * 31) & 0xff;
    const expected = createHash('sha256').update(content).digest('hex');
    await expect(sha256File(file(`${name}.bin`, content))).resolves.toEqual({
      sha256: expected,
      size: content.length,
    });
  });

  it('rejects a missing file', async () => {
    await expect(sha256File(join(dir, 'missing.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

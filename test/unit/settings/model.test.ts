import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_SOURCE, SHAPES } from '../../../src/settings/model.generated.js';

const root = join(import.meta.dirname, '../../..');
const shapesJson = join(root, 'model/iot-ota-shapes.json');

function generate(input: string, output: string) {
  return spawnSync(process.execPath, [join(root, 'scripts/generate-model.mjs'), input, output], {
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('src/settings/model.generated.ts', () => {
  it('is what scripts/generate-model.mjs writes from model/iot-ota-shapes.json (run npm run generate:model)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ota-model-')), 'model.generated.ts');
    const run = generate(shapesJson, out);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      readFileSync(join(root, 'src/settings/model.generated.ts'), 'utf8'),
    );
  });

  it('holds the request shape and its constraints', () => {
    expect(MODEL_SOURCE.commit).toBe('56c8953e87aeead95ae5e66a3ca6a355731db6ad');
    expect(SHAPES.CreateOTAUpdateRequest.members.files).toEqual({ target: 'OTAUpdateFiles', required: true });
    expect(SHAPES.OTAUpdateId).toEqual({
      type: 'string',
      length: { min: 1, max: 128 },
      pattern: '^[a-zA-Z0-9_-]+$',
    });
    expect(SHAPES.Protocols).toEqual({ type: 'list', length: { min: 1, max: 2 }, member: 'Protocol' });
  });

  it('compiles every model pattern with the u flag', () => {
    const patterns = Object.values(SHAPES).flatMap((s) => ('pattern' in s ? [s.pattern] : []));
    expect(patterns.length).toBeGreaterThan(0);
    for (const p of patterns) expect(() => new RegExp(p, 'u')).not.toThrow();
  });

  it('fails generation on a constraint the validator does not support, instead of dropping it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ota-model-'));
    const input = join(dir, 'shapes.json');
    writeFileSync(
      input,
      JSON.stringify({
        shapes: {
          CreateOTAUpdateRequest: { type: 'structure', members: { a: { target: 'A' }, b: { target: 'B' } } },
          A: { type: 'string', length: { min: 1 } },
          B: { type: 'timestamp' },
        },
      }),
    );
    const run = generate(input, join(dir, 'out.ts'));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('generate-model: B: type timestamp is not supported by the validator');
  });
});

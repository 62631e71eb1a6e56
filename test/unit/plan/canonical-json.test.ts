import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/plan/canonical-json.js';
import { same } from '../../../src/plan/compare.js';

describe('canonicalJson', () => {
  it.each([
    [{ b: [{ y: 1, x: undefined, a: null }], a: 'é' }, '{"a":"é","b":[{"a":null,"y":1}]}'],
    [[undefined, 1], '[null,1]'],
    [{ sig: new Uint8Array([0, 1, 2]) }, '{"sig":"AAEC"}'],
    [{ sig: Buffer.from([0, 1, 2]) }, '{"sig":"AAEC"}'],
    [{ at: new Date('2026-01-02T03:04:05Z') }, '{"at":"2026-01-02T03:04:05.000Z"}'],
    [undefined, 'null'],
    ['a\nb', '"a\\nb"'],
  ])('%o → %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('makes key order and absent members irrelevant to equality, and bytes compare by content', () => {
    expect(same({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1, d: undefined })).toBe(true);
    expect(same({ s: new Uint8Array([1]) }, { s: Buffer.from([1]) })).toBe(true);
    expect(same({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
});

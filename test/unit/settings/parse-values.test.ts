import { describe, expect, it } from 'vitest';
import type { InputProblem } from '../../../src/errors.js';
import { parseBoolean, parseStringMap } from '../../../src/settings/parse-values.js';

describe('parseStringMap', () => {
  it('keeps every key=value key, __proto__ included, as an own member', () => {
    const problems: InputProblem[] = [];
    const map = parseStringMap('tags', '__proto__=owner\nteam=fw', problems, { max: 50, noun: 'tags' });
    expect(problems).toEqual([]);
    expect(Object.keys(map ?? {})).toEqual(['__proto__', 'team']);
    expect(JSON.stringify(map)).toBe('{"__proto__":"owner","team":"fw"}');
  });
});

describe('messages quote long values only in part', () => {
  it('shortens an oversized value to its first characters and its length', () => {
    const problems: InputProblem[] = [];
    parseBoolean('wait', 'x'.repeat(100_000), true, problems);
    expect(problems).toEqual([
      { input: 'wait', message: `must be true or false, got "${'x'.repeat(40)}"… (100000 characters)` },
    ]);
  });
});

/** Properties of the input parsers: what they accept round-trips exactly, what they refuse names the input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBase64,
  parseBoolean,
  parseInteger,
  parseStringMap,
  parseYaml,
  parseYamlObject,
  splitList,
  type Problems,
} from '../../../src/settings/parse-values.js';

const RUNS = { numRuns: 200 };
const INPUT = 'some-input';
const LIMIT = { max: 1000, noun: 'entries' };

/** Runs a parser with a fresh problem list. */
function withProblems<T>(parse: (problems: Problems) => T): { value: T; problems: Problems } {
  const problems: Problems = [];
  return { value: parse(problems), problems };
}

const BOOLEAN_WORDS = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'];

describe('parseBoolean', () => {
  it('accepts exactly the six YAML 1.2 spellings', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BOOLEAN_WORDS), fc.boolean(), (text, fallback) => {
        const { value, problems } = withProblems((p) => parseBoolean(INPUT, text, fallback, p));
        expect(problems).toEqual([]);
        expect(value).toBe(text.toLowerCase() === 'true');
      }),
      RUNS,
    );
  });

  it('refuses any other non-empty text with one problem naming the input, keeping the fallback', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, unit: 'grapheme' }).filter((s) => !BOOLEAN_WORDS.includes(s)),
        fc.boolean(),
        (text, fallback) => {
          const { value, problems } = withProblems((p) => parseBoolean(INPUT, text, fallback, p));
          expect(value).toBe(fallback);
          expect(problems).toEqual([
            { input: INPUT, message: `must be true or false, got ${JSON.stringify(text)}` },
          ]);
        },
      ),
      RUNS,
    );
  });

  it('gives the fallback for empty text', () => {
    fc.assert(
      fc.property(fc.boolean(), (fallback) => {
        expect(withProblems((p) => parseBoolean(INPUT, '', fallback, p))).toEqual({
          value: fallback,
          problems: [],
        });
      }),
    );
  });
});

const bounds = fc
  .tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }))
  .map(([min, span]) => ({ min, max: min + span }));

describe('parseInteger', () => {
  it('reads every integer in range, however it is signed or zero-padded', () => {
    fc.assert(
      fc.property(
        bounds.chain((b) => fc.tuple(fc.constant(b), fc.integer(b))),
        fc.nat({ max: 5 }),
        fc.boolean(),
        ([b, n], zeros, plus) => {
          const digits = '0'.repeat(zeros) + String(Math.abs(n));
          const text = n < 0 ? `-${digits}` : `${plus ? '+' : ''}${digits}`;
          const { value, problems } = withProblems((p) => parseInteger(INPUT, text, b.min - 1, b, p));
          expect(problems).toEqual([]);
          expect(value).toBe(n);
        },
      ),
      RUNS,
    );
  });

  it('refuses integers out of range', () => {
    fc.assert(
      fc.property(bounds, fc.integer({ min: 1, max: 1e9 }), fc.boolean(), (b, distance, below) => {
        const n = below ? b.min - distance : b.max + distance;
        const { value, problems } = withProblems((p) => parseInteger(INPUT, String(n), 7, b, p));
        expect(value).toBe(7);
        expect(problems).toEqual([
          {
            input: INPUT,
            message: `must be an integer ${b.min}..${b.max}, got ${JSON.stringify(String(n))}`,
          },
        ]);
      }),
      RUNS,
    );
  });

  it('refuses any text that is not a plain decimal integer (decimals, exponents, hex, words, spaces)', () => {
    const notInteger = fc.oneof(
      fc.string({ minLength: 1 }).filter((s) => !/^[+-]?\d+$/.test(s)),
      fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .map(String)
        .filter((s) => !/^[+-]?\d+$/.test(s)),
      fc.nat().map((n) => `0x${n.toString(16)}`),
      fc.nat().map((n) => ` ${n}`),
    );
    fc.assert(
      fc.property(notInteger, (text) => {
        const b = { min: -1e12, max: 1e12 };
        const { value, problems } = withProblems((p) => parseInteger(INPUT, text, 3, b, p));
        expect(value).toBe(3);
        expect(problems).toHaveLength(1);
        expect(problems[0]?.input).toBe(INPUT);
      }),
      RUNS,
    );
  });

  it('refuses integers beyond the safe range even when the bounds allow them', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n, max: 10n ** 30n }), (n) => {
        const b = { min: 0, max: Number.POSITIVE_INFINITY };
        const { value, problems } = withProblems((p) => parseInteger(INPUT, n.toString(), 1, b, p));
        expect(value).toBe(1);
        expect(problems).toHaveLength(1);
      }),
      RUNS,
    );
  });
});

/** List items as a user writes them: no separator inside, no surrounding blanks. */
const listItem = fc
  .string({ minLength: 1, maxLength: 20, unit: 'grapheme' })
  .map((s) => s.trim())
  .filter((s) => s !== '' && !/[\n,]/.test(s));
const separator = fc.constantFrom(',', '\n', ', ', ' ,\n', '\r\n', ',,', '\n\n  ');

describe('splitList', () => {
  it('gives back the items, in order, whatever separators and padding surround them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(listItem, separator), { maxLength: 10 }),
        fc.constantFrom('', ' ', '\n', ','),
        (pairs, edge) => {
          const text = edge + pairs.map(([item, sep]) => item + sep).join('') + edge;
          expect(splitList(text)).toEqual(pairs.map(([item]) => item.trim()));
        },
      ),
      RUNS,
    );
  });

  it('never yields an empty, padded or separator-holding item', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        for (const item of splitList(text)) {
          expect(item).not.toBe('');
          expect(item).toBe(item.trim());
          expect(item).not.toMatch(/[\n,]/);
        }
      }),
      RUNS,
    );
  });
});

/**
 * Keys as tags and attributes use them; values any single-line text (U+2028/U+2029 end a line for the key=value
 * reader). Left out: a key ending in ':' (it reads as YAML by design).
 */
const mapKey = fc
  .stringMatching(/^[A-Za-z0-9_.:/@+-]{1,24}$/)
  .filter((k) => !k.startsWith('-') && !k.endsWith(':'));
const lineValue = fc
  .string({ maxLength: 40, unit: 'grapheme' })
  .map((s) => s.trim())
  .filter((s) => !/[\r\n\u2028\u2029]/.test(s));
const stringMap = fc.dictionary(mapKey, lineValue, { minKeys: 1, maxKeys: 8 });

describe('parseStringMap', () => {
  it('reads key=value lines (with blank lines, comments and padding) exactly', () => {
    fc.assert(
      fc.property(stringMap, fc.constantFrom('', '  ', '\t'), fc.boolean(), (map, pad, comment) => {
        const lines = Object.entries(map).map(([k, v]) => `${pad}${k}${pad}=${pad}${v}${pad}`);
        const text = [comment ? '# written by hand' : '', ...lines, ''].join('\n');
        const { value, problems } = withProblems((p) => parseStringMap(INPUT, text, p, LIMIT));
        expect(problems).toEqual([]);
        expect(value).toEqual(map);
      }),
      RUNS,
    );
  });

  it('reads the same map written as JSON, every value kept a string', () => {
    const jsonValue = fc.string({ maxLength: 40, unit: 'grapheme' });
    fc.assert(
      fc.property(
        fc.dictionary(mapKey, jsonValue, { minKeys: 1, maxKeys: 8 }),
        fc.boolean(),
        (map, pretty) => {
          const text = pretty ? JSON.stringify(map, null, 2) : JSON.stringify(map);
          const { value, problems } = withProblems((p) => parseStringMap(INPUT, text, p, LIMIT));
          expect(problems).toEqual([]);
          expect(value).toEqual(map);
        },
      ),
      RUNS,
    );
  });

  it('refuses a key given twice in key=value lines, naming both lines', () => {
    fc.assert(
      fc.property(stringMap, lineValue, (map, again) => {
        const entries = Object.entries(map);
        const [key] = entries[0] ?? ['k'];
        const text = [...entries.map(([k, v]) => `${k}=${v}`), `${key}=${again}`].join('\n');
        const { value, problems } = withProblems((p) => parseStringMap(INPUT, text, p, LIMIT));
        expect(value).toBeUndefined();
        expect(problems).toEqual([
          { input: INPUT, message: `key "${key}" appears twice (lines 1 and ${entries.length + 1})` },
        ]);
      }),
      RUNS,
    );
  });
});

describe('parseYaml and parseYamlObject', () => {
  it('read any JSON document back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (json) => {
        const text = JSON.stringify(json);
        const { value, problems } = withProblems((p) => parseYaml(INPUT, text, p));
        expect(problems).toEqual([]);
        expect(value).toEqual(JSON.parse(text));
      }),
      RUNS,
    );
  });

  it('either return a plain mapping or report exactly why not, never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: 'grapheme' }), (text) => {
        const { value, problems } = withProblems((p) => parseYamlObject(INPUT, text, p));
        if (value === undefined) {
          expect(problems).toHaveLength(1);
          expect(problems[0]?.input).toBe(INPUT);
        } else {
          expect(problems).toEqual([]);
          expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('decodeBase64', () => {
  it('decodes what base64 encodes, with line breaks and spaces anywhere between the characters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat({ max: 76 }), (bytes, wrap) => {
        const encoded = Buffer.from(bytes).toString('base64');
        const text = wrap < 4 ? encoded : (encoded.match(new RegExp(`.{1,${wrap}}`, 'g')) ?? []).join('\n ');
        expect(decodeBase64(text)).toEqual(new Uint8Array(bytes));
      }),
      RUNS,
    );
  });

  it('refuses text with a character outside the standard alphabet, or without its padding', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 60 }),
        fc.constantFrom('-', '_', '*', '.', 'é', '!'),
        fc.nat(),
        (bytes, bad, at) => {
          const encoded = Buffer.from(bytes).toString('base64');
          const i = at % encoded.length;
          expect(decodeBase64(encoded.slice(0, i) + bad + encoded.slice(i + 1))).toBeUndefined();
          if (encoded.endsWith('=')) expect(decodeBase64(encoded.replace(/=+$/, ''))).toBeUndefined();
        },
      ),
      RUNS,
    );
  });
});

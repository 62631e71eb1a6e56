/**
 * Properties of whole inputs as parseSettings reads them: targets (ARN and shorthand, any separators, duplicates),
 * tags and file attributes (key=value lines or YAML/JSON), and the integer, boolean, wait and percentage inputs at
 * their bounds.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.js';
import type { InputName } from '../../../src/runner/names.js';
import {
  expandTargets,
  parseTargetArn,
  TARGET_ARN_PATTERN,
  targetRefText,
} from '../../../src/settings/targets.js';
import { isBuiltinName } from '../../../src/settings/values.js';
import type { CallerIdentity, TargetRef } from '../../../src/types.js';
import { makeWorkspace, parseIn } from '../fixtures.js';

const RUNS = { numRuns: 120 };

let ws: string;
beforeAll(() => {
  ws = makeWorkspace();
});

/** The problems a set of inputs is refused with, or the settings. */
function parse(inputs: Partial<Record<InputName, string>>) {
  try {
    return { settings: parseIn(ws, { inputs }).settings, problems: [] };
  } catch (error) {
    if (error instanceof InvalidInputError) return { settings: undefined, problems: [...error.problems] };
    throw error;
  }
}

const thingName = fc.stringMatching(/^[a-zA-Z0-9:_-]{1,128}$/);
const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'cn-north-1', 'us-gov-west-1');
const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov');
const account = fc.stringMatching(/^\d{12}$/);
const kind = fc.constantFrom('thing' as const, 'thinggroup' as const);
const targetIn = (regions: fc.Arbitrary<string>): fc.Arbitrary<TargetRef> =>
  fc.oneof(
    fc.tuple(kind, thingName).map(([k, name]) => ({ kind: k, name })),
    fc
      .tuple(partition, regions, account, kind, thingName)
      .map(([p, r, a, k, n]) => ({ kind: 'arn' as const, arn: `arn:${p}:iot:${r}:${a}:${k}/${n}` })),
  );
const target = targetIn(region);
const separator = fc.constantFrom(',', '\n', ' , ', ',\n', '\n\n', ' ,, ');

describe('targets', () => {
  it('reads any list of valid targets, in order, once each, whatever the separators', () => {
    fc.assert(
      fc.property(
        // ARNs in the region of the update: one in another region is refused (the partition and account are only
        // known, and checked, once credentials resolve).
        fc.array(fc.tuple(targetIn(fc.constant('us-east-1')), separator), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        (items, dup) => {
          const written = items.map(([t]) => targetRefText(t));
          const again = written[dup % written.length] ?? '';
          const text = `${items.map(([, sep], i) => `${written[i]}${sep}`).join('')}${again}`;
          const { settings, problems } = parse({ targets: text, 'aws-region': 'us-east-1' });
          expect(problems).toEqual([]);
          expect(settings?.targets.map(targetRefText)).toEqual([...new Set(written)]);
        },
      ),
      RUNS,
    );
  });

  it('refuses a name outside [a-zA-Z0-9:_-] or longer than 128, naming the targets input', () => {
    const badName = fc.oneof(
      fc.stringMatching(/^[a-zA-Z0-9:_-]{129,140}$/),
      fc
        .tuple(thingName, fc.constantFrom(' ', '/', '.', '*', 'é', '$', ';', '\t'), thingName)
        .map(([a, c, b]) => `${a}${c}${b}`),
    );
    fc.assert(
      fc.property(kind, badName, (k, n) => {
        const { problems } = parse({ targets: `${k}/${n}` });
        expect(problems.map((p) => p.input)).toEqual(['targets']);
      }),
      RUNS,
    );
  });

  it('expands shorthand to ARNs that parse back to the same partition, region, account, kind and name', () => {
    fc.assert(
      fc.property(
        fc.array(target, { minLength: 1, maxLength: 5 }),
        partition,
        account,
        region,
        (refs, p, a, r) => {
          const identity: CallerIdentity = {
            partition: p,
            accountId: a,
            arn: `arn:${p}:sts::${a}:assumed-role/x/y`,
          };
          const arns = expandTargets(refs, identity, r);
          arns.forEach((arn, i) => {
            const ref = refs[i];
            expect(arn).toMatch(TARGET_ARN_PATTERN);
            if (ref?.kind === 'arn') expect(arn).toBe(ref.arn);
            else expect(parseTargetArn(arn)).toEqual({ partition: p, region: r, accountId: a, ...ref });
          });
        },
      ),
      RUNS,
    );
  });
});

const tagKey = fc
  .stringMatching(/^[A-Za-z0-9_.:/=+@-]{1,128}$/)
  .filter((k) => !/^aws:/i.test(k) && !k.startsWith('ota-action:') && !isBuiltinName(k));
const tagValue = fc.stringMatching(/^[A-Za-z0-9_.:/=+@ -]{0,256}$/).map((v) => v.trim());

describe('tags', () => {
  it('reads up to 50 tags written as JSON, in order', () => {
    fc.assert(
      fc.property(fc.dictionary(tagKey, tagValue, { minKeys: 1, maxKeys: 50 }), (map) => {
        const { settings, problems } = parse({ tags: JSON.stringify(map) });
        expect(problems).toEqual([]);
        expect(settings?.tags).toEqual(Object.entries(map).map(([Key, Value]) => ({ Key, Value })));
      }),
      { numRuns: 60 },
    );
  });

  it("refuses more than 47 tags (50 less the action's own), and any key starting with aws:", () => {
    fc.assert(
      fc.property(
        fc.dictionary(tagKey, tagValue, { minKeys: 48, maxKeys: 60 }),
        fc.constantFrom('aws:', 'AWS:', 'Aws:'),
        (map, prefix) => {
          expect(parse({ tags: JSON.stringify(map) }).problems).toEqual([
            {
              input: 'tags',
              message: `must have at most 47 tags (IoT allows 50, the action adds 3 of its own), got ${Object.keys(map).length}`,
            },
          ]);
          const reserved = parse({ tags: `${prefix}owner=me` }).problems;
          expect(reserved).toEqual([
            { input: 'tags', message: `key "${prefix}owner" must not start with "aws:" (reserved by AWS)` },
          ]);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('file-attributes', () => {
  const attributeKey = fc
    .stringMatching(/^[A-Za-z0-9_.-]{1,32}$/)
    .filter((k) => !k.startsWith('-') && !isBuiltinName(k));
  const attributeValue = fc.stringMatching(/^[A-Za-z0-9_.:/=+@ -]{0,40}$/).map((v) => v.trim());
  it('reads key=value lines and YAML the same way, every value a string as written', () => {
    fc.assert(
      fc.property(fc.dictionary(attributeKey, attributeValue, { minKeys: 1, maxKeys: 10 }), (map) => {
        const lines = Object.entries(map)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n');
        const yaml = Object.entries(map)
          .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
          .join('\n');
        for (const text of [lines, yaml]) {
          const { settings, problems } = parse({ 'file-attributes': text });
          expect(problems).toEqual([]);
          expect(settings?.files[0]?.attributes).toEqual(map);
        }
      }),
      RUNS,
    );
  });
});

describe('integer and boolean inputs at their bounds', () => {
  const ranges: [InputName, number, number][] = [
    ['role-duration-seconds', 900, 43200],
    ['wait-timeout-seconds', 1, 21600],
    ['rollout-timeout-minutes', 1, 4320],
    ['file-type', 0, 255],
  ];
  it.each(ranges)('%s accepts exactly %i..%i', (input, min, max) => {
    fc.assert(
      fc.property(fc.integer({ min: min - 1000, max: max + 1000 }), (n) => {
        const { problems } = parse({ [input]: String(n) });
        expect(problems.map((p) => p.input)).toEqual(n >= min && n <= max ? [] : [input]);
      }),
      RUNS,
    );
  });

  it.each<InputName>(['dry-run', 'cancel-on-failure'])('%s accepts only the YAML 1.2 booleans', (input) => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 8 })
          .map((s) => s.trim())
          .filter(Boolean),
        (text) => {
          const { problems } = parse({ [input]: text });
          const ok = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'].includes(text);
          expect(problems.map((p) => p.input)).toEqual(ok ? [] : [input]);
        },
      ),
      RUNS,
    );
  });

  it('wait accepts the YAML 1.2 booleans, created and rollout, and nothing else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom('true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'created', 'rollout'),
          fc
            .string({ minLength: 1, maxLength: 8 })
            .map((s) => s.trim())
            .filter(Boolean),
        ),
        (text) => {
          const { settings, problems } = parse({ wait: text });
          const mode = ['true', 'True', 'TRUE', 'created'].includes(text)
            ? 'created'
            : ['false', 'False', 'FALSE'].includes(text)
              ? 'none'
              : text === 'rollout'
                ? 'rollout'
                : undefined;
          expect(problems.map((p) => p.input)).toEqual(mode ? [] : ['wait']);
          expect(settings?.behaviour.wait).toBe(mode);
        },
      ),
      RUNS,
    );
  });

  it('rollout-success-percentage accepts exactly the decimals in (0, 100]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 110, noNaN: true }),
        fc.integer({ min: 0, max: 6 }),
        (n, digits) => {
          const text = n.toFixed(digits);
          const { settings, problems } = parse({ wait: 'rollout', 'rollout-success-percentage': text });
          const value = Number(text);
          const ok = value > 0 && value <= 100;
          expect(problems.map((p) => p.input)).toEqual(ok ? [] : ['rollout-success-percentage']);
          if (ok) expect(settings?.behaviour.rollout?.successPercentage).toBe(value);
        },
      ),
      RUNS,
    );
  });
});

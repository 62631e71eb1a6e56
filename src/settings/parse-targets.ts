/**
 * The `targets` input: thing and thing-group ARNs, `thing/NAME` and `thinggroup/NAME`, newline- or comma-separated,
 * each checked and listed once.
 */
import { INPUTS } from '../runner/names.js';
import type { TargetRef } from '../types.js';
import { type Problems, splitList } from './parse-values.js';
import { parseTargetArn, targetRefText, TARGETS_MAX, THING_NAME_PATTERN } from './targets.js';
import { describeValue } from './values.js';

function parseTargetRef(text: string): TargetRef | string {
  const usage = 'use a thing or thing-group ARN, thing/NAME or thinggroup/NAME';
  if (text.startsWith('arn:')) {
    const parts = parseTargetArn(text);
    return parts
      ? { kind: 'arn', arn: text }
      : `${describeValue(text)} is not a thing or thing-group ARN: ${usage}`;
  }
  const m = /^(thing|thinggroup)\/(.*)$/.exec(text);
  if (!m) return `${describeValue(text)} is not a target: ${usage}`;
  const name = m[2] ?? '';
  if (!THING_NAME_PATTERN.test(name)) {
    return `${describeValue(text)} has an invalid name: names are 1..128 of letters, digits, ':', '_' and '-'`;
  }
  return m[1] === 'thing' ? { kind: 'thing', name } : { kind: 'thinggroup', name };
}

export function parseTargets(
  text: string,
  region: string,
  problems: Problems,
  warnings: string[],
): TargetRef[] {
  const input = INPUTS.targets;
  const items = splitList(text);
  if (items.length === 0) {
    problems.push({
      input,
      message:
        'is required: thing or thing-group ARNs, thing/NAME or thinggroup/NAME, newline- or comma-separated',
    });
    return [];
  }
  if (items.length > TARGETS_MAX) {
    problems.push({
      input,
      message: `must name at most ${TARGETS_MAX} targets (the most an IoT job takes; use thing groups for more things), got ${items.length}`,
    });
    return [];
  }
  const targets: TargetRef[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const ref = parseTargetRef(item);
    if (typeof ref === 'string') {
      problems.push({ input, message: ref });
      continue;
    }
    const written = targetRefText(ref);
    if (seen.has(written)) {
      warnings.push(`targets: ${describeValue(written)} is listed more than once; it is used once`);
      continue;
    }
    seen.add(written);
    targets.push(ref);
    const arnRegion = ref.kind === 'arn' ? parseTargetArn(ref.arn)?.region : undefined;
    if (arnRegion && region && arnRegion !== region) {
      problems.push({
        input,
        message: `${describeValue(written)} is in ${arnRegion}, but the update is created in ${region} (aws-region): a job targets things and thing groups of its own region only`,
      });
    }
  }
  return targets;
}

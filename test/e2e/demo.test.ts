/** `npm run demo` does what it shows: its scenario, played against the bundle, passes every one of its checks. */
import { expect, inject, it } from 'vitest';
import { playDemo } from '../../scripts/demo-scenario.js';

it('plays the demo: v2.4.0 green, its re-run reused, v2.5.0 red on the canaries', async () => {
  const { played } = await playDemo(inject('node24'));
  expect(played.map((p) => p.run.exitCode)).toEqual([0, 0, 1]);
  const failed = played.flatMap((p) =>
    p.checks.filter((c) => !c.ok).map((c) => `${p.step.title}: ${c.what}: ${c.found}`),
  );
  expect(failed).toEqual([]);
});

/**
 * One run of the action, stage by stage: parse the inputs, open AWS, resolve the facts, plan, apply, wait, report.
 * Each stage lives in its own module; this file says only their order and what each one hands to the next.
 */
import { planRelease } from './plan/plan.js';
import { openAws, type AwsSession } from './runner/aws-session.js';
import { runnerDependencies, type RunDependencies } from './runner/dependencies.js';
import { parseRun } from './runner/parse.js';
import { RunRecord } from './runner/record.js';
import { safeCore } from './runner/safe-core.js';
import { describePlan, reportFailure, reportSuccess } from './runner/report.js';

export async function run(world: RunDependencies = runnerDependencies()): Promise<void> {
  // Every line logged is made safe here: user input and AWS text never become workflow commands.
  const deps = { ...world, core: safeCore(world.core) };
  const record = new RunRecord(deps.clock.now());
  let aws: AwsSession | undefined;
  try {
    // Parse: every input problem at once, before any AWS call.
    const parsed = parseRun(deps, record);
    const { settings } = parsed;

    // Open AWS: load the SDK, assume the role (or identify the ambient credentials).
    aws = await openAws(parsed, deps, record);
    const { stages, ctx } = aws;

    // Resolve: read-only facts (the firmware's content, the update id, what IoT holds under it).
    const facts = await stages.resolve(settings, ctx);
    record.resolved(facts);

    // Plan: a pure value (the request, the uploads, what to do about the id). A dry run stops here.
    const plan = planRelease(settings, facts);
    record.planned(plan, settings.behaviour.dryRun);
    deps.core.info(describePlan(plan, settings.behaviour.dryRun));
    plan.warnings.forEach((warning) => deps.core.warning(warning));

    if (!settings.behaviour.dryRun) {
      // Apply: the only stage that changes anything in AWS.
      const applied = await stages.apply(settings, plan, ctx);
      record.applied(applied);

      // Wait: until the update, and with it its IoT job, really exists.
      record.updateKnown(await stages.follow(settings, applied, ctx));
    }
    await reportSuccess(deps.core, record, deps.clock.now());
  } catch (error) {
    await reportFailure(deps.core, error, record, deps.clock.now());
    deps.fail();
  } finally {
    aws?.close();
  }
}

/**
 * The action's entry point (dist/index.js once bundled): settle which proxy variables count, then run the step.
 */
import { run } from './main.js';
import { runnerDependencies } from './runner/dependencies.js';
import { preferUpperCaseProxyVariables } from './runner/inputs.js';

preferUpperCaseProxyVariables(process.env);
const deps = runnerDependencies();
await run(deps);
// A canceled step ends now: an SDK retry delay or a kept-alive socket must not hold the process until SIGKILL.
if (deps.signal.aborted) process.exit();

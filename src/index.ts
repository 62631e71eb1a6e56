import { run } from './main.js';
import { runnerDependencies } from './runner/dependencies.js';

const deps = runnerDependencies();
await run(deps);
// A canceled step ends now: an SDK retry delay or a kept-alive socket must not hold the process until SIGKILL.
if (deps.signal.aborted) process.exit();

/**
 * The action's entry point (dist/index.js once bundled): settle which proxy variables count, then run the step.
 */
import { run } from './main.js';
import { preferUpperCaseProxyVariables } from './runner/inputs.js';

preferUpperCaseProxyVariables(process.env);
await run();

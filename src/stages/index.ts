/**
 * Every stage that loads the AWS SDK, in one module the runner imports only once the inputs are valid: a run that
 * stops at a bad input never pays for the SDK, and one over OIDC asks for its token while the SDK loads.
 */
/** @public main.ts calls it through the session's `stages`, which knip cannot follow. */
export { apply } from './apply.js';
export { connect } from './connect.js';
/** @public */
export { follow } from './follow.js';
/** @public */
export { resolve } from './resolve.js';

/**
 * Every stage that loads the AWS SDK, in one module the runner imports only once the inputs are valid: a run that
 * stops at a bad input never pays for the SDK, and one over OIDC asks for its token while the SDK loads.
 */
export { apply } from './apply.js';
export { connect } from './connect.js';
export { follow } from './follow.js';
export { resolve } from './resolve.js';

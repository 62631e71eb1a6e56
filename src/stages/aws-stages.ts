/**
 * Everything of a run that loads the AWS SDK, in one module that main.ts imports only once the inputs are valid:
 * a run that stops at a bad input never pays for the SDK, and one over OIDC asks for its token while the SDK loads.
 */
export { createClients, DEFAULT_CONNECTION_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from '../aws/clients.js';
export { resolveCredentials } from '../aws/credentials.js';
export { deleteOtaUpdate, getOtaUpdate } from '../aws/iot.js';
export { createOrAdopt } from './create.js';
export { adoptExistingCopies, fingerprintFiles, uploadPending } from './files.js';

/** The clients' default timeouts, apart from the clients themselves so that code which runs before the SDK loads can read them. */

/** Longest wait for one IoT or STS request, and for silence on any socket. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Longest wait for a TCP (or proxy tunnel) connection. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;

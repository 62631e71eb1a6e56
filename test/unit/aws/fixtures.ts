/** Error objects shaped like the ones the SDK throws (fields observed on the real SDK, see api-notes §5 and §7). */

export function awsError(
  name: string,
  status: number,
  message = `${name} message`,
  extra: Record<string, unknown> = {},
): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-1', attempts: 1, totalRetryDelay: 0 },
    ...extra,
  });
}

/** An STS (awsQuery) error: the SDK's class name plus the wire code in Code / Error.Code. */
export function stsError(sdkName: string, wireCode: string, status: number, message: string): Error {
  return awsError(sdkName, status, message, {
    Type: 'Sender',
    Code: wireCode,
    Error: { Type: 'Sender', Code: wireCode, Message: message },
  });
}

/** A socket failure as the SDK rethrows it: no HTTP status, the Node code kept. */
export function socketError(code: string, message = `connect ${code} 127.0.0.1:1`): Error {
  return Object.assign(new Error(message), { code, $metadata: { attempts: 1, totalRetryDelay: 0 } });
}

export function timeoutError(): Error {
  return Object.assign(
    new Error(
      '@smithy/node-http-handler - [ERROR] a request has exceeded the configured 500 ms requestTimeout.',
    ),
    { name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: { attempts: 1, totalRetryDelay: 0 } },
  );
}

/** IoT's restJson1 replies: a JSON success body, and errors named in x-amzn-ErrorType (with IoT's trailing ':'). */
import type { Reply } from './exchange.js';
import type { WireError } from './faults.js';

/** The page size of IoT's list operations when the request gives no maxResults. */
export const DEFAULT_PAGE_SIZE = 50;

export interface IotError extends WireError {
  /** Modeled members besides `message`, e.g. resourceId and resourceArn. */
  extra?: Record<string, string>;
}

/** IoT's error wire format: the name in x-amzn-ErrorType (with IoT's trailing ':'), `{message}` in the body. */
export function iotErrorReply(error: IotError): Reply {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': `${error.code}:` },
    body: JSON.stringify({ message: error.message, ...error.extra }),
    errorCode: error.code,
  };
}

export function jsonReply(body: object): Reply {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** What an injected fault looks like on the wire, per service. */
import type { Fault, Service } from './types.js';

export interface WireError {
  status: number;
  code: string;
  message: string;
}

type NamedFault = Exclude<Fault, 'reset' | object>;

const NAMED: Record<Service, Partial<Record<NamedFault, WireError>>> = {
  iot: {
    throttle: { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' },
    limit: {
      status: 410,
      code: 'LimitExceededException',
      message: 'The limit of OTA updates has been exceeded.',
    },
    '500': { status: 500, code: 'InternalFailureException', message: 'An internal failure occurred.' },
    '503': { status: 503, code: 'ServiceUnavailableException', message: 'Service is unavailable.' },
  },
  sts: {
    throttle: { status: 400, code: 'Throttling', message: 'Rate exceeded' },
    '500': { status: 500, code: 'InternalFailure', message: 'The request processing has failed.' },
    '503': { status: 503, code: 'ServiceUnavailable', message: 'Service is unavailable.' },
  },
  s3: {
    throttle: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
    '500': {
      status: 500,
      code: 'InternalError',
      message: 'We encountered an internal error. Please try again.',
    },
    '503': { status: 503, code: 'ServiceUnavailable', message: 'Service is unable to handle request.' },
  },
  oidc: {
    throttle: { status: 429, code: 'TooManyRequests', message: 'Too many requests' },
    '500': { status: 500, code: 'InternalServerError', message: 'Internal server error' },
    '503': { status: 503, code: 'ServiceUnavailable', message: 'Service Unavailable' },
    oidc503: { status: 503, code: 'ServiceUnavailable', message: 'Service Unavailable' },
  },
};

/** The error a fault produces on `service`; throws for a fault the service has no equivalent of. */
export function faultError(service: Service, fault: Exclude<Fault, 'reset'>): WireError {
  if (typeof fault === 'object') {
    return { status: fault.status, code: fault.code, message: fault.message ?? `Injected ${fault.code}` };
  }
  const error = NAMED[service][fault];
  if (!error) throw new Error(`emulator: fault '${fault}' has no meaning for ${service} operations`);
  return error;
}

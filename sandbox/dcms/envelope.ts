import type { FastifyReply } from 'fastify';
import { stringifyDcmsJson } from '../../shared/dcms/json-codec.js';

/** The exception object exactly as DCMS endpoint samples show it (docs/reference/dcms.md §1.2). */
export interface DcmsException {
  errorCode: string;
  shortMessage: string;
  detailMessage: string;
  httpStatus: string;
  fieldError: string[];
  languageCode: 'en';
}

/** Every DCMS body has these three keys, whatever the outcome (docs/reference/dcms.md §1.2). */
export interface DcmsEnvelope {
  result: unknown;
  exception: DcmsException | null;
  pagination: null;
}

/** What a route computes; the pipeline decides whether it is actually sent (commit-then-fail faults). */
export interface DcmsResponse {
  statusCode: number;
  body: DcmsEnvelope;
  headers?: Record<string, string>;
  /**
   * How `accountNo` travels: a JSON number (default; `/registerCard`, `/viewCustomer`), or a JSON
   * string, as the kit reads document it (docs/reference/dcms.md §3.4a, §3.4b).
   */
  accountNoAs?: 'number' | 'string';
}

/** Spring's HttpStatus enum names, which DCMS leaks into `exception.httpStatus`. */
const HTTP_STATUS_NAMES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

export const httpStatusName = (statusCode: number): string => HTTP_STATUS_NAMES[statusCode] ?? 'INTERNAL_SERVER_ERROR';

export interface ExceptionSpec {
  errorCode: string;
  shortMessage: string;
  detailMessage?: string;
  fieldError?: string[];
}

export function exception(statusCode: number, spec: ExceptionSpec): DcmsException {
  return {
    errorCode: spec.errorCode,
    shortMessage: spec.shortMessage,
    detailMessage: spec.detailMessage ?? spec.shortMessage,
    httpStatus: httpStatusName(statusCode),
    fieldError: spec.fieldError ?? [],
    languageCode: 'en',
  };
}

export const ok = (result: unknown, accountNoAs: DcmsResponse['accountNoAs'] = 'number'): DcmsResponse => ({
  statusCode: 200,
  body: { result, exception: null, pagination: null },
  accountNoAs,
});

export function fail(statusCode: number, spec: ExceptionSpec, headers?: Record<string, string>): DcmsResponse {
  const body: DcmsEnvelope = { result: null, exception: exception(statusCode, spec), pagination: null };
  return headers === undefined ? { statusCode, body } : { statusCode, body, headers };
}

/** Writes through the exact codec so 17-digit `accountNo` values leave as exact JSON numbers (unless they travel as strings). */
export function sendDcms(reply: FastifyReply, response: DcmsResponse): FastifyReply {
  if (response.headers !== undefined) reply.headers(response.headers);
  const text = response.accountNoAs === 'string' ? JSON.stringify(response.body) : stringifyDcmsJson(response.body);
  return reply.code(response.statusCode).type('application/json; charset=utf-8').send(text);
}

import { fail, type DcmsResponse } from './envelope.js';

/** The DCMS business errors the sandbox answers with, worded as the seed and reference show them. */

export const customerNotFound = (): DcmsResponse =>
  fail(400, {
    errorCode: 'CUS001',
    shortMessage: 'Customer not found',
    detailMessage: 'No customer found for the given entity ID',
    fieldError: ['Invalid entityId'],
  });

export const invalidInput = (fieldError: string[]): DcmsResponse =>
  fail(400, {
    errorCode: 'invalid.input.request',
    shortMessage: 'Invalid input request',
    detailMessage: fieldError.join('; ') || 'Invalid input request',
    fieldError,
  });

export const entityAlreadyExists = (entityId: string): DcmsResponse =>
  fail(400, {
    errorCode: 'entity.already.exists',
    shortMessage: 'Entity already exists',
    detailMessage: `A customer with entity ID ${entityId} already exists`,
    fieldError: ['Invalid entityId'],
  });

export const invalidKitInfo = (kitNo: string): DcmsResponse =>
  fail(400, {
    errorCode: 'invalid.kit.info',
    shortMessage: 'Invalid kit info',
    detailMessage: `Kit ${kitNo} is already assigned`,
    fieldError: ['Invalid kitNo'],
  });

export const tenantHeaderMissing = (): DcmsResponse =>
  fail(400, {
    errorCode: 'tenant.header.missing',
    shortMessage: 'Tenant header missing',
    detailMessage: 'The tenant header is required on every call',
    fieldError: ['tenant: is required'],
  });

export const unauthorized = (detailMessage: string): DcmsResponse => fail(401, { errorCode: 'unauthorized', shortMessage: 'Unauthorized', detailMessage }, { 'www-authenticate': 'Bearer' });

export const rateLimited = (retryAfterSeconds: number): DcmsResponse =>
  fail(
    429,
    {
      errorCode: 'rate.limit.exceeded',
      shortMessage: 'Rate limit exceeded',
      detailMessage: `Too many requests for this tenant; retry after ${retryAfterSeconds} s`,
    },
    { 'retry-after': String(retryAfterSeconds) },
  );

export const internalError = (detailMessage = 'Internal server error'): DcmsResponse => fail(500, { errorCode: 'internal.server.error', shortMessage: 'Internal server error', detailMessage });

const SERVER_ERRORS: Record<number, { errorCode: string; shortMessage: string }> = {
  502: { errorCode: 'bad.gateway', shortMessage: 'Bad gateway' },
  503: { errorCode: 'service.unavailable', shortMessage: 'Service unavailable' },
  504: { errorCode: 'gateway.timeout', shortMessage: 'Gateway timeout' },
};

/** A 5xx of the given status (an injected fault, an outage drill). */
export const serverError = (statusCode: number, detailMessage: string): DcmsResponse =>
  fail(statusCode, { ...(SERVER_ERRORS[statusCode] ?? { errorCode: 'internal.server.error', shortMessage: 'Internal server error' }), detailMessage });

/** `fetchKitsByAccountNo` for an account no customer holds and no kit is linked to (not documented: our choice). */
export const accountNotFound = (): DcmsResponse =>
  fail(400, {
    errorCode: 'account.not.found',
    shortMessage: 'Account not found',
    detailMessage: 'No account found for the given account number',
    fieldError: ['Invalid accountNo'],
  });

/**
 * A per-kit failure inside a deliveryStatus 200 answer: a serialized Java exception, extra null
 * fields and `status: "500"` included, exactly as DCMS documents it (docs/reference/dcms.md §3.3).
 */
export const kitNotFoundItem = (kitNo: string) => ({
  kitNo,
  status: '500',
  exception: {
    errorCode: 'MCC007',
    shortMessage: 'valid kit not found',
    detailMessage: 'valid kit not found',
    httpStatus: 'BAD_REQUEST',
    fieldError: ['Invalid Kit No'],
    cause: null,
    languageCode: 'en',
    localizedMessage: null,
    message: null,
    suppressed: [],
  },
});

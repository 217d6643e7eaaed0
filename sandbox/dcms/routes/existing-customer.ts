import type * as z from 'zod';
import { customerNotFound, invalidInput } from '../dcms-errors.js';
import type { DcmsResponse } from '../envelope.js';
import type { DcmsCall, DcmsHandler } from '../pipeline.js';
import { validate } from '../schemas.js';
import type { CustomerRecord, SandboxStore } from '../store.js';

/**
 * A DCMS operation on one customer the tenant already has: the body must pass `request` (else
 * invalid input) and name that customer by `entityId` (else CUS001) before `handle` runs.
 */
export const forExistingCustomer =
  <T extends { entityId: string }>(store: SandboxStore, request: z.ZodType<T>, handle: (input: T, customer: CustomerRecord, call: DcmsCall) => DcmsResponse): DcmsHandler =>
  (call) => {
    const input = validate(request, call.body);
    if (!input.ok) return invalidInput(input.fieldError);
    const customer = store.customer(call.tenant, input.value.entityId);
    if (customer === undefined) return customerNotFound();
    return handle(input.value, customer, call);
  };

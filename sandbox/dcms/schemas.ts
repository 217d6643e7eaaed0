import * as z from 'zod';

/**
 * Request validation for the DCMS routes (docs/reference/dcms.md §3). Failures become `invalid.input.request`
 * with one `fieldError` entry per problem, each "path: what is wrong", so a caller sees every
 * problem at once instead of fixing them one round trip at a time.
 */

type IssueInput = { input?: unknown };
/** Distinguishes "absent" from "present but wrong", which is what a caller needs to know. */
const says = (wrong: string) => (issue: IssueInput) => (issue.input === undefined ? 'is required' : wrong);

const requiredString = () =>
  z
    .string({ error: says('must be a string') })
    .trim()
    .min(1, 'must not be empty');
const optionalString = () => z.string({ error: 'must be a string' }).nullish();

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: says(`must be one of ${values.join(', ')}`) });

/**
 * The codec hands `accountNo` over as the number's exact source text; a JSON string of digits is
 * accepted too (DCMS is a Spring service, and Jackson coerces those). Leading zeros are dropped so
 * one account has one key.
 */
const accountNo = z.preprocess(
  (value) => (typeof value === 'number' ? String(value) : value),
  z
    .string({ error: says('must be a whole number') })
    .regex(/^\d{1,19}$/, 'must be a positive whole number of at most 19 digits')
    .transform((digits) => digits.replace(/^0+(?=\d)/, '')),
);

export const CARD_TYPES = ['PHYSICAL', 'VIRTUAL'] as const;
const deliveryAddress = oneOf(['PERMANENT', 'COMMUNICATION']);

const kitRequest = z.object(
  {
    accountNo,
    cardType: oneOf(CARD_TYPES),
    /** Insta-card: a kit pre-allocated from inventory (docs/reference/dcms.md §3.1). */
    kitNo: z
      .string({ error: 'must be a string' })
      .regex(/^\d{1,20}$/, 'must be digits')
      .optional(),
  },
  { error: 'must be an object' },
);
export type KitRequest = z.infer<typeof kitRequest>;

const isoDate = z
  .string({ error: says('must be a date in YYYY-MM-DD') })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date in YYYY-MM-DD')
  .refine((text) => new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), 'is not a calendar date');

const address = z.looseObject(
  {
    address1: optionalString(),
    address2: optionalString(),
    address3: optionalString(),
    addressCategory: oneOf(['PERMANENT', 'COMMUNICATION']),
    city: optionalString(),
    state: optionalString(),
    country: optionalString(),
    district: optionalString(),
    isoCountryCode: optionalString(),
    pincode: optionalString(),
  },
  { error: 'must be an object' },
);

const communication = z.looseObject(
  {
    contactNo: optionalString(),
    emailId: optionalString(),
    notification: z.boolean({ error: 'must be a boolean' }).nullish(),
  },
  { error: 'must be an object' },
);

const account = z.looseObject(
  {
    accountNo,
    schemeCode: optionalString(),
  },
  { error: 'must be an object' },
);
export type AccountInfo = z.infer<typeof account>;
export type AddressInfo = z.infer<typeof address>;
export type CommunicationInfo = z.infer<typeof communication>;

const nonEmptyList = <T extends z.ZodType>(item: T, what: string) => z.array(item, { error: says('must be an array') }).min(1, `must include at least one ${what}`);

export const registerRequest = z.object(
  {
    entityId: requiredString(),
    entityType: z.literal('CUSTOMER', { error: says('must be CUSTOMER') }),
    businessType: requiredString(),
    business: requiredString(),
    businessId: requiredString(),
    title: oneOf(['Mr', 'Mrs', 'Miss', 'Ms', 'Dr']).nullish(),
    firstName: requiredString(),
    middleName: optionalString(),
    lastName: requiredString(),
    gender: oneOf(['MALE', 'FEMALE', 'OTHER']),
    dob: isoDate,
    referralEntityId: optionalString(),
    deliveryAddress: deliveryAddress.nullish(),
    addressInfo: nonEmptyList(address, 'address').refine((list) => list.some((entry) => entry.addressCategory === 'PERMANENT'), 'must include at least one PERMANENT address'),
    communicationInfo: nonEmptyList(communication, 'contact').refine((list) => list.some((entry) => (entry.contactNo ?? '').trim() !== ''), 'must include at least one entry with a contactNo'),
    kycInfo: nonEmptyList(z.record(z.string(), z.unknown(), { error: 'must be an object' }), 'KYC document'),
    accountInfo: nonEmptyList(account, 'account'),
    kitInfo: z.array(kitRequest, { error: 'must be an array' }).nullish(),
  },
  { error: 'request body must be a JSON object' },
);
export type RegisterRequest = z.infer<typeof registerRequest>;

export const registerCardRequest = z.object(
  {
    entityId: requiredString(),
    deliveryAddress: deliveryAddress.nullish(),
    kitInfo: nonEmptyList(kitRequest, 'card'),
  },
  { error: 'request body must be a JSON object' },
);
export type RegisterCardRequest = z.infer<typeof registerCardRequest>;

export const deliveryStatusRequest = z.array(
  z.object(
    {
      deliveryStatus: requiredString(),
      kitNo: z.array(requiredString(), { error: says('must be an array of kit numbers') }),
    },
    { error: 'must be an object' },
  ),
  { error: 'request body must be a JSON array' },
);
export type DeliveryStatusRequest = z.infer<typeof deliveryStatusRequest>;

export const viewCustomerRequest = z.object({ entityId: requiredString() }, { error: 'request body must be a JSON object' });

/** `/kit-manager/fetchKitsByEntityId` (docs/reference/dcms.md §3.4a): the same body as viewCustomer. */
export const fetchKitsByEntityIdRequest = viewCustomerRequest;

/** `/kit-manager/fetchKitsByAccountNo` (docs/reference/dcms.md §3.4b): a string in the schema, a number in the sample; both accepted. */
export const fetchKitsByAccountNoRequest = z.object({ accountNo }, { error: 'request body must be a JSON object' });

/**
 * Its query string: `isAllCardsRequired=true` includes inactive and replaced cards; without it only
 * ACTIVE cards are listed. Spring reads booleans case-insensitively; anything else is a 400.
 */
export const fetchKitsByAccountNoQuery = z.object({
  isAllCardsRequired: z
    .string()
    .regex(/^(true|false)$/i, 'must be true or false')
    .transform((text) => text.toLowerCase() === 'true')
    .optional(),
});

const formatPath = (path: PropertyKey[]): string => path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');

export function fieldErrors(error: z.ZodError): string[] {
  return error.issues.map((issue) => (issue.path.length === 0 ? issue.message : `${formatPath(issue.path)}: ${issue.message}`));
}

export type Validated<T> = { ok: true; value: T } | { ok: false; fieldError: string[] };

export function validate<T>(schema: z.ZodType<T>, body: unknown, extraChecks: (body: unknown) => string[] = () => []): Validated<T> {
  const parsed = schema.safeParse(body);
  const problems = [...(parsed.success ? [] : fieldErrors(parsed.error)), ...extraChecks(body)];
  if (problems.length > 0 || !parsed.success) return { ok: false, fieldError: problems };
  return { ok: true, value: parsed.data };
}

/**
 * Zod at both edges of a Card91 call: inputs are checked before anything is sent (a failure is an
 * InvalidEvent naming the offending fields), answers are parsed with the exact-number reader and
 * checked against the response schemas (a failure names the fields, never their values).
 */
import type * as z from 'zod';
import { invalidRequestError, responseSchemaError } from './errors.js';
import { parseCard91Json } from './json-codec.js';
import type { Answer } from './transport.js';

const issuePaths = (error: z.ZodError): string[] => error.issues.map((issue) => issue.path.join('.') || '(root)');

/** `value` as `schema` outputs it, or an InvalidEvent error for `method`. */
export function validated<S extends z.ZodType>(method: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequestError(method, issuePaths(parsed.error));
  return parsed.data;
}

/** The answer's body as `schema` outputs it, or a response-schema error for `method`. */
export function parsedBody<S extends z.ZodType>(method: string, answer: Answer, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = parseCard91Json(answer.text);
  } catch {
    throw responseSchemaError(method, answer.status, []);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw responseSchemaError(method, answer.status, issuePaths(parsed.error));
  return parsed.data;
}

import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { parseDcmsJson, stringifyDcmsJson } from '../../../shared/dcms/json-codec.js';
import { startDcmsSandbox, type DcmsSandboxOptions, type RunningDcmsSandbox } from '../../../sandbox/dcms/server.js';
import { TENANT, type Json } from './fixtures.js';

/**
 * The DCMS sandbox over real HTTP, as its tests call it: one sandbox per test file, emptied before
 * each test, and the calls and answer readers they share.
 */

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

export interface CallOptions {
  tenant?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Sent as is instead of being serialised. */
  raw?: string;
}

/** A DCMS call: POST with the tenant header (ours unless told otherwise), the answer parsed as DCMS JSON. */
export async function call(baseUrl: string, path: string, body: unknown, options: CallOptions = {}): Promise<Answer> {
  const tenant = options.tenant === undefined ? TENANT : options.tenant;
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(tenant === null ? {} : { tenant }), ...options.headers },
    body: options.raw ?? stringifyDcmsJson(body),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: parseDcmsJson(text) as Json };
}

export const exceptionOf = (answer: Answer) => answer.body.exception as Json;
export const resultOf = (answer: Answer) => answer.body.result as Json;
export const kitsOf = (answer: Answer) => resultOf(answer).kitInfo as Json[];

export function expectEnvelope(answer: Answer): void {
  expect(Object.keys(answer.body).sort()).toEqual(['exception', 'pagination', 'result']);
  expect(answer.body.pagination).toBeNull();
}

/** A sandbox of its own for one test, closed after it. */
export const withSandbox = async <T>(options: DcmsSandboxOptions, use: (sandbox: RunningDcmsSandbox) => Promise<T>): Promise<T> => {
  const sandbox = await startDcmsSandbox({ port: 0, ...options });
  try {
    return await use(sandbox);
  } finally {
    await sandbox.close();
  }
};

/** The file's sandbox, once `useDcmsSandbox()` has started it. */
export let sandbox: RunningDcmsSandbox;
export let url: string;

/** Starts the file's sandbox before its tests, empties it (data, stats, faults) before each, and closes it after. */
export function useDcmsSandbox(): void {
  beforeAll(async () => {
    sandbox = await startDcmsSandbox({ port: 0 });
    url = sandbox.url;
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());
}

/** A call to the file's sandbox. */
export const post = (path: string, body: unknown, options?: CallOptions) => call(url, path, body, options);

/** `/registerCard` for one card of the customer, on our account unless told otherwise. */
export const card = (entityId: string, accountNo = '8642135', cardType = 'PHYSICAL') => post('/registerCard', { entityId, deliveryAddress: 'PERMANENT', kitInfo: [{ accountNo, cardType }] });

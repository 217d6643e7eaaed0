import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * The raw body bytes, exactly as the courier signed them. API Gateway base64-encodes bodies it
 * does not consider text (isBase64Encoded); either way the signature is checked over these bytes.
 */
export function rawBody(event: APIGatewayProxyEventV2): Buffer {
  if (event.body === undefined) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/** A header value; API Gateway HTTP APIs lower-case header names (and join repeats with commas). */
export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => event.headers?.[name];

/** `application/json`, optionally with `charset=utf-8`: the only body we read. */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const [mediaType, ...parameters] = value.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((parameter) => {
    const [name, raw = ''] = parameter.split('=').map((part) => part.trim());
    return name !== 'charset' || raw.replace(/^"|"$/g, '') === 'utf-8';
  });
}

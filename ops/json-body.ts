/** A message body as the JSON object (or array) it holds; undefined for broken JSON or a bare value. */
export function jsonObject(body: string): object | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
}

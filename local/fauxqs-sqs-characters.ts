import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * fauxqs 2.4 checks message bodies with a pattern written without the `u` flag, so it reads every
 * character above U+FFFF (an emoji, many CJK ideographs) as two surrogates and refuses the message
 * as `InvalidMessageContents`, where SQS accepts #x10000 to #x10FFFF. The courier webhook then
 * answered 422 to a scan whose `location` held U+1F600. This widens fauxqs's own pattern, in this
 * process, to exactly SQS's set; it is the upstream fix, applied from outside until fauxqs ships it.
 */

/** SQS's refused characters: anything outside #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF. */
export const SQS_REFUSED_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * fauxqs's module holding the pattern. Its package exports only its entry point (to `import` alone),
 * so the file is found in the node_modules folder that holds the package, by its real path: the URL
 * fauxqs's own entry point loaded it from, hence the same module instance.
 */
function fauxqsSqsTypesUrl(): string {
  const folders = createRequire(import.meta.url).resolve.paths('fauxqs') ?? [];
  const folder = folders.map((candidate) => join(candidate, 'fauxqs')).find((candidate) => existsSync(join(candidate, 'package.json')));
  if (folder === undefined) throw new Error('fauxqs is not installed');
  return pathToFileURL(realpathSync(join(folder, 'dist', 'sqs', 'sqsTypes.js'))).href;
}

/** Makes the fauxqs loaded in this process accept what SQS accepts (idempotent). */
export async function alignFauxqsCharacters(): Promise<void> {
  const { INVALID_MESSAGE_BODY_CHAR: fauxqsPattern } = (await import(fauxqsSqsTypesUrl())) as { INVALID_MESSAGE_BODY_CHAR: RegExp };
  // The pattern is an exported const: its binding cannot change, but every caller goes through its `test`.
  Object.defineProperty(fauxqsPattern, 'test', { value: (text: string) => SQS_REFUSED_CHARACTER.test(text), configurable: true });
}

/**
 * Everything the operator CLI prints comes from queues and tables anyone upstream can write to: a
 * dead letter's event type can be `\e[2J` (clear the screen) or a right-to-left override that
 * reorders what the operator reads. Characters a terminal acts on are printed as inert escapes.
 */

/** C0 controls (but newline and tab), DEL, C1 controls, and the bidirectional marks, embeddings, overrides and isolates. */
const CONTROL = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const UNSAFE = new RegExp(`[${CONTROL}]`, 'g');
/** The same, plus newline and tab: for one value on one line (a table cell). */
const UNSAFE_INLINE = new RegExp(`[${CONTROL}\\n\\t]`, 'g');
/** What JSON.stringify leaves raw (it escapes C0 itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };
const hex = (char: string, width: number) => char.charCodeAt(0).toString(16).padStart(width, '0');
const escape = (char: string): string => NAMED[char] ?? (char.charCodeAt(0) <= 0xff ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`);

/** Text for the terminal: our own layout's newlines and tabs kept, every other control character escaped. */
export const printable = (text: string): string => text.replace(UNSAFE, escape);

/** One value on one line: newlines and tabs escaped too. */
export const inline = (value: unknown): string => String(value).replace(UNSAFE_INLINE, escape);

/** JSON for scripts, still valid JSON, with nothing a terminal acts on left raw. */
export const printableJson = (value: unknown): string => JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (char) => `\\u${hex(char, 4)}`);

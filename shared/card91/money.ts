/**
 * Decimal-safe amounts. Card91 sends money as JSON numbers with 2–4 decimals (`250000.00`,
 * `50000.0000`) and sometimes as strings (`"0.00"`) (docs/reference/card91.md §1.3). Amounts never pass through
 * binary floating-point arithmetic here: they are kept as canonical decimal strings, and compared
 * as scaled BigInts.
 *
 * Canonical form: optional `-`, an integer part without leading zeros, and a fraction without
 * trailing zeros (`"012.50"` → `"12.5"`, `"50000.0000"` → `"50000"`, `"-0.00"` → `"0"`). Two equal
 * amounts therefore have equal strings, whatever scale the platform printed them with.
 */

/** A decimal amount in canonical form (see the module comment). */
export type DecimalString = string;

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;

/** Exponents beyond this are not amounts; refusing them keeps a hostile `1e999` from building huge strings. */
const MAX_EXPONENT = 64;

/**
 * Parses a JSON number or a decimal string into canonical form; `undefined` when it is not a
 * finite decimal. Numbers are read from their shortest round-trip text (`String(12.5)`), which is
 * exact for any value that reached us as a decimal literal with up to 15 significant digits; the
 * Card91 JSON reader keeps the source text of amount fields, so this path is only a fallback.
 */
export function parseDecimal(value: string | number): DecimalString | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  const match = DECIMAL_TEXT.exec(typeof value === 'number' ? String(value) : value.trim());
  if (!match) return undefined;
  const [, sign = '', integerDigits = '', fractionDigits = '', exponentText = '0'] = match;
  if (integerDigits.length === 0 && fractionDigits.length === 0) return undefined;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;

  // Move the decimal point by the exponent over the digit string, padding with zeros as needed.
  const digits = integerDigits + fractionDigits;
  let pointAt = integerDigits.length + exponent;
  let padded = digits;
  if (pointAt < 0) {
    padded = '0'.repeat(-pointAt) + padded;
    pointAt = 0;
  } else if (pointAt > padded.length) {
    padded = padded + '0'.repeat(pointAt - padded.length);
  }
  const integerPart = padded.slice(0, pointAt).replace(/^0+/, '') || '0';
  const fractionPart = padded.slice(pointAt).replace(/0+$/, '');
  const magnitude = fractionPart.length > 0 ? `${integerPart}.${fractionPart}` : integerPart;
  return sign === '-' && magnitude !== '0' ? `-${magnitude}` : magnitude;
}

interface ScaledDecimal {
  units: bigint;
  scale: number;
}

function toScaled(value: string): ScaledDecimal {
  const canonical = parseDecimal(value);
  if (canonical === undefined) throw new RangeError('not a decimal amount');
  const negative = canonical.startsWith('-');
  const [integerPart = '0', fractionPart = ''] = (negative ? canonical.slice(1) : canonical).split('.');
  const units = BigInt(integerPart + fractionPart);
  return { units: negative ? -units : units, scale: fractionPart.length };
}

/** Compares two decimal amounts exactly: -1, 0 or 1. Throws RangeError on text that is not a decimal. */
export function compareDecimals(left: string, right: string): -1 | 0 | 1 {
  const a = toScaled(left);
  const b = toScaled(right);
  const scale = Math.max(a.scale, b.scale);
  const x = a.units * 10n ** BigInt(scale - a.scale);
  const y = b.units * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

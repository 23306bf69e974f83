/**
 * Kubernetes resource quantities (`100m`, `1.5Gi`, `1e3`, `500M`), parsed exactly and printed in the
 * canonical form kube-apiserver prints (`1000m` → `1`, `1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`).
 *
 * A quantity is kept as an integer number of nano-units (bigint), the smallest unit upstream keeps;
 * anything more precise is rounded away from zero, as upstream rounds up.
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value times 10^9, exact. */
  nanos: bigint;
  /** Which suffix family the value was written in; decides how it is printed. */
  format: QuantityFormat;
}

const NANO = 1_000_000_000n;
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIXES = new Map(Object.entries(DECIMAL_EXPONENTS).map(([suffix, exp]) => [exp, suffix]));
const QUANTITY_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** Thrown by {@link parseQuantity} for text that is not a quantity. */
export class QuantityParseError extends Error {}

/** The message upstream prints for an unparseable quantity. */
export const QUANTITY_FORMAT_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** Parses a quantity string or JSON number; throws {@link QuantityParseError} when it is not one. */
export function parseQuantity(input: string | number): Quantity {
  const text = typeof input === 'number' ? numberText(input) : input;
  const match = QUANTITY_PATTERN.exec(text);
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (!match || (whole === '' && fraction === '')) throw new QuantityParseError(QUANTITY_FORMAT_MESSAGE);
  const suffix = match[4] ?? '';
  let numerator = BigInt(whole + fraction) * NANO;
  let denominator = 10n ** BigInt(fraction.length);
  const binaryIndex = BINARY_SUFFIXES.indexOf(suffix);
  let format: QuantityFormat = 'DecimalSI';
  if (suffix !== '' && binaryIndex > 0) {
    numerator *= 1024n ** BigInt(binaryIndex);
    format = 'BinarySI';
  } else {
    const exponentStyle = /^[eE]./.test(suffix);
    const exponent = exponentStyle ? Number(suffix.slice(1)) : DECIMAL_EXPONENTS[suffix] ?? 0;
    if (exponentStyle) format = 'DecimalExponent';
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  const magnitude = (numerator + denominator - 1n) / denominator;
  return { nanos: match[1] === '-' ? -magnitude : magnitude, format };
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new QuantityParseError(QUANTITY_FORMAT_MESSAGE);
  return String(n).replace('e+', 'e');
}

/** True when `input` parses as a quantity. */
export function isQuantity(input: unknown): input is string | number {
  if (typeof input !== 'string' && typeof input !== 'number') return false;
  try {
    parseQuantity(input);
    return true;
  } catch {
    return false;
  }
}

/** The value as a JavaScript number (may lose precision for huge or very precise values). */
export function quantityToNumber(q: Quantity): number {
  const whole = q.nanos / NANO;
  const rest = q.nanos % NANO;
  return Number(whole) + Number(rest) / 1e9;
}

/** The value in thousandths, rounded up as upstream's `MilliValue` does (`100m` → 100, `1` → 1000). */
export function milliValue(q: Quantity): number {
  const millis = 1_000_000n;
  const rounded = q.nanos >= 0n ? (q.nanos + millis - 1n) / millis : q.nanos / millis;
  return Number(rounded);
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  if (a.nanos === b.nanos) return 0;
  return a.nanos < b.nanos ? -1 : 1;
}

/** The sum, in the format of the first non-zero operand (as upstream's `Add` keeps the receiver's). */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

/** Prints a quantity in canonical form, as kube-apiserver stores and returns it. */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  const sign = q.nanos < 0n ? '-' : '';
  const magnitude = q.nanos < 0n ? -q.nanos : q.nanos;
  if (q.format === 'BinarySI' && magnitude % NANO === 0n && magnitude >= 1024n * NANO) {
    return sign + formatBinary(magnitude / NANO);
  }
  return sign + formatDecimal(magnitude, q.format === 'DecimalExponent');
}

function formatBinary(units: bigint): string {
  let mantissa = units;
  let index = 0;
  while (index < BINARY_SUFFIXES.length - 1 && mantissa % 1024n === 0n) {
    mantissa /= 1024n;
    index++;
  }
  return `${mantissa}${BINARY_SUFFIXES[index] ?? ''}`;
}

/** Largest exponent (a multiple of 3, from -9) that leaves an integer mantissa. */
function formatDecimal(nanos: bigint, exponentStyle: boolean): string {
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 1000n === 0n && (exponentStyle || exponent < 18)) {
    mantissa /= 1000n;
    exponent += 3;
  }
  if (exponentStyle) return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  return `${mantissa}${DECIMAL_SUFFIXES.get(exponent) ?? ''}`;
}

/** Parses and re-prints `input` canonically; throws {@link QuantityParseError} when invalid. */
export function canonicalQuantity(input: string | number): string {
  return formatQuantity(parseQuantity(input));
}

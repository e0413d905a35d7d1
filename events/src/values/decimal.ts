import { InvalidValueError } from './errors';

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a non-negative decimal string ("1500000.00", "42.5") into an integer scaled by 10^places,
 * exactly: no binary floats. More fractional digits than `places` is an error, not a rounding.
 */
export function parseScaledDecimal(text: unknown, places: number, field: string): bigint {
  if (typeof text !== 'string') throw new InvalidValueError(field, 'must be a decimal string');
  if (text.trim() === '') throw new InvalidValueError(field, 'must not be empty');
  if (text.includes(',')) {
    throw new InvalidValueError(field, 'use a dot as the decimal separator, without grouping');
  }
  if (text.startsWith('-')) throw new InvalidValueError(field, 'must not be negative');
  const match = DECIMAL.exec(text);
  if (!match) throw new InvalidValueError(field, `"${text}" is not a decimal number`);
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > places) {
    throw new InvalidValueError(field, `at most ${places} decimal places`);
  }
  return BigInt(whole) * 10n ** BigInt(places) + BigInt(fraction.padEnd(places, '0') || '0');
}

/** The inverse of parseScaledDecimal: always exactly `places` decimals, dot separator. */
export function formatScaledDecimal(value: bigint, places: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places);
  return `${negative ? '-' : ''}${whole}${places > 0 ? `.${fraction}` : ''}`;
}

/** Groups a string of digits by thousands with dots, the Turkish way: 1250000 -> 1.250.000. */
export function groupThousandsTr(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/*
 * Display formats, the Turkish way, whatever the browser's locale and time zone:
 *   money      1.250.000,00 ₺   (also $ and €: symbol after the amount, with a space)
 *   numbers    1.234,5
 *   percent    %46,21
 *   date       03.12.2026        (Europe/Istanbul)
 *   date-time  03.12.2026 14:05  (Europe/Istanbul)
 *
 * Money arrives from the API as decimal strings ("1500000.00") and is formatted with string and
 * bigint arithmetic only: never through a binary float.
 */

import { readable, writable, type Readable } from 'svelte/store';

export const TIME_ZONE = 'Europe/Istanbul';

const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = { TRY: '₺', USD: '$', EUR: '€' };

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;

/** A decimal string split into sign, integer digits and fraction digits, or undefined. */
function splitDecimal(
  text: string,
): { negative: boolean; whole: string; fraction: string } | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const [, sign = '', whole = '0', fraction = ''] = match;
  return { negative: sign === '-', whole, fraction };
}

/**
 * Rounds a decimal string to `places` fraction digits, half away from zero, exactly (bigint).
 * Returns sign, whole digits (no leading zeros) and exactly `places` fraction digits.
 */
function roundDecimal(
  text: string,
  places: number,
): { negative: boolean; whole: string; fraction: string } | undefined {
  const parts = splitDecimal(text);
  if (!parts) return undefined;
  const { whole, fraction } = parts;
  const kept = fraction.slice(0, places).padEnd(places, '0');
  let scaled = BigInt(whole + kept);
  const next = fraction.charAt(places);
  if (next !== '' && next >= '5') scaled += 1n;
  const digits = scaled.toString().padStart(places + 1, '0');
  const negative = parts.negative && scaled !== 0n;
  return {
    negative,
    whole: digits.slice(0, digits.length - places),
    fraction: places > 0 ? digits.slice(digits.length - places) : '',
  };
}

/** 1250000 -> 1.250.000 */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/**
 * Money as the API sends it (a decimal string) in the Turkish format: "1500000.00", "TRY" ->
 * "1.500.000,00 ₺". More than two decimals are rounded half away from zero. An unknown currency
 * code is written after the amount as it is ("10,00 GBP"). Input that is not a decimal string is
 * returned unchanged, so a surprising value is visible rather than hidden.
 */
export function formatMoney(amount: string, currency: string): string {
  const rounded = roundDecimal(amount, 2);
  if (!rounded) return amount;
  const symbol = CURRENCY_SYMBOLS[currency] ?? currency;
  const sign = rounded.negative ? '-' : '';
  return `${sign}${groupThousands(rounded.whole)},${rounded.fraction} ${symbol}`;
}

export interface NumberOptions {
  /** fraction digits always shown (default 0) */
  minDecimals?: number;
  /** fraction digits at most, rounded half away from zero (default 2) */
  maxDecimals?: number;
}

/**
 * A finite number as a plain decimal string (no exponent), or undefined. The shortest round-trip
 * form (String) is the decimal the number was meant to be: 1.005 stays "1.005" and rounds to 1,01.
 */
function numberToDecimal(value: number): string | undefined {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return undefined;
  const text = String(value);
  return text.includes('e') ? value.toFixed(20) : text;
}

/**
 * A number in the Turkish format: 1234.5 -> "1.234,5", "1234.50" -> "1.234,5". Takes a number or
 * a decimal string (exact). Trailing fraction zeros beyond `minDecimals` are dropped.
 */
export function formatNumber(value: number | string, options: NumberOptions = {}): string {
  const minDecimals = options.minDecimals ?? 0;
  const maxDecimals = Math.max(options.maxDecimals ?? 2, minDecimals);
  const text = typeof value === 'number' ? numberToDecimal(value) : value;
  const rounded = text === undefined ? undefined : roundDecimal(text, maxDecimals);
  if (!rounded) return typeof value === 'number' ? String(value) : value;
  let fraction = rounded.fraction;
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const sign = rounded.negative ? '-' : '';
  return `${sign}${groupThousands(rounded.whole)}${fraction ? `,${fraction}` : ''}`;
}

/**
 * A percentage given in percent units (46.21 or "46.2100", not 0.4621), Turkish style: "%46,21".
 * Always `decimals` fraction digits (default 2).
 */
export function formatPercent(value: number | string, decimals = 2): string {
  const text = formatNumber(value, { minDecimals: decimals, maxDecimals: decimals });
  return text.startsWith('-') ? `-%${text.slice(1)}` : `%${text}`;
}

type DateInput = string | number | Date;

const istanbulParts = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  numberingSystem: 'latn',
});

/** Calendar fields of an instant on the Istanbul wall clock, or undefined for an invalid input. */
export function istanbulFields(
  input: DateInput,
): { year: string; month: string; day: string; hour: string; minute: string } | undefined {
  const date = input instanceof Date ? input : new Date(input);
  if (Number.isNaN(date.getTime())) return undefined;
  const fields: Record<string, string> = {};
  for (const part of istanbulParts.formatToParts(date)) fields[part.type] = part.value;
  const pad = (text: string | undefined) => (text ?? '').padStart(2, '0');
  return {
    year: (fields['year'] ?? '').padStart(4, '0'),
    month: pad(fields['month']),
    day: pad(fields['day']),
    // some engines still say 24 at midnight even with h23
    hour: pad(fields['hour'] === '24' ? '00' : fields['hour']),
    minute: pad(fields['minute']),
  };
}

/** "03.12.2026", Istanbul calendar day of the instant; "—" for an invalid input. */
export function formatDate(input: DateInput): string {
  const f = istanbulFields(input);
  return f ? `${f.day}.${f.month}.${f.year}` : '—';
}

/** "03.12.2026 14:05", Istanbul wall clock; "—" for an invalid input. */
export function formatDateTime(input: DateInput): string {
  const f = istanbulFields(input);
  return f ? `${f.day}.${f.month}.${f.year} ${f.hour}:${f.minute}` : '—';
}

export interface Remaining {
  /** the deadline has passed (or is now) */
  readonly past: boolean;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
}

/**
 * Time left until a deadline, in whole days, hours and minutes. Minutes are rounded up, so the
 * countdown says "0 minutes" only once the deadline has passed.
 */
export function remaining(deadline: DateInput, now: DateInput = Date.now()): Remaining {
  const end = new Date(deadline).getTime();
  const start = new Date(now).getTime();
  const ms = end - start;
  if (!Number.isFinite(ms) || ms <= 0) return { past: true, days: 0, hours: 0, minutes: 0 };
  const totalMinutes = Math.ceil(ms / 60_000);
  return {
    past: false,
    days: Math.floor(totalMinutes / 1440),
    hours: Math.floor((totalMinutes % 1440) / 60),
    minutes: totalMinutes % 60,
  };
}

// ---- the product's clock -------------------------------------------------------------------

/** Differences below this are the network's delay, not another clock. */
const CLOCK_TOLERANCE_MS = 1_000;

let clockOffsetMs = 0;
const clockOffset = writable(0);

/**
 * Learns the product's clock from a server answer's `now` (an ISO instant; every API answer and
 * live push that counts time carries it). With CLOCK=manual (demos, tests) the server's clock is not
 * this browser's, and deadlines must be counted down on the server's. `receivedAt` is when the
 * answer arrived. Anything that is not an instant is ignored. Returns server minus browser, in ms.
 */
export function serverClock(nowFromServer: unknown, receivedAt: number = Date.now()): number {
  const at = typeof nowFromServer === 'string' ? Date.parse(nowFromServer) : Number.NaN;
  if (Number.isFinite(at)) {
    const offset = at - receivedAt;
    if (Math.abs(offset - clockOffsetMs) > CLOCK_TOLERANCE_MS) {
      clockOffsetMs = offset;
      clockOffset.set(offset);
    }
  }
  return clockOffsetMs;
}

/** The product's now, in ms, as this browser last learnt it (serverClock). */
export function productNow(): number {
  return Date.now() + clockOffsetMs;
}

/** The product's now, ticking every second and at once when the server's clock is learnt anew. */
export const productClock: Readable<number> = readable(Date.now(), (set) => {
  const tick = () => set(productNow());
  const timer = setInterval(tick, 1_000);
  const stop = clockOffset.subscribe(tick);
  return () => {
    clearInterval(timer);
    stop();
  };
});

export type AmountInput =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: 'empty' | 'invalid' | 'too-many-decimals' };

/**
 * What a user types as an amount, into the API's decimal string with two places:
 *   "1.500.000,00" -> "1500000.00"   (Turkish: dots group thousands, comma is the decimal mark)
 *   "1500000"      -> "1500000.00"
 *   "1500000.5"    -> "1500000.50"   (the API's own form: a single dot and one or two decimals)
 *   "1.500"        -> "1500.00"      (a single dot followed by three digits groups thousands)
 * Spaces, non-breaking spaces and a trailing currency sign or code are ignored. Groups must be
 * three digits; more than two decimals is an error, not a rounding.
 */
export function parseAmountInput(input: string): AmountInput {
  const text = input
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/(₺|TL|TRY|USD|EUR|\$|€)$/i, '')
    .replace(/^(₺|\$|€)/, '');
  if (text === '') return { ok: false, reason: 'empty' };
  let whole: string;
  let fraction = '';
  if (text.includes(',')) {
    const match = /^(\d{1,3}(?:\.\d{3})+|\d+),(\d*)$/.exec(text);
    if (!match) return { ok: false, reason: 'invalid' };
    whole = (match[1] ?? '').replaceAll('.', '');
    fraction = match[2] ?? '';
  } else if (/^\d+$/.test(text)) {
    whole = text;
  } else if (/^\d{1,3}(?:\.\d{3})+$/.test(text)) {
    whole = text.replaceAll('.', '');
  } else {
    const match = /^(\d+)\.(\d{1,2})$/.exec(text);
    if (!match) {
      return /^\d+\.\d{3,}$/.test(text)
        ? { ok: false, reason: 'too-many-decimals' }
        : { ok: false, reason: 'invalid' };
    }
    whole = match[1] ?? '';
    fraction = match[2] ?? '';
  }
  if (fraction.length > 2) return { ok: false, reason: 'too-many-decimals' };
  const normalisedWhole = whole.replace(/^0+(?=\d)/, '');
  return { ok: true, value: `${normalisedWhole}.${fraction.padEnd(2, '0')}` };
}

import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  parseAmountInput,
  productClock,
  productNow,
  remaining,
  serverClock,
} from './format';

describe('formatMoney', () => {
  it('writes Turkish lira the Turkish way', () => {
    expect(formatMoney('1250000.00', 'TRY')).toBe('1.250.000,00 ₺');
    expect(formatMoney('1500000', 'TRY')).toBe('1.500.000,00 ₺');
    expect(formatMoney('0.50', 'TRY')).toBe('0,50 ₺');
    expect(formatMoney('999.9', 'TRY')).toBe('999,90 ₺');
    expect(formatMoney('1000', 'TRY')).toBe('1.000,00 ₺');
  });

  it('puts $ and € after the amount too', () => {
    expect(formatMoney('1234567.89', 'USD')).toBe('1.234.567,89 $');
    expect(formatMoney('42.00', 'EUR')).toBe('42,00 €');
  });

  it('writes an unknown currency code as it is', () => {
    expect(formatMoney('10', 'GBP')).toBe('10,00 GBP');
  });

  it('is exact beyond the range of binary floats', () => {
    // 2^53 + 1 is not representable as a double
    expect(formatMoney('9007199254740993.07', 'TRY')).toBe('9.007.199.254.740.993,07 ₺');
    expect(formatMoney('123456789012345678901234567890.12', 'USD')).toBe(
      '123.456.789.012.345.678.901.234.567.890,12 $',
    );
  });

  it('rounds more than two decimals half away from zero, exactly', () => {
    expect(formatMoney('1.005', 'TRY')).toBe('1,01 ₺');
    expect(formatMoney('1.004999', 'TRY')).toBe('1,00 ₺');
    expect(formatMoney('99.995', 'TRY')).toBe('100,00 ₺');
    expect(formatMoney('-2.345', 'TRY')).toBe('-2,35 ₺');
  });

  it('keeps the sign of a negative amount and drops it from zero', () => {
    expect(formatMoney('-1250.5', 'TRY')).toBe('-1.250,50 ₺');
    expect(formatMoney('-0.001', 'TRY')).toBe('0,00 ₺');
  });

  it('returns input that is not a decimal string unchanged', () => {
    expect(formatMoney('abc', 'TRY')).toBe('abc');
    expect(formatMoney('1,5', 'TRY')).toBe('1,5');
    expect(formatMoney('', 'TRY')).toBe('');
  });
});

describe('formatNumber', () => {
  it('groups thousands with dots and uses a decimal comma', () => {
    expect(formatNumber(1234.5)).toBe('1.234,5');
    expect(formatNumber(1234)).toBe('1.234');
    expect(formatNumber(1234567.891)).toBe('1.234.567,89');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-1234.5)).toBe('-1.234,5');
  });

  it('takes decimal strings exactly', () => {
    expect(formatNumber('1234.50')).toBe('1.234,5');
    expect(formatNumber('9007199254740993')).toBe('9.007.199.254.740.993');
  });

  it('honours min and max decimals', () => {
    expect(formatNumber(1234.5, { minDecimals: 2 })).toBe('1.234,50');
    expect(formatNumber(1.23456, { maxDecimals: 4 })).toBe('1,2346');
    expect(formatNumber(2.5, { maxDecimals: 0 })).toBe('3');
  });

  it('rounds the decimal a number was meant to be', () => {
    expect(formatNumber(1.005)).toBe('1,01');
    expect(formatNumber(0.1249)).toBe('0,12');
    expect(formatNumber(1e-7, { maxDecimals: 8 })).toBe('0,0000001');
  });

  it('writes what it cannot format as it is', () => {
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber('x')).toBe('x');
  });
});

describe('formatPercent', () => {
  it('puts the percent sign first, Turkish style', () => {
    expect(formatPercent(46.21)).toBe('%46,21');
    expect(formatPercent('46.2100')).toBe('%46,21');
    expect(formatPercent(90)).toBe('%90,00');
    expect(formatPercent('75', 0)).toBe('%75');
    expect(formatPercent(1234.567, 1)).toBe('%1.234,6');
  });

  it('keeps the minus before the sign', () => {
    expect(formatPercent(-5)).toBe('-%5,00');
  });
});

describe('dates in Europe/Istanbul', () => {
  it('formats the Istanbul calendar day, whatever the process zone', () => {
    expect(formatDate('2026-12-03T11:05:00Z')).toBe('03.12.2026');
    // 22:30 UTC is already the next day in Istanbul (UTC+3)
    expect(formatDate('2026-12-03T22:30:00Z')).toBe('04.12.2026');
    expect(formatDate('2026-12-04T01:30:00+03:00')).toBe('04.12.2026');
  });

  it('formats date-times with a 24-hour clock', () => {
    expect(formatDateTime('2026-12-03T11:05:00Z')).toBe('03.12.2026 14:05');
    expect(formatDateTime('2026-12-03T21:00:00Z')).toBe('04.12.2026 00:00');
    expect(formatDateTime('2026-01-01T09:59:59.999+03:00')).toBe('01.01.2026 09:59');
    expect(formatDateTime(new Date(Date.UTC(2027, 4, 16, 9, 0)))).toBe('16.05.2027 12:00');
  });

  it('uses +03:00 for dates before the 2016 change too (Istanbul had DST then)', () => {
    // Summer 2015: EEST, UTC+3; winter 2015: EET, UTC+2
    expect(formatDateTime('2015-07-01T12:00:00Z')).toBe('01.07.2015 15:00');
    expect(formatDateTime('2015-01-01T12:00:00Z')).toBe('01.01.2015 14:00');
  });

  it('shows a dash for an invalid instant', () => {
    expect(formatDate('not a date')).toBe('—');
    expect(formatDateTime(Number.NaN)).toBe('—');
  });
});

describe('remaining', () => {
  const now = '2026-12-03T14:05:00+03:00';

  it('splits the time left into days, hours and minutes', () => {
    expect(remaining('2026-12-10T23:59:59.999+03:00', now)).toEqual({
      past: false,
      days: 7,
      hours: 9,
      minutes: 55,
    });
  });

  it('rounds minutes up, so the last minute is not shown as zero', () => {
    expect(remaining('2026-12-03T14:05:30+03:00', now)).toEqual({
      past: false,
      days: 0,
      hours: 0,
      minutes: 1,
    });
    expect(remaining('2026-12-03T15:05:00+03:00', now)).toEqual({
      past: false,
      days: 0,
      hours: 1,
      minutes: 0,
    });
  });

  it('says past once the deadline is reached', () => {
    expect(remaining(now, now).past).toBe(true);
    expect(remaining('2026-12-01T00:00:00Z', now).past).toBe(true);
    expect(remaining('garbage', now).past).toBe(true);
  });
});

describe('parseAmountInput', () => {
  const ok = (value: string) => ({ ok: true, value });

  it('turns the Turkish format into the API decimal string', () => {
    expect(parseAmountInput('1.500.000,00')).toEqual(ok('1500000.00'));
    expect(parseAmountInput('1.500.000,5')).toEqual(ok('1500000.50'));
    expect(parseAmountInput('1500000,75')).toEqual(ok('1500000.75'));
    expect(parseAmountInput('250.000')).toEqual(ok('250000.00'));
    expect(parseAmountInput('1.500')).toEqual(ok('1500.00'));
  });

  it('accepts plain digits and the API form', () => {
    expect(parseAmountInput('1500000')).toEqual(ok('1500000.00'));
    expect(parseAmountInput('1500000.00')).toEqual(ok('1500000.00'));
    expect(parseAmountInput('1500000.5')).toEqual(ok('1500000.50'));
    expect(parseAmountInput('007')).toEqual(ok('7.00'));
  });

  it('ignores spaces and a currency sign or code', () => {
    expect(parseAmountInput(' 1 500 000 ₺ ')).toEqual(ok('1500000.00'));
    expect(parseAmountInput('1.500.000,00 TL')).toEqual(ok('1500000.00'));
    expect(parseAmountInput('$2.000')).toEqual(ok('2000.00'));
    expect(parseAmountInput('1\u00a0000,00')).toEqual(ok('1000.00'));
  });

  it('refuses what it cannot read unambiguously', () => {
    expect(parseAmountInput('')).toEqual({ ok: false, reason: 'empty' });
    expect(parseAmountInput('   ')).toEqual({ ok: false, reason: 'empty' });
    expect(parseAmountInput('1.50.000')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseAmountInput('1,500,000')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseAmountInput('12a')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseAmountInput('-5')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseAmountInput('1,234')).toEqual({ ok: false, reason: 'too-many-decimals' });
    expect(parseAmountInput('1.2345')).toEqual({ ok: false, reason: 'too-many-decimals' });
  });
});

describe("the product's clock (serverClock)", () => {
  it("follows the server's now, beyond the network's delay, and ignores what is not an instant", () => {
    const received = Date.parse('2026-03-04T09:00:00.000Z');
    // a demo's manual clock, a day ahead of this browser
    expect(serverClock('2026-03-05T09:00:00.000+00:00', received)).toBe(86_400_000);
    expect(Math.abs(productNow() - (Date.now() + 86_400_000))).toBeLessThan(50);
    // a few hundred ms are the answer's travel, not a new clock
    expect(serverClock('2026-03-05T09:00:00.300Z', received)).toBe(86_400_000);
    expect(serverClock('yesterday', received)).toBe(86_400_000);
    expect(serverClock(undefined, received)).toBe(86_400_000);
    let now = 0;
    const stop = productClock.subscribe((value) => (now = value));
    expect(Math.abs(now - productNow())).toBeLessThan(50);
    // back to the browser's own clock
    expect(serverClock(new Date(received).toISOString(), received)).toBe(0);
    expect(Math.abs(now - Date.now())).toBeLessThan(50);
    stop();
  });
});

import { describe, expect, it } from 'vitest';
import {
  InvalidValueError,
  formatMoneyTr,
  formatRatePercent,
  formatRateTr,
  ibanProblem,
  mersisProblem,
  mersisWarning,
  parseIban,
  parseMoney,
  parseRatePercent,
  parseTckn,
  parseVkn,
  tcknProblem,
  toDecimalString,
  vknProblem,
  DecimalAmountSchema,
  VknSchema,
} from '../src/values';

function rejection(fn: () => unknown): InvalidValueError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidValueError);
    return error as InvalidValueError;
  }
  throw new Error('expected a rejection');
}

describe('money', () => {
  it('parses a decimal string exactly into minor units', () => {
    expect(parseMoney('1500000.00', 'TRY')).toEqual({ minor: 150000000n, currency: 'TRY' });
    expect(parseMoney('0.1', 'USD').minor).toBe(10n);
    // far beyond Number's exact range: no float ever touches it
    expect(parseMoney('90071992547409931.07', 'EUR').minor).toBe(9007199254740993107n);
  });

  it.each([
    ['1,5', 'amount: use a dot as the decimal separator, without grouping'],
    ['-5.00', 'amount: must not be negative'],
    ['', 'amount: must not be empty'],
    ['  ', 'amount: must not be empty'],
    ['1.005', 'amount: at most 2 decimal places'],
    ['1e6', 'amount: "1e6" is not a decimal number'],
    ['.5', 'amount: ".5" is not a decimal number'],
  ])('refuses %j with a reason naming the field', (text, message) => {
    expect(rejection(() => parseMoney(text, 'TRY')).message).toBe(message);
  });

  it('refuses a number where a decimal string is wanted', () => {
    const error = rejection(() => parseMoney(1.5, 'TRY'));
    expect(error.field).toBe('amount');
    expect(error.reason).toBe('must be a decimal string');
  });

  it('refuses an unknown currency, naming the field', () => {
    const error = rejection(() => parseMoney('10.00', 'GBP'));
    expect(error.field).toBe('currency');
    expect(error.reason).toBe('must be one of TRY, USD, EUR');
  });

  it('names nested fields when asked to', () => {
    expect(rejection(() => parseMoney('x', 'TRY', 'totalExpenseAmount')).field).toBe(
      'totalExpenseAmount',
    );
  });

  it('formats the Turkish way', () => {
    expect(formatMoneyTr({ minor: 125000000n, currency: 'TRY' })).toBe('1.250.000,00 ₺');
    expect(formatMoneyTr({ minor: 5n, currency: 'USD' })).toBe('0,05 $');
    expect(formatMoneyTr({ minor: 99999n, currency: 'EUR' })).toBe('999,99 €');
    expect(formatMoneyTr({ minor: -123456n, currency: 'TRY' })).toBe('-1.234,56 ₺');
    expect(toDecimalString(150000000n)).toBe('1500000.00');
  });

  it('the zod schema reports the same reasons', () => {
    const result = DecimalAmountSchema.safeParse('1,5');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'use a dot as the decimal separator, without grouping',
    );
    expect(DecimalAmountSchema.safeParse('0.00').error?.issues[0]?.message).toBe(
      'must be greater than zero',
    );
  });
});

describe('rates', () => {
  it('keeps four decimal places exactly', () => {
    expect(parseRatePercent('42.5')).toEqual({ scaled: 425000n });
    expect(formatRatePercent(parseRatePercent('3.1415'))).toBe('3.1415');
    expect(formatRateTr(parseRatePercent('42.125'))).toBe('%42,13');
  });

  it('refuses bad rates with the field name', () => {
    expect(rejection(() => parseRatePercent('1.23456', 'spread')).message).toBe(
      'spread: at most 4 decimal places',
    );
    expect(rejection(() => parseRatePercent('-1')).message).toBe(
      'interestRate: must not be negative',
    );
    expect(rejection(() => parseRatePercent('5000')).reason).toBe('must be at most 1000 percent');
  });
});

describe('identifiers', () => {
  it.each(['0150015264', '8790017566', '4540536920'])('accepts the public VKN %s', (vkn) => {
    expect(vknProblem(vkn)).toBeUndefined();
    expect(parseVkn(vkn, 'firmVkn')).toBe(vkn);
  });

  it('refuses a VKN with a wrong check digit, naming the field', () => {
    const error = rejection(() => parseVkn('0150015265', 'firmVkn'));
    expect(error.message).toBe('firmVkn: check digit does not match');
    expect(vknProblem('123')).toBe('must be exactly 10 digits');
    expect(vknProblem('')).toBe('must be a 10-digit tax number');
    expect(VknSchema.safeParse('015001526a').error?.issues[0]?.message).toBe(
      'must be exactly 10 digits',
    );
  });

  it('checks TCKN digits', () => {
    expect(tcknProblem('10000000146')).toBeUndefined();
    expect(tcknProblem('10000000147')).toBe('check digits do not match');
    expect(tcknProblem('01234567890')).toBe('must not start with 0');
    expect(rejection(() => parseTckn('12', 'tckn')).message).toBe(
      'tckn: must be exactly 11 digits',
    );
  });

  it('checks TR IBANs with mod-97', () => {
    expect(ibanProblem('TR33 0006 1005 1978 6457 8413 26')).toBeUndefined();
    expect(parseIban('tr330006100519786457841326', 'iban')).toBe('TR330006100519786457841326');
    expect(ibanProblem('TR330006100519786457841327')).toBe('check digits do not match');
    expect(ibanProblem('DE89370400440532013000')).toBe('must start with TR');
    expect(ibanProblem('TR3300061005')).toBe('must be TR followed by 24 digits (26 characters)');
  });

  it('checks the MERSIS format and only warns about the usual pattern', () => {
    expect(mersisProblem('0015001526400015')).toBeUndefined();
    expect(mersisProblem('123')).toBe('must be exactly 16 digits');
    expect(mersisWarning('0015001526400015', '0150015264')).toBeUndefined();
    expect(mersisWarning('1234567890123456', '0150015264')).toMatch(/pattern/);
  });
});

describe('free text and amounts from clients', () => {
  it('refuses control, direction and broken characters in free text', async () => {
    const { SubmitApplicationCommand } = await import('../src/commands');
    const base = {
      firmVkn: '0150015264',
      packageCode: 'IHR-KOBI',
      amount: '1500000.00',
      currency: 'TRY',
      maturityMonths: 12,
    };
    for (const purpose of ['a\u0000b', 'abc\u202e', 'x\ud800y', 'bell\u0007']) {
      const result = SubmitApplicationCommand.safeParse({ ...base, purpose });
      expect(result.success, JSON.stringify(purpose)).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['purpose']);
    }
    expect(
      SubmitApplicationCommand.safeParse({
        ...base,
        purpose: 'İhracat ön finansmanı\nçok satırlı 😀',
      }).success,
    ).toBe(true);
  });

  it('refuses amounts beyond a trillion', () => {
    expect(DecimalAmountSchema.safeParse('1000000000000.00').success).toBe(true);
    expect(DecimalAmountSchema.safeParse('1000000000000.01').error?.issues[0]?.message).toBe(
      'must be at most 1000000000000.00',
    );
    expect(DecimalAmountSchema.safeParse('99999999999999999999999999999999.00').success).toBe(
      false,
    );
  });
});

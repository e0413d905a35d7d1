import { z } from 'zod';
import { formatScaledDecimal, groupThousandsTr, parseScaledDecimal } from './decimal';
import { InvalidValueError } from './errors';

export const CURRENCIES = ['TRY', 'USD', 'EUR'] as const;
export const CurrencySchema = z.enum(CURRENCIES);
export type Currency = z.infer<typeof CurrencySchema>;

/** Integer minor units (kuruş, cent) and the currency. All three currencies have 2 minor digits. */
export interface Money {
  readonly minor: bigint;
  readonly currency: Currency;
}

const MINOR_DIGITS = 2;
const SYMBOL: Record<Currency, string> = { TRY: '₺', USD: '$', EUR: '€' };

export function parseCurrency(text: unknown, field = 'currency'): Currency {
  const result = CurrencySchema.safeParse(text);
  if (!result.success) {
    throw new InvalidValueError(field, `must be one of ${CURRENCIES.join(', ')}`);
  }
  return result.data;
}

/** "1500000.00" + "TRY" -> 150000000 kuruş. Negative, empty, "1,5" and more than 2 decimals are refused. */
export function parseMoney(amount: unknown, currency: unknown, field = 'amount'): Money {
  return {
    minor: parseScaledDecimal(amount, MINOR_DIGITS, field),
    currency: parseCurrency(currency, field === 'amount' ? 'currency' : `${field}.currency`),
  };
}

/** The wire and event form of an amount: a decimal string with exactly two places. */
export function toDecimalString(minor: bigint): string {
  return formatScaledDecimal(minor, MINOR_DIGITS);
}

export function minorFromDecimalString(amount: string, field = 'amount'): bigint {
  return parseScaledDecimal(amount, MINOR_DIGITS, field);
}

/** Turkish display: 1.250.000,00 ₺ (TRY), 1.250.000,00 $ (USD). */
export function formatMoneyTr(money: Money): string {
  const negative = money.minor < 0n;
  const [whole = '0', fraction = '00'] = formatScaledDecimal(
    negative ? -money.minor : money.minor,
    MINOR_DIGITS,
  ).split('.');
  return `${negative ? '-' : ''}${groupThousandsTr(whole)},${fraction} ${SYMBOL[money.currency]}`;
}

/** No amount a client sends may exceed a trillion (10^12) in its currency: beyond any loan here. */
const MAX_INPUT_MINOR = 10n ** 12n * 100n;

function amountInput(allowZero: boolean) {
  return z.string().superRefine((text, ctx) => {
    try {
      const minor = parseScaledDecimal(text, MINOR_DIGITS, 'amount');
      if (!allowZero && minor <= 0n) {
        ctx.addIssue({ code: 'custom', message: 'must be greater than zero' });
      } else if (minor > MAX_INPUT_MINOR) {
        ctx.addIssue({ code: 'custom', message: 'must be at most 1000000000000.00' });
      }
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as InvalidValueError).reason });
    }
  });
}

/** A zod schema for a positive amount given as a decimal string ("1500000.00"). */
export const DecimalAmountSchema = amountInput(false);

/** Like DecimalAmountSchema but zero is allowed (expenses, commissions). */
export const NonNegativeDecimalAmountSchema = amountInput(true);

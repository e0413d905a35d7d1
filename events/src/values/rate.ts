import { z } from 'zod';
import { formatScaledDecimal, parseScaledDecimal } from './decimal';
import { InvalidValueError } from './errors';

/** Places kept for an annual percentage rate: "42.5" percent is stored as 425000 (4 places). */
export const RATE_PLACES = 4;
const RATE_SCALE = 10n ** BigInt(RATE_PLACES);

/** An annual rate in percent with fixed decimal places (value = scaled / 10^4 percent). */
export interface Rate {
  readonly scaled: bigint;
}

/** "42.5" (percent) -> Rate. At most 4 decimal places, at most 1000 percent. */
export function parseRatePercent(text: unknown, field = 'interestRate'): Rate {
  const scaled = parseScaledDecimal(text, RATE_PLACES, field);
  if (scaled > 1000n * RATE_SCALE)
    throw new InvalidValueError(field, 'must be at most 1000 percent');
  return { scaled };
}

/** The wire form: "42.5000". */
export function formatRatePercent(rate: Rate): string {
  return formatScaledDecimal(rate.scaled, RATE_PLACES);
}

/** The rate as a fraction (0.425), for float math that is only displayed (effective cost). */
export function rateToFraction(rate: Rate): number {
  return Number(rate.scaled) / Number(RATE_SCALE) / 100;
}

export function addRates(a: Rate, b: Rate): Rate {
  return { scaled: a.scaled + b.scaled };
}

/** Turkish display: %42,50. */
export function formatRateTr(rate: Rate, decimals = 2): string {
  const rounded = (rate.scaled * 10n ** BigInt(decimals) + RATE_SCALE / 2n) / RATE_SCALE;
  const text = formatScaledDecimal(rounded, decimals).replace('.', ',');
  return `%${text}`;
}

export const RatePercentSchema = z.string().superRefine((text, ctx) => {
  try {
    parseRatePercent(text, 'rate');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as InvalidValueError).reason });
  }
});

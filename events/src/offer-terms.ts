import { z } from 'zod';
import { PaymentFrequencySchema } from './offer-cost';
import { DecimalAmountSchema, NonNegativeDecimalAmountSchema } from './values/money';
import { RatePercentSchema } from './values/rate';

export const INTEREST_TYPES = ['FIXED', 'FLOATING'] as const;
export const InterestTypeSchema = z.enum(INTEREST_TYPES);

/** Reference rates a floating offer may float on. */
export const REFERENCE_RATES = [
  'TLREF',
  'TCMB_POLICY',
  'SOFR',
  'EURIBOR_3M',
  'EURIBOR_6M',
] as const;
export const ReferenceRateSchema = z.enum(REFERENCE_RATES);

/** Collateral beyond the guarantee (teminat türü). */
export const COLLATERAL_TYPES = [
  'NONE',
  'PERSONAL_SURETY',
  'CHEQUE_ASSIGNMENT',
  'RECEIVABLE_ASSIGNMENT',
  'PLEDGE',
  'MORTGAGE',
  'CASH_BLOCKAGE',
  'OTHER',
] as const;
export const CollateralTypeSchema = z.enum(COLLATERAL_TYPES);

/** Credit type (kredi türü). */
export const CREDIT_TYPES = [
  'SPOT',
  'REVOLVING',
  'INSTALMENT',
  'EXPORT_REDISCOUNT',
  'PRE_EXPORT',
  'OTHER',
] as const;
export const CreditTypeSchema = z.enum(CREDIT_TYPES);

const Months = z.number().int().nonnegative().max(360);

/**
 * The offer's terms as a bank sends them (DOMAIN.md section 4): every field but the offer date,
 * which the server sets. Amounts are decimal strings in the application's currency.
 */
export const OfferTermsInputSchema = z
  .strictObject({
    maturityMonths: Months.min(1),
    totalRepaymentAmount: DecimalAmountSchema,
    interestType: InterestTypeSchema,
    /** Annual percent; for FLOATING the current all-in rate (reference value + spread). */
    interestRate: RatePercentSchema,
    referenceRate: ReferenceRateSchema.optional(),
    spread: RatePercentSchema.optional(),
    principalPaymentFrequency: PaymentFrequencySchema,
    interestPaymentFrequency: PaymentFrequencySchema,
    collateralType: CollateralTypeSchema,
    totalExpenseAmount: NonNegativeDecimalAmountSchema,
    creditType: CreditTypeSchema,
    totalCommissionAmount: NonNegativeDecimalAmountSchema,
    principalGraceMonths: Months,
    interestGraceMonths: Months,
    branchCode: z.string().regex(/^\d{4,5}$/, 'must be a 4 or 5 digit branch code'),
    representativeName: z.string().trim().min(2).max(120),
    phone: z
      .string()
      .regex(/^\+90 ?\d{3} ?\d{3} ?\d{2} ?\d{2}$|^0\d{10}$/, 'must be a Turkish phone number'),
    email: z.email().max(254),
  })
  .superRefine((terms, ctx) => {
    if (terms.interestType === 'FLOATING') {
      if (!terms.referenceRate) {
        ctx.addIssue({ code: 'custom', path: ['referenceRate'], message: 'required for FLOATING' });
      }
      if (!terms.spread) {
        ctx.addIssue({ code: 'custom', path: ['spread'], message: 'required for FLOATING' });
      }
    } else if (terms.referenceRate !== undefined || terms.spread !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [terms.referenceRate !== undefined ? 'referenceRate' : 'spread'],
        message: 'only for FLOATING offers',
      });
    }
    for (const field of ['principalGraceMonths', 'interestGraceMonths'] as const) {
      if (terms[field] >= terms.maturityMonths) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: 'must be shorter than the maturity',
        });
      }
    }
  });
export type OfferTermsInput = z.infer<typeof OfferTermsInputSchema>;

/** The terms as recorded in an event: the input plus the offer date the server set. */
export const OfferTermsSchema = z.object({
  offerDate: z.iso.date(),
  maturityMonths: Months.min(1),
  totalRepaymentAmount: z.string(),
  interestType: InterestTypeSchema,
  interestRate: z.string(),
  referenceRate: ReferenceRateSchema.optional(),
  spread: z.string().optional(),
  principalPaymentFrequency: PaymentFrequencySchema,
  interestPaymentFrequency: PaymentFrequencySchema,
  collateralType: CollateralTypeSchema,
  totalExpenseAmount: z.string(),
  creditType: CreditTypeSchema,
  totalCommissionAmount: z.string(),
  principalGraceMonths: Months,
  interestGraceMonths: Months,
  branchCode: z.string(),
  representativeName: z.string(),
  phone: z.string(),
  email: z.string(),
});
export type OfferTerms = z.infer<typeof OfferTermsSchema>;

/** R16: after the close a bank may withdraw only for these; before it, BANK_DECISION too. */
export const WITHDRAWAL_REASONS_AFTER_CLOSE = [
  'SELECTION_WINDOW_LAPSED',
  'UNTRUE_OR_INCOMPLETE_STATEMENTS',
  'CREDITWORTHINESS_WORSENED',
  'WRONG_OR_MISSING_INFORMATION',
  'REGULATORY_CHANGE',
] as const;
export const WITHDRAWAL_REASONS = ['BANK_DECISION', ...WITHDRAWAL_REASONS_AFTER_CLOSE] as const;
export const WithdrawalReasonSchema = z.enum(WITHDRAWAL_REASONS);
export type WithdrawalReason = z.infer<typeof WithdrawalReasonSchema>;

import { z } from 'zod';
import { PACKAGE_CODES } from './catalogue';
import { OfferTermsInputSchema, WithdrawalReasonSchema } from './offer-terms';
import { CurrencySchema, DecimalAmountSchema } from './values/money';
import { TcknSchema, VknSchema } from './values/identifiers';

/*
 * Command bodies as the API takes them, shared with the web forms. Objects are strict: an unknown
 * field is refused rather than silently dropped.
 */

// control characters, bidi overrides and broken surrogates have no place in what people read
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Free text a person types: trimmed, printable, well-formed Unicode, at most `max` characters. */
export const PlainText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((text) => !UNPRINTABLE.test(text), {
      message: 'contains characters that cannot be shown (control or direction characters)',
    });

const Text = (max: number) => PlainText(max).min(1, 'must not be empty');

export const RegisterCommand = z.strictObject({
  fullName: Text(120),
  tckn: TcknSchema,
  email: z.email().max(254),
  mobilePhone: z.string().regex(/^(\+90|0)?5\d{9}$/, 'must be a Turkish mobile number (5xx...)'),
  password: z.string().min(12, 'must be at least 12 characters').max(256),
});

export const LoginCommand = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(256),
});

export const VerifyFirmCommand = z.strictObject({ vkn: VknSchema });

export const SignContractCommand = z.strictObject({
  method: z.enum(['E_IMZA', 'MOBIL_IMZA']),
  /** The exact version the user read; signing an outdated text is refused. */
  contractVersion: z.string().min(1).optional(),
  /** MOBIL_IMZA only: the one-time code from the phone, on the second call. */
  otp: z
    .string()
    .regex(/^\d{6}$/, 'must be the 6-digit code')
    .optional(),
});

export const SubmitApplicationCommand = z.strictObject({
  firmVkn: VknSchema,
  packageCode: z.string().refine((code) => PACKAGE_CODES.includes(code), {
    message: `must be one of ${PACKAGE_CODES.join(', ')}`,
  }),
  amount: DecimalAmountSchema,
  currency: CurrencySchema,
  maturityMonths: z.number().int().min(1).max(360),
  purpose: Text(500),
});

export const SubmitOfferCommand = OfferTermsInputSchema;
export const ReviseOfferCommand = OfferTermsInputSchema;

export const WithdrawOfferCommand = z.strictObject({
  reason: WithdrawalReasonSchema,
  note: PlainText(1000).default(''),
});

export const DeclineCommand = z.strictObject({ note: PlainText(1000).default('') });

export const RequestInformationCommand = z.strictObject({ question: Text(2000) });

export const AnswerInformationCommand = z.strictObject({ answer: Text(4000) });

export const SelectOfferCommand = z.strictObject({ offerId: z.uuid() });

export const RecordBankApplicationCommand = z.strictObject({
  referenceNumber: z.string().trim().min(1).max(32),
});

export const CancelApplicationCommand = z.strictObject({
  reason: PlainText(1000).default(''),
});

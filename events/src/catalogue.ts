import { z } from 'zod';
import catalogueData from './catalogue.json';
import { CurrencySchema } from './values/money';

export const SEGMENTS = ['KOBI', 'KOBI_DISI'] as const;
export const SegmentSchema = z.enum(SEGMENTS);
export type Segment = z.infer<typeof SegmentSchema>;

const DecimalText = z.string().regex(/^\d+(\.\d+)?$/);

/** Terms of a package for one segment: limits in TRY equivalent, ratio in percent. */
const PackageTermsSchema = z.object({
  maxLoanTry: DecimalText,
  /** Guarantee ratio (percent) for a current exporter. */
  guaranteeRatio: DecimalText,
  /** Ratio for a potential exporter (no exports yet); absent means the package needs export history. */
  potentialExporterRatio: DecimalText.optional(),
});

export const GuaranteePackageSchema = z.object({
  code: z.string().regex(/^[A-Z-]+$/),
  name: z.string(),
  nameEn: z.string(),
  description: z.string(),
  segments: z.partialRecord(SegmentSchema, PackageTermsSchema),
  maxMaturityMonths: z.number().int().positive(),
  maxGraceMonths: z.number().int().nonnegative(),
  /** Upfront guarantee fee, percent of the guarantee amount. */
  guaranteeFeePercent: DecimalText,
  currencies: z.array(CurrencySchema).nonempty(),
});
export type GuaranteePackage = z.infer<typeof GuaranteePackageSchema>;

/** The catalogue is data (catalogue.json), validated when loaded. */
export const PACKAGE_CATALOGUE: readonly GuaranteePackage[] = z
  .array(GuaranteePackageSchema)
  .parse(catalogueData);

export const PACKAGE_CODES = PACKAGE_CATALOGUE.map((p) => p.code);

export function findPackage(code: string): GuaranteePackage | undefined {
  return PACKAGE_CATALOGUE.find((p) => p.code === code);
}

/** SME (KOBİ): fewer than 250 employees and net sales or balance sheet up to 1 billion TRY (Aug 2025). */
export const SME_MAX_EMPLOYEES = 250;
export const SME_MAX_NET_SALES_TRY = '1000000000.00';

export const CREDIT_NOTE_LABELS = {
  1: { tr: 'Mükemmel', en: 'Excellent' },
  2: { tr: 'Çok İyi', en: 'Very good' },
  3: { tr: 'İyi', en: 'Good' },
  4: { tr: 'Orta', en: 'Average' },
  5: { tr: 'Riskli', en: 'Risky' },
  6: { tr: 'Çok Riskli', en: 'Very risky' },
  7: { tr: 'En Riskli', en: 'Most risky' },
} as const;
export type CreditNote = keyof typeof CREDIT_NOTE_LABELS;

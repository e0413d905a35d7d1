import type { CreditNote } from '@kefalet/events';

/*
 * The scorecard as data (R5): the scorer reads these tables, and docs print them, so the two cannot
 * drift apart. Changing any number here is a new model: bump MODEL_VERSION.
 */

export const MODEL_VERSION = 'ige-scorecard-2026.12';

/** A factor band: a measured value at or above `min` (and below the previous band) earns `points`. */
export interface Band<T extends number | bigint> {
  readonly min: T;
  readonly points: number;
  readonly label: string;
  readonly labelEn: string;
}

/** Full years since founding. */
export const COMPANY_AGE_BANDS: readonly Band<number>[] = [
  { min: 10, points: 14, label: '10 yıl ve üzeri', labelEn: '10 years or more' },
  { min: 5, points: 10, label: '5–9 yıl', labelEn: '5–9 years' },
  { min: 2, points: 5, label: '2–4 yıl', labelEn: '2–4 years' },
  { min: 0, points: 0, label: '2 yıldan az', labelEn: 'under 2 years' },
];

/** KKB company score, 0–1900. */
export const BUREAU_SCORE_BANDS: readonly Band<number>[] = [
  { min: 1700, points: 30, label: '1700 ve üzeri', labelEn: '1700 or more' },
  { min: 1500, points: 24, label: '1500–1699', labelEn: '1500–1699' },
  { min: 1300, points: 18, label: '1300–1499', labelEn: '1300–1499' },
  { min: 1100, points: 12, label: '1100–1299', labelEn: '1100–1299' },
  { min: 900, points: 6, label: '900–1099', labelEn: '900–1099' },
  { min: 0, points: 0, label: '900 altı', labelEn: 'below 900' },
];

/** Exports in the last 12 months, FOB, in US cents. */
export const EXPORT_VOLUME_BANDS: readonly Band<bigint>[] = [
  { min: 500_000_000n, points: 16, label: '5 milyon $ ve üzeri', labelEn: 'USD 5m or more' },
  { min: 100_000_000n, points: 12, label: '1–5 milyon $', labelEn: 'USD 1m–5m' },
  { min: 25_000_000n, points: 8, label: '250 bin–1 milyon $', labelEn: 'USD 250k–1m' },
  { min: 1n, points: 4, label: '250 bin $ altı', labelEn: 'under USD 250k' },
  { min: 0n, points: 0, label: 'ihracat yok', labelEn: 'no exports' },
];

export type ExportTrend = 'GROWING' | 'STABLE' | 'NEW' | 'DECLINING' | 'NONE';

/** Last 12 months against the 12 before them (24-month total minus the last 12). */
export const EXPORT_TREND_POINTS: Readonly<
  Record<ExportTrend, { points: number; label: string; labelEn: string }>
> = {
  GROWING: { points: 8, label: 'artıyor (%10 ve üzeri)', labelEn: 'growing (10% or more)' },
  STABLE: { points: 5, label: 'istikrarlı (±%10 içinde)', labelEn: 'stable (within ±10%)' },
  NEW: {
    points: 4,
    label: 'yeni (önceki 12 ayda ihracat yok)',
    labelEn: 'new (no exports in the 12 months before)',
  },
  DECLINING: { points: 0, label: "azalıyor (%10'dan fazla)", labelEn: 'declining (over 10%)' },
  NONE: { points: 0, label: 'son 24 ayda ihracat yok', labelEn: 'no exports in 24 months' },
};

/** Export declarations in the last 12 months: regular shipping is a sign of a steady business. */
export const EXPORT_REGULARITY_BANDS: readonly Band<number>[] = [
  { min: 24, points: 6, label: '24 ve üzeri beyanname', labelEn: '24 or more declarations' },
  { min: 6, points: 3, label: '6–23 beyanname', labelEn: '6–23 declarations' },
  { min: 0, points: 0, label: '6 beyannameden az', labelEn: 'fewer than 6 declarations' },
];

/** SGK headcount. */
export const HEADCOUNT_BANDS: readonly Band<number>[] = [
  { min: 250, points: 8, label: '250 ve üzeri çalışan', labelEn: '250 or more employees' },
  { min: 50, points: 6, label: '50–249 çalışan', labelEn: '50–249 employees' },
  { min: 10, points: 4, label: '10–49 çalışan', labelEn: '10–49 employees' },
  { min: 0, points: 2, label: '10 çalışandan az', labelEn: 'fewer than 10 employees' },
];

/** Last year's net sales, in kuruş. */
export const NET_SALES_BANDS: readonly Band<bigint>[] = [
  { min: 100_000_000_000n, points: 8, label: '1 milyar ₺ ve üzeri', labelEn: 'TRY 1bn or more' },
  { min: 10_000_000_000n, points: 6, label: '100 milyon–1 milyar ₺', labelEn: 'TRY 100m–1bn' },
  { min: 1_000_000_000n, points: 4, label: '10–100 milyon ₺', labelEn: 'TRY 10m–100m' },
  { min: 0n, points: 2, label: '10 milyon ₺ altı', labelEn: 'under TRY 10m' },
];

/** Bounced cheques the firm has since paid (unsettled ones are a knock-out). */
export const SETTLED_CHEQUE_BANDS: readonly Band<number>[] = [
  { min: 3, points: -6, label: '3 ve üzeri', labelEn: '3 or more' },
  { min: 1, points: 0, label: '1–2', labelEn: '1–2' },
  { min: 0, points: 6, label: 'yok', labelEn: 'none' },
];

/** Total score -> İGE Kredi Notu: the first band whose minimum the score reaches; below all, 7. */
export const CREDIT_NOTE_BANDS: readonly { note: CreditNote; minScore: number }[] = [
  { note: 1, minScore: 80 },
  { note: 2, minScore: 70 },
  { note: 3, minScore: 60 },
  { note: 4, minScore: 50 },
  { note: 5, minScore: 40 },
  { note: 6, minScore: 30 },
];
export const WORST_CREDIT_NOTE: CreditNote = 7;

export type RuleKind = 'KNOCKOUT' | 'FACTOR' | 'PACKAGE_RULE';

export interface ScorecardRule {
  readonly code: string;
  readonly kind: RuleKind;
  readonly description: string;
  readonly descriptionEn: string;
  /** FACTOR rules: the points of each band. */
  readonly points?: readonly { band: string; bandEn: string; points: number }[];
}

const bandPoints = (bands: readonly Band<number | bigint>[]) =>
  bands.map((b) => ({ band: b.label, bandEn: b.labelEn, points: b.points }));

/** Every rule the model applies, in the order its reasons are listed. */
export const SCORECARD_RULES: readonly ScorecardRule[] = [
  {
    code: 'REGISTRY_NOT_ACTIVE',
    kind: 'KNOCKOUT',
    description: 'Ticaret sicil kaydı faal değil (terk veya tasfiye).',
    descriptionEn: 'The trade registry entry is not active (closed or in liquidation).',
  },
  {
    code: 'TAX_DEBT',
    kind: 'KNOCKOUT',
    description: 'Vadesi geçmiş vergi borcu var.',
    descriptionEn: 'The firm owes overdue tax.',
  },
  {
    code: 'SGK_PREMIUM_DEBT',
    kind: 'KNOCKOUT',
    description: 'SGK prim borcu var.',
    descriptionEn: 'The firm owes social security premiums.',
  },
  {
    code: 'OPEN_PROCEEDINGS',
    kind: 'KNOCKOUT',
    description: 'Firma hakkında açık icra takibi var.',
    descriptionEn: 'Collection proceedings against the firm are open.',
  },
  {
    code: 'UNSETTLED_BOUNCED_CHEQUES',
    kind: 'KNOCKOUT',
    description: 'Ödenmemiş karşılıksız çek kaydı var.',
    descriptionEn: 'The firm has bounced cheques it has not settled.',
  },
  {
    code: 'CREDIT_NOTE_7',
    kind: 'KNOCKOUT',
    description: 'İGE Kredi Notu 7 (En Riskli) olan başvuruya kefalet verilmez.',
    descriptionEn: 'No guarantee is given at İGE credit note 7 (most risky).',
  },
  {
    code: 'PACKAGE_UNKNOWN',
    kind: 'PACKAGE_RULE',
    description: 'Seçilen paket katalogda yok.',
    descriptionEn: 'The chosen package is not in the catalogue.',
  },
  {
    code: 'PACKAGE_SEGMENT',
    kind: 'PACKAGE_RULE',
    description: 'Paket firmanın segmentine (KOBİ / KOBİ dışı) açık olmalı.',
    descriptionEn: "The package must serve the firm's segment (SME / non-SME).",
  },
  {
    code: 'PACKAGE_CURRENCY',
    kind: 'PACKAGE_RULE',
    description: 'Paket başvurunun para birimiyle kullanılabilmeli.',
    descriptionEn: "The package must be available in the application's currency.",
  },
  {
    code: 'AMOUNT_OVER_LIMIT',
    kind: 'PACKAGE_RULE',
    description: 'Tutar (TL karşılığı) paketin segment üst limitini aşamaz.',
    descriptionEn:
      "The amount (TRY equivalent) must not exceed the package's limit for the segment.",
  },
  {
    code: 'MATURITY_TOO_LONG',
    kind: 'PACKAGE_RULE',
    description: 'Vade paketin azami vadesini aşamaz.',
    descriptionEn: "The maturity must not exceed the package's maximum.",
  },
  {
    code: 'EXPORT_HISTORY_REQUIRED',
    kind: 'PACKAGE_RULE',
    description: 'Potansiyel ihracatçı oranı olmayan paket, son 12 ayda ihracat gerektirir.',
    descriptionEn:
      'A package without a potential-exporter ratio needs exports in the last 12 months.',
  },
  {
    code: 'GUARANTEE_RATIO',
    kind: 'PACKAGE_RULE',
    description:
      'Kefalet oranı paketin segment oranıdır; son 12 ayda ihracatı olmayana potansiyel ihracatçı oranı uygulanır (uygun başvuruda bilgi olarak).',
    descriptionEn:
      "The guarantee ratio is the package's ratio for the segment; without exports in the last 12 months, its potential-exporter ratio (listed on eligible decisions, for information).",
  },
  {
    code: 'COMPANY_AGE',
    kind: 'FACTOR',
    description: 'Kuruluştan bu yana geçen tam yıl.',
    descriptionEn: 'Full years since founding.',
    points: bandPoints(COMPANY_AGE_BANDS),
  },
  {
    code: 'BUREAU_SCORE',
    kind: 'FACTOR',
    description: 'KKB firma skoru (0–1900).',
    descriptionEn: 'Credit bureau (KKB) company score (0–1900).',
    points: bandPoints(BUREAU_SCORE_BANDS),
  },
  {
    code: 'EXPORT_VOLUME',
    kind: 'FACTOR',
    description: 'Son 12 ay ihracatı (FOB, ABD doları).',
    descriptionEn: 'Exports in the last 12 months (FOB, USD).',
    points: bandPoints(EXPORT_VOLUME_BANDS),
  },
  {
    code: 'EXPORT_TREND',
    kind: 'FACTOR',
    description: 'Son 12 ay ihracatının önceki 12 aya göre değişimi.',
    descriptionEn: 'Exports in the last 12 months against the 12 months before.',
    points: Object.values(EXPORT_TREND_POINTS).map((t) => ({
      band: t.label,
      bandEn: t.labelEn,
      points: t.points,
    })),
  },
  {
    code: 'EXPORT_REGULARITY',
    kind: 'FACTOR',
    description: 'Son 12 aydaki ihracat beyannamesi sayısı.',
    descriptionEn: 'Export declarations in the last 12 months.',
    points: bandPoints(EXPORT_REGULARITY_BANDS),
  },
  {
    code: 'HEADCOUNT',
    kind: 'FACTOR',
    description: 'SGK çalışan sayısı.',
    descriptionEn: 'Employees registered with social security (SGK).',
    points: bandPoints(HEADCOUNT_BANDS),
  },
  {
    code: 'NET_SALES',
    kind: 'FACTOR',
    description: 'Geçen yılın net satışları.',
    descriptionEn: "Last year's net sales.",
    points: bandPoints(NET_SALES_BANDS),
  },
  {
    code: 'SETTLED_BOUNCED_CHEQUES',
    kind: 'FACTOR',
    description: 'Sonradan ödenmiş karşılıksız çek geçmişi.',
    descriptionEn: 'History of bounced cheques the firm has since settled.',
    points: bandPoints(SETTLED_CHEQUE_BANDS),
  },
];

import { DateTime } from 'luxon';
import {
  CREDIT_NOTE_LABELS,
  InvalidValueError,
  findPackage,
  formatMoneyTr,
  minorFromDecimalString,
  parseScaledDecimal,
  toDecimalString,
  type CreditNote,
  type Currency,
  type EventData,
  type FirmDataSnapshot,
  type GuaranteePackage,
  type Segment,
} from '@kefalet/events';
import {
  BUREAU_SCORE_BANDS,
  COMPANY_AGE_BANDS,
  CREDIT_NOTE_BANDS,
  EXPORT_REGULARITY_BANDS,
  EXPORT_TREND_POINTS,
  EXPORT_VOLUME_BANDS,
  HEADCOUNT_BANDS,
  MODEL_VERSION,
  NET_SALES_BANDS,
  SETTLED_CHEQUE_BANDS,
  WORST_CREDIT_NOTE,
  type Band,
  type ExportTrend,
} from './rules';

export interface ScoreInput {
  readonly snapshot: FirmDataSnapshot;
  readonly segment: Segment;
  readonly packageCode: string;
  /** Decimal string in `currency`, e.g. "1500000.00". */
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  /** Only the firm's age depends on it. */
  readonly now: Date;
  /** Decimal strings, TRY per unit; TRY itself is "1". */
  readonly fxRatesToTry: Readonly<Record<Currency, string>>;
}

/** The ApplicationScored event's data, less what the caller adds (applicationId, scoredAt). */
export type ScoreDecision = Omit<EventData<'ApplicationScored'>, 'applicationId' | 'scoredAt'>;
export type ScoreReason = ScoreDecision['reasons'][number];

/**
 * R5: the versioned scorecard. Pure: the same input gives the same decision, so a replay with the
 * recorded model version reproduces it. Ineligible when any knock-out or package rule fails, or at
 * credit note 7; an ineligible decision carries ratio "0" and amount "0.00".
 */
export function scoreApplication(input: ScoreInput): ScoreDecision {
  const amountMinor = minorFromDecimalString(input.amount, 'amount');
  if (!Number.isInteger(input.maturityMonths) || input.maturityMonths <= 0) {
    throw new InvalidValueError('maturityMonths', 'must be a positive whole number of months');
  }
  const fxRate = parseDecimal(input.fxRatesToTry[input.currency], `fxRatesToTry.${input.currency}`);
  if (fxRate.units === 0n) {
    throw new InvalidValueError(`fxRatesToTry.${input.currency}`, 'must be greater than zero');
  }

  const factors = scoreFactors(input.snapshot, input.now);
  const score = factors.reduce((sum, reason) => sum + (reason.points ?? 0), 0);
  const creditNote = creditNoteForScore(score);

  const knockouts = knockoutReasons(input.snapshot);
  if (creditNote === WORST_CREDIT_NOTE) {
    knockouts.push({
      code: 'CREDIT_NOTE_7',
      kind: 'KNOCKOUT',
      message: `İGE Kredi Notu 7 (En Riskli, ${score} puan): kefalet verilemez.`,
      messageEn: `İGE credit note 7 (most risky, score ${score}): no guarantee can be given.`,
    });
  }
  const terms = packageTerms(input, amountMinor, fxRate);
  const eligible = knockouts.length === 0 && terms.kind === 'fits';

  const guarantee = eligible
    ? { ratio: terms.ratio, minor: guaranteeOf(amountMinor, terms.ratio) }
    : { ratio: '0', minor: 0n };
  const reasons = eligible
    ? [terms.ratioReason, ...factors]
    : [...knockouts, ...(terms.kind === 'breaks' ? terms.reasons : []), ...factors];
  return {
    modelVersion: MODEL_VERSION,
    eligible,
    score,
    creditNote,
    creditNoteLabel: CREDIT_NOTE_LABELS[creditNote].tr,
    reasons,
    guaranteeRatio: guarantee.ratio,
    guaranteeAmount: toDecimalString(guarantee.minor),
    currency: input.currency,
  };
}

/** amount × ratio / 100, rounded half up to the kuruş (cent). */
function guaranteeOf(amountMinor: bigint, ratioPercent: string): bigint {
  const ratio = parseDecimal(ratioPercent, 'guaranteeRatio');
  return divideHalfUp(amountMinor * ratio.units, 100n * ratio.scale);
}

/** When the decision is ineligible: the reasons that made it so (knock-outs and package rules). */
export function blockingReasons(decision: ScoreDecision): ScoreReason[] {
  return decision.eligible ? [] : decision.reasons.filter((reason) => reason.kind !== 'FACTOR');
}

// ---- knock-outs ----

function knockoutReasons(snapshot: FirmDataSnapshot): ScoreReason[] {
  const reasons: ScoreReason[] = [];
  const { registry, tax, socialSecurity, creditBureau } = snapshot;
  const knockout = (code: string, message: string, messageEn: string) =>
    reasons.push({ code, kind: 'KNOCKOUT', message, messageEn });

  if (registry.status === 'INACTIVE') {
    knockout(
      'REGISTRY_NOT_ACTIVE',
      'Ticaret sicil kaydı faal değildir.',
      'The trade registry entry is not active.',
    );
  } else if (registry.status === 'IN_LIQUIDATION') {
    knockout('REGISTRY_NOT_ACTIVE', 'Firma tasfiye halindedir.', 'The firm is in liquidation.');
  }
  const taxDebt = minorFromDecimalString(tax.taxDebt, 'taxDebt');
  if (taxDebt > 0n) {
    knockout(
      'TAX_DEBT',
      `Vergi borcu bulunmaktadır (${moneyTr(taxDebt, 'TRY')}).`,
      `The firm has tax debt (${moneyEn(taxDebt, 'TRY')}).`,
    );
  }
  const premiumDebt = minorFromDecimalString(socialSecurity.premiumDebt, 'premiumDebt');
  if (premiumDebt > 0n) {
    knockout(
      'SGK_PREMIUM_DEBT',
      `SGK prim borcu bulunmaktadır (${moneyTr(premiumDebt, 'TRY')}).`,
      `The firm owes social security premiums (${moneyEn(premiumDebt, 'TRY')}).`,
    );
  }
  if (creditBureau.openProceedings > 0) {
    knockout(
      'OPEN_PROCEEDINGS',
      `Firma hakkında ${creditBureau.openProceedings} adet açık icra takibi bulunmaktadır.`,
      `Open collection proceedings against the firm: ${creditBureau.openProceedings}.`,
    );
  }
  if (creditBureau.unsettledBouncedCheques > 0) {
    knockout(
      'UNSETTLED_BOUNCED_CHEQUES',
      `${creditBureau.unsettledBouncedCheques} adet ödenmemiş karşılıksız çek kaydı bulunmaktadır.`,
      `Bounced cheques not settled: ${creditBureau.unsettledBouncedCheques}.`,
    );
  }
  return reasons;
}

// ---- package rules (R3) ----

type PackageTerms =
  | { kind: 'fits'; ratio: string; ratioReason: ScoreReason }
  | { kind: 'breaks'; reasons: ScoreReason[] };

const SEGMENT_NAME: Record<Segment, { tr: string; en: string }> = {
  KOBI: { tr: 'KOBİ', en: 'SME' },
  KOBI_DISI: { tr: 'KOBİ dışı', en: 'non-SME' },
};

function packageTerms(input: ScoreInput, amountMinor: bigint, fxRate: Decimal): PackageTerms {
  const rule = (code: string, message: string, messageEn: string): ScoreReason => ({
    code,
    kind: 'PACKAGE_RULE',
    message,
    messageEn,
  });
  const pkg = findPackage(input.packageCode);
  if (!pkg) {
    return {
      kind: 'breaks',
      reasons: [
        rule(
          'PACKAGE_UNKNOWN',
          `${input.packageCode} kodlu bir kefalet paketi bulunmamaktadır.`,
          `There is no guarantee package with code ${input.packageCode}.`,
        ),
      ],
    };
  }
  const reasons: ScoreReason[] = [];
  const segment = SEGMENT_NAME[input.segment];
  const terms = pkg.segments[input.segment];
  if (!terms) {
    reasons.push(
      rule(
        'PACKAGE_SEGMENT',
        `${pkg.name} ${segment.tr} firmalara açık değildir.`,
        `${pkg.nameEn} is not open to ${segment.en} firms.`,
      ),
    );
  }
  if (!pkg.currencies.includes(input.currency)) {
    reasons.push(
      rule(
        'PACKAGE_CURRENCY',
        `${pkg.name} ${input.currency} cinsinden kullanılamaz.`,
        `${pkg.nameEn} is not available in ${input.currency}.`,
      ),
    );
  }
  if (terms) {
    const limit = minorFromDecimalString(terms.maxLoanTry, 'maxLoanTry');
    // exact: amount × rate against limit × scale, no rounding before the comparison
    if (amountMinor * fxRate.units > limit * fxRate.scale) {
      reasons.push(
        rule('AMOUNT_OVER_LIMIT', ...overLimitMessages(input, amountMinor, fxRate, limit)),
      );
    }
  }
  if (input.maturityMonths > pkg.maxMaturityMonths) {
    reasons.push(
      rule(
        'MATURITY_TOO_LONG',
        `Vade (${input.maturityMonths} ay) paketin azami vadesini (${pkg.maxMaturityMonths} ay) aşmaktadır.`,
        `The maturity (${input.maturityMonths} months) exceeds the package's maximum (${pkg.maxMaturityMonths} months).`,
      ),
    );
  }
  const exporting = minorFromDecimalString(input.snapshot.customs.exportsLast12MonthsUsd) > 0n;
  if (terms && !exporting && terms.potentialExporterRatio === undefined) {
    reasons.push(
      rule(
        'EXPORT_HISTORY_REQUIRED',
        `${pkg.name} son 12 ayda ihracat gerektirir; firmanın son 12 ayda ihracatı yoktur.`,
        `${pkg.nameEn} needs exports in the last 12 months; the firm has none.`,
      ),
    );
  }
  if (reasons.length > 0 || !terms) return { kind: 'breaks', reasons };
  return guaranteeRatioOf(pkg, terms, exporting);
}

function overLimitMessages(
  input: ScoreInput,
  amountMinor: bigint,
  fxRate: Decimal,
  limit: bigint,
): [string, string] {
  const segment = SEGMENT_NAME[input.segment];
  let amountTr = moneyTr(amountMinor, input.currency);
  let amountEn = moneyEn(amountMinor, input.currency);
  if (input.currency !== 'TRY') {
    const inTry = divideHalfUp(amountMinor * fxRate.units, fxRate.scale);
    amountTr += ` ≈ ${moneyTr(inTry, 'TRY')}`;
    amountEn += ` ≈ ${moneyEn(inTry, 'TRY')}`;
  }
  return [
    `Tutar (${amountTr}) paketin ${segment.tr} üst limitini (${moneyTr(limit, 'TRY')}) aşmaktadır.`,
    `The amount (${amountEn}) exceeds the package's ${segment.en} limit (${moneyEn(limit, 'TRY')}).`,
  ];
}

function guaranteeRatioOf(
  pkg: GuaranteePackage,
  terms: NonNullable<GuaranteePackage['segments'][Segment]>,
  exporting: boolean,
): PackageTerms {
  const ratio = exporting ? terms.guaranteeRatio : terms.potentialExporterRatio!;
  const ratioTr = `%${ratio.replace('.', ',')}`;
  const ratioReason: ScoreReason = exporting
    ? {
        code: 'GUARANTEE_RATIO',
        kind: 'PACKAGE_RULE',
        message: `${pkg.name}: kefalet oranı ${ratioTr} (mevcut ihracatçı).`,
        messageEn: `${pkg.nameEn}: guarantee ratio ${ratio}% (current exporter).`,
      }
    : {
        code: 'GUARANTEE_RATIO',
        kind: 'PACKAGE_RULE',
        message: `${pkg.name}: kefalet oranı ${ratioTr} (potansiyel ihracatçı: son 12 ayda ihracat yok).`,
        messageEn: `${pkg.nameEn}: guarantee ratio ${ratio}% (potential exporter: no exports in the last 12 months).`,
      };
  return { kind: 'fits', ratio, ratioReason };
}

// ---- scorecard factors ----

function scoreFactors(snapshot: FirmDataSnapshot, now: Date): ScoreReason[] {
  const { registry, tax, socialSecurity, customs, creditBureau } = snapshot;
  const factor = (
    code: string,
    band: { points: number },
    message: string,
    messageEn: string,
  ): ScoreReason => ({ code, kind: 'FACTOR', message, messageEn, points: band.points });

  const age = fullYearsSince(registry.foundedOn, now);
  const ageBand = bandOf(COMPANY_AGE_BANDS, age);
  const bureau = bandOf(BUREAU_SCORE_BANDS, creditBureau.companyScore);
  const exports12 = minorFromDecimalString(customs.exportsLast12MonthsUsd);
  const exports24 = minorFromDecimalString(customs.exportsLast24MonthsUsd);
  const previous12 = exports24 > exports12 ? exports24 - exports12 : 0n;
  const volume = bandOf(EXPORT_VOLUME_BANDS, exports12);
  const trend = EXPORT_TREND_POINTS[exportTrend(exports12, previous12)];
  const regularity = bandOf(EXPORT_REGULARITY_BANDS, customs.declarationsLast12Months);
  const headcount = bandOf(HEADCOUNT_BANDS, socialSecurity.headcount);
  const netSales = minorFromDecimalString(tax.netSalesLastYear);
  const sales = bandOf(NET_SALES_BANDS, netSales);
  const settled = creditBureau.bouncedCheques - creditBureau.unsettledBouncedCheques;
  const cheques = bandOf(SETTLED_CHEQUE_BANDS, Math.max(0, settled));

  return [
    factor(
      'COMPANY_AGE',
      ageBand,
      `Firma yaşı ${age} yıl (${ageBand.label}).`,
      `Company age ${age} years (${ageBand.labelEn}).`,
    ),
    factor(
      'BUREAU_SCORE',
      bureau,
      `KKB firma skoru ${creditBureau.companyScore} (${bureau.label}).`,
      `Credit bureau company score ${creditBureau.companyScore} (${bureau.labelEn}).`,
    ),
    factor(
      'EXPORT_VOLUME',
      volume,
      `Son 12 ay ihracatı ${moneyTr(exports12, 'USD')} (${volume.label}).`,
      `Exports in the last 12 months: ${moneyEn(exports12, 'USD')} (${volume.labelEn}).`,
    ),
    factor(
      'EXPORT_TREND',
      trend,
      `İhracat eğilimi ${trend.label}: son 12 ay ${moneyTr(exports12, 'USD')}, önceki 12 ay ${moneyTr(previous12, 'USD')}.`,
      `Export trend ${trend.labelEn}: last 12 months ${moneyEn(exports12, 'USD')}, the 12 before ${moneyEn(previous12, 'USD')}.`,
    ),
    factor(
      'EXPORT_REGULARITY',
      regularity,
      `Son 12 ayda ${customs.declarationsLast12Months} ihracat beyannamesi (${regularity.label}).`,
      `${customs.declarationsLast12Months} export declarations in the last 12 months (${regularity.labelEn}).`,
    ),
    factor(
      'HEADCOUNT',
      headcount,
      `SGK çalışan sayısı ${socialSecurity.headcount} (${headcount.label}).`,
      `${socialSecurity.headcount} employees registered with SGK (${headcount.labelEn}).`,
    ),
    factor(
      'NET_SALES',
      sales,
      `${tax.year} net satışları ${moneyTr(netSales, 'TRY')} (${sales.label}).`,
      `Net sales ${tax.year}: ${moneyEn(netSales, 'TRY')} (${sales.labelEn}).`,
    ),
    settled > 0
      ? factor(
          'SETTLED_BOUNCED_CHEQUES',
          cheques,
          `${settled} adet karşılıksız çek kaydı, sonradan ödenmiş (${cheques.label}).`,
          `${settled} bounced cheques, since settled (${cheques.labelEn}).`,
        )
      : factor(
          'SETTLED_BOUNCED_CHEQUES',
          cheques,
          'Karşılıksız çek kaydı yoktur.',
          'No bounced cheques on record.',
        ),
  ];
}

/** GROWING at +10 % or more, DECLINING below −10 %, STABLE between; NEW and NONE by absence. */
function exportTrend(last12: bigint, previous12: bigint): ExportTrend {
  if (previous12 === 0n) return last12 === 0n ? 'NONE' : 'NEW';
  if (last12 * 100n >= previous12 * 110n) return 'GROWING';
  if (last12 * 100n >= previous12 * 90n) return 'STABLE';
  return 'DECLINING';
}

function bandOf<T extends number | bigint>(bands: readonly Band<T>[], value: T): Band<T> {
  const band = bands.find((b) => value >= b.min) ?? bands[bands.length - 1];
  if (!band) throw new Error('a scorecard band table is empty');
  return band;
}

/** The fixed bands of CREDIT_NOTE_BANDS; below the last one, note 7. */
export function creditNoteForScore(score: number): CreditNote {
  return CREDIT_NOTE_BANDS.find((band) => score >= band.minScore)?.note ?? WORST_CREDIT_NOTE;
}

/** Whole years from the founding date to `now`'s date in Istanbul (0 if founded in the future). */
function fullYearsSince(foundedOn: string, now: Date): number {
  const today = DateTime.fromJSDate(now, { zone: 'Europe/Istanbul' }).toISODate()!;
  const [fy, fmd] = [Number(foundedOn.slice(0, 4)), foundedOn.slice(5)];
  const [ty, tmd] = [Number(today.slice(0, 4)), today.slice(5)];
  return Math.max(0, ty - fy - (tmd < fmd ? 1 : 0));
}

// ---- exact decimals ----

/** A non-negative decimal string as an integer over a power of ten: "34.215" -> 34215 / 1000. */
interface Decimal {
  readonly units: bigint;
  readonly scale: bigint;
}

function parseDecimal(text: string, field: string): Decimal {
  const places = /\.(\d+)$/.exec(text)?.[1]?.length ?? 0;
  return { units: parseScaledDecimal(text, places, field), scale: 10n ** BigInt(places) };
}

/** numerator / denominator, both non-negative, rounded half up. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

const moneyTr = (minor: bigint, currency: Currency) => formatMoneyTr({ minor, currency });

/** English display: "TRY 12,500.00". */
function moneyEn(minor: bigint, currency: Currency): string {
  const [whole, fraction] = toDecimalString(minor).split('.');
  return `${currency} ${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

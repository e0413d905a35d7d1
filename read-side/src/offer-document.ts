import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DateTime } from 'luxon';
import PDFDocument from 'pdfkit';
import {
  findPackage,
  formatMoneyTr,
  formatRateTr,
  minorFromDecimalString,
  parseScaledDecimal,
  RATE_PLACES,
  type COLLATERAL_TYPES,
  type CREDIT_TYPES,
  type Currency,
  type PAYMENT_FREQUENCIES,
  type REFERENCE_RATES,
} from '@kefalet/events';

/*
 * The printable offer document (R14): the firm lists the offers once the bidding has closed and
 * applies to its chosen bank with the reference number printed here before the deadline (R15).
 */

/** One offer as the offer board holds it (BoardOffer is assignable to it). */
export interface OfferDocumentOffer {
  /** 1 = best; null = withdrawn, which the board keeps but the document does not print. */
  rank: number | null;
  bankName: string;
  bankCode: string;
  /** YYYY-MM-DD */
  offerDate: string;
  maturityMonths: number;
  totalRepaymentAmount: string;
  interestType: 'FIXED' | 'FLOATING';
  interestRate: string;
  referenceRate?: string;
  spread?: string;
  principalPaymentFrequency: string;
  interestPaymentFrequency: string;
  collateralType: string;
  totalExpenseAmount: string;
  creditType: string;
  totalCommissionAmount: string;
  principalGraceMonths: number;
  interestGraceMonths: number;
  branchCode: string;
  representativeName: string;
  phone: string;
  email: string;
  /** Percent with two decimals: "46.21". */
  effectiveAnnualCost: string;
  /** Decimal string in the application's currency. */
  totalCost: string;
}

export interface OfferDocumentInput {
  referenceNumber: string;
  firm: { vkn: string; title: string };
  application: {
    applicationId: string;
    packageCode: string;
    /** Decimal string: "1500000.00". */
    amount: string;
    currency: Currency;
    maturityMonths: number;
    purpose: string;
  };
  /** Live offers in rank order; withdrawn ones (rank null) are left out. */
  offers: readonly OfferDocumentOffer[];
  /** ISO instant. */
  closedAt: string;
  /** ISO instant: the firm must apply to the chosen bank by then (R15). */
  selectionDeadline: string;
  generatedAt: Date;
}

const FONT_DIR = join(
  dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
);
// pdfkit's built-in fonts have no ş, ğ, ı, İ: every glyph comes from DejaVu.
const REGULAR = join(FONT_DIR, 'DejaVuSans.ttf');
const BOLD = join(FONT_DIR, 'DejaVuSans-Bold.ttf');

const ISTANBUL = 'Europe/Istanbul';

const FREQUENCY_LABELS: Record<(typeof PAYMENT_FREQUENCIES)[number], string> = {
  MONTHLY: 'Aylık',
  QUARTERLY: '3 aylık',
  SEMIANNUAL: '6 aylık',
  ANNUAL: 'Yıllık',
  AT_MATURITY: 'Vade sonunda',
};
const INTEREST_TYPE_LABELS: Record<OfferDocumentOffer['interestType'], string> = {
  FIXED: 'Sabit',
  FLOATING: 'Değişken',
};
const REFERENCE_RATE_LABELS: Record<(typeof REFERENCE_RATES)[number], string> = {
  TLREF: 'TLREF',
  TCMB_POLICY: 'TCMB politika faizi',
  SOFR: 'SOFR',
  EURIBOR_3M: 'EURIBOR (3 ay)',
  EURIBOR_6M: 'EURIBOR (6 ay)',
};
const CREDIT_TYPE_LABELS: Record<(typeof CREDIT_TYPES)[number], string> = {
  SPOT: 'Spot kredi',
  REVOLVING: 'Rotatif kredi',
  INSTALMENT: 'Taksitli kredi',
  EXPORT_REDISCOUNT: 'İhracat reeskont kredisi',
  PRE_EXPORT: 'Sevk öncesi ihracat kredisi',
  OTHER: 'Diğer',
};
const COLLATERAL_TYPE_LABELS: Record<(typeof COLLATERAL_TYPES)[number], string> = {
  NONE: 'Ek teminat yok',
  PERSONAL_SURETY: 'Şahıs kefaleti',
  CHEQUE_ASSIGNMENT: 'Çek temliki',
  RECEIVABLE_ASSIGNMENT: 'Alacak temliki',
  PLEDGE: 'Rehin',
  MORTGAGE: 'İpotek',
  CASH_BLOCKAGE: 'Nakit blokajı',
  OTHER: 'Diğer',
};

/** A code the tables do not know yet (a newer event) is printed as it is rather than dropped. */
function labelOf(labels: Record<string, string>, code: string): string {
  return Object.hasOwn(labels, code) ? (labels[code] ?? code) : code;
}

function dateTimeTr(iso: string | Date): string {
  const instant = typeof iso === 'string' ? DateTime.fromISO(iso) : DateTime.fromJSDate(iso);
  if (!instant.isValid) throw new Error(`not an ISO instant: ${String(iso)}`);
  return instant.setZone(ISTANBUL).toFormat('dd.MM.yyyy HH:mm');
}

/** A calendar date has no zone: "2026-12-03" is printed as 03.12.2026 wherever the server runs. */
function dateTr(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}

function percentTr(text: string, field: string): string {
  return formatRateTr({ scaled: parseScaledDecimal(text, RATE_PLACES, field) });
}

function monthsTr(months: number): string {
  return months === 0 ? 'Yok' : `${months} ay`;
}

function money(amount: string, currency: Currency, field: string): string {
  return formatMoneyTr({ minor: minorFromDecimalString(amount, field), currency });
}

function liveOffers(offers: readonly OfferDocumentOffer[]): OfferDocumentOffer[] {
  return offers
    .filter((offer) => offer.rank !== null)
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
}

type Field = readonly [label: string, value: string];

/** The 17 fields of an offer in the seed's order (DOMAIN.md section 4); floating adds two. */
function offerFields(offer: OfferDocumentOffer, currency: Currency): Field[] {
  const floating: Field[] =
    offer.interestType === 'FLOATING'
      ? [
          ['Referans faiz', labelOf(REFERENCE_RATE_LABELS, offer.referenceRate ?? '-')],
          ['Marj', offer.spread === undefined ? '-' : percentTr(offer.spread, 'spread')],
        ]
      : [];
  return [
    ['Teklif tarihi', dateTr(offer.offerDate)],
    ['Teklif vadesi', `${offer.maturityMonths} ay`],
    ['Toplam geri ödeme tutarı', money(offer.totalRepaymentAmount, currency, 'totalRepayment')],
    ['Faiz türü', INTEREST_TYPE_LABELS[offer.interestType]],
    ['Faiz oranı (yıllık)', percentTr(offer.interestRate, 'interestRate')],
    ...floating,
    ['Anapara ödeme sıklığı', labelOf(FREQUENCY_LABELS, offer.principalPaymentFrequency)],
    ['Faiz ödeme sıklığı', labelOf(FREQUENCY_LABELS, offer.interestPaymentFrequency)],
    ['Teminat türü', labelOf(COLLATERAL_TYPE_LABELS, offer.collateralType)],
    ['Toplam masraf tutarı', money(offer.totalExpenseAmount, currency, 'totalExpenseAmount')],
    ['Kredi türü', labelOf(CREDIT_TYPE_LABELS, offer.creditType)],
    ['Toplam komisyon tutarı', money(offer.totalCommissionAmount, currency, 'totalCommission')],
    ['Anapara ödemesiz dönem', monthsTr(offer.principalGraceMonths)],
    ['Faiz ödemesiz dönem', monthsTr(offer.interestGraceMonths)],
    ['Banka şube kodu', offer.branchCode],
    ['Müşteri temsilcisi', offer.representativeName],
    ['Telefon', offer.phone],
    ['E-posta', offer.email],
  ];
}

// ---- layout, in points (A4 is 595.28 x 841.89) ----

const MARGIN = 50;
const TOP = 44;
const BOTTOM = 60;
const LINE_GAP = 1;
const COLOR = {
  text: '#1a1a1a',
  muted: '#5f6b7a',
  brand: '#1f3a5f',
  rule: '#c9d1dc',
  band: '#eef2f7',
  warnFill: '#fff4e5',
  warn: '#c77700',
};

interface Style {
  font: 'regular' | 'bold';
  size: number;
  color?: string;
}
const LABEL: Style = { font: 'regular', size: 7, color: COLOR.muted };
const VALUE: Style = { font: 'regular', size: 9 };
const NOTE: Style = { font: 'regular', size: 8, color: COLOR.muted };
const HEADING: Style = { font: 'bold', size: 12, color: COLOR.brand };

type Doc = PDFKit.PDFDocument;

function useStyle(doc: Doc, style: Style): Doc {
  return doc
    .font(style.font)
    .fontSize(style.size)
    .fillColor(style.color ?? COLOR.text);
}

function measure(doc: Doc, text: string, style: Style, width: number): number {
  return useStyle(doc, style).heightOfString(text, { width, lineGap: LINE_GAP });
}

function widthOf(doc: Doc, text: string, style: Style): number {
  return useStyle(doc, style).widthOfString(text);
}

/** Writes `text` wrapped to `width` with its top at y; returns the y below it. */
function write(
  doc: Doc,
  text: string,
  style: Style,
  at: { x: number; y: number; width: number; align?: 'left' | 'center' | 'right' },
): number {
  const { x, y, width, align = 'left' } = at;
  useStyle(doc, style).text(text, x, y, { width, align, lineGap: LINE_GAP });
  return y + measure(doc, text, style, width);
}

const contentWidth = (doc: Doc) => doc.page.width - 2 * MARGIN;
const bottomOf = (doc: Doc) => doc.page.height - BOTTOM;
/** The height of a whole page's content area. */
const pageRoom = (doc: Doc) => bottomOf(doc) - TOP;

/** Starts a new page unless `height` still fits below doc.y. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottomOf(doc)) {
    doc.addPage();
    doc.y = TOP;
  }
}

function rule(doc: Doc, y: number, color = COLOR.rule): void {
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + contentWidth(doc), y)
    .lineWidth(0.6)
    .strokeColor(color)
    .stroke();
}

/** A filled box with a coloured bar on its left edge. */
function accentBox(doc: Doc, y: number, height: number, fill: string, bar: string): void {
  doc.rect(MARGIN, y, contentWidth(doc), height).fill(fill);
  doc.rect(MARGIN, y, 4, height).fill(bar);
}

export async function renderOfferDocument(input: OfferDocumentInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: TOP, left: MARGIN, right: MARGIN, bottom: BOTTOM },
    // footers need the page count, known only at the end
    bufferPages: true,
    font: REGULAR,
    lang: 'tr-TR',
    displayTitle: true,
    info: {
      Title: `Teklif Belgesi ${input.referenceNumber}`,
      Author: 'Kefalet Portalı',
      Subject: `${input.firm.title}: kefalet başvurusuna gelen banka teklifleri`,
      Creator: 'Kefalet Portalı',
      CreationDate: input.generatedAt,
    },
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  const pdf = collect(doc);

  drawTitle(doc, input.referenceNumber);
  drawApplication(doc, input);
  drawDeadline(doc, input.selectionDeadline);
  drawOffers(doc, input);
  drawFooters(doc, input);

  doc.end();
  return pdf;
}

function collect(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function drawTitle(doc: Doc, referenceNumber: string): void {
  const width = contentWidth(doc);
  const brand: Style = { font: 'bold', size: 8, color: COLOR.brand };
  write(doc, 'KEFALET PORTALI', brand, { x: MARGIN, y: TOP, width });
  const tagline = 'İhracat kredisi kefaleti · banka teklifleri';
  write(doc, tagline, NOTE, { x: MARGIN, y: TOP, width, align: 'right' });
  const title: Style = { font: 'bold', size: 22, color: COLOR.brand };
  const y = write(doc, 'Teklif Belgesi', title, { x: MARGIN, y: TOP + 16, width }) + 8;

  const reference = `Teklif Referans Numarası: ${referenceNumber}`;
  const style: Style = { font: 'bold', size: 14, color: COLOR.brand };
  const height = measure(doc, reference, style, width - 28) + 18;
  accentBox(doc, y, height, COLOR.band, COLOR.brand);
  write(doc, reference, style, { x: MARGIN + 16, y: y + 10, width: width - 28 });
  doc.y = y + height + 18;
}

function sectionHeading(doc: Doc, text: string): void {
  doc.y = write(doc, text, HEADING, { x: MARGIN, y: doc.y, width: contentWidth(doc) }) + 3;
  rule(doc, doc.y, COLOR.brand);
  doc.y += 1;
}

function drawApplication(doc: Doc, input: OfferDocumentInput): void {
  const { application, firm } = input;
  const packageName = findPackage(application.packageCode)?.name;
  const rows: Field[] = [
    ['Firma unvanı', firm.title],
    ['Vergi kimlik numarası (VKN)', firm.vkn],
    ['Başvuru numarası', application.applicationId],
    [
      'Kefalet paketi',
      packageName ? `${packageName} (${application.packageCode})` : application.packageCode,
    ],
    ['Kredi tutarı', money(application.amount, application.currency, 'amount')],
    ['Kredi vadesi', monthsTr(application.maturityMonths)],
    ['Kredinin amacı', application.purpose],
    ['Teklif toplama sona erdi', dateTimeTr(input.closedAt)],
    ['Geçerli teklif sayısı', String(liveOffers(input.offers).length)],
  ];
  sectionHeading(doc, 'Firma ve başvuru bilgileri');
  const labelWidth = 160;
  const valueX = MARGIN + labelWidth + 10;
  const valueWidth = contentWidth(doc) - labelWidth - 10;
  for (const [name, value] of rows) {
    const height =
      Math.max(measure(doc, name, NOTE, labelWidth), measure(doc, value, VALUE, valueWidth)) + 8;
    ensureSpace(doc, height);
    const y = doc.y;
    // 1 pt lower: the smaller label then shares the value's baseline
    write(doc, name, NOTE, { x: MARGIN, y: y + 5, width: labelWidth });
    write(doc, value, VALUE, { x: valueX, y: y + 4, width: valueWidth });
    doc.y = y + height;
    rule(doc, doc.y);
  }
  doc.y += 16;
}

function drawDeadline(doc: Doc, selectionDeadline: string): void {
  const width = contentWidth(doc) - 28;
  const lines: [string, Style, number][] = [
    ['Banka başvurusu için son tarih', { font: 'bold', size: 8, color: COLOR.warn }, 3],
    [
      `Seçtiğiniz bankaya en geç ${dateTimeTr(selectionDeadline)} tarihine kadar ` +
        'Teklif Referans Numarası ile başvurunuz gerekmektedir.',
      { font: 'bold', size: 11 },
      4,
    ],
    [
      'Başvuru bankaya yazılı olarak veya elektronik ortamda yapılabilir; kredinin bu süre içinde ' +
        'kullandırılması gerekmez. Süre içinde başvurulmazsa banka teklifini geri çekebilir. ' +
        'Saatler İstanbul saatidir.',
      NOTE,
      0,
    ],
  ];
  const height =
    20 + lines.reduce((sum, [text, style, gap]) => sum + measure(doc, text, style, width) + gap, 0);
  ensureSpace(doc, height);
  const top = doc.y;
  accentBox(doc, top, height, COLOR.warnFill, COLOR.warn);
  let y = top + 10;
  for (const [text, style, gap] of lines) {
    y = write(doc, text, style, { x: MARGIN + 16, y, width }) + gap;
  }
  doc.y = top + height + 20;
}

function drawOffers(doc: Doc, input: OfferDocumentInput): void {
  const { currency } = input.application;
  const cards = liveOffers(input.offers).map((offer) => measureCard(doc, offer, currency));
  const note =
    'Teklifler, masraf ve komisyonlar dahil efektif yıllık maliyete göre sıralanmıştır (en düşük ' +
    'maliyet ilk sırada); eşitlikte toplam maliyet, ardından teklifin verildiği zaman belirler. ' +
    `Tutarlar başvurunun para biriminde (${currency}) gösterilmiştir.`;
  const width = contentWidth(doc);
  const first = cards[0];
  // the heading stays with the first card
  ensureSpace(
    doc,
    24 + measure(doc, note, NOTE, width) + 8 + (first ? Math.min(first.height, pageRoom(doc)) : 0),
  );
  sectionHeading(doc, 'Teklifler');
  doc.y = write(doc, note, NOTE, { x: MARGIN, y: doc.y + 4, width }) + 8;
  if (cards.length === 0) {
    write(doc, 'Geçerli teklif bulunmamaktadır.', VALUE, { x: MARGIN, y: doc.y, width });
    return;
  }
  for (const card of cards) drawCard(doc, card);
}

// ---- offer cards: a band with the bank and both cost figures, then the fields in a grid ----

const PAD = 8;
const COLUMNS = 3;
const COLUMN_GAP = 14;
const ROW_GAP = 6;
const CARD_GAP = 10;
const BANK: Style = { font: 'bold', size: 12, color: COLOR.brand };
const FIGURE: Style = { font: 'bold', size: 12 };

interface Figure {
  label: string;
  value: string;
  width: number;
}
interface Row {
  cells: Field[];
  height: number;
}
interface Card {
  title: string;
  subtitle: string;
  figures: Figure[];
  titleWidth: number;
  bandHeight: number;
  rows: Row[];
  height: number;
}

function columnWidth(doc: Doc): number {
  return (contentWidth(doc) - 2 * PAD - (COLUMNS - 1) * COLUMN_GAP) / COLUMNS;
}

/** A label above its value. */
function cellHeight(doc: Doc, [label, value]: Field, width: number, valueStyle: Style): number {
  return measure(doc, label, LABEL, width) + 1 + measure(doc, value, valueStyle, width);
}

function drawCell(
  doc: Doc,
  [label, value]: Field,
  x: number,
  y: number,
  width: number,
  valueStyle: Style,
  align: 'left' | 'right' = 'left',
): void {
  const below = write(doc, label, LABEL, { x, y, width, align });
  write(doc, value, valueStyle, { x, y: below + 1, width, align });
}

function measureCard(doc: Doc, offer: OfferDocumentOffer, currency: Currency): Card {
  const title = `${offer.rank}. ${offer.bankName}`;
  const subtitle = `Banka kodu: ${offer.bankCode}`;
  // sized to their text so a long total cost never runs into the rate beside it
  const figures = (
    [
      ['Efektif yıllık maliyet', percentTr(offer.effectiveAnnualCost, 'effectiveAnnualCost')],
      ['Toplam maliyet', money(offer.totalCost, currency, 'totalCost')],
    ] as const
  ).map(([label, value]) => ({
    label,
    value,
    width: Math.max(widthOf(doc, label, LABEL), widthOf(doc, value, FIGURE)) + 1,
  }));
  const figuresWidth = figures.reduce((sum, figure) => sum + figure.width + 2 * COLUMN_GAP, 0);
  const titleWidth = contentWidth(doc) - 2 * PAD - figuresWidth;
  const bandHeight =
    2 * PAD +
    Math.max(
      // the band repeated on a next page says "(devam)": room for that too
      measure(doc, continuedTitle(title), BANK, titleWidth) +
        2 +
        measure(doc, subtitle, NOTE, titleWidth),
      ...figures.map((figure) =>
        cellHeight(doc, [figure.label, figure.value], figure.width, FIGURE),
      ),
    );
  const fields = offerFields(offer, currency);
  const width = columnWidth(doc);
  const rows: Row[] = [];
  for (let i = 0; i < fields.length; i += COLUMNS) {
    const cells = fields.slice(i, i + COLUMNS);
    rows.push({
      cells,
      height: Math.max(...cells.map((cell) => cellHeight(doc, cell, width, VALUE))),
    });
  }
  const body = rows.reduce((sum, row) => sum + row.height + ROW_GAP, 0) - ROW_GAP + 2 * PAD;
  return { title, subtitle, figures, titleWidth, bandHeight, rows, height: bandHeight + body };
}

/**
 * A card stays on one page when it fits on one. A taller one (longer texts than the offer schema
 * allows) breaks between field rows and repeats its band; a single row taller than a page would
 * still run over.
 */
function drawCard(doc: Doc, card: Card): void {
  ensureSpace(doc, Math.min(card.height, pageRoom(doc)));
  const width = columnWidth(doc);
  let top = doc.y;
  let y = drawBand(doc, card, top, false) + PAD;
  for (const row of card.rows) {
    const firstOnPage = y === top + card.bandHeight + PAD;
    if (!firstOnPage && y + row.height + PAD > bottomOf(doc)) {
      frame(doc, top, y - ROW_GAP + PAD - top);
      doc.addPage();
      top = TOP;
      y = drawBand(doc, card, top, true) + PAD;
    }
    row.cells.forEach((cell, column) => {
      drawCell(doc, cell, MARGIN + PAD + column * (width + COLUMN_GAP), y, width, VALUE);
    });
    y += row.height + ROW_GAP;
  }
  const bottom = y - ROW_GAP + PAD;
  frame(doc, top, bottom - top);
  doc.y = bottom + CARD_GAP;
}

const continuedTitle = (title: string) => `${title} (devam)`;

function drawBand(doc: Doc, card: Card, top: number, continued: boolean): number {
  doc.rect(MARGIN, top, contentWidth(doc), card.bandHeight).fill(COLOR.band);
  const title = continued ? continuedTitle(card.title) : card.title;
  const at = { x: MARGIN + PAD, width: card.titleWidth };
  const below = write(doc, title, BANK, { ...at, y: top + PAD });
  write(doc, card.subtitle, NOTE, { ...at, y: below + 2 });
  let right = MARGIN + contentWidth(doc) - PAD;
  for (const figure of [...card.figures].reverse()) {
    right -= figure.width;
    drawCell(doc, [figure.label, figure.value], right, top + PAD, figure.width, FIGURE, 'right');
    right -= 2 * COLUMN_GAP;
  }
  return top + card.bandHeight;
}

function frame(doc: Doc, top: number, height: number): void {
  doc.rect(MARGIN, top, contentWidth(doc), height).lineWidth(0.8).strokeColor(COLOR.rule).stroke();
}

function drawFooters(doc: Doc, input: OfferDocumentInput): void {
  const { start, count } = doc.bufferedPageRange();
  const width = contentWidth(doc);
  const generated = `Oluşturulma: ${dateTimeTr(input.generatedAt)}`;
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // the footer sits in the bottom margin, where pdfkit would otherwise start a new page
    doc.page.margins.bottom = 0;
    const y = doc.page.height - BOTTOM + 24;
    rule(doc, y - 6);
    const at = { x: MARGIN, y, width };
    write(doc, `Teklif Referans Numarası: ${input.referenceNumber}`, LABEL, at);
    write(doc, generated, LABEL, { ...at, align: 'center' });
    write(doc, `Sayfa ${i - start + 1} / ${count}`, LABEL, { ...at, align: 'right' });
  }
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { boardKeys, evolveBoard, type BoardOffer } from '../src/models/offer-board';
import {
  renderOfferDocument,
  type OfferDocumentInput,
  type OfferDocumentOffer,
} from '../src/offer-document';
import {
  AKBANK,
  GARANTI,
  HALKBANK,
  HEAVY_FEES,
  History,
  NO_FEES_40,
  NO_FEES_44,
  project,
  stored,
  uuid,
} from './models/fixtures';

/*
 * The document is checked the way a reader gets it: rendered to a file and read back with poppler's
 * pdftotext, so a font without Turkish glyphs or a field that falls off the page shows up here.
 */

const REFERENCE = 'TRN-7K3M-Q9PX-2DC';
const REPRESENTATIVE = 'Şükrü Çağlar Öztürk';
const PURPOSE = 'İhracat ön finansmanı – ğüşiöç İĞÜŞİÖÇ';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'offer-document-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function poppler(tool: 'pdftotext' | 'pdfinfo', args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is missing: run \`npm run setup\` (it installs poppler-utils)`, {
        cause: error,
      });
    }
    throw error;
  }
}

async function render(name: string, input: OfferDocumentInput): Promise<string> {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, await renderOfferDocument(input));
  return file;
}

const pdfText = (file: string) => poppler('pdftotext', ['-layout', file, '-']);
/** pdftotext ends every page with a form feed. */
const pages = (text: string) => text.split('\f').slice(0, -1);
/** A wrapped sentence read back on one line. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

function offer(rank: number, overrides: Partial<OfferDocumentOffer> = {}): OfferDocumentOffer {
  return {
    rank,
    bankName: `Banka ${rank}`,
    bankCode: String(rank).padStart(4, '0'),
    offerDate: '2026-12-01',
    maturityMonths: 12,
    totalRepaymentAmount: '1857500.00',
    interestType: 'FIXED',
    interestRate: '44.0000',
    principalPaymentFrequency: 'MONTHLY',
    interestPaymentFrequency: 'MONTHLY',
    collateralType: 'PERSONAL_SURETY',
    totalExpenseAmount: '0.00',
    creditType: 'INSTALMENT',
    totalCommissionAmount: '0.00',
    principalGraceMonths: 0,
    interestGraceMonths: 0,
    branchCode: '00401',
    representativeName: REPRESENTATIVE,
    phone: '+90 212 318 18 18',
    email: 'sukru.ozturk@example.com.tr',
    effectiveAnnualCost: '54.05',
    totalCost: '357500.00',
    ...overrides,
  };
}

function input(offers: OfferDocumentOffer[]): OfferDocumentInput {
  return {
    referenceNumber: REFERENCE,
    firm: { vkn: '0150015264', title: 'Anadolu Tekstil İhracat A.Ş.' },
    application: {
      applicationId: uuid(100),
      packageCode: 'IHR-KOBI',
      amount: '1500000.00',
      currency: 'TRY',
      maturityMonths: 12,
      purpose: PURPOSE,
    },
    offers,
    // closed Tuesday 1 December 2026 at 23:59:59.999 Istanbul; two business days to apply
    closedAt: '2026-12-01T20:59:59.999Z',
    selectionDeadline: '2026-12-03T20:59:59.999Z',
    generatedAt: new Date('2026-12-02T07:15:00.000Z'),
  };
}

const THREE_OFFERS = input([
  offer(1, {
    bankName: 'Türkiye İş Bankası',
    bankCode: '0064',
    interestRate: '40.0000',
    totalRepaymentAmount: '1825000.00',
    effectiveAnnualCost: '46.21',
    totalCost: '325000.00',
    collateralType: 'CHEQUE_ASSIGNMENT',
    creditType: 'PRE_EXPORT',
    principalPaymentFrequency: 'QUARTERLY',
    interestPaymentFrequency: 'AT_MATURITY',
    principalGraceMonths: 3,
    interestGraceMonths: 2,
  }),
  offer(2, {
    bankName: 'Garanti BBVA',
    bankCode: '0062',
    interestType: 'FLOATING',
    interestRate: '45.5000',
    referenceRate: 'TLREF',
    spread: '2.5000',
    totalExpenseAmount: '12500.50',
    totalCommissionAmount: '7500.00',
    effectiveAnnualCost: '57.93',
    totalCost: '392188.00',
    creditType: 'REVOLVING',
    collateralType: 'RECEIVABLE_ASSIGNMENT',
    principalPaymentFrequency: 'SEMIANNUAL',
    interestPaymentFrequency: 'ANNUAL',
  }),
  offer(3, {
    bankName: 'Türkiye Halk Bankası',
    bankCode: '0012',
    interestRate: '48.0000',
    effectiveAnnualCost: '60.10',
    totalCost: '390000.00',
    collateralType: 'MORTGAGE',
    creditType: 'EXPORT_REDISCOUNT',
  }),
]);

const FIELD_LABELS = [
  'Teklif tarihi',
  'Teklif vadesi',
  'Toplam geri ödeme tutarı',
  'Faiz türü',
  'Faiz oranı',
  'Anapara ödeme sıklığı',
  'Faiz ödeme sıklığı',
  'Teminat türü',
  'Toplam masraf tutarı',
  'Kredi türü',
  'Toplam komisyon tutarı',
  'Anapara ödemesiz dönem',
  'Faiz ödemesiz dönem',
  'Banka şube kodu',
  'Müşteri temsilcisi',
  'Telefon',
  'E-posta',
];

describe('the offer document (R14)', () => {
  let text: string;
  let file: string;
  beforeAll(async () => {
    file = await render('three-offers', THREE_OFFERS);
    text = pdfText(file);
  });

  it('prints the reference number under its title', () => {
    expect(text).toContain('Teklif Belgesi');
    expect(text).toContain(`Teklif Referans Numarası: ${REFERENCE}`);
  });

  it('keeps every Turkish letter in names and labels', () => {
    expect(text).toContain(REPRESENTATIVE);
    expect(text).toContain(PURPOSE);
    expect(text).toContain('Anadolu Tekstil İhracat A.Ş.');
    for (const letter of 'şğıİüöçŞĞÜÖÇ') expect(text).toContain(letter);
  });

  it('names the firm and the application, amounts the Turkish way', () => {
    expect(text).toContain('0150015264');
    expect(text).toContain('KOBİ İhracat Kefalet Paketi (IHR-KOBI)');
    expect(text).toContain('1.500.000,00 ₺');
    expect(text).toContain('1.825.000,00 ₺');
    expect(text).toContain('12.500,50 ₺');
    expect(text).toContain('01.12.2026 23:59');
  });

  it('states the deadline to apply to the chosen bank in Istanbul time (R15)', () => {
    expect(flat(text)).toContain(
      'Seçtiğiniz bankaya en geç 03.12.2026 23:59 tarihine kadar Teklif Referans Numarası ile ' +
        'başvurunuz gerekmektedir.',
    );
  });

  it('lists the offers in rank order, each with its cost figures', () => {
    const positions = ['1. Türkiye İş Bankası', '2. Garanti BBVA', '3. Türkiye Halk Bankası'].map(
      (name) => text.indexOf(name),
    );
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    for (const figure of ['%46,21', '325.000,00 ₺', '%57,93', '392.188,00 ₺', '%60,10']) {
      expect(text).toContain(figure);
    }
    expect(text).toContain('Banka kodu: 0064');
  });

  it('labels all 17 fields of every offer, and the enum values in Turkish', () => {
    for (const label of FIELD_LABELS) {
      expect(text.split(label).length - 1, label).toBeGreaterThanOrEqual(3);
    }
    for (const value of [
      'Sabit',
      'Değişken',
      'Referans faiz',
      'TLREF',
      'Marj',
      '%2,50',
      '%45,50',
      '3 aylık',
      '6 aylık',
      'Yıllık',
      'Aylık',
      'Vade sonunda',
      'Çek temliki',
      'Alacak temliki',
      'İpotek',
      'Sevk öncesi ihracat kredisi',
      'Rotatif kredi',
      'İhracat reeskont kredisi',
      '3 ay',
      '01.12.2026',
    ]) {
      expect(text).toContain(value);
    }
  });

  it('sets the metadata: title with the reference number, author, creation date', () => {
    const info = poppler('pdfinfo', ['-isodates', file]);
    expect(info).toMatch(new RegExp(`^Title: +Teklif Belgesi ${REFERENCE}$`, 'm'));
    expect(info).toMatch(/^Author: +Kefalet Portalı$/m);
    expect(info).toMatch(/^CreationDate: +2026-12-02T07:15:00(Z|\+00)/m);
  });

  it('comes out the same byte for byte, whatever the process time zone', async () => {
    const first = await renderOfferDocument(THREE_OFFERS);
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Auckland';
    try {
      expect((await renderOfferDocument(THREE_OFFERS)).equals(first)).toBe(true);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe('a long offer document', () => {
  const offers = Array.from({ length: 25 }, (_, i) =>
    offer(i + 1, {
      bankName: `Katılım ve Kalkınma Bankası ${i + 1}`,
      effectiveAnnualCost: `${50 + i}.00`,
    }),
  );
  let text: string;
  beforeAll(async () => {
    text = pdfText(await render('twenty-five-offers', input(offers)));
  });

  it('runs over several pages, each with the reference number, its page number and the time', () => {
    const all = pages(text);
    expect(all.length).toBeGreaterThanOrEqual(4);
    all.forEach((page, i) => {
      expect(page).toContain(`Teklif Referans Numarası: ${REFERENCE}`);
      expect(page).toContain(`Sayfa ${i + 1} / ${all.length}`);
      expect(page).toContain('Oluşturulma: 02.12.2026 10:15');
    });
  });

  it('prints every offer, in rank order', () => {
    const positions = offers.map((o) => text.indexOf(`${o.rank}. ${o.bankName}`));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});

describe('long text', () => {
  const PAGE = { width: 595.28, height: 841.89, margin: 50, bottom: 60 };
  const longBank = 'Türkiye Cumhuriyeti Ziraat Bankası Anonim Şirketi İhracat Finansmanı Müdürlüğü';
  // as long as the offer schema allows: 120 and 254 characters
  const longName = 'Şükrü Çağlar Öztürk '.repeat(6).trim();
  const longEmail = `${'cok.uzun.bir.e-posta.adresi.'.repeat(8)}ornek@banka.com.tr`.slice(-254);
  let file: string;
  beforeAll(async () => {
    file = await render(
      'long-text',
      input([
        offer(1, { bankName: longBank, representativeName: longName, email: longEmail }),
        // past any valid offer: the card breaks between field rows
        offer(2, {
          bankName: `${longBank} Şubesi`,
          representativeName: longName.repeat(5),
          email: longEmail.repeat(4),
        }),
      ]),
    );
  });

  it('wraps inside the page and clear of the footer', () => {
    const words = wordBoxes(file);
    expect(words.length).toBeGreaterThan(200);
    const footerTop = PAGE.height - PAGE.bottom;
    for (const word of words) {
      expect(word.xMin, word.text).toBeGreaterThanOrEqual(PAGE.margin - 1);
      expect(word.xMax, word.text).toBeLessThanOrEqual(PAGE.width - PAGE.margin + 1);
      // content ends above the bottom margin; the footer line starts well inside it
      const inContent = word.yMax <= footerTop + 1;
      const inFooter = word.yMin >= footerTop + 10 && word.yMax <= PAGE.height - 20;
      expect(inContent || inFooter, `${word.text} at ${word.yMin}-${word.yMax}`).toBe(true);
    }
    // wrapped, not cut: the last word of each long text is still there
    const text = pdfText(file);
    expect(text).toContain('Müdürlüğü');
    expect(text).toContain('.adresi.ornek@banka.com.tr');
  });

  it('repeats the band of a card that runs onto the next page', () => {
    const all = pages(pdfText(file));
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(flat(all.at(-1) ?? '')).toContain('(devam)');
    expect(flat(all.at(-1) ?? '')).toContain('Banka kodu: 0002');
  });
});

interface WordBox {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word's box in points, from `pdftotext -bbox`. */
function wordBoxes(file: string): WordBox[] {
  const html = poppler('pdftotext', ['-bbox', file, '-']);
  const word = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g;
  return [...html.matchAll(word)].map(([, xMin, yMin, xMax, yMax, text]) => ({
    text: text ?? '',
    xMin: Number(xMin),
    yMin: Number(yMin),
    xMax: Number(xMax),
    yMax: Number(yMax),
  }));
}

describe('rendered from the offer board', () => {
  it('takes the board entries as they are and leaves withdrawn offers out', async () => {
    expectTypeOf<BoardOffer>().toExtend<OfferDocumentOffer>();

    const app = uuid(100);
    const history = new History('2026-03-02T09:30:00.000+03:00');
    history.submitted(app);
    history.at('2026-03-02T09:30:05.000+03:00').dataCollected(app);
    history.at('2026-03-02T09:30:06.000+03:00').scored(app);
    history.at('2026-03-02T09:31:00.000+03:00').opened(app);
    const garanti = history
      .at('2026-03-03T10:00:00.000+03:00')
      .offerSubmitted(app, GARANTI, NO_FEES_44);
    const halkbank = history.offerSubmitted(app, HALKBANK, NO_FEES_40);
    const akbank = history.offerSubmitted(app, AKBANK, HEAVY_FEES);
    history.at('2026-03-04T16:00:00.000+03:00').offerWithdrawn(app, akbank, AKBANK);
    history.at('2026-03-11T20:59:59.999Z').biddingClosed(app, [halkbank, garanti]);
    const board = stored(project(history.events, boardKeys, evolveBoard).get(app));
    const { referenceNumber, closedAt, selectionDeadline } = board ?? {};
    if (!board || !referenceNumber || !closedAt || !selectionDeadline)
      throw new Error('not closed');

    const text = pdfText(
      await render('from-board', {
        referenceNumber,
        firm: { vkn: board.firmVkn, title: board.firmTitle },
        application: {
          applicationId: board.applicationId,
          packageCode: board.packageCode,
          amount: board.amount,
          currency: board.currency,
          maturityMonths: board.maturityMonths,
          purpose: PURPOSE,
        },
        offers: board.offers,
        closedAt,
        selectionDeadline,
        generatedAt: new Date('2026-03-12T08:00:00.000Z'),
      }),
    );
    expect(text.indexOf('1. Halkbank')).toBeGreaterThan(0);
    expect(text.indexOf('2. Garanti BBVA')).toBeGreaterThan(text.indexOf('1. Halkbank'));
    expect(text).toContain('%48,21');
    expect(text).toContain('%54,05');
    expect(text).not.toContain('Akbank');
    expect(text).toContain('Geçerli teklif sayısı');
    // closed Wednesday 11 March 23:59:59 Istanbul, two business days: Friday 13 March
    expect(flat(text)).toContain('en geç 13.03.2026 23:59 tarihine kadar');
  });
});

import type { FirmDataSnapshot, Segment } from '@kefalet/events';
import type { AuthorisedPerson } from './ports';

/*
 * The sandbox's known firms: one per outcome the model can reach, so tests, demo data and the README
 * share one list. VKNs and TCKNs pass the DOMAIN.md check digits; the TCKNs are test numbers.
 */

/** Everything the five sources know about a fixture firm, flat. */
export interface FirmProfile {
  readonly founded: string | { readonly monthsAgo: number };
  readonly naceCode: string;
  readonly status?: FirmDataSnapshot['registry']['status'];
  readonly authorisedPersons: readonly AuthorisedPerson[];
  readonly netSalesLastYear: string;
  readonly taxDebt?: string;
  readonly headcount: number;
  readonly premiumDebt?: string;
  readonly exportsLast12MonthsUsd: string;
  readonly exportsLast24MonthsUsd: string;
  readonly declarationsLast12Months: number;
  readonly companyScore: number;
  readonly openProceedings?: number;
  readonly bouncedCheques?: number;
  readonly unsettledBouncedCheques?: number;
}

/**
 * What the model decides when the firm applies for `packageCode` with 1,000,000.00 TRY over 12
 * months; `blockingCodes` are the knock-out or package-rule reason codes of an ineligible decision.
 */
export type FixtureExpectation =
  | {
      readonly registered: true;
      readonly segment: Segment;
      readonly packageCode: string;
      readonly eligible: boolean;
      readonly blockingCodes: readonly string[];
    }
  | { readonly registered: false };

export interface SandboxFirm {
  readonly vkn: string;
  readonly title: string;
  readonly description: string;
  readonly expected: FixtureExpectation;
  /** Absent: no source knows the firm (MERSIS answers FirmNotFoundError). */
  readonly profile?: FirmProfile;
}

const person = (tckn: string, name: string, role: string): AuthorisedPerson => ({
  tckn,
  name,
  role,
});
const BOARD_CHAIR = 'Yönetim Kurulu Başkanı';
const MANAGER = 'Şirket Müdürü';

function eligible(segment: Segment, packageCode: string): FixtureExpectation {
  return { registered: true, segment, packageCode, eligible: true, blockingCodes: [] };
}

function ineligible(
  segment: Segment,
  packageCode: string,
  ...blockingCodes: string[]
): FixtureExpectation {
  return { registered: true, segment, packageCode, eligible: false, blockingCodes };
}

export const SANDBOX_FIRMS: readonly SandboxFirm[] = [
  {
    vkn: '0150015264',
    title: 'Anadolu Tekstil İhracat A.Ş.',
    description: 'Demo firm: clean SME exporter with growing exports',
    expected: eligible('KOBI', 'IHR-KOBI'),
    profile: {
      founded: '2011-03-15',
      naceCode: '13.20',
      authorisedPersons: [person('10000000146', 'Ayşe Yılmaz', BOARD_CHAIR)],
      netSalesLastYear: '245000000.00',
      headcount: 86,
      exportsLast12MonthsUsd: '1850000.00',
      exportsLast24MonthsUsd: '3500000.00',
      declarationsLast12Months: 42,
      companyScore: 1460,
    },
  },
  {
    vkn: '3100011116',
    title: 'Ege Gıda Dış Ticaret Ltd. Şti.',
    description: 'Second demo firm: clean SME exporter, stable exports',
    expected: eligible('KOBI', 'IHR-KOBI'),
    profile: {
      founded: '2018-06-20',
      naceCode: '10.39',
      authorisedPersons: [person('10000000078', 'Mehmet Demir', MANAGER)],
      netSalesLastYear: '72000000.00',
      headcount: 38,
      exportsLast12MonthsUsd: '640000.00',
      exportsLast24MonthsUsd: '1250000.00',
      declarationsLast12Months: 18,
      companyScore: 1320,
    },
  },
  {
    vkn: '3100022223',
    title: 'Marmara Otomotiv Yan Sanayi A.Ş.',
    description: 'Non-SME exporter (1,240 employees, 4.8 bn TRY sales)',
    expected: eligible('KOBI_DISI', 'IHR-BUYUK'),
    profile: {
      founded: '1994-09-01',
      naceCode: '29.32',
      authorisedPersons: [person('10000000214', 'Kemal Aydın', BOARD_CHAIR)],
      netSalesLastYear: '4800000000.00',
      headcount: 1240,
      exportsLast12MonthsUsd: '38000000.00',
      exportsLast24MonthsUsd: '72000000.00',
      declarationsLast12Months: 410,
      companyScore: 1640,
    },
  },
  {
    vkn: '3100033339',
    title: 'İzmir Zeytinyağı İhracat A.Ş.',
    description: 'Strong bureau score (1820): best credit note',
    expected: eligible('KOBI', 'IHR-KOBI'),
    profile: {
      founded: '2003-04-10',
      naceCode: '10.41',
      authorisedPersons: [person('10000000382', 'Zeynep Arslan', BOARD_CHAIR)],
      netSalesLastYear: '610000000.00',
      headcount: 140,
      exportsLast12MonthsUsd: '6200000.00',
      exportsLast24MonthsUsd: '11500000.00',
      declarationsLast12Months: 95,
      companyScore: 1820,
    },
  },
  {
    vkn: '3100044445',
    title: 'Mersin Narenciye Ticaret Ltd. Şti.',
    description: 'Low bureau score (610), declining exports, settled cheques: credit note 7',
    expected: ineligible('KOBI', 'IHR-KOBI', 'CREDIT_NOTE_7'),
    profile: {
      founded: '2019-04-10',
      naceCode: '46.31',
      authorisedPersons: [person('10000000450', 'Hasan Çelik', MANAGER)],
      netSalesLastYear: '21000000.00',
      headcount: 14,
      exportsLast12MonthsUsd: '180000.00',
      exportsLast24MonthsUsd: '520000.00',
      declarationsLast12Months: 5,
      companyScore: 610,
      bouncedCheques: 3,
    },
  },
  {
    vkn: '3100055552',
    title: 'Erzurum Et Ürünleri Ltd. Şti.',
    description: 'Small new exporter, modest bureau score: eligible at credit note 6',
    expected: eligible('KOBI', 'IHR-KOBI'),
    profile: {
      founded: '2022-02-01',
      naceCode: '10.13',
      authorisedPersons: [person('10000000528', 'Murat Öztürk', MANAGER)],
      netSalesLastYear: '7500000.00',
      headcount: 9,
      exportsLast12MonthsUsd: '90000.00',
      exportsLast24MonthsUsd: '90000.00',
      declarationsLast12Months: 8,
      companyScore: 1150,
    },
  },
  {
    vkn: '3100066667',
    title: 'Bursa Mobilya İhracat A.Ş.',
    description: 'One bounced cheque, settled: eligible, no cheque bonus',
    expected: eligible('KOBI', 'IHR-KOBI'),
    profile: {
      founded: '2008-11-03',
      naceCode: '31.09',
      authorisedPersons: [person('10000000696', 'Elif Şahin', BOARD_CHAIR)],
      netSalesLastYear: '310000000.00',
      headcount: 120,
      exportsLast12MonthsUsd: '2100000.00',
      exportsLast24MonthsUsd: '4300000.00',
      declarationsLast12Months: 28,
      companyScore: 1240,
      bouncedCheques: 1,
    },
  },
  {
    vkn: '3100077773',
    title: 'Antalya Organik Tarım A.Ş.',
    description: 'Young company (founded 14 months ago), first exports',
    expected: eligible('KOBI', 'IHR-KOBI'),
    profile: {
      founded: { monthsAgo: 14 },
      naceCode: '01.13',
      authorisedPersons: [person('10000000764', 'Can Doğan', BOARD_CHAIR)],
      netSalesLastYear: '26000000.00',
      headcount: 22,
      exportsLast12MonthsUsd: '320000.00',
      exportsLast24MonthsUsd: '320000.00',
      declarationsLast12Months: 9,
      companyScore: 1180,
    },
  },
  {
    vkn: '3100088884',
    title: 'Kapadokya Seramik Ltd. Şti.',
    description: 'Potential exporter (no exports yet): potential exporter ratio 85 %',
    expected: eligible('KOBI', 'IHR-KOBI'),
    profile: {
      founded: '2015-05-05',
      naceCode: '23.41',
      authorisedPersons: [person('10000000832', 'Fatma Kılıç', MANAGER)],
      netSalesLastYear: '42000000.00',
      headcount: 31,
      exportsLast12MonthsUsd: '0.00',
      exportsLast24MonthsUsd: '0.00',
      declarationsLast12Months: 0,
      companyScore: 1350,
    },
  },
  {
    vkn: '3100099992',
    title: 'Ankara Savunma Elektronik A.Ş.',
    description: 'Non-SME with no exports: IHR-BUYUK needs export history (YESIL would do)',
    expected: ineligible('KOBI_DISI', 'IHR-BUYUK', 'EXPORT_HISTORY_REQUIRED'),
    profile: {
      founded: '2012-01-16',
      naceCode: '26.51',
      authorisedPersons: [person('10000000900', 'Ali Koç', BOARD_CHAIR)],
      netSalesLastYear: '1600000000.00',
      headcount: 420,
      exportsLast12MonthsUsd: '0.00',
      exportsLast24MonthsUsd: '0.00',
      declarationsLast12Months: 0,
      companyScore: 1560,
    },
  },
  {
    vkn: '3100111102',
    title: 'Karadeniz Fındık İhracat Ltd. Şti.',
    description: 'Tax debt of 12,500.00 TRY',
    expected: ineligible('KOBI', 'IHR-KOBI', 'TAX_DEBT'),
    profile: {
      founded: '2005-08-08',
      naceCode: '10.39',
      authorisedPersons: [person('10000001068', 'Hüseyin Yıldız', MANAGER)],
      netSalesLastYear: '150000000.00',
      taxDebt: '12500.00',
      headcount: 60,
      exportsLast12MonthsUsd: '2600000.00',
      exportsLast24MonthsUsd: '5100000.00',
      declarationsLast12Months: 34,
      companyScore: 1400,
    },
  },
  {
    vkn: '3100122219',
    title: 'Çukurova Pamuk Tekstil A.Ş.',
    description: 'SGK premium debt of 48,300.00 TRY',
    expected: ineligible('KOBI', 'IHR-KOBI', 'SGK_PREMIUM_DEBT'),
    profile: {
      founded: '1998-02-02',
      naceCode: '13.10',
      authorisedPersons: [person('10000001136', 'Emine Aktaş', BOARD_CHAIR)],
      netSalesLastYear: '380000000.00',
      headcount: 210,
      premiumDebt: '48300.00',
      exportsLast12MonthsUsd: '4100000.00',
      exportsLast24MonthsUsd: '8000000.00',
      declarationsLast12Months: 61,
      companyScore: 1380,
    },
  },
  {
    vkn: '3100133325',
    title: 'Konya Makine İmalat Ltd. Şti.',
    description: 'Two bounced cheques, one unsettled',
    expected: ineligible('KOBI', 'IHR-KOBI', 'UNSETTLED_BOUNCED_CHEQUES'),
    profile: {
      founded: '2010-10-10',
      naceCode: '28.22',
      authorisedPersons: [person('10000001204', 'Ömer Yurt', MANAGER)],
      netSalesLastYear: '95000000.00',
      headcount: 75,
      exportsLast12MonthsUsd: '1200000.00',
      exportsLast24MonthsUsd: '2300000.00',
      declarationsLast12Months: 22,
      companyScore: 1100,
      bouncedCheques: 2,
      unsettledBouncedCheques: 1,
    },
  },
  {
    vkn: '3100144432',
    title: 'Gaziantep Halı Dokuma Ltd. Şti.',
    description: 'Two open collection proceedings (icra takibi)',
    expected: ineligible('KOBI', 'IHR-KOBI', 'OPEN_PROCEEDINGS'),
    profile: {
      founded: '2007-07-07',
      naceCode: '13.93',
      authorisedPersons: [person('10000001372', 'İbrahim Polat', MANAGER)],
      netSalesLastYear: '130000000.00',
      headcount: 95,
      exportsLast12MonthsUsd: '3300000.00',
      exportsLast24MonthsUsd: '6100000.00',
      declarationsLast12Months: 48,
      companyScore: 1210,
      openProceedings: 2,
    },
  },
  {
    vkn: '3100155548',
    title: 'Trakya Ambalaj Sanayi Ltd. Şti.',
    description: 'Registry status INACTIVE (terk)',
    expected: ineligible('KOBI', 'IHR-KOBI', 'REGISTRY_NOT_ACTIVE'),
    profile: {
      founded: '2004-03-03',
      naceCode: '17.21',
      status: 'INACTIVE',
      authorisedPersons: [person('10000001440', 'Serkan Erdem', MANAGER)],
      netSalesLastYear: '12000000.00',
      headcount: 4,
      exportsLast12MonthsUsd: '40000.00',
      exportsLast24MonthsUsd: '310000.00',
      declarationsLast12Months: 2,
      companyScore: 980,
    },
  },
  {
    vkn: '3100166653',
    title: 'Denizli Havlu Tekstil A.Ş.',
    description: 'In liquidation (tasfiye halinde)',
    expected: ineligible('KOBI', 'IHR-KOBI', 'REGISTRY_NOT_ACTIVE'),
    profile: {
      founded: '1996-06-06',
      naceCode: '13.92',
      status: 'IN_LIQUIDATION',
      authorisedPersons: [person('10000001518', 'Hatice Güneş', 'Tasfiye Memuru')],
      netSalesLastYear: '88000000.00',
      headcount: 45,
      exportsLast12MonthsUsd: '900000.00',
      exportsLast24MonthsUsd: '2600000.00',
      declarationsLast12Months: 14,
      companyScore: 1050,
    },
  },
  {
    vkn: '3100177769',
    title: 'Hatay Lojistik ve Dış Ticaret Ltd. Şti.',
    description: 'Several knock-outs at once: tax and premium debt, proceedings, unsettled cheques',
    expected: ineligible(
      'KOBI',
      'IHR-KOBI',
      'TAX_DEBT',
      'SGK_PREMIUM_DEBT',
      'OPEN_PROCEEDINGS',
      'UNSETTLED_BOUNCED_CHEQUES',
    ),
    profile: {
      founded: '2014-09-09',
      naceCode: '52.29',
      authorisedPersons: [person('10000001686', 'Yusuf Kara', MANAGER)],
      netSalesLastYear: '64000000.00',
      taxDebt: '230000.00',
      headcount: 52,
      premiumDebt: '61250.50',
      exportsLast12MonthsUsd: '700000.00',
      exportsLast24MonthsUsd: '1900000.00',
      declarationsLast12Months: 12,
      companyScore: 720,
      openProceedings: 1,
      bouncedCheques: 3,
      unsettledBouncedCheques: 2,
    },
  },
  {
    vkn: '3100188870',
    title: 'Samsun Tarım Ürünleri Ltd. Şti.',
    description: 'Exports declining (300k USD against 800k the year before)',
    expected: eligible('KOBI', 'IHR-KOBI'),
    profile: {
      founded: '2001-01-15',
      naceCode: '46.21',
      authorisedPersons: [person('10000001754', 'Merve Yavuz', MANAGER)],
      netSalesLastYear: '55000000.00',
      headcount: 47,
      exportsLast12MonthsUsd: '300000.00',
      exportsLast24MonthsUsd: '1100000.00',
      declarationsLast12Months: 11,
      companyScore: 1290,
    },
  },
  {
    vkn: '3100199987',
    title: 'Sakarya Döküm Sanayi A.Ş.',
    description: 'SME at both limits: 249 employees, net sales exactly 1 bn TRY',
    expected: eligible('KOBI', 'IHR-KOBI'),
    profile: {
      founded: '1999-05-20',
      naceCode: '24.51',
      authorisedPersons: [person('10000001822', 'Osman Acar', BOARD_CHAIR)],
      netSalesLastYear: '1000000000.00',
      headcount: 249,
      exportsLast12MonthsUsd: '9500000.00',
      exportsLast24MonthsUsd: '18000000.00',
      declarationsLast12Months: 160,
      companyScore: 1480,
    },
  },
  {
    vkn: '3100211094',
    title: 'Kocaeli Kimya Sanayi A.Ş.',
    description: 'Non-SME by headcount alone: 250 employees, 900m TRY sales',
    expected: eligible('KOBI_DISI', 'IHR-BUYUK'),
    profile: {
      founded: '2005-12-01',
      naceCode: '20.59',
      authorisedPersons: [person('10000001990', 'Burak Özkan', BOARD_CHAIR)],
      netSalesLastYear: '900000000.00',
      headcount: 250,
      exportsLast12MonthsUsd: '14000000.00',
      exportsLast24MonthsUsd: '27000000.00',
      declarationsLast12Months: 220,
      companyScore: 1410,
    },
  },
  {
    vkn: '3100222206',
    title: 'Eskişehir Raylı Sistemler A.Ş.',
    description: 'Non-SME by sales alone: 180 employees, 1,000,000,000.01 TRY sales',
    expected: eligible('KOBI_DISI', 'IHR-BUYUK'),
    profile: {
      founded: '2010-04-22',
      naceCode: '30.20',
      authorisedPersons: [person('10000002058', 'Selin Aksoy', BOARD_CHAIR)],
      netSalesLastYear: '1000000000.01',
      headcount: 180,
      exportsLast12MonthsUsd: '4800000.00',
      exportsLast24MonthsUsd: '9000000.00',
      declarationsLast12Months: 75,
      companyScore: 1530,
    },
  },
  {
    vkn: '3100233312',
    title: 'Kayseri Mobilya Grubu A.Ş.',
    description: 'Three authorised persons: several member users for one firm (R1)',
    expected: eligible('KOBI', 'IHR-KOBI'),
    profile: {
      founded: '2006-02-14',
      naceCode: '31.01',
      authorisedPersons: [
        person('10000002126', 'Ahmet Şimşek', BOARD_CHAIR),
        person('10000002294', 'Gülsüm Şimşek', 'Yönetim Kurulu Başkan Vekili'),
        person('10000002362', 'Cem Tekin', 'Genel Müdür'),
      ],
      netSalesLastYear: '480000000.00',
      headcount: 210,
      exportsLast12MonthsUsd: '3100000.00',
      exportsLast24MonthsUsd: '6000000.00',
      declarationsLast12Months: 52,
      companyScore: 1390,
    },
  },
  {
    vkn: '3100244429',
    title: '(MERSIS kaydı yok)',
    description: 'Valid VKN unknown to every source: FirmNotFoundError',
    expected: { registered: false },
  },
];

export function findSandboxFirm(vkn: string): SandboxFirm | undefined {
  return SANDBOX_FIRMS.find((firm) => firm.vkn === vkn);
}

/** The two demo exporters and the authorised person each demo user signs in as. */
export const DEMO_EXPORTERS = [
  { vkn: '0150015264', tckn: '10000000146', name: 'Ayşe Yılmaz' },
  { vkn: '3100011116', tckn: '10000000078', name: 'Mehmet Demir' },
] as const;

/** One row per fixture firm, for the README, demo data and test names. */
export function sandboxFirmTable(): {
  vkn: string;
  title: string;
  description: string;
  outcome: string;
  authorisedTckns: string[];
}[] {
  return SANDBOX_FIRMS.map((firm) => ({
    vkn: firm.vkn,
    title: firm.title,
    description: firm.description,
    outcome: outcomeText(firm.expected),
    authorisedTckns: firm.profile?.authorisedPersons.map((p) => p.tckn) ?? [],
  }));
}

function outcomeText(expected: FixtureExpectation): string {
  if (!expected.registered) return 'FirmNotFoundError';
  const verdict = expected.eligible
    ? 'eligible'
    : `ineligible (${expected.blockingCodes.join(', ')})`;
  return `${expected.segment}, ${expected.packageCode}: ${verdict}`;
}

import { DateTime } from 'luxon';
import { DATA_SOURCES, InvalidValueError, parseVkn, type DataSource } from '@kefalet/events';
import { findSandboxFirm, type FirmProfile } from './fixtures';
import {
  FirmNotFoundError,
  SourceUnavailableError,
  type AuthorisedPerson,
  type CreditBureauRecord,
  type CustomsRecord,
  type PublicDataSources,
  type RegistryRecord,
  type SocialSecurityRecord,
  type TaxRecord,
} from './ports';
import { randomInt, seededRandom } from './seeded-random';

/*
 * Sandbox adapters of the five public sources: the fixture firms answer as listed in fixtures.ts, any
 * other valid VKN gets generated data seeded by the VKN (mostly clean SME exporters), an invalid VKN
 * is refused. Latency and failures are configurable per source for load and fault tests.
 */

export interface SourceBehaviour {
  /** How long each call takes before it answers (or fails). */
  readonly latencyMs: number;
  /** Share of calls that fail with SourceUnavailableError: 0 never, 1 always, else random. */
  readonly failureRate: number;
}

export interface SandboxOptions {
  /** Applies to every source unless `sources` overrides it; default: no latency, no failures. */
  readonly behaviour?: Partial<SourceBehaviour>;
  readonly sources?: Partial<Record<DataSource, Partial<SourceBehaviour>>>;
  /** Decides failures when 0 < failureRate < 1; inject a fixed sequence in tests. */
  readonly random?: () => number;
  /** "Today" for data that is relative to it (the young firm's founding, last year's sales). */
  readonly clock?: () => Date;
}

/** Every record the five sources hold on one firm. */
export interface SandboxRecords {
  readonly registry: RegistryRecord;
  readonly tax: TaxRecord;
  readonly socialSecurity: SocialSecurityRecord;
  readonly customs: CustomsRecord;
  readonly creditBureau: CreditBureauRecord;
}

const ZONE = 'Europe/Istanbul';

/** What the sandbox sources answer for `vkn` on the day `today` falls on (Istanbul). */
export function sandboxRecords(vkn: string, today: Date): SandboxRecords {
  parseVkn(vkn, 'vkn');
  const fixture = findSandboxFirm(vkn);
  if (!fixture) return fromProfile(vkn, generatedFirm(vkn), today);
  if (!fixture.profile) throw new FirmNotFoundError(vkn, 'MERSIS');
  return fromProfile(vkn, { ...fixture, profile: fixture.profile, mersisSuffix: '00015' }, today);
}

interface KnownFirm {
  readonly title: string;
  /** MERSIS numbers are "0" + VKN + 5 digits */
  readonly mersisSuffix: string;
  readonly profile: FirmProfile;
}

function fromProfile(vkn: string, firm: KnownFirm, today: Date): SandboxRecords {
  const { profile } = firm;
  const day = DateTime.fromJSDate(today, { zone: ZONE });
  const foundedOn =
    typeof profile.founded === 'string'
      ? profile.founded
      : day.minus({ months: profile.founded.monthsAgo }).toISODate()!;
  return {
    registry: {
      title: firm.title,
      mersisNumber: `0${vkn}${firm.mersisSuffix}`,
      status: profile.status ?? 'ACTIVE',
      foundedOn,
      naceCode: profile.naceCode,
      authorisedPersons: profile.authorisedPersons.map((p) => ({ ...p })),
    },
    tax: {
      taxDebt: profile.taxDebt ?? '0.00',
      netSalesLastYear: profile.netSalesLastYear,
      year: day.year - 1,
    },
    socialSecurity: { headcount: profile.headcount, premiumDebt: profile.premiumDebt ?? '0.00' },
    customs: {
      exportsLast12MonthsUsd: profile.exportsLast12MonthsUsd,
      exportsLast24MonthsUsd: profile.exportsLast24MonthsUsd,
      declarationsLast12Months: profile.declarationsLast12Months,
    },
    creditBureau: {
      companyScore: profile.companyScore,
      openProceedings: profile.openProceedings ?? 0,
      bouncedCheques: profile.bouncedCheques ?? 0,
      unsettledBouncedCheques: profile.unsettledBouncedCheques ?? 0,
    },
  };
}

const SECTORS = [
  { name: 'Tekstil', nace: '13.20' },
  { name: 'Gıda', nace: '10.89' },
  { name: 'Makine', nace: '28.29' },
  { name: 'Mobilya', nace: '31.09' },
  { name: 'Kimya', nace: '20.59' },
  { name: 'Plastik', nace: '22.29' },
  { name: 'Elektronik', nace: '26.11' },
  { name: 'Otomotiv Yan Sanayi', nace: '29.32' },
] as const;
const PLACES = ['Akdeniz', 'Başkent', 'Boğaziçi', 'Ege', 'Fırat', 'Toros', 'Uludağ', 'Yıldız'];
const FIRST_NAMES = ['Ahmet', 'Aylin', 'Deniz', 'Emre', 'Gül', 'Kerem', 'Leyla', 'Mustafa', 'Nur'];
const SURNAMES = ['Akın', 'Bulut', 'Çetin', 'Duman', 'Ekinci', 'Işık', 'Oral', 'Sezer', 'Tuna'];

/** Every draw comes from the VKN's own sequence, in a fixed order: same VKN, same firm. */
function generatedFirm(vkn: string): KnownFirm {
  const random = seededRandom(vkn);
  const int = (min: number, max: number) => randomInt(random, min, max);
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const sector = pick(SECTORS);
  const title = `${pick(PLACES)} ${sector.name} İhracat ${pick(['A.Ş.', 'Ltd. Şti.'])}`;
  const exports12k = int(50, 8000);
  const exportsPreviousK = Math.floor((exports12k * int(60, 130)) / 100);
  return {
    title,
    mersisSuffix: String(int(1, 99999)).padStart(5, '0'),
    profile: {
      founded: `${int(1995, 2022)}-${pad(int(1, 12))}-${pad(int(1, 28))}`,
      naceCode: sector.nace,
      authorisedPersons: [
        {
          tckn: generatedTckn(random),
          name: `${pick(FIRST_NAMES)} ${pick(SURNAMES)}`,
          role: 'Yönetim Kurulu Başkanı',
        },
      ],
      netSalesLastYear: `${int(8_000, 700_000)}000.00`,
      // a few generated firms carry a small tax debt or a settled cheque, so load runs see both paths
      taxDebt: random() < 0.03 ? `${int(1_000, 90_000)}.00` : '0.00',
      headcount: int(8, 220),
      exportsLast12MonthsUsd: `${exports12k}000.00`,
      exportsLast24MonthsUsd: `${exports12k + exportsPreviousK}000.00`,
      declarationsLast12Months: int(4, 120),
      companyScore: int(1000, 1800),
      bouncedCheques: random() < 0.05 ? 1 : 0,
    },
  };
}

function generatedTckn(random: () => number): string {
  const d = [randomInt(random, 1, 9), ...Array.from({ length: 8 }, () => randomInt(random, 0, 9))];
  const odd = d[0]! + d[2]! + d[4]! + d[6]! + d[8]!;
  const even = d[1]! + d[3]! + d[5]! + d[7]!;
  d.push((((odd * 7 - even) % 10) + 10) % 10);
  d.push(d.reduce((a, b) => a + b, 0) % 10);
  return d.join('');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The five sandbox sources. */
export function createSandboxSources(options: SandboxOptions = {}): PublicDataSources {
  const random = options.random ?? Math.random;
  const clock = options.clock ?? (() => new Date());

  const behaviours = Object.fromEntries(
    DATA_SOURCES.map((source) => {
      const behaviour = {
        latencyMs: 0,
        failureRate: 0,
        ...options.behaviour,
        ...options.sources?.[source],
      };
      if (!(behaviour.failureRate >= 0 && behaviour.failureRate <= 1)) {
        throw new InvalidValueError(`${source}.failureRate`, 'must be between 0 and 1');
      }
      return [source, behaviour];
    }),
  ) as Record<DataSource, SourceBehaviour>;

  /** Waits the source's latency, maybe fails, then answers from the VKN's records. */
  async function answer<T>(
    source: DataSource,
    vkn: string,
    signal: AbortSignal,
    part: (records: SandboxRecords) => T,
  ): Promise<T> {
    const today = clock();
    parseVkn(vkn, 'vkn');
    const { latencyMs, failureRate } = behaviours[source];
    await pause(latencyMs, signal);
    const fails = failureRate === 1 || (failureRate > 0 && random() < failureRate);
    if (fails) throw new SourceUnavailableError(source, 'sandbox failure (503)');
    try {
      return part(sandboxRecords(vkn, today));
    } catch (error) {
      // every sandbox source is as ignorant of an unregistered firm as MERSIS is
      if (error instanceof FirmNotFoundError) throw new FirmNotFoundError(vkn, source);
      throw error;
    }
  }

  return {
    MERSIS: {
      fetch: (vkn, signal) => answer('MERSIS', vkn, signal, (r) => r.registry),
      authorisedPersons: (vkn, signal): Promise<AuthorisedPerson[]> =>
        answer('MERSIS', vkn, signal, (r) => r.registry.authorisedPersons),
    },
    GIB: { fetch: (vkn, signal) => answer('GIB', vkn, signal, (r) => r.tax) },
    SGK: { fetch: (vkn, signal) => answer('SGK', vkn, signal, (r) => r.socialSecurity) },
    GUMRUK: { fetch: (vkn, signal) => answer('GUMRUK', vkn, signal, (r) => r.customs) },
    KKB: { fetch: (vkn, signal) => answer('KKB', vkn, signal, (r) => r.creditBureau) },
  };
}

import type { DataSource, FirmDataSnapshot } from '@kefalet/events';

/*
 * R4: one port per public source. Each answers with its part of FirmDataSnapshot; the collector adds
 * `source` and `fetchedAt`. Adapters must honour the AbortSignal (the collector's per-call timeout).
 */

type Answer<K extends keyof FirmDataSnapshot> = Omit<FirmDataSnapshot[K], 'source' | 'fetchedAt'>;

/** MERSIS lists the TCKN too, for membership verification (R1); events keep only name and role. */
export interface AuthorisedPerson {
  readonly tckn: string;
  readonly name: string;
  readonly role: string;
}

export type RegistryRecord = Omit<Answer<'registry'>, 'authorisedPersons'> & {
  authorisedPersons: AuthorisedPerson[];
};
export type TaxRecord = Answer<'tax'>;
export type SocialSecurityRecord = Answer<'socialSecurity'>;
export type CustomsRecord = Answer<'customs'>;
export type CreditBureauRecord = Answer<'creditBureau'>;

/** The trade registry (MERSIS). */
export interface MersisPort {
  fetch(vkn: string, signal: AbortSignal): Promise<RegistryRecord>;
  /** The firm's authorised persons, for membership checks (R1). */
  authorisedPersons(vkn: string, signal: AbortSignal): Promise<AuthorisedPerson[]>;
}

/** The tax authority (GİB). */
export interface TaxPort {
  fetch(vkn: string, signal: AbortSignal): Promise<TaxRecord>;
}

/** Social security (SGK). */
export interface SocialSecurityPort {
  fetch(vkn: string, signal: AbortSignal): Promise<SocialSecurityRecord>;
}

/** Customs (GÜMRÜK): export declarations, FOB value in USD. */
export interface CustomsPort {
  fetch(vkn: string, signal: AbortSignal): Promise<CustomsRecord>;
}

/** The credit bureau (KKB). */
export interface CreditBureauPort {
  fetch(vkn: string, signal: AbortSignal): Promise<CreditBureauRecord>;
}

/** The five sources, keyed as DataSource names them. */
export interface PublicDataSources {
  readonly MERSIS: MersisPort;
  readonly GIB: TaxPort;
  readonly SGK: SocialSecurityPort;
  readonly GUMRUK: CustomsPort;
  readonly KKB: CreditBureauPort;
}

/**
 * The source has no record of the firm: a definite answer, so never retried. From MERSIS it means the
 * firm does not exist; the other sources should answer an empty record for a registered firm they hold nothing on.
 */
export class FirmNotFoundError extends Error {
  override readonly name = 'FirmNotFoundError';
  constructor(
    readonly vkn: string,
    readonly source: DataSource,
  ) {
    super(`${source} has no record of the firm with VKN ${vkn}`);
  }
}

/** The source did not answer (outage, error status, timeout): worth one retry. */
export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
  constructor(
    readonly source: DataSource,
    reason: string,
  ) {
    super(`${source} unavailable: ${reason}`);
  }
}

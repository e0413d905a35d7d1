import {
  DATA_SOURCES,
  FirmDataSnapshotSchema,
  parseVkn,
  type DataSource,
  type FirmDataSnapshot,
  type Segment,
} from '@kefalet/events';
import {
  FirmNotFoundError,
  SourceUnavailableError,
  type AuthorisedPerson,
  type PublicDataSources,
} from './ports';
import { detectSegment } from './segment';

export interface CollectOptions {
  readonly sources: PublicDataSources;
  /** Per attempt; a source gets one retry, so it may take up to twice this. */
  readonly timeoutMs: number;
  /** Stamps each part's fetchedAt. */
  readonly clock: () => Date;
}

export type CollectedFirmData =
  | {
      readonly kind: 'complete';
      readonly snapshot: FirmDataSnapshot;
      readonly segment: Segment;
      /** With TCKNs, for membership checks; the snapshot keeps only names and roles. */
      readonly authorisedPersons: AuthorisedPerson[];
    }
  | {
      readonly kind: 'incomplete';
      readonly unavailableSources: [DataSource, ...DataSource[]];
      /** The parts the sources that did answer gave. */
      readonly partial: Partial<FirmDataSnapshot>;
    };

/** Where each source's answer goes in the snapshot. */
const PART_OF: Record<DataSource, keyof FirmDataSnapshot> = {
  MERSIS: 'registry',
  GIB: 'tax',
  SGK: 'socialSecurity',
  GUMRUK: 'customs',
  KKB: 'creditBureau',
};

/**
 * R4: pulls the firm's data from the five public sources at once, each call with a timeout and one
 * retry. A source that still does not answer is named in an 'incomplete' result, never thrown; only
 * an invalid VKN (InvalidValueError) and a firm MERSIS does not know (FirmNotFoundError) throw.
 */
export async function collectFirmData(
  vkn: string,
  options: CollectOptions,
): Promise<CollectedFirmData> {
  parseVkn(vkn, 'vkn');
  const settled = await Promise.allSettled(
    DATA_SOURCES.map((source) => fetchWithRetry(source, vkn, options)),
  );

  const partial: Partial<Record<keyof FirmDataSnapshot, unknown>> = {};
  const unavailableSources: DataSource[] = [];
  let authorisedPersons: AuthorisedPerson[] = [];
  settled.forEach((result, index) => {
    const source = DATA_SOURCES[index]!;
    if (result.status === 'rejected') {
      // the registry is the authority on whether the firm exists at all
      if (source === 'MERSIS' && result.reason instanceof FirmNotFoundError) throw result.reason;
      unavailableSources.push(source);
      return;
    }
    partial[PART_OF[source]] = result.value.part;
    if (source === 'MERSIS') authorisedPersons = result.value.authorisedPersons;
  });

  const [firstUnavailable, ...otherUnavailable] = unavailableSources;
  if (firstUnavailable) {
    return {
      kind: 'incomplete',
      unavailableSources: [firstUnavailable, ...otherUnavailable],
      partial: partial as Partial<FirmDataSnapshot>,
    };
  }
  const snapshot = FirmDataSnapshotSchema.parse(partial);
  return {
    kind: 'complete',
    snapshot,
    segment: detectSegment({
      headcount: snapshot.socialSecurity.headcount,
      netSalesLastYear: snapshot.tax.netSalesLastYear,
    }),
    authorisedPersons,
  };
}

interface SourceAnswer {
  /** The snapshot part, validated, with source and fetchedAt (and no TCKNs). */
  readonly part: unknown;
  readonly authorisedPersons: AuthorisedPerson[];
}

async function fetchWithRetry(
  source: DataSource,
  vkn: string,
  options: CollectOptions,
): Promise<SourceAnswer> {
  try {
    return await fetchOnce(source, vkn, options);
  } catch (error) {
    if (error instanceof FirmNotFoundError) throw error;
    return fetchOnce(source, vkn, options);
  }
}

async function fetchOnce(
  source: DataSource,
  vkn: string,
  { sources, timeoutMs, clock }: CollectOptions,
): Promise<SourceAnswer> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // racing the call too, so an adapter that ignores the signal still cannot hold the collector
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new SourceUnavailableError(source, `no answer within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const answer = await Promise.race([sources[source].fetch(vkn, controller.signal), timedOut]);
    const schema = FirmDataSnapshotSchema.shape[PART_OF[source]];
    const checked = schema.safeParse({ ...answer, source, fetchedAt: clock().toISOString() });
    if (!checked.success) throw new SourceUnavailableError(source, 'malformed answer');
    const persons = 'authorisedPersons' in answer ? answer.authorisedPersons : [];
    return { part: checked.data, authorisedPersons: persons };
  } finally {
    clearTimeout(timer);
  }
}

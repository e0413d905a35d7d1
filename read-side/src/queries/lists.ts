import {
  firmApplicationRow,
  timeLeft,
  type ApplicationStatus,
  type FirmApplication,
  type FirmApplicationState,
  type FirmHead,
  type InboxEntry,
  type InboxHead,
  type InboxRequest,
  type MarketAnalytics,
  type BankNames,
  type StoredApplicationStats,
  type TimeLeft,
} from '../models';
import {
  ANALYTICS_APPLICATIONS_INDEX,
  BANK_NAMES_ID,
  COLLECTIONS,
  firmIndex,
  firmStatusIndex,
  helperId,
  inboxFirmIndex,
  inboxIndex,
  inboxStatusIndex,
} from '../projections';
import type { IndexEntry, ReadModelReader } from '../store/port';

/*
 * The lists, read a page at a time from their sorted indexes: a bank's inbox and a firm's
 * applications. The HTTP queries and the live push's room snapshots share them, so a snapshot is
 * exactly the first page GET /api/applications gives.
 */

/** How many rows a room snapshot holds: the first page, as the web app asks for it. */
export const SNAPSHOT_LIMIT = 200;

/** Reads of many documents are split so that one command stays small. */
const READ_CHUNK = 500;

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

interface Page<T> {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly items: readonly T[];
}

/**
 * Counts time left once per distinct deadline and status: a list holds many rows, a push several
 * audiences, and businessDaysLeft walks the calendar.
 */
export function timeLeftCounter(
  now: Date,
): (row: { status: ApplicationStatus; biddingClosesAt: string | null }) => TimeLeft | null {
  const known = new Map<string, TimeLeft | null>();
  return (row) => {
    const key = `${row.status}|${row.biddingClosesAt}`;
    let left = known.get(key);
    if (left === undefined && !known.has(key)) {
      left = timeLeft(row, now);
      known.set(key, left);
    }
    return left ?? null;
  };
}

/** An inbox row as the API and the push send it: the entry and its time left to bid. */
export interface InboxItem extends InboxRequest {
  readonly timeLeft: TimeLeft | null;
  /** The entry's own version: how many events changed it. */
  readonly version: number;
  readonly lastPosition: string;
}

export function inboxItem(entry: InboxEntry, count: ReturnType<typeof timeLeftCounter>): InboxItem {
  return { ...entry, timeLeft: count(entry) };
}

/** GET /api/applications for a bank, and the `inbox:<bankCode>` room's snapshot. */
export interface BankInboxPage extends Page<InboxItem> {
  readonly role: 'bank';
  readonly bankCode: string;
  readonly bankName: string | null;
  /** The inbox version (the head's): the room's updates go on from it. */
  readonly version: number;
  readonly lastPosition: string;
  /** The product clock's instant the time left was counted at. */
  readonly now: string;
}

export interface InboxFilter extends PageRequest {
  readonly status?: ApplicationStatus;
  readonly firm?: string;
}

/**
 * A page of the bank's inbox, newest opened first. The head is read before the entries, so the
 * entries are at least as new as the version: an update after it may repeat a change, never miss one.
 */
export async function readInboxPage(
  reader: ReadModelReader,
  bankCode: string,
  { status, firm, offset, limit }: InboxFilter,
  now: Date,
): Promise<BankInboxPage> {
  const head = await reader.get<InboxHead>(COLLECTIONS.inbox, bankCode);
  let total: number;
  let entries: (InboxEntry | undefined)[];
  if (firm !== undefined && status !== undefined) {
    // a firm has few applications at one bank: filter its index by status here
    const members = await reader.range(inboxFirmIndex(bankCode, firm), { reverse: true });
    const all = (await getAll<InboxEntry>(reader, COLLECTIONS.inbox, members)).filter(
      (entry) => entry?.status === status,
    );
    total = all.length;
    entries = all.slice(offset, offset + limit);
  } else {
    const index =
      firm !== undefined
        ? inboxFirmIndex(bankCode, firm)
        : status !== undefined
          ? inboxStatusIndex(bankCode, status)
          : inboxIndex(bankCode);
    const [count, members] = await Promise.all([
      reader.count(index),
      reader.range(index, { reverse: true, offset, limit }),
    ]);
    total = count;
    entries = await getAll<InboxEntry>(reader, COLLECTIONS.inbox, members);
  }
  const counter = timeLeftCounter(now);
  return {
    role: 'bank',
    bankCode,
    bankName: head?.bankName ?? null,
    total,
    offset,
    limit,
    items: entries.flatMap((entry) => (entry ? [inboxItem(entry, counter)] : [])),
    version: head?.version ?? 0,
    lastPosition: head?.lastPosition ?? '0',
    now: now.toISOString(),
  };
}

/** A row of a firm's list, or of the analysts' list: the row plus which firm. */
export interface ApplicationSummary extends FirmApplication {
  readonly firmVkn: string;
  readonly firmTitle: string;
}

export function applicationSummary(state: FirmApplicationState): ApplicationSummary {
  return { ...firmApplicationRow(state), firmVkn: state.firmVkn, firmTitle: state.firmTitle };
}

/** The firms' applications merged, newest submitted first, a page of them. */
export async function readFirmRows(
  reader: ReadModelReader,
  vkns: readonly string[],
  { status, offset, limit }: PageRequest & { readonly status?: ApplicationStatus },
): Promise<Page<ApplicationSummary>> {
  const indexOf = (vkn: string) =>
    status === undefined ? firmIndex(vkn) : firmStatusIndex(vkn, status);
  const perFirm = await Promise.all(
    vkns.map(async (vkn) => {
      const index = indexOf(vkn);
      const [count, members] = await Promise.all([
        reader.count(index),
        // enough of each firm's newest to fill the page of the merged list
        reader.range(index, {
          reverse: true,
          offset: vkns.length === 1 ? offset : 0,
          limit: vkns.length === 1 ? limit : offset + limit,
        }),
      ]);
      return { count, members };
    }),
  );
  const total = perFirm.reduce((sum, firm) => sum + firm.count, 0);
  const members =
    vkns.length === 1
      ? perFirm[0]!.members
      : perFirm
          .flatMap((firm) => firm.members)
          .sort(newestFirst)
          .slice(offset, offset + limit);
  const states = await getAll<FirmApplicationState>(reader, COLLECTIONS.firmApplications, members);
  return {
    total,
    offset,
    limit,
    items: states.flatMap((state) => (state ? [applicationSummary(state)] : [])),
  };
}

/** The `firm:<vkn>` room's snapshot: the first page of the firm's list with its version. */
export interface FirmListPage extends Page<ApplicationSummary> {
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly version: number;
  readonly lastPosition: string;
  readonly now: string;
}

export async function readFirmPage(
  reader: ReadModelReader,
  firm: { readonly vkn: string; readonly title: string },
  page: PageRequest,
  now: Date,
): Promise<FirmListPage> {
  // the head first: the rows are at least as new as the version
  const head = await reader.get<FirmHead>(COLLECTIONS.firmApplications, firm.vkn);
  const rows = await readFirmRows(reader, [firm.vkn], page);
  return {
    firmVkn: firm.vkn,
    firmTitle: head?.firmTitle ?? firm.title,
    ...rows,
    version: head?.version ?? 0,
    lastPosition: head?.lastPosition ?? '0',
    now: now.toISOString(),
  };
}

/** The KPIs' input: every application's record and the bank names, as one value. */
export async function readMarketAnalytics(reader: ReadModelReader): Promise<MarketAnalytics> {
  const [members, names] = await Promise.all([
    reader.range(ANALYTICS_APPLICATIONS_INDEX),
    reader.get<BankNames>(COLLECTIONS.analytics, BANK_NAMES_ID),
  ]);
  const records = await getAll<StoredApplicationStats>(reader, COLLECTIONS.analytics, members);
  const applications: Record<string, StoredApplicationStats> = {};
  members.forEach((entry, at) => {
    const record = records[at];
    if (record) applications[entry.member.slice(helperId('').length)] = record;
  });
  return {
    applications,
    bankNames: names?.bankNames ?? {},
    version: 0,
    lastPosition: await reader.checkpoint(COLLECTIONS.analytics).then(String),
  };
}

/** Higher score first, ties by member descending: the order of a reversed index range. */
function newestFirst(a: IndexEntry, b: IndexEntry): number {
  return b.score - a.score || (a.member < b.member ? 1 : a.member > b.member ? -1 : 0);
}

async function getAll<T>(
  reader: ReadModelReader,
  collection: string,
  members: readonly IndexEntry[],
): Promise<(T | undefined)[]> {
  const ids = members.map((entry) => entry.member);
  const chunks: Promise<(T | undefined)[]>[] = [];
  for (let from = 0; from < ids.length; from += READ_CHUNK) {
    chunks.push(reader.getMany<T>(collection, ids.slice(from, from + READ_CHUNK)));
  }
  return (await Promise.all(chunks)).flat();
}

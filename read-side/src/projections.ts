import type { DomainEvent } from '@kefalet/events';
import {
  applicationIdOf,
  boardKeys,
  detailKeys,
  evolveApplicationStats,
  evolveBankNames,
  evolveBoard,
  evolveDetail,
  evolveFirmApplication,
  evolveFirmHead,
  evolveInboxApplication,
  evolveInboxEntry,
  evolveInboxHead,
  evolvePartnerBanks,
  evolveVersioned,
  firmApplicationKey,
  firmKeys,
  inboxApplicationKey,
  inboxEntryId,
  inboxKeys,
  type ApplicationDetail,
  type BankNames,
  type FirmApplicationState,
  type FirmHead,
  type InboxApplication,
  type InboxEntry,
  type InboxHead,
  type OfferBoard,
  type PartnerBanks,
  type StoredApplicationStats,
  type Versioned,
} from './models';
import type { IndexMembership, Projection } from './runner';

/*
 * The read models wired to the projection runner. Each projection's name is both its checkpoint and
 * the collection of its documents; keep them stable: renaming one rebuilds it from zero, which is
 * what a change of a collection's document shapes needs (hence the '.v2' of the lists and KPIs).
 *
 * No document grows with the number of applications, so the work per event does not either:
 *
 * - bank inbox: per application a helper document `application:<id>` (InboxApplication); per
 *   (bank, application) an entry `<bankCode>:<applicationId>` (what the bank sees); per bank a
 *   head `<bankCode>` (its name and the inbox version). `ids` evolves the helper ahead (pure, cheap)
 *   to learn which banks the event reaches; `evolve` then gets the helper first, and each bank's
 *   entry before its head, through `sibling`. The list is a sorted index per bank, by opening.
 * - firm list: per application `application:<id>` (FirmApplicationState, the row's source), per
 *   firm a head `<vkn>`; the list is a sorted index per firm, by submission.
 * - detail: per application, plus the partner banks' registered names in `partner-banks`.
 * - analytics: per application `application:<id>`, plus `bank-names`, all listed in one index.
 */

export const COLLECTIONS = {
  board: 'offer-board',
  inbox: 'bank-inbox.v2',
  firmApplications: 'firm-applications.v2',
  detail: 'application-detail.v2',
  analytics: 'analytics.v2',
  memberships: 'memberships',
} as const;

/** The id of an application's helper document in the inbox, firm-list and analytics collections. */
export function helperId(applicationId: string): string {
  return `application:${applicationId}`;
}

export function isHelperId(id: string): boolean {
  return id.startsWith('application:');
}

/** Sorted indexes of application ids by submission time (ms): all, and per current status. */
export const APPLICATIONS_INDEX = `${COLLECTIONS.detail}:by-submitted`;
export function applicationsByStatusIndex(status: string): string {
  return `${COLLECTIONS.detail}:status:${status}`;
}

/** The detail collection's document of registered bank names. */
export const PARTNER_BANKS_ID = 'partner-banks';

/** A bank's inbox entries (ids `<bankCode>:<applicationId>`) by opening time (ms). */
export function inboxIndex(bankCode: string): string {
  return `${COLLECTIONS.inbox}:bank:${bankCode}`;
}
/** The same, for the applications in one status. */
export function inboxStatusIndex(bankCode: string, status: string): string {
  return `${inboxIndex(bankCode)}:status:${status}`;
}
/** The same, for one firm's applications. */
export function inboxFirmIndex(bankCode: string, firmVkn: string): string {
  return `${inboxIndex(bankCode)}:firm:${firmVkn}`;
}

/** A firm's applications (members `application:<id>`) by submission time (ms). */
export function firmIndex(firmVkn: string): string {
  return `${COLLECTIONS.firmApplications}:firm:${firmVkn}`;
}
export function firmStatusIndex(firmVkn: string, status: string): string {
  return `${firmIndex(firmVkn)}:status:${status}`;
}

/** Every application's record in the analytics collection (members `application:<id>`). */
export const ANALYTICS_APPLICATIONS_INDEX = `${COLLECTIONS.analytics}:applications`;
/** The analytics collection's document of bank names. */
export const BANK_NAMES_ID = 'bank-names';

/** R1: the firms a member (the session's userId) was verified for; keyed by member id. */
export interface Membership extends Versioned {
  readonly memberId: string;
  readonly firms: readonly { readonly vkn: string; readonly title: string }[];
}

export const boardProjection: Projection<OfferBoard> = {
  name: COLLECTIONS.board,
  ids: boardKeys,
  evolve: (board, event) => evolveBoard(board, event),
};

type InboxDoc = InboxApplication | InboxEntry | InboxHead;

/** What an id of the inbox collection names. */
export function inboxDocKind(id: string): 'application' | 'entry' | 'head' {
  if (isHelperId(id)) return 'application';
  return id.includes(':') ? 'entry' : 'head';
}

export const inboxProjection: Projection<InboxDoc> = {
  name: COLLECTIONS.inbox,
  async ids(event, read) {
    if (event.type === 'PartnerBankRegistered') return [event.data.bankCode];
    const applicationId = inboxApplicationKey(event);
    if (applicationId === undefined) return [];
    const id = helperId(applicationId);
    const after = evolveInboxApplication((await read(id)) as InboxApplication | undefined, event);
    // each bank's entry before its head: the head asks whether the entry changed
    const banks = inboxKeys(event, after).flatMap((bankCode) => [
      inboxEntryId(bankCode, applicationId),
      bankCode,
    ]);
    return [id, ...banks];
  },
  evolve(doc, event, id, sibling) {
    const kind = inboxDocKind(id);
    if (kind === 'application') {
      return evolveInboxApplication(doc as InboxApplication | undefined, event);
    }
    const applicationId = applicationIdOf(event);
    if (kind === 'entry') {
      const bankCode = id.slice(0, id.indexOf(':'));
      const application =
        applicationId === undefined
          ? undefined
          : (sibling(helperId(applicationId)) as InboxApplication | undefined);
      return evolveInboxEntry(doc as InboxEntry | undefined, event, { bankCode, application });
    }
    const entry =
      applicationId === undefined
        ? undefined
        : (sibling(inboxEntryId(id, applicationId)) as InboxEntry | undefined);
    return evolveInboxHead(doc as InboxHead | undefined, event, {
      bankCode: id,
      entryChanged: entry !== undefined && entry.lastPosition === event.position.toString(),
    });
  },
  indexes(doc, id): IndexMembership[] {
    if (inboxDocKind(id) !== 'entry') return [];
    const entry = doc as InboxEntry;
    const bankCode = id.slice(0, id.indexOf(':'));
    const score = Date.parse(entry.openedAt);
    return [
      { index: inboxIndex(bankCode), score },
      { index: inboxStatusIndex(bankCode, entry.status), score },
      { index: inboxFirmIndex(bankCode, entry.firmVkn), score },
    ];
  },
};

type FirmDoc = FirmApplicationState | FirmHead;

export const firmApplicationsProjection: Projection<FirmDoc> = {
  name: COLLECTIONS.firmApplications,
  async ids(event, read) {
    const applicationId = firmApplicationKey(event);
    if (applicationId === undefined) return [];
    const id = helperId(applicationId);
    const after = evolveFirmApplication(
      (await read(id)) as FirmApplicationState | undefined,
      event,
    );
    return [id, ...firmKeys(event, after)];
  },
  evolve(doc, event, id, sibling) {
    if (isHelperId(id)) {
      return evolveFirmApplication(doc as FirmApplicationState | undefined, event);
    }
    // ids lists a firm only after its helper, so the key is there
    const state = sibling(helperId(firmApplicationKey(event)!)) as FirmApplicationState | undefined;
    return evolveFirmHead(doc as FirmHead | undefined, event, state);
  },
  indexes(doc, id): IndexMembership[] {
    if (!isHelperId(id)) return [];
    const state = doc as FirmApplicationState;
    const score = Date.parse(state.submittedAt);
    return [
      { index: firmIndex(state.firmVkn), score },
      { index: firmStatusIndex(state.firmVkn, state.status), score },
    ];
  },
};

type DetailDoc = ApplicationDetail | PartnerBanks;

export const detailProjection: Projection<DetailDoc> = {
  name: COLLECTIONS.detail,
  ids(event) {
    if (event.type === 'PartnerBankRegistered') return [PARTNER_BANKS_ID];
    const ids = detailKeys(event);
    // the registry first, so the application's detail reads the names through `sibling`
    return ids.length === 0 ? [] : [PARTNER_BANKS_ID, ...ids];
  },
  evolve(doc, event, id, sibling) {
    if (id === PARTNER_BANKS_ID) return evolvePartnerBanks(doc as PartnerBanks | undefined, event);
    const banks = sibling(PARTNER_BANKS_ID) as PartnerBanks | undefined;
    return evolveDetail(doc as ApplicationDetail | undefined, event, banks?.names);
  },
  indexes(doc, id) {
    if (id === PARTNER_BANKS_ID) return [];
    const detail = doc as ApplicationDetail;
    const score = Date.parse(detail.submittedAt);
    return [
      { index: APPLICATIONS_INDEX, score },
      { index: applicationsByStatusIndex(detail.status), score },
    ];
  },
};

type AnalyticsDoc = StoredApplicationStats | BankNames;

export const analyticsProjection: Projection<AnalyticsDoc> = {
  name: COLLECTIONS.analytics,
  ids(event) {
    const applicationId = applicationIdOf(event);
    const named = event.type === 'PartnerBankRegistered' || event.type === 'OfferSubmitted';
    return [
      ...(named ? [BANK_NAMES_ID] : []),
      ...(applicationId === undefined ? [] : [helperId(applicationId)]),
    ];
  },
  evolve(doc, event, id) {
    if (id === BANK_NAMES_ID) return evolveBankNames(doc as BankNames | undefined, event);
    return evolveApplicationStats(doc as StoredApplicationStats | undefined, event);
  },
  indexes(_doc, id) {
    // no order needed: the KPIs read every record
    return isHelperId(id) ? [{ index: ANALYTICS_APPLICATIONS_INDEX, score: 0 }] : [];
  },
};

export const membershipsProjection: Projection<Membership> = {
  name: COLLECTIONS.memberships,
  ids: (event) => (event.type === 'FirmMembershipVerified' ? [event.data.memberId] : []),
  evolve: (membership, event) =>
    evolveVersioned(membership, event, (current) => nextMembership(current, event)),
};

function nextMembership(membership: Membership | undefined, event: DomainEvent) {
  if (event.type !== 'FirmMembershipVerified') return membership;
  const { memberId, firmVkn, firmTitle } = event.data;
  const others = membership?.firms.filter((firm) => firm.vkn !== firmVkn) ?? [];
  // a re-verification keeps the firm once, under the title MERSIS gave last
  return { memberId, firms: [...others, { vkn: firmVkn, title: firmTitle }] };
}

/** Every read model of the query API and the live push, in the order the runner applies them. */
export const projections: readonly Projection[] = [
  boardProjection,
  inboxProjection,
  firmApplicationsProjection,
  detailProjection,
  analyticsProjection,
  membershipsProjection,
];

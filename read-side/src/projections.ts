import type { DomainEvent } from '@kefalet/events';
import {
  analyticsKeys,
  boardKeys,
  detailKeys,
  evolveAnalytics,
  evolveBoard,
  evolveDetail,
  evolveFirmApplication,
  evolveFirmApplications,
  evolveInbox,
  evolveInboxApplication,
  evolveVersioned,
  firmApplicationKey,
  firmKeys,
  inboxApplicationKey,
  inboxKeys,
  type ApplicationDetail,
  type BankInbox,
  type FirmApplications,
  type FirmApplicationState,
  type InboxApplication,
  type MarketAnalytics,
  type OfferBoard,
  type Versioned,
} from './models';
import type { Projection } from './runner';

/*
 * The read models wired to the projection runner. Each projection's name is both its checkpoint and
 * the collection of its documents; keep them stable (renaming one rebuilds it from zero).
 *
 * The bank inbox and the firm list keep a helper document per application in their own collection,
 * under `application:<id>`, next to the per-bank (bank code) and per-firm (VKN) documents that are
 * views of it. `ids` evolves the helper ahead (pure, cheap) to learn which banks or firm the event
 * reaches; `evolve` then gets the helper first and the views read it through `sibling`.
 */

export const COLLECTIONS = {
  board: 'offer-board',
  inbox: 'bank-inbox',
  firmApplications: 'firm-applications',
  detail: 'application-detail',
  analytics: 'analytics',
  memberships: 'memberships',
} as const;

/** The id of an application's helper document in the inbox and firm-list collections. */
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

type InboxDoc = InboxApplication | BankInbox;

export const inboxProjection: Projection<InboxDoc> = {
  name: COLLECTIONS.inbox,
  async ids(event, read) {
    const applicationId = inboxApplicationKey(event);
    if (applicationId === undefined) return inboxKeys(event, undefined);
    const id = helperId(applicationId);
    const after = evolveInboxApplication((await read(id)) as InboxApplication | undefined, event);
    return [id, ...inboxKeys(event, after)];
  },
  evolve(doc, event, id, sibling) {
    if (isHelperId(id)) return evolveInboxApplication(doc as InboxApplication | undefined, event);
    const applicationId = inboxApplicationKey(event);
    const application =
      applicationId === undefined
        ? undefined
        : (sibling(helperId(applicationId)) as InboxApplication | undefined);
    return evolveInbox(doc as BankInbox | undefined, event, { bankCode: id, application });
  },
};

type FirmDoc = FirmApplicationState | FirmApplications;

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
    if (isHelperId(id))
      return evolveFirmApplication(doc as FirmApplicationState | undefined, event);
    // ids lists a firm only after its helper, so the key is there
    const state = sibling(helperId(firmApplicationKey(event)!)) as FirmApplicationState | undefined;
    return evolveFirmApplications(doc as FirmApplications | undefined, event, state);
  },
};

export const detailProjection: Projection<ApplicationDetail> = {
  name: COLLECTIONS.detail,
  ids: detailKeys,
  evolve: (detail, event) => evolveDetail(detail, event),
  indexes(detail) {
    const score = Date.parse(detail.submittedAt);
    return [
      { index: APPLICATIONS_INDEX, score },
      { index: applicationsByStatusIndex(detail.status), score },
    ];
  },
};

export const analyticsProjection: Projection<MarketAnalytics> = {
  name: COLLECTIONS.analytics,
  ids: analyticsKeys,
  evolve: (analytics, event) => evolveAnalytics(analytics, event),
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

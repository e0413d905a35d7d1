/*
 * A small typed client for the portal's HTTP API. Same origin, session cookie; every failure is an
 * ApiError carrying the RFC 9457 problem (code, title, detail and field-level reasons) when the
 * server sent one, so forms can put each reason next to its field.
 */
import type {
  ApplicationStatus,
  Currency,
  GuaranteeEligibility,
  GuaranteePackage,
  InboxRequest as InboxRequestView,
  InformationRequest,
  OfferStatus,
  Role,
} from '@kefalet/events';
import { serverClock } from './format';

export type { Currency, GuaranteePackage, Role };

// ---- wire shapes ----------------------------------------------------------------------------

export interface FirmRef {
  readonly vkn: string;
  readonly title: string;
}

export interface User {
  readonly id: string;
  readonly fullName: string;
  readonly email: string;
  readonly role: Role;
  readonly bankCode?: string;
  readonly branchCode?: string;
  readonly bankName?: string;
  readonly firms: readonly FirmRef[];
  readonly contractsSigned: boolean;
}

export interface AuthorisedPerson {
  readonly name: string;
  readonly role: string;
}

export interface Firm {
  readonly vkn: string;
  readonly title: string;
  readonly mersisNumber: string;
  readonly authorisedPersons: readonly AuthorisedPerson[];
}

export interface Contract {
  readonly id: string;
  readonly title: string;
  readonly version: string;
  readonly sha256: string;
  readonly text: string;
  readonly signed: boolean;
}

export type SignatureMethod = 'E_IMZA' | 'MOBIL_IMZA';

export interface MobileSignatureChallenge {
  readonly expiresAt: string;
  readonly phoneHint: string;
}

export type SignResult =
  | { readonly kind: 'signed' }
  | { readonly kind: 'challenge'; readonly challenge: MobileSignatureChallenge };

export { APPLICATION_STATUSES, type ApplicationStatus } from '@kefalet/events';

export interface ScoreReason {
  readonly code: string;
  readonly kind: 'KNOCKOUT' | 'FACTOR' | 'PACKAGE_RULE';
  readonly message: string;
  readonly messageEn: string;
}

export interface Decision {
  readonly eligible: boolean;
  readonly creditNote: number;
  readonly creditNoteLabel: string;
  readonly reasons: readonly ScoreReason[];
  /** percent, decimal string ("90") */
  readonly guaranteeRatio: string;
  /** decimal string ("1350000.00") in the application's currency */
  readonly guaranteeAmount: string;
  readonly modelVersion: string;
}

export interface SubmitApplicationBody {
  readonly firmVkn: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly purpose: string;
}

/** The answer to POST /api/applications: 201 decided, or 202 AWAITING_DATA. */
export interface ApplicationDecisionView {
  readonly applicationId: string;
  readonly status: ApplicationStatus;
  readonly decision?: Decision;
  readonly biddingClosesAt?: string;
  /** the application's currency, when known (the decision's amount is in it) */
  readonly currency?: Currency;
  /** AWAITING_DATA: the public sources that did not answer (MERSIS, GIB, SGK, GUMRUK, KKB) */
  readonly unavailableSources?: readonly string[];
  /** AWAITING_DATA: when the sources are asked again */
  readonly retryAt?: string;
}

export interface ApplicationSummary {
  readonly applicationId: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly status: ApplicationStatus;
  readonly creditNote?: number;
  readonly offerCount: number;
  /** percent, decimal string */
  readonly bestEffectiveAnnualCost?: string;
  readonly submittedAt: string;
  readonly nextDeadline: { readonly kind: string; readonly at: string } | null;
}

/** Time left to bid, as the server counts it (R8, R20) at its `now`. */
export interface TimeLeft {
  /** whole business days before the close */
  readonly businessDays: number;
  readonly ms: number;
}

export interface DemoAccount {
  readonly email: string;
  readonly role: Role;
  readonly description: string;
}

export interface DemoInfo {
  readonly accounts: readonly DemoAccount[];
  readonly password: string;
}

export interface InboxMessage {
  readonly to: string;
  readonly text: string;
  readonly at: string;
}

// ---- errors ---------------------------------------------------------------------------------

export interface FieldReason {
  /** a dotted path into the request body, e.g. "amount" or "firmVkn" */
  readonly field: string;
  readonly reason: string;
}

/** RFC 9457 problem details as the API sends them; `code` is the stable machine name. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly errors?: readonly FieldReason[];
  readonly [extension: string]: unknown;
}

/** Codes the client itself gives to failures that carry no problem body. */
export const CLIENT_CODES = {
  /** the request did not reach a server (offline, refused, DNS) */
  network: 'NETWORK',
  /** a proxy or gateway answered an error without a problem body: the API is down */
  unavailable: 'UNAVAILABLE',
  /** a 2xx whose body was not the JSON we expected */
  badResponse: 'BAD_RESPONSE',
} as const;

export class ApiError extends Error {
  /** HTTP status; 0 when no response arrived */
  readonly status: number;
  readonly code: string;
  readonly problem: Problem | undefined;

  constructor(status: number, code: string, message: string, problem?: Problem) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.problem = problem;
  }

  /** Field-level reasons of the problem, in the server's order. */
  get fieldReasons(): readonly FieldReason[] {
    return this.problem?.errors ?? [];
  }

  /** The first reason given for a field, if any. */
  fieldReason(field: string): string | undefined {
    return this.fieldReasons.find((e) => e.field === field)?.reason;
  }

  /** First reason per field. */
  get fields(): Readonly<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const { field, reason } of this.fieldReasons) out[field] ??= reason;
    return out;
  }

  /** The server could not be reached at all (as opposed to answering with a problem). */
  get unreachable(): boolean {
    return this.code === CLIENT_CODES.network || this.code === CLIENT_CODES.unavailable;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Any thrown value as an ApiError, so pages handle one error type. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(0, CLIENT_CODES.network, message);
}

function asProblem(body: unknown, status: number): Problem | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b['code'] !== 'string' && typeof b['title'] !== 'string') return undefined;
  const errors = Array.isArray(b['errors'])
    ? b['errors'].flatMap((e: unknown) => {
        if (typeof e !== 'object' || e === null) return [];
        const { field, reason } = e as Record<string, unknown>;
        return typeof field === 'string' && typeof reason === 'string' ? [{ field, reason }] : [];
      })
    : undefined;
  return {
    ...b,
    type: typeof b['type'] === 'string' ? b['type'] : 'about:blank',
    title: typeof b['title'] === 'string' ? b['title'] : `HTTP ${status}`,
    status: typeof b['status'] === 'number' ? b['status'] : status,
    code: typeof b['code'] === 'string' ? b['code'] : `HTTP_${status}`,
    ...(typeof b['detail'] === 'string' ? { detail: b['detail'] } : {}),
    ...(errors ? { errors } : {}),
  };
}

// ---- transport ------------------------------------------------------------------------------

type Fetch = typeof globalThis.fetch;

export interface RequestOptions {
  /** SvelteKit's load `fetch`, when called from a load function */
  readonly fetch?: Fetch;
  readonly body?: unknown;
  /** makes a retried command return the first result instead of acting twice */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly data: T;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return undefined;
  return JSON.parse(text) as unknown;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await doFetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, CLIENT_CODES.network, 'The server could not be reached');
  }

  const contentType = response.headers.get('content-type') ?? '';
  const isJson = /[/+]json\b/.test(contentType);

  if (!response.ok) {
    let problem: Problem | undefined;
    if (isJson) {
      try {
        problem = asProblem(await readJson(response), response.status);
      } catch {
        problem = undefined;
      }
    }
    if (problem) {
      throw new ApiError(response.status, problem.code, problem.detail ?? problem.title, problem);
    }
    // no problem body: a proxy or gateway speaking for a server that is not there
    const code = response.status >= 500 ? CLIENT_CODES.unavailable : `HTTP_${response.status}`;
    throw new ApiError(response.status, code, `HTTP ${response.status}`);
  }

  if (response.status === 204) return { status: 204, data: undefined as T };
  const receivedAt = Date.now();
  let data: unknown;
  try {
    data = await readJson(response);
    if (data === undefined || !isJson) throw new Error('not JSON');
  } catch {
    throw new ApiError(response.status, CLIENT_CODES.badResponse, 'Unexpected response');
  }
  // answers that count time say the product clock's now: countdowns follow it (CLOCK=manual)
  if (typeof data === 'object' && data !== null && 'now' in data) serverClock(data.now, receivedAt);
  return { status: response.status, data: data as T };
}

/** A random UUID, also where crypto.randomUUID is missing (plain http on a LAN address). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---- endpoints ------------------------------------------------------------------------------

/** Lists the UI relies on are present even when the API leaves them out (a bank user has no firms). */
function normaliseUser(user: User): User {
  return { ...user, firms: user.firms ?? [], contractsSigned: user.contractsSigned ?? false };
}

const get = <T>(path: string, fetch?: Fetch) => request<T>('GET', path, { fetch });
const post = <T>(path: string, body?: unknown, extra: Omit<RequestOptions, 'body'> = {}) =>
  request<T>('POST', path, { ...extra, body });

export const api = {
  /** The signed-in user, or null when nobody is (401). */
  async me(fetch?: Fetch): Promise<User | null> {
    try {
      return normaliseUser((await get<{ user: User }>('/api/auth/me', fetch)).data.user);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },

  async login(body: { email: string; password: string }): Promise<User> {
    return normaliseUser((await post<{ user: User }>('/api/auth/login', body)).data.user);
  },

  async register(body: {
    fullName: string;
    tckn: string;
    email: string;
    mobilePhone: string;
    password: string;
  }): Promise<User> {
    return normaliseUser((await post<{ user: User }>('/api/auth/register', body)).data.user);
  },

  async logout(): Promise<void> {
    await post<undefined>('/api/auth/logout');
  },

  /** Demo accounts, only in demo mode; null otherwise (or when the API cannot tell). */
  async demo(fetch?: Fetch): Promise<DemoInfo | null> {
    try {
      const { status, data } = await get<DemoInfo>('/api/demo', fetch);
      return status === 200 && Array.isArray(data?.accounts) && typeof data.password === 'string'
        ? data
        : null;
    } catch {
      return null;
    }
  },

  async demoInbox(fetch?: Fetch): Promise<readonly InboxMessage[]> {
    return (await get<{ messages: InboxMessage[] }>('/api/demo/inbox', fetch)).data.messages;
  },

  async verifyFirm(vkn: string): Promise<Firm> {
    return (await post<{ firm: Firm }>('/api/firms/verify', { vkn })).data.firm;
  },

  async contracts(fetch?: Fetch): Promise<readonly Contract[]> {
    return (await get<{ contracts: Contract[] }>('/api/contracts', fetch)).data.contracts;
  },

  /** E_IMZA signs at once; MOBIL_IMZA first answers 202 with a challenge, then takes the otp. */
  async signContract(
    id: string,
    body: { method: SignatureMethod; contractVersion?: string; otp?: string },
  ): Promise<SignResult> {
    const { status, data } = await post<{ signed?: boolean; challenge?: MobileSignatureChallenge }>(
      `/api/contracts/${encodeURIComponent(id)}/sign`,
      body,
    );
    if (status === 202 && data.challenge) return { kind: 'challenge', challenge: data.challenge };
    return { kind: 'signed' };
  },

  async packages(fetch?: Fetch): Promise<readonly GuaranteePackage[]> {
    return (await get<{ packages: GuaranteePackage[] }>('/api/packages', fetch)).data.packages;
  },

  /** R17: the firms' applications, newest first (the query API pages them as `items`). */
  async applications(fetch?: Fetch): Promise<readonly ApplicationSummary[]> {
    const { data } = await get<{
      items?: ApplicationSummary[];
      applications?: ApplicationSummary[];
    }>('/api/applications?limit=200', fetch);
    return data.items ?? data.applications ?? [];
  },

  /** 201 with the decision, or 202 AWAITING_DATA when a public source is down. */
  async submitApplication(
    body: SubmitApplicationBody,
    idempotencyKey: string,
  ): Promise<ApiResponse<ApplicationDecisionView>> {
    return post<ApplicationDecisionView>('/api/applications', body, { idempotencyKey });
  },

  /** One application as the query API shows it; the decision screen reads what it knows. */
  async application(id: string, fetch?: Fetch): Promise<unknown> {
    return (await get<unknown>(`/api/applications/${encodeURIComponent(id)}`, fetch)).data;
  },
};

// ---- bank and analyst (read side: bank inbox, board, detail; analytics) ---------------------

import type {
  Actor,
  EventMetadata,
  FirmDataSnapshot,
  OfferTerms,
  OfferTermsInput,
  WithdrawalReason,
} from '@kefalet/events';

export type { FirmDataSnapshot, OfferTerms, OfferTermsInput, WithdrawalReason };
export type { InboxOwnOffer } from '@kefalet/events';
export type { GuaranteeEligibility, InformationRequest, OfferStatus };

/** One request in a bank's inbox (R7, R11), with the time left the query adds. */
export interface InboxRequest extends InboxRequestView {
  /** time left to bid at the page's `now`, as the board counts it */
  readonly timeLeft?: TimeLeft | null;
}

/**
 * GET /api/applications for a bank user, and the `inbox` room's snapshot (its first page), whose
 * updates carry only the entries that changed (InboxUpdate).
 */
export interface BankInboxPage {
  readonly role: 'bank';
  readonly bankCode: string | null;
  readonly bankName: string | null;
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  /** newest opened first */
  readonly items: readonly InboxRequest[];
  /** the inbox version: the room's updates go on from it */
  readonly version?: number;
  /** the product clock's instant (CLOCK=manual: not this browser's) */
  readonly now?: string;
}

/** An `inbox:update`: the entries one event changed, whole. */
export interface InboxUpdate {
  readonly entries: readonly InboxRequest[];
  readonly removed?: readonly string[];
  readonly bankName?: string | null;
  readonly now?: string;
}

export interface TimelineActor {
  readonly kind: 'user' | 'system';
  readonly role?: Role;
  readonly bankCode?: string | null;
  readonly name?: string;
}

export interface TimelineEntry {
  readonly position: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly actor: TimelineActor;
  readonly bankCode: string | null;
  readonly summaryTr: string;
  readonly summaryEn: string;
}

/** GET /api/applications/:id for a bank (R6, R11). */
export interface BankApplicationDetail {
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly purpose: string;
  readonly submittedAt: string;
  readonly status: ApplicationStatus;
  readonly segment: 'KOBI' | 'KOBI_DISI' | null;
  readonly dataSnapshot: FirmDataSnapshot | null;
  readonly eligibility: GuaranteeEligibility | null;
  readonly openedAt: string | null;
  readonly biddingClosesAt: string | null;
  readonly closedAt: string | null;
  readonly declined: boolean;
  readonly chosen: boolean;
  readonly referenceNumber: string | null;
  readonly contactDeadline: string | null;
  readonly informationRequests: readonly InformationRequest[];
  readonly timeline: readonly TimelineEntry[];
  readonly version: number;
  readonly lastPosition: string;
  readonly now?: string;
}

export interface OfferVersion {
  readonly version: number;
  readonly at: string;
  readonly terms: OfferTerms;
  readonly effectiveAnnualCost: string;
  readonly totalCost: string;
}

/** An offer on the board: its current terms, cost figures and rank. */
export interface BoardOffer extends OfferTerms {
  readonly offerId: string;
  readonly bankCode: string;
  readonly bankName: string;
  readonly rank: number | null;
  readonly status: OfferStatus;
  readonly version: number;
  readonly versions: readonly OfferVersion[];
  readonly submittedAt: string;
  readonly updatedAt: string;
  readonly effectiveAnnualCost: string;
  readonly totalCost: string;
  readonly computedTotalRepayment: string;
  readonly repaymentMismatch: boolean;
}

/** R11: the board as a bank sees it: its own offers, its rank, the competitors' number only. */
export interface BankBoard {
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly status: ApplicationStatus;
  readonly openedAt: string | null;
  readonly biddingClosesAt: string | null;
  readonly closedAt: string | null;
  readonly selectionDeadline: string | null;
  readonly declined: boolean;
  readonly offers: readonly BoardOffer[];
  readonly competingOfferCount: number;
  readonly chosen: boolean;
  readonly referenceNumber: string | null;
  readonly version: number;
  readonly lastPosition: string;
}

/** GET /api/applications/:id/board, and the `application:<id>` room's snapshot and updates. */
export interface BoardView<B = BankBoard> {
  readonly board: B;
  readonly status: ApplicationStatus;
  readonly timeLeft: TimeLeft | null;
  /** the product clock's instant the time left was counted at */
  readonly now?: string;
}

/** One event as the analysts' explorer shows it. */
export interface EventSummary {
  readonly position: string;
  readonly stream: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly actor: Actor;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export interface EventLogScan {
  readonly items: readonly EventSummary[];
  /** pass as `after` for the next page; null when there is nothing more */
  readonly nextCursor: string | null;
  readonly scanned: number;
  /** the scan stopped at its bound: more may match after nextCursor */
  readonly scanLimitReached: boolean;
}

export interface EventLogFilter {
  readonly type?: string;
  readonly stream?: string;
  /** ISO instants with offset */
  readonly from?: string;
  readonly to?: string;
  readonly actorRole?: Role | 'system';
  readonly bankCode?: string;
  readonly after?: string;
  readonly limit?: number;
}

export interface AnalystDecision {
  readonly eligible: boolean;
  readonly score: number;
  readonly creditNote: number;
  readonly creditNoteLabel: string;
  readonly reasons: readonly ScoreReason[];
  readonly guaranteeRatio: string;
  readonly guaranteeAmount: string;
  readonly currency: Currency;
  readonly modelVersion: string;
  readonly scoredAt: string;
}

/** The application detail as analysts see it (and as time travel replays it). */
export interface AnalystApplicationDetail {
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly purpose: string;
  readonly submittedAt: string;
  readonly status: ApplicationStatus;
  readonly selectedOfferId: string | null;
  readonly decision: AnalystDecision | null;
  readonly rejection: {
    readonly reasons: readonly ScoreReason[];
    readonly rejectedAt: string;
  } | null;
  readonly partnerBankCodes: readonly string[];
  readonly openedAt: string | null;
  readonly biddingClosesAt: string | null;
  readonly closedAt: string | null;
  readonly referenceNumber: string | null;
  readonly selectionDeadline: string | null;
  readonly contactDeadline: string | null;
  readonly bankNames: Readonly<Record<string, string>>;
  readonly declinedBankCodes: readonly string[];
  readonly informationRequests: readonly InformationRequest[];
  readonly timeline: readonly TimelineEntry[];
}

/** GET /api/analytics/applications/:id/timeline?at= or ?position= */
export interface TimelineAt {
  readonly applicationId: string;
  readonly at: string;
  /** the log position of the last event applied; null when none was */
  readonly position?: string | null;
  readonly eventsApplied: number;
  readonly eventsTotal: number;
  readonly state: AnalystApplicationDetail | null;
}

export interface MarketKpis {
  readonly applicationsPerDay: readonly { readonly day: string; readonly count: number }[];
  readonly approvalRateByCreditNote: readonly {
    readonly creditNote: number;
    readonly scored: number;
    readonly eligible: number;
    readonly rate: number;
  }[];
  readonly offersPerApplication: number | null;
  readonly medianTimeToFirstOfferMs: number | null;
  readonly meanBestToMedianSpreadBps: number | null;
  readonly winRateByBank: readonly {
    readonly bankCode: string;
    readonly bankName: string | null;
    readonly applicationsBid: number;
    readonly wins: number;
    readonly rate: number;
  }[];
  readonly lastPosition: string;
}

export interface ReadSideStatus {
  readonly running: boolean;
  readonly position: string;
  readonly lastLogPosition: string | null;
  readonly lagEvents: string | null;
  readonly error: string | null;
}

/** A row of the analysts' application list. */
export interface AnalystApplicationRow {
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly status: ApplicationStatus;
  readonly maturityMonths: number;
  readonly creditNote: number | null;
  /** live offers */
  readonly offerCount: number;
  /** percent, two decimals */
  readonly bestEffectiveAnnualCost: string | null;
  readonly submittedAt: string;
}

export interface AnalystApplicationPage {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly items: readonly AnalystApplicationRow[];
}

const appPath = (id: string) => `/api/applications/${encodeURIComponent(id)}`;

function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Bank users: the inbox, a request's detail and board, and the bidding commands (R7–R16). */
export const bankApi = {
  async inbox(fetch?: Fetch): Promise<BankInboxPage> {
    return (await get<BankInboxPage>(`/api/applications${query({ limit: 200 })}`, fetch)).data;
  },

  async detail(id: string, fetch?: Fetch): Promise<BankApplicationDetail> {
    return (await get<BankApplicationDetail>(appPath(id), fetch)).data;
  },

  async board(id: string, fetch?: Fetch): Promise<BoardView> {
    return (await get<BoardView>(`${appPath(id)}/board`, fetch)).data;
  },

  async submitOffer(
    id: string,
    terms: OfferTermsInput,
    idempotencyKey: string,
  ): Promise<{ offerId: string; version: number }> {
    return (
      await post<{ offerId: string; version: number }>(`${appPath(id)}/offers`, terms, {
        idempotencyKey,
      })
    ).data;
  },

  async reviseOffer(
    id: string,
    offerId: string,
    terms: OfferTermsInput,
    idempotencyKey: string,
  ): Promise<{ offerId: string; version: number }> {
    return (
      await request<{ offerId: string; version: number }>(
        'PUT',
        `${appPath(id)}/offers/${encodeURIComponent(offerId)}`,
        { body: terms, idempotencyKey },
      )
    ).data;
  },

  async withdrawOffer(
    id: string,
    offerId: string,
    body: { reason: WithdrawalReason; note: string },
    idempotencyKey: string,
  ): Promise<void> {
    await post(`${appPath(id)}/offers/${encodeURIComponent(offerId)}/withdraw`, body, {
      idempotencyKey,
    });
  },

  async decline(id: string, note: string, idempotencyKey: string): Promise<void> {
    await post(`${appPath(id)}/decline`, { note }, { idempotencyKey });
  },

  async askQuestion(id: string, question: string, idempotencyKey: string): Promise<void> {
    await post(`${appPath(id)}/information-requests`, { question }, { idempotencyKey });
  },

  /** R15: the firm applied to this (chosen) bank with the Offer Reference Number. */
  async recordBankApplication(
    id: string,
    referenceNumber: string,
    idempotencyKey: string,
  ): Promise<{ status: ApplicationStatus; referenceNumber: string }> {
    return (
      await post<{ status: ApplicationStatus; referenceNumber: string }>(
        `${appPath(id)}/bank-application`,
        { referenceNumber },
        { idempotencyKey },
      )
    ).data;
  },
};

/** Analysts: the event log, time travel, market KPIs and the read side's status. */
export const analystApi = {
  async events(filter: EventLogFilter, fetch?: Fetch): Promise<EventLogScan> {
    return (await get<EventLogScan>(`/api/analytics/events${query({ ...filter })}`, fetch)).data;
  },

  async timeline(id: string, at: string | undefined, fetch?: Fetch): Promise<TimelineAt> {
    const path = `/api/analytics/applications/${encodeURIComponent(id)}/timeline${query({ at })}`;
    return (await get<TimelineAt>(path, fetch)).data;
  },

  /** The application right after the event at log `position`: one event at a time. */
  async timelineAfter(id: string, position: string, fetch?: Fetch): Promise<TimelineAt> {
    const path = `/api/analytics/applications/${encodeURIComponent(id)}/timeline${query({ position })}`;
    return (await get<TimelineAt>(path, fetch)).data;
  },

  async kpis(fetch?: Fetch): Promise<MarketKpis> {
    return (await get<MarketKpis>('/api/analytics/kpis', fetch)).data;
  },

  async status(fetch?: Fetch): Promise<ReadSideStatus> {
    return (await get<ReadSideStatus>('/api/read-side/status', fetch)).data;
  },

  async applications(
    params: { offset?: number; limit?: number; status?: ApplicationStatus },
    fetch?: Fetch,
  ): Promise<AnalystApplicationPage> {
    return (await get<AnalystApplicationPage>(`/api/applications${query({ ...params })}`, fetch))
      .data;
  },
};

// ---- exporter: one application (detail, live board, answers, selection, cancel) -------------

/** R5: the decision as the firm's members see it (R6: with the credit note). */
export interface FirmDecision extends Decision {
  readonly score?: number;
  readonly currency: Currency;
  readonly scoredAt?: string;
}

/** GET /api/applications/:id for a member of the firm. */
export interface FirmApplicationDetail {
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly purpose: string;
  readonly submittedAt: string;
  readonly status: ApplicationStatus;
  readonly selectedOfferId: string | null;
  readonly segment: 'KOBI' | 'KOBI_DISI' | null;
  readonly dataSnapshot: FirmDataSnapshot | null;
  readonly dataDelay: {
    readonly unavailableSources: readonly string[];
    readonly retryAt: string;
    readonly attempt: number;
  } | null;
  readonly decision: FirmDecision | null;
  readonly rejection: {
    readonly reasons: readonly ScoreReason[];
    readonly rejectedAt: string;
  } | null;
  readonly partnerBankCodes: readonly string[];
  readonly openedAt: string | null;
  readonly biddingClosesAt: string | null;
  readonly closedAt: string | null;
  readonly referenceNumber: string | null;
  readonly selectionDeadline: string | null;
  readonly contactDeadline: string | null;
  /** bank names as the offers gave them, by bank code */
  readonly bankNames: Readonly<Record<string, string>>;
  readonly declinedBankCodes: readonly string[];
  readonly informationRequests: readonly InformationRequest[];
  readonly timeline: readonly TimelineEntry[];
  readonly version: number;
  readonly lastPosition: string;
  /** the product clock's instant */
  readonly now?: string;
}

/** The best live offer, on the board's header. */
export interface BestOffer {
  readonly offerId: string;
  readonly bankCode: string;
  readonly bankName: string;
  readonly effectiveAnnualCost: string;
  readonly totalCost: string;
}

/** The whole offer board, as the firm sees it (R13): every bank's offers, ranked. */
export interface FirmBoard {
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly status: ApplicationStatus;
  readonly selectedOfferId: string | null;
  readonly openedAt: string | null;
  readonly biddingClosesAt: string | null;
  readonly closedAt: string | null;
  /** R14: issued when the bidding closes with live offers */
  readonly referenceNumber: string | null;
  readonly selectionDeadline: string | null;
  readonly partnerBankCount: number;
  readonly declinedBankCodes: readonly string[];
  readonly declinedBankCount: number;
  /** live offers by rank, then withdrawn ones */
  readonly offers: readonly BoardOffer[];
  /** live offers */
  readonly offerCount: number;
  readonly best: BestOffer | null;
  readonly version: number;
  readonly lastPosition: string;
}

export type FirmBoardView = BoardView<FirmBoard>;

/** The answer to POST /api/applications/:id/selection. */
export interface SelectionResult {
  readonly applicationId: string;
  readonly offerId?: string;
  readonly bankCode?: string;
  readonly bankName?: string;
  readonly referenceNumber?: string;
  /** R15: apply to the chosen bank with the reference number by then */
  readonly contactDeadline?: string;
}

/** The `application:<id>` live room. */
export const applicationRoom = (id: string) => `application:${id}`;

/** The exporter's application page: read the detail and the board, answer, select, cancel. */
export const exporterApi = {
  async detail(id: string, fetch?: Fetch): Promise<FirmApplicationDetail> {
    return (await get<FirmApplicationDetail>(appPath(id), fetch)).data;
  },

  async board(id: string, fetch?: Fetch, signal?: AbortSignal): Promise<FirmBoardView> {
    return (await request<FirmBoardView>('GET', `${appPath(id)}/board`, { fetch, signal })).data;
  },

  /** R14: the printable list of the best offers with the reference number (after the close). */
  offerDocumentUrl(id: string): string {
    return `${appPath(id)}/offer-document.pdf`;
  },

  /** R9 */
  async answer(
    id: string,
    requestId: string,
    answer: string,
    idempotencyKey: string,
  ): Promise<void> {
    await post(
      `${appPath(id)}/information-requests/${encodeURIComponent(requestId)}/answer`,
      { answer },
      { idempotencyKey },
    );
  },

  /** R15 */
  async select(id: string, offerId: string, idempotencyKey: string): Promise<SelectionResult> {
    return (
      await post<SelectionResult>(`${appPath(id)}/selection`, { offerId }, { idempotencyKey })
    ).data;
  },

  async cancel(id: string, reason: string, idempotencyKey: string): Promise<void> {
    await post(`${appPath(id)}/cancel`, { reason }, { idempotencyKey });
  },
};

import {
  WITHDRAWAL_REASONS_AFTER_CLOSE,
  businessDeadline,
  findPackage,
  istanbulDay,
  minorFromDecimalString,
  toDecimalString,
  type Currency,
  type EventData,
  type GuaranteePackage,
  type OfferTerms,
  type OfferTermsInput,
  type WithdrawalReason,
} from '@kefalet/events';
import { CommandRefused, type CommandContext, type DecidedEvent } from '../decider';
import { normaliseReferenceNumber, referenceNumberFor } from './reference-number';
import type { ApplicationFacts, ApplicationState, ApplicationStatus, OfferState } from './state';

/*
 * The application stream's decider: applications (R3–R6), bidding (R7–R12) and selection
 * (R14–R16). Every command names its application; facts the decider cannot know from this stream
 * (MERSIS membership, signed contracts) come in as fields the command handler fills.
 */

export interface SubmitApplication {
  readonly type: 'SubmitApplication';
  readonly applicationId: string;
  readonly firmVkn: string;
  readonly firmTitle: string;
  readonly memberId: string;
  readonly packageCode: string;
  readonly amount: string;
  readonly currency: Currency;
  readonly maturityMonths: number;
  readonly purpose: string;
  /** The member is a MERSIS-verified member of the firm (firm stream). */
  readonly memberVerifiedForFirm: boolean;
  /** The member signed the current portal contracts (member stream, R2). */
  readonly contractsSigned: boolean;
}

export type RecordFirmData = {
  readonly type: 'RecordFirmData';
} & EventData<'ApplicationDataCollected'>;

export type RecordDataDelay = {
  readonly type: 'RecordDataDelay';
} & EventData<'ApplicationDataDelayed'>;

export type RecordScore = { readonly type: 'RecordScore' } & Omit<
  EventData<'ApplicationScored'>,
  'scoredAt'
> & { readonly partnerBankCodes: readonly string[] };

export interface SubmitOffer {
  readonly type: 'SubmitOffer';
  readonly applicationId: string;
  readonly offerId: string;
  readonly bankCode: string;
  readonly bankName: string;
  readonly terms: OfferTermsInput;
}

export interface ReviseOffer {
  readonly type: 'ReviseOffer';
  readonly applicationId: string;
  readonly offerId: string;
  readonly bankCode: string;
  readonly terms: OfferTermsInput;
}

export interface WithdrawOffer {
  readonly type: 'WithdrawOffer';
  readonly applicationId: string;
  readonly offerId: string;
  readonly bankCode: string;
  readonly reason: WithdrawalReason;
  readonly note: string;
}

export interface DeclineRequest {
  readonly type: 'DeclineRequest';
  readonly applicationId: string;
  readonly bankCode: string;
  readonly note: string;
}

export interface RequestInformation {
  readonly type: 'RequestInformation';
  readonly applicationId: string;
  readonly requestId: string;
  readonly bankCode: string;
  readonly question: string;
}

export interface AnswerInformation {
  readonly type: 'AnswerInformation';
  readonly applicationId: string;
  readonly requestId: string;
  readonly memberId: string;
  readonly memberVerifiedForFirm: boolean;
  readonly answer: string;
}

/** Sent by the deadline scheduler, or after the last partner bank bid or declined (R10). */
export interface CloseBidding {
  readonly type: 'CloseBidding';
  readonly applicationId: string;
}

export interface SelectOffer {
  readonly type: 'SelectOffer';
  readonly applicationId: string;
  readonly offerId: string;
  readonly memberId: string;
  readonly memberVerifiedForFirm: boolean;
}

export interface RecordBankApplication {
  readonly type: 'RecordBankApplication';
  readonly applicationId: string;
  readonly bankCode: string;
  /** As typed by a person: normalised before it is compared. */
  readonly referenceNumber: string;
  readonly recordedBy: string;
}

/** Sent by the deadline scheduler. */
export interface LapseSelectionWindow {
  readonly type: 'LapseSelectionWindow';
  readonly applicationId: string;
}

export interface CancelApplication {
  readonly type: 'CancelApplication';
  readonly applicationId: string;
  readonly memberId: string;
  readonly memberVerifiedForFirm: boolean;
  readonly reason: string;
}

export type ApplicationCommand =
  | SubmitApplication
  | RecordFirmData
  | RecordDataDelay
  | RecordScore
  | SubmitOffer
  | ReviseOffer
  | WithdrawOffer
  | DeclineRequest
  | RequestInformation
  | AnswerInformation
  | CloseBidding
  | SelectOffer
  | RecordBankApplication
  | LapseSelectionWindow
  | CancelApplication;

const BIDDING_DAYS = 7; // R8
const SELECTION_DAYS = 2; // R15

/** After the close: the window is over, whatever happened since. */
const CLOSED_STATUSES: readonly ApplicationStatus[] = [
  'BIDDING_CLOSED',
  'CLOSED_WITHOUT_OFFERS',
  'OFFER_SELECTED',
  'APPLIED_TO_BANK',
  'SELECTION_LAPSED',
];
/** Where live offers still exist and a bank may withdraw one (R12 before the close, R16 after). */
const WITHDRAWABLE_STATUSES: readonly ApplicationStatus[] = [
  'BIDDING',
  'BIDDING_CLOSED',
  'OFFER_SELECTED',
  'APPLIED_TO_BANK',
  'SELECTION_LAPSED',
];
/** A question asked during the bidding may be answered until the process ends. */
const ANSWERABLE_STATUSES: readonly ApplicationStatus[] = [
  'BIDDING',
  'BIDDING_CLOSED',
  'OFFER_SELECTED',
  'APPLIED_TO_BANK',
];
/** Before a bank is chosen; once the firm selected an offer it is bound to apply (R15). */
const CANCELLABLE_STATUSES: readonly ApplicationStatus[] = [
  'SUBMITTED',
  'AWAITING_DATA',
  'BIDDING',
  'BIDDING_CLOSED',
];
/** What a knock-out decision names as the reasons; the factors explain a score, not a refusal. */
const REJECTION_REASON_KINDS = new Set(['KNOCKOUT', 'PACKAGE_RULE']);

const atOrAfter = (now: Date, instant: string) => now.getTime() >= Date.parse(instant);

function wrongStatus(state: ApplicationState, action: string): CommandRefused {
  return new CommandRefused(
    'conflict',
    'WRONG_STATUS',
    `Cannot ${action}: the application is ${state.status}`,
    undefined,
    { currentStatus: state.status },
  );
}

function requireApplication(state: ApplicationState): ApplicationFacts {
  if (!state.application) {
    throw new CommandRefused('not-found', 'APPLICATION_NOT_FOUND', 'No such application');
  }
  return state.application;
}

function requireFirmMember(command: { memberVerifiedForFirm: boolean }): void {
  if (!command.memberVerifiedForFirm) {
    throw new CommandRefused(
      'forbidden',
      'NOT_A_FIRM_MEMBER',
      "Only the firm's MERSIS-verified members may do this",
    );
  }
}

/** When the bidding closed, by an event or because the deadline passed; undefined while open. */
function biddingClosedAt(state: ApplicationState, now: Date): string | undefined {
  if (CLOSED_STATUSES.includes(state.status)) return state.closedAt;
  if (
    state.status === 'BIDDING' &&
    state.biddingClosesAt &&
    atOrAfter(now, state.biddingClosesAt)
  ) {
    return state.biddingClosesAt;
  }
  return undefined;
}

/** A bank acts on an application while its bidding window is open (R8). */
function requireOpenBidding(state: ApplicationState, now: Date, action: string): ApplicationFacts {
  const application = requireApplication(state);
  const closedAt = biddingClosedAt(state, now);
  if (closedAt !== undefined) {
    throw new CommandRefused(
      'conflict',
      'BIDDING_CLOSED',
      `The bidding window closed at ${closedAt}`,
      undefined,
      { closedAt },
    );
  }
  if (state.status !== 'BIDDING') throw wrongStatus(state, action);
  return application;
}

function requirePartnerBank(state: ApplicationState, bankCode: string): void {
  if (!state.partnerBankCodes.includes(bankCode)) {
    throw new CommandRefused(
      'forbidden',
      'NOT_A_PARTNER_BANK',
      `Bank ${bankCode} is not a partner bank of this application`,
      'bankCode',
    );
  }
}

function requireNotDeclined(state: ApplicationState, bankCode: string): void {
  if (state.declinedBankCodes.has(bankCode)) {
    throw new CommandRefused('conflict', 'BANK_DECLINED', 'The bank declined this request');
  }
}

function requireOwnLiveOffer(
  state: ApplicationState,
  offerId: string,
  bankCode: string,
): OfferState {
  const offer = state.offers.get(offerId);
  if (!offer) throw new CommandRefused('not-found', 'OFFER_NOT_FOUND', 'No such offer', 'offerId');
  if (offer.bankCode !== bankCode) {
    throw new CommandRefused('forbidden', 'NOT_YOUR_OFFER', "Another bank's offer", 'offerId');
  }
  return requireLive(offer);
}

function requireLive(offer: OfferState): OfferState {
  if (offer.status === 'withdrawn') {
    throw new CommandRefused('conflict', 'OFFER_WITHDRAWN', 'The offer was withdrawn', 'offerId');
  }
  return offer;
}

function liveOfferOf(state: ApplicationState, bankCode: string): OfferState | undefined {
  return [...state.offers.values()].find(
    (offer) => offer.bankCode === bankCode && offer.status === 'live',
  );
}

function requirePackage(packageCode: string): GuaranteePackage {
  const found = findPackage(packageCode);
  if (!found) {
    throw new CommandRefused(
      'invalid',
      'UNKNOWN_PACKAGE',
      `No guarantee package ${packageCode}`,
      'packageCode',
    );
  }
  return found;
}

function maturityTooLong(months: number, guaranteePackage: GuaranteePackage): CommandRefused {
  return new CommandRefused(
    'invalid',
    'MATURITY_TOO_LONG',
    `The ${guaranteePackage.code} package allows at most ${guaranteePackage.maxMaturityMonths} months, not ${months}`,
    'maturityMonths',
    { maxMaturityMonths: guaranteePackage.maxMaturityMonths },
  );
}

/**
 * Terms must fit the application: the package's maturity and grace limits, a repayment of at least
 * the amount lent, and upfront costs that leave the firm some proceeds. Returns the terms as
 * recorded: dated today (Istanbul) with amounts in their canonical two-decimal form.
 */
function recordedTerms(
  terms: OfferTermsInput,
  application: ApplicationFacts,
  now: Date,
): OfferTerms {
  const guaranteePackage = requirePackage(application.packageCode);
  if (terms.maturityMonths > guaranteePackage.maxMaturityMonths) {
    throw maturityTooLong(terms.maturityMonths, guaranteePackage);
  }
  for (const field of ['principalGraceMonths', 'interestGraceMonths'] as const) {
    if (terms[field] > guaranteePackage.maxGraceMonths) {
      throw new CommandRefused(
        'invalid',
        'GRACE_TOO_LONG',
        `The ${guaranteePackage.code} package allows at most ${guaranteePackage.maxGraceMonths} months of grace`,
        field,
        { maxGraceMonths: guaranteePackage.maxGraceMonths },
      );
    }
  }
  const requested = minorFromDecimalString(application.amount);
  const repayment = minorFromDecimalString(terms.totalRepaymentAmount, 'totalRepaymentAmount');
  const expenses = minorFromDecimalString(terms.totalExpenseAmount, 'totalExpenseAmount');
  const commission = minorFromDecimalString(terms.totalCommissionAmount, 'totalCommissionAmount');
  if (repayment < requested) {
    throw new CommandRefused(
      'invalid',
      'REPAYMENT_BELOW_AMOUNT',
      `The total repayment must be at least the amount requested (${application.amount})`,
      'totalRepaymentAmount',
      { amount: application.amount },
    );
  }
  if (expenses + commission >= requested) {
    throw new CommandRefused(
      'invalid',
      'UPFRONT_COSTS_TOO_HIGH',
      `Expenses and commission together must be less than the amount requested (${application.amount})`,
      'totalExpenseAmount',
      { amount: application.amount },
    );
  }
  return {
    ...terms,
    offerDate: istanbulDay(now),
    totalRepaymentAmount: toDecimalString(repayment),
    totalExpenseAmount: toDecimalString(expenses),
    totalCommissionAmount: toDecimalString(commission),
  };
}

function submitApplication(
  command: SubmitApplication,
  state: ApplicationState,
  now: Date,
): DecidedEvent[] {
  if (state.status !== 'NONE') {
    throw new CommandRefused('conflict', 'APPLICATION_ALREADY_EXISTS', 'Already submitted');
  }
  requireFirmMember(command);
  if (!command.contractsSigned) {
    throw new CommandRefused(
      'conflict',
      'CONTRACTS_NOT_SIGNED',
      'Sign the portal contracts before the first application (R2)',
    );
  }
  const guaranteePackage = requirePackage(command.packageCode);
  if (!guaranteePackage.currencies.includes(command.currency)) {
    throw new CommandRefused(
      'invalid',
      'CURRENCY_NOT_SUPPORTED',
      `The ${guaranteePackage.code} package is not offered in ${command.currency}`,
      'currency',
      { currencies: guaranteePackage.currencies },
    );
  }
  if (command.maturityMonths > guaranteePackage.maxMaturityMonths) {
    throw maturityTooLong(command.maturityMonths, guaranteePackage);
  }
  return [
    {
      type: 'ApplicationSubmitted',
      data: {
        applicationId: command.applicationId,
        firmVkn: command.firmVkn,
        firmTitle: command.firmTitle,
        memberId: command.memberId,
        packageCode: command.packageCode,
        amount: toDecimalString(minorFromDecimalString(command.amount)),
        currency: command.currency,
        maturityMonths: command.maturityMonths,
        purpose: command.purpose,
        submittedAt: now.toISOString(),
      },
    },
  ];
}

/** Data can be collected (or found delayed) until it has been collected once. */
function requireAwaitingData(state: ApplicationState, action: string): void {
  requireApplication(state);
  if (state.status !== 'SUBMITTED' && state.status !== 'AWAITING_DATA') {
    throw wrongStatus(state, action);
  }
  if (state.segment !== undefined) {
    throw new CommandRefused('conflict', 'DATA_ALREADY_COLLECTED', 'The data is already in');
  }
}

function recordScore(command: RecordScore, state: ApplicationState, now: Date): DecidedEvent[] {
  requireApplication(state);
  if (state.status !== 'SUBMITTED' && state.status !== 'AWAITING_DATA') {
    throw wrongStatus(state, 'record a score');
  }
  if (state.segment === undefined) {
    throw new CommandRefused('conflict', 'DATA_NOT_COLLECTED', 'Score only collected data (R4)');
  }
  const scored: DecidedEvent = {
    type: 'ApplicationScored',
    data: {
      applicationId: command.applicationId,
      modelVersion: command.modelVersion,
      eligible: command.eligible,
      score: command.score,
      creditNote: command.creditNote,
      creditNoteLabel: command.creditNoteLabel,
      reasons: command.reasons,
      guaranteeRatio: command.guaranteeRatio,
      guaranteeAmount: command.guaranteeAmount,
      currency: command.currency,
      scoredAt: now.toISOString(),
    },
  };
  if (!command.eligible) {
    const decisive = command.reasons.filter((reason) => REJECTION_REASON_KINDS.has(reason.kind));
    const [first, ...rest] = decisive.length > 0 ? decisive : command.reasons;
    if (!first) {
      throw new CommandRefused(
        'invalid',
        'REJECTION_WITHOUT_REASONS',
        'A rejection must give its reasons (R5)',
        'reasons',
      );
    }
    return [
      scored,
      {
        type: 'ApplicationRejected',
        data: {
          applicationId: command.applicationId,
          reasons: [first, ...rest],
          rejectedAt: now.toISOString(),
        },
      },
    ];
  }
  const [firstBank, ...otherBanks] = [...new Set(command.partnerBankCodes)];
  if (!firstBank) {
    throw new CommandRefused(
      'invalid',
      'NO_PARTNER_BANKS',
      'An eligible application goes to at least one partner bank (R7)',
      'partnerBankCodes',
    );
  }
  return [
    scored,
    {
      type: 'ApplicationOpenedForBidding',
      data: {
        applicationId: command.applicationId,
        partnerBankCodes: [firstBank, ...otherBanks],
        openedAt: now.toISOString(),
        biddingClosesAt: businessDeadline(now, BIDDING_DAYS).toISOString(),
      },
    },
  ];
}

function submitOffer(command: SubmitOffer, state: ApplicationState, now: Date): DecidedEvent[] {
  const application = requireOpenBidding(state, now, 'submit an offer');
  requirePartnerBank(state, command.bankCode);
  requireNotDeclined(state, command.bankCode);
  const live = liveOfferOf(state, command.bankCode);
  if (live) {
    throw new CommandRefused(
      'conflict',
      'OFFER_ALREADY_SUBMITTED',
      'The bank already has a live offer: revise or withdraw it',
      undefined,
      { offerId: live.offerId },
    );
  }
  if (state.offers.has(command.offerId)) {
    throw new CommandRefused('conflict', 'DUPLICATE_OFFER_ID', 'Offer id in use', 'offerId');
  }
  return [
    {
      type: 'OfferSubmitted',
      data: {
        applicationId: command.applicationId,
        offerId: command.offerId,
        bankCode: command.bankCode,
        bankName: command.bankName,
        version: 1,
        terms: recordedTerms(command.terms, application, now),
        submittedAt: now.toISOString(),
      },
    },
  ];
}

function reviseOffer(command: ReviseOffer, state: ApplicationState, now: Date): DecidedEvent[] {
  const application = requireOpenBidding(state, now, 'revise an offer');
  requirePartnerBank(state, command.bankCode);
  const offer = requireOwnLiveOffer(state, command.offerId, command.bankCode);
  return [
    {
      type: 'OfferRevised',
      data: {
        applicationId: command.applicationId,
        offerId: offer.offerId,
        bankCode: offer.bankCode,
        version: offer.version + 1,
        terms: recordedTerms(command.terms, application, now),
        revisedAt: now.toISOString(),
      },
    },
  ];
}

/** R15/R16: the firm did not apply within the 2 business days after the close. */
function selectionWindowLapsed(state: ApplicationState, now: Date): boolean {
  if (state.status === 'SELECTION_LAPSED') return true;
  return (
    (state.status === 'BIDDING_CLOSED' || state.status === 'OFFER_SELECTED') &&
    state.selectionDeadline !== undefined &&
    atOrAfter(now, state.selectionDeadline)
  );
}

function withdrawOffer(command: WithdrawOffer, state: ApplicationState, now: Date): DecidedEvent[] {
  requireApplication(state);
  if (!WITHDRAWABLE_STATUSES.includes(state.status)) throw wrongStatus(state, 'withdraw an offer');
  requirePartnerBank(state, command.bankCode);
  const offer = requireOwnLiveOffer(state, command.offerId, command.bankCode);
  const closedAt = biddingClosedAt(state, now);
  if (command.reason === 'SELECTION_WINDOW_LAPSED') {
    if (!selectionWindowLapsed(state, now)) {
      throw new CommandRefused(
        'conflict',
        'SELECTION_WINDOW_NOT_LAPSED',
        'The selection window has not lapsed',
        'reason',
        { selectionDeadline: state.selectionDeadline },
      );
    }
  } else if (
    closedAt !== undefined &&
    !(WITHDRAWAL_REASONS_AFTER_CLOSE as readonly string[]).includes(command.reason)
  ) {
    throw new CommandRefused(
      'invalid',
      'WITHDRAWAL_REASON_NOT_ALLOWED',
      'After the close an offer may be withdrawn only for the reasons of R16',
      'reason',
      { closedAt, allowed: WITHDRAWAL_REASONS_AFTER_CLOSE },
    );
  }
  return [
    {
      type: 'OfferWithdrawn',
      data: {
        applicationId: command.applicationId,
        offerId: offer.offerId,
        bankCode: offer.bankCode,
        reason: command.reason,
        note: command.note,
        withdrawnAt: now.toISOString(),
      },
    },
  ];
}

function declineRequest(
  command: DeclineRequest,
  state: ApplicationState,
  now: Date,
): DecidedEvent[] {
  requireOpenBidding(state, now, 'decline');
  requirePartnerBank(state, command.bankCode);
  if (state.declinedBankCodes.has(command.bankCode)) return [];
  const live = liveOfferOf(state, command.bankCode);
  if (live) {
    throw new CommandRefused(
      'conflict',
      'OFFER_ALREADY_SUBMITTED',
      'The bank has a live offer: withdraw it instead',
      undefined,
      { offerId: live.offerId },
    );
  }
  return [
    {
      type: 'BankDeclined',
      data: {
        applicationId: command.applicationId,
        bankCode: command.bankCode,
        note: command.note,
        declinedAt: now.toISOString(),
      },
    },
  ];
}

function requestInformation(
  command: RequestInformation,
  state: ApplicationState,
  now: Date,
): DecidedEvent[] {
  requireOpenBidding(state, now, 'request information');
  requirePartnerBank(state, command.bankCode);
  requireNotDeclined(state, command.bankCode);
  if (state.informationRequests.has(command.requestId)) {
    throw new CommandRefused('conflict', 'DUPLICATE_REQUEST_ID', 'Request id in use', 'requestId');
  }
  return [
    {
      type: 'InformationRequested',
      data: {
        applicationId: command.applicationId,
        requestId: command.requestId,
        bankCode: command.bankCode,
        question: command.question,
        requestedAt: now.toISOString(),
      },
    },
  ];
}

function answerInformation(
  command: AnswerInformation,
  state: ApplicationState,
  now: Date,
): DecidedEvent[] {
  requireApplication(state);
  requireFirmMember(command);
  if (!ANSWERABLE_STATUSES.includes(state.status)) throw wrongStatus(state, 'answer');
  const request = state.informationRequests.get(command.requestId);
  if (!request) {
    throw new CommandRefused('not-found', 'REQUEST_NOT_FOUND', 'No such request', 'requestId');
  }
  if (request.answered) {
    throw new CommandRefused('conflict', 'REQUEST_ALREADY_ANSWERED', 'Already answered');
  }
  return [
    {
      type: 'InformationProvided',
      data: {
        applicationId: command.applicationId,
        requestId: request.requestId,
        bankCode: request.bankCode,
        answer: command.answer,
        answeredBy: command.memberId,
        answeredAt: now.toISOString(),
      },
    },
  ];
}

/**
 * R8, R10, R14. Idempotent for the scheduler. A close at the deadline is dated at the deadline,
 * whenever the scheduler runs, so every instance decides the same events.
 */
function closeBidding(command: CloseBidding, state: ApplicationState, now: Date): DecidedEvent[] {
  requireApplication(state);
  if (CLOSED_STATUSES.includes(state.status) || state.status === 'CANCELLED') return [];
  if (state.status !== 'BIDDING' || state.biddingClosesAt === undefined) {
    throw wrongStatus(state, 'close the bidding');
  }
  const early = !atOrAfter(now, state.biddingClosesAt);
  const everyBankAnswered = state.partnerBankCodes.every(
    (bankCode) => state.declinedBankCodes.has(bankCode) || liveOfferOf(state, bankCode),
  );
  if (early && !everyBankAnswered) {
    throw new CommandRefused(
      'conflict',
      'BIDDING_STILL_OPEN',
      `The bidding window is open until ${state.biddingClosesAt}`,
      undefined,
      { biddingClosesAt: state.biddingClosesAt },
    );
  }
  const closedAt = early ? now.toISOString() : state.biddingClosesAt;
  const [firstLive, ...otherLive] = [...state.offers.values()]
    .filter((offer) => offer.status === 'live')
    .map((offer) => offer.offerId);
  if (!firstLive) {
    return [
      {
        type: 'BiddingClosedWithoutOffers',
        data: { applicationId: command.applicationId, closedAt, early },
      },
    ];
  }
  return [
    {
      type: 'BiddingClosed',
      data: {
        applicationId: command.applicationId,
        referenceNumber: referenceNumberFor(command.applicationId),
        closedAt,
        early,
        liveOfferIds: [firstLive, ...otherLive],
        selectionDeadline: businessDeadline(closedAt, SELECTION_DAYS).toISOString(),
      },
    },
  ];
}

function selectionLapsedRefusal(state: ApplicationState): CommandRefused {
  return new CommandRefused(
    'conflict',
    'SELECTION_WINDOW_LAPSED',
    `The selection window ended at ${state.selectionDeadline}`,
    undefined,
    { selectionDeadline: state.selectionDeadline },
  );
}

function selectOffer(command: SelectOffer, state: ApplicationState, now: Date): DecidedEvent[] {
  requireApplication(state);
  requireFirmMember(command);
  if (state.status === 'OFFER_SELECTED' && state.selectedOffer) {
    if (state.selectedOffer.offerId === command.offerId) return [];
    throw new CommandRefused(
      'conflict',
      'OFFER_ALREADY_SELECTED',
      'Another offer is already selected',
      'offerId',
      { offerId: state.selectedOffer.offerId },
    );
  }
  if (selectionWindowLapsed(state, now)) throw selectionLapsedRefusal(state);
  if (
    state.status !== 'BIDDING_CLOSED' ||
    state.referenceNumber === undefined ||
    state.selectionDeadline === undefined
  ) {
    throw wrongStatus(state, 'select an offer');
  }
  const offer = state.offers.get(command.offerId);
  if (!offer) throw new CommandRefused('not-found', 'OFFER_NOT_FOUND', 'No such offer', 'offerId');
  requireLive(offer);
  return [
    {
      type: 'OfferSelected',
      data: {
        applicationId: command.applicationId,
        offerId: offer.offerId,
        bankCode: offer.bankCode,
        referenceNumber: state.referenceNumber,
        selectedBy: command.memberId,
        selectedAt: now.toISOString(),
        contactDeadline: state.selectionDeadline,
      },
    },
  ];
}

function recordBankApplication(
  command: RecordBankApplication,
  state: ApplicationState,
  now: Date,
): DecidedEvent[] {
  requireApplication(state);
  if (selectionWindowLapsed(state, now)) throw selectionLapsedRefusal(state);
  const { selectedOffer, referenceNumber } = state;
  if (state.status !== 'OFFER_SELECTED' || !selectedOffer || referenceNumber === undefined) {
    throw wrongStatus(state, 'record an application to a bank');
  }
  if (selectedOffer.bankCode !== command.bankCode) {
    throw new CommandRefused(
      'forbidden',
      'NOT_THE_SELECTED_BANK',
      'The firm chose another bank',
      'bankCode',
    );
  }
  const typed = normaliseReferenceNumber(command.referenceNumber);
  if (typed !== referenceNumber) {
    throw new CommandRefused(
      'invalid',
      'WRONG_REFERENCE_NUMBER',
      typed === undefined
        ? 'Not a valid Offer Reference Number: check it for a typing error'
        : 'This Offer Reference Number belongs to another application',
      'referenceNumber',
      { wellFormed: typed !== undefined },
    );
  }
  return [
    {
      type: 'FirmAppliedToBank',
      data: {
        applicationId: command.applicationId,
        offerId: selectedOffer.offerId,
        bankCode: selectedOffer.bankCode,
        referenceNumber,
        recordedBy: command.recordedBy,
        appliedAt: now.toISOString(),
      },
    },
  ];
}

/** R15. Idempotent for the scheduler; dated at the deadline so every instance agrees. */
function lapseSelectionWindow(
  command: LapseSelectionWindow,
  state: ApplicationState,
  now: Date,
): DecidedEvent[] {
  requireApplication(state);
  const nothingToLapse: readonly ApplicationStatus[] = [
    'SELECTION_LAPSED',
    'APPLIED_TO_BANK',
    'CLOSED_WITHOUT_OFFERS',
    'CANCELLED',
  ];
  if (nothingToLapse.includes(state.status)) return [];
  const deadline = state.selectionDeadline;
  if (
    (state.status !== 'BIDDING_CLOSED' && state.status !== 'OFFER_SELECTED') ||
    deadline === undefined
  ) {
    throw wrongStatus(state, 'lapse the selection window');
  }
  if (!atOrAfter(now, deadline)) {
    throw new CommandRefused(
      'conflict',
      'SELECTION_WINDOW_OPEN',
      `The selection window is open until ${deadline}`,
      undefined,
      { selectionDeadline: deadline },
    );
  }
  return [
    {
      type: 'SelectionWindowLapsed',
      data: { applicationId: command.applicationId, ...state.selectedOffer, lapsedAt: deadline },
    },
  ];
}

function cancelApplication(
  command: CancelApplication,
  state: ApplicationState,
  now: Date,
): DecidedEvent[] {
  requireApplication(state);
  requireFirmMember(command);
  if (state.status === 'CANCELLED') return [];
  if (!CANCELLABLE_STATUSES.includes(state.status)) throw wrongStatus(state, 'cancel');
  return [
    {
      type: 'ApplicationCancelled',
      data: {
        applicationId: command.applicationId,
        reason: command.reason,
        cancelledBy: command.memberId,
        cancelledAt: now.toISOString(),
      },
    },
  ];
}

/** Pure: throws CommandRefused when a rule says no; an empty list means nothing to do. */
export function decideApplication(
  command: ApplicationCommand,
  state: ApplicationState,
  { now }: CommandContext,
): DecidedEvent[] {
  switch (command.type) {
    case 'SubmitApplication':
      return submitApplication(command, state, now);
    case 'RecordFirmData':
      requireAwaitingData(state, 'record the firm data');
      return [
        {
          type: 'ApplicationDataCollected',
          data: {
            applicationId: command.applicationId,
            snapshot: command.snapshot,
            segment: command.segment,
          },
        },
      ];
    case 'RecordDataDelay':
      requireAwaitingData(state, 'record a data delay');
      return [
        {
          type: 'ApplicationDataDelayed',
          data: {
            applicationId: command.applicationId,
            unavailableSources: command.unavailableSources,
            retryAt: command.retryAt,
            attempt: command.attempt,
          },
        },
      ];
    case 'RecordScore':
      return recordScore(command, state, now);
    case 'SubmitOffer':
      return submitOffer(command, state, now);
    case 'ReviseOffer':
      return reviseOffer(command, state, now);
    case 'WithdrawOffer':
      return withdrawOffer(command, state, now);
    case 'DeclineRequest':
      return declineRequest(command, state, now);
    case 'RequestInformation':
      return requestInformation(command, state, now);
    case 'AnswerInformation':
      return answerInformation(command, state, now);
    case 'CloseBidding':
      return closeBidding(command, state, now);
    case 'SelectOffer':
      return selectOffer(command, state, now);
    case 'RecordBankApplication':
      return recordBankApplication(command, state, now);
    case 'LapseSelectionWindow':
      return lapseSelectionWindow(command, state, now);
    case 'CancelApplication':
      return cancelApplication(command, state, now);
  }
}

import { z } from 'zod';
import { SegmentSchema } from './catalogue';
import { EventMetadataSchema, RoleSchema, type PositionedEnvelope } from './envelope';
import { OfferTermsSchema, WithdrawalReasonSchema } from './offer-terms';
import { CurrencySchema } from './values/money';

/*
 * Every event of the lifecycle (DOMAIN.md R1–R17), as zod schemas; the TypeScript types are inferred.
 * Amounts are decimal strings ("1500000.00") in the currency named beside them, instants ISO 8601.
 */

const Uuid = z.uuid();
const Instant = z.iso.datetime({ offset: true });
const Vkn = z.string().regex(/^\d{10}$/);
const BankCode = z.string().regex(/^\d{4}$/);
const Amount = z.string().regex(/^\d+\.\d{2}$/);
const Percent = z.string().regex(/^\d+(\.\d+)?$/);

// ---- Partner banks (bank-<code>) ----

export const PartnerBankRegistered = z.object({
  bankCode: BankCode,
  name: z.string().min(1),
  registeredAt: Instant,
});

// ---- Membership (member-<uuid>, firm-<vkn>) ----

export const MemberRegistered = z.object({
  memberId: Uuid,
  fullName: z.string().min(1),
  email: z.email(),
  role: RoleSchema,
  bankCode: BankCode.optional(),
  branchCode: z.string().optional(),
  registeredAt: Instant,
});

/** R1: MERSIS lists the member among the firm's authorised persons (on the firm's stream). */
export const FirmMembershipVerified = z.object({
  firmVkn: Vkn,
  memberId: Uuid,
  firmTitle: z.string().min(1),
  mersisNumber: z.string().regex(/^\d{16}$/),
  authorisedPersonRole: z.string(),
  verifiedAt: Instant,
});

/** R2: what was signed, how, by whom, when; the hash is of the exact contract text. */
export const ContractSigned = z.object({
  memberId: Uuid,
  contractId: z.string().min(1),
  contractVersion: z.string().min(1),
  contractSha256: z.string().regex(/^[0-9a-f]{64}$/),
  method: z.enum(['E_IMZA', 'MOBIL_IMZA']),
  signerName: z.string().min(1),
  /** The signature provider's reference for the signature (never the one-time code). */
  signatureReference: z.string().min(1),
  signedAt: Instant,
});

// ---- Application (application-<uuid>) ----

export const ApplicationSubmitted = z.object({
  applicationId: Uuid,
  firmVkn: Vkn,
  firmTitle: z.string().min(1),
  memberId: Uuid,
  packageCode: z.string().min(1),
  amount: Amount,
  currency: CurrencySchema,
  maturityMonths: z.number().int().positive(),
  purpose: z.string().min(1),
  submittedAt: Instant,
});

export const DATA_SOURCES = ['MERSIS', 'GIB', 'SGK', 'GUMRUK', 'KKB'] as const;
export const DataSourceSchema = z.enum(DATA_SOURCES);
export type DataSource = z.infer<typeof DataSourceSchema>;

const Fetched = { source: DataSourceSchema, fetchedAt: Instant };

/** R4: the data set pulled from public sources, each part with its source and fetch time. */
export const FirmDataSnapshotSchema = z.object({
  registry: z.object({
    ...Fetched,
    title: z.string(),
    mersisNumber: z.string(),
    status: z.enum(['ACTIVE', 'INACTIVE', 'IN_LIQUIDATION']),
    foundedOn: z.iso.date(),
    naceCode: z.string(),
    authorisedPersons: z.array(z.object({ name: z.string(), role: z.string() })),
  }),
  tax: z.object({ ...Fetched, taxDebt: Amount, netSalesLastYear: Amount, year: z.number().int() }),
  socialSecurity: z.object({
    ...Fetched,
    headcount: z.number().int().nonnegative(),
    premiumDebt: Amount,
  }),
  customs: z.object({
    ...Fetched,
    exportsLast12MonthsUsd: Amount,
    exportsLast24MonthsUsd: Amount,
    declarationsLast12Months: z.number().int().nonnegative(),
  }),
  creditBureau: z.object({
    ...Fetched,
    companyScore: z.number().int().min(0).max(1900),
    openProceedings: z.number().int().nonnegative(),
    bouncedCheques: z.number().int().nonnegative(),
    unsettledBouncedCheques: z.number().int().nonnegative(),
  }),
});
export type FirmDataSnapshot = z.infer<typeof FirmDataSnapshotSchema>;

export const ApplicationDataCollected = z.object({
  applicationId: Uuid,
  snapshot: FirmDataSnapshotSchema,
  segment: SegmentSchema,
});

/** A source did not answer: the application waits (AWAITING_DATA) and is retried, never lost. */
export const ApplicationDataDelayed = z.object({
  applicationId: Uuid,
  unavailableSources: z.array(DataSourceSchema).nonempty(),
  retryAt: Instant,
  attempt: z.number().int().positive(),
});

export const ScoreReasonSchema = z.object({
  code: z.string().min(1),
  /** knock-out reasons make the application ineligible whatever the score */
  kind: z.enum(['KNOCKOUT', 'FACTOR', 'PACKAGE_RULE']),
  message: z.string(),
  messageEn: z.string(),
  points: z.number().int().optional(),
});

/** R5: the model's decision, with the model version so a replay reproduces it. */
export const ApplicationScored = z.object({
  applicationId: Uuid,
  modelVersion: z.string().min(1),
  eligible: z.boolean(),
  score: z.number().int(),
  creditNote: z.number().int().min(1).max(7),
  creditNoteLabel: z.string(),
  reasons: z.array(ScoreReasonSchema),
  guaranteeRatio: Percent,
  guaranteeAmount: Amount,
  currency: CurrencySchema,
  scoredAt: Instant,
});

export const ApplicationRejected = z.object({
  applicationId: Uuid,
  reasons: z.array(ScoreReasonSchema).nonempty(),
  rejectedAt: Instant,
});

/** R7, R8: sent to every partner bank at once; bidding closes after 7 business days. */
export const ApplicationOpenedForBidding = z.object({
  applicationId: Uuid,
  partnerBankCodes: z.array(BankCode).nonempty(),
  openedAt: Instant,
  biddingClosesAt: Instant,
});

/** R9 */
export const InformationRequested = z.object({
  applicationId: Uuid,
  requestId: Uuid,
  bankCode: BankCode,
  question: z.string().min(1),
  requestedAt: Instant,
});

export const InformationProvided = z.object({
  applicationId: Uuid,
  requestId: Uuid,
  bankCode: BankCode,
  answer: z.string().min(1),
  answeredBy: Uuid,
  answeredAt: Instant,
});

export const OfferSubmitted = z.object({
  applicationId: Uuid,
  offerId: Uuid,
  bankCode: BankCode,
  bankName: z.string(),
  version: z.literal(1),
  terms: OfferTermsSchema,
  submittedAt: Instant,
});

/** R12: every version is kept; the new terms replace the old ones. */
export const OfferRevised = z.object({
  applicationId: Uuid,
  offerId: Uuid,
  bankCode: BankCode,
  version: z.number().int().min(2),
  terms: OfferTermsSchema,
  revisedAt: Instant,
});

export const OfferWithdrawn = z.object({
  applicationId: Uuid,
  offerId: Uuid,
  bankCode: BankCode,
  reason: WithdrawalReasonSchema,
  note: z.string(),
  withdrawnAt: Instant,
});

/** R10 */
export const BankDeclined = z.object({
  applicationId: Uuid,
  bankCode: BankCode,
  note: z.string(),
  declinedAt: Instant,
});

/** R14: the Offer Reference Number is issued when bidding closes with at least one live offer. */
export const BiddingClosed = z.object({
  applicationId: Uuid,
  referenceNumber: z.string().min(1),
  closedAt: Instant,
  /** true when every partner bank had bid or declined before the deadline (R10) */
  early: z.boolean(),
  liveOfferIds: z.array(Uuid).nonempty(),
  /** R15: the firm must select and apply to a bank within 2 business days of the close. */
  selectionDeadline: Instant,
});

export const BiddingClosedWithoutOffers = z.object({
  applicationId: Uuid,
  closedAt: Instant,
  early: z.boolean(),
});

/** R15: the firm has until contactDeadline (2 business days) to apply to the chosen bank. */
export const OfferSelected = z.object({
  applicationId: Uuid,
  offerId: Uuid,
  bankCode: BankCode,
  referenceNumber: z.string(),
  selectedBy: Uuid,
  selectedAt: Instant,
  contactDeadline: Instant,
});

export const FirmAppliedToBank = z.object({
  applicationId: Uuid,
  offerId: Uuid,
  bankCode: BankCode,
  referenceNumber: z.string(),
  recordedBy: Uuid,
  appliedAt: Instant,
});

/** The 2 business days passed without the firm applying; offer and bank absent when none was selected. */
export const SelectionWindowLapsed = z.object({
  applicationId: Uuid,
  offerId: Uuid.optional(),
  bankCode: BankCode.optional(),
  lapsedAt: Instant,
});

export const ApplicationCancelled = z.object({
  applicationId: Uuid,
  reason: z.string(),
  cancelledBy: Uuid,
  cancelledAt: Instant,
});

/** type -> data schema, and the schema version events of that type are written with. */
export const EVENT_SCHEMAS = {
  PartnerBankRegistered,
  MemberRegistered,
  FirmMembershipVerified,
  ContractSigned,
  ApplicationSubmitted,
  ApplicationDataCollected,
  ApplicationDataDelayed,
  ApplicationScored,
  ApplicationRejected,
  ApplicationOpenedForBidding,
  InformationRequested,
  InformationProvided,
  OfferSubmitted,
  OfferRevised,
  OfferWithdrawn,
  BankDeclined,
  BiddingClosed,
  BiddingClosedWithoutOffers,
  OfferSelected,
  FirmAppliedToBank,
  SelectionWindowLapsed,
  ApplicationCancelled,
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EventType[];
export const CURRENT_SCHEMA_VERSION = 1;

export type EventData<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

/** A parsed event of our domain: `type` narrows `data`. */
export type DomainEvent = {
  [T in EventType]: PositionedEnvelope<T, EventData<T>>;
}[EventType];

/** An event about to be appended (no position yet). */
export type NewDomainEvent = {
  [T in EventType]: {
    id: string;
    type: T;
    data: EventData<T>;
    metadata: z.infer<typeof EventMetadataSchema>;
  };
}[EventType];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_SCHEMAS, type);
}

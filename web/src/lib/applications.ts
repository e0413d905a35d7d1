/*
 * The decision the API answered a submission with is kept for the tab's session, so the decision
 * screen can show it at once, even before the read side has caught up with the new application.
 */
import {
  APPLICATION_STATUSES,
  type ApplicationDecisionView,
  type ApplicationStatus,
  type Currency,
  type Decision,
} from './api';

const KEY = (id: string) => `kefalet.decision.${id}`;

export function rememberDecision(view: ApplicationDecisionView): void {
  try {
    sessionStorage.setItem(KEY(view.applicationId), JSON.stringify(view));
  } catch {
    // storage full or disabled: the screen will ask the API instead
  }
}

export function recalledDecision(id: string): ApplicationDecisionView | undefined {
  try {
    const text = sessionStorage.getItem(KEY(id));
    return text ? decisionView(JSON.parse(text) as unknown, id) : undefined;
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isStatus(value: unknown): value is ApplicationStatus {
  return typeof value === 'string' && (APPLICATION_STATUSES as readonly string[]).includes(value);
}

function asDecision(value: unknown): Decision | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value['eligible'] !== 'boolean' || typeof value['creditNote'] !== 'number') {
    return undefined;
  }
  return {
    eligible: value['eligible'],
    creditNote: value['creditNote'],
    creditNoteLabel: typeof value['creditNoteLabel'] === 'string' ? value['creditNoteLabel'] : '',
    reasons: Array.isArray(value['reasons']) ? (value['reasons'] as Decision['reasons']) : [],
    guaranteeRatio: String(value['guaranteeRatio'] ?? ''),
    guaranteeAmount: String(value['guaranteeAmount'] ?? ''),
    modelVersion: String(value['modelVersion'] ?? ''),
  };
}

/**
 * Reads a decision view from what the API sent: the submission's answer, or an application as the
 * query API shows it (the decision nested under `decision`, or its fields at the top level).
 */
export function decisionView(value: unknown, id: string): ApplicationDecisionView | undefined {
  if (!isRecord(value)) return undefined;
  const source = isRecord(value['application']) ? value['application'] : value;
  const status = source['status'];
  if (!isStatus(status)) return undefined;
  const decision = asDecision(source['decision']) ?? asDecision(source);
  const currency = source['currency'];
  const closes = source['biddingClosesAt'];
  const sources = source['unavailableSources'];
  const retryAt = source['retryAt'];
  return {
    applicationId: typeof source['applicationId'] === 'string' ? source['applicationId'] : id,
    status,
    ...(decision ? { decision } : {}),
    ...(typeof closes === 'string' ? { biddingClosesAt: closes } : {}),
    ...(Array.isArray(sources)
      ? { unavailableSources: sources.filter((x): x is string => typeof x === 'string') }
      : {}),
    ...(typeof retryAt === 'string' ? { retryAt } : {}),
    ...(currency === 'TRY' || currency === 'USD' || currency === 'EUR'
      ? { currency: currency as Currency }
      : {}),
  };
}

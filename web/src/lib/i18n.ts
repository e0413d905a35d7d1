/*
 * Turkish first, English as a switch. The choice is kept in localStorage and mirrored on
 * <html lang>. `$t(key, params)` gives a dictionary text; `$m(message)` renders a Message, the
 * form in which validation and API reasons are kept so they follow a later language switch.
 */
import { derived, get, writable } from 'svelte/store';
import type { ApiError, ApplicationStatus, Role } from './api';
import { en, tr, type MessageKey } from './messages';

export type { MessageKey };
export type Lang = 'tr' | 'en';
export const LANGS: readonly Lang[] = ['tr', 'en'];

const STORAGE_KEY = 'kefalet.lang';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { tr, en };

const inBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';

function initialLang(): Lang {
  if (!inBrowser) return 'tr';
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved === 'tr' || saved === 'en') return saved;
  } catch {
    // storage may be disabled; Turkish it is
  }
  return 'tr';
}

export const lang = writable<Lang>(initialLang());

if (inBrowser) {
  lang.subscribe((value) => {
    document.documentElement.lang = value;
    try {
      window.localStorage.setItem(STORAGE_KEY, value);
    } catch {
      // not persisted, still switched
    }
  });
}

export function setLang(value: Lang): void {
  lang.set(value);
}

export type Params = Readonly<Record<string, string | number>>;

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function translate(language: Lang, key: MessageKey, params?: Params): string {
  return interpolate(dictionaries[language][key] ?? tr[key] ?? key, params);
}

/** `$t('login.title')`, `$t('exporter.title', { name })` */
export const t = derived(
  lang,
  ($lang) =>
    (key: MessageKey, params?: Params): string =>
      translate($lang, key, params),
);

// ---- messages: translated at render time --------------------------------------------------

/** A text to show: a dictionary key (with params), or a text from elsewhere shown as it is. */
export type Message =
  { readonly key: MessageKey; readonly params?: Params } | { readonly text: string };

export function renderMessage(language: Lang, message: Message): string {
  if ('key' in message) return translate(language, message.key, message.params);
  return message.text;
}

/** `$m(message)` */
export const m = derived(
  lang,
  ($lang) =>
    (message: Message): string =>
      renderMessage($lang, message),
);

/** A field's messages, by field name (dotted path for nested fields). */
export type FieldMessages = Partial<Record<string, Message>>;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The reasons the shared schemas (@kefalet/events) and the API give, in English, mapped to the
 * dictionary; a reason not listed is shown as sent, capitalised.
 */
const REASONS: ReadonlyArray<
  readonly [RegExp | string, MessageKey, ((match: RegExpExecArray) => Params)?]
> = [
  ['must not be empty', 'v.notEmpty'],
  ['must be a 10-digit tax number', 'v.vkn'],
  ['must be exactly 10 digits', 'v.vkn'],
  ['check digit does not match', 'v.checkDigit'],
  ['check digits do not match', 'v.checkDigit'],
  ['must be an 11-digit national id number', 'v.tckn'],
  ['must be exactly 11 digits', 'v.tckn'],
  ['must not start with 0', 'v.tcknFirstZero'],
  ['must be a Turkish mobile number (5xx...)', 'v.mobile'],
  ['must be at least 12 characters', 'v.password'],
  ['must be the 6-digit code', 'v.otp'],
  ['must be greater than zero', 'v.positive'],
  ['must be a decimal string', 'v.amountFormat'],
  ['use a dot as the decimal separator, without grouping', 'v.amountFormat'],
  ['must not be negative', 'v.negative'],
  ['is already registered', 'v.alreadyRegistered'],
  [/^".*" is not a decimal number$/, 'v.amountFormat'],
  [/^at most 2 decimal places$/, 'v.amountDecimals'],
  [/^must be one of (.+)$/, 'v.oneOf', (match) => ({ values: match[1] ?? '' })],
  [/^unknown field\(s\): (.+)$/, 'v.unknownFields', (match) => ({ fields: match[1] ?? '' })],
];

export function reasonMessage(reason: string): Message {
  for (const [pattern, key, params] of REASONS) {
    if (typeof pattern === 'string') {
      if (pattern === reason) return { key };
      continue;
    }
    const match = pattern.exec(reason);
    if (match) return params ? { key, params: params(match) } : { key };
  }
  return { text: capitalise(reason) };
}

/** What a zod issue carries that we read (structural, so the web app needs no zod import). */
export interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly origin?: string;
  readonly format?: string;
  readonly input?: unknown;
}

/** A zod issue as a Message in the user's language (custom reasons go through reasonMessage). */
export function issueMessage(issue: SchemaIssue): Message {
  // a reason the shared schemas spell out themselves ("must be the 6-digit code") comes first
  const own = reasonMessage(issue.message);
  if ('key' in own) return own;
  const isText = issue.origin === 'string';
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === ''
        ? { key: 'v.required' }
        : { key: 'v.invalid' };
    case 'invalid_format':
      return issue.format === 'email' ? { key: 'v.email' } : { key: 'v.invalid' };
    case 'too_small':
      if (isText && Number(issue.minimum) <= 1) return { key: 'v.required' };
      return isText
        ? { key: 'v.minLength', params: { min: Number(issue.minimum) } }
        : { key: 'v.min', params: { min: Number(issue.minimum) } };
    case 'too_big':
      return isText
        ? { key: 'v.maxLength', params: { max: Number(issue.maximum) } }
        : { key: 'v.max', params: { max: Number(issue.maximum) } };
    case 'invalid_value':
      return { key: 'v.choose' };
    case 'custom':
      return own;
    default:
      return { key: 'v.invalid' };
  }
}

/** The message for a failed request, for the banner above a form or in place of a page. */
export function problemMessage(error: ApiError): Message {
  const known = `problem.${error.code}` as MessageKey;
  if (known in tr) return { key: known };
  if (error.status === 401) return { key: 'problem.UNAUTHENTICATED' };
  if (error.status === 403) return { key: 'problem.FORBIDDEN' };
  if (error.status === 404) return { key: 'problem.NOT_FOUND' };
  if (error.status >= 500) return { key: 'problem.INTERNAL' };
  // field reasons are shown next to their fields; the banner only says so
  if (error.fieldReasons.length > 0) return { key: 'problem.VALIDATION_FAILED' };
  const text = error.problem?.detail ?? error.problem?.title;
  return text ? { text } : { key: 'problem.generic' };
}

// ---- labels for domain values --------------------------------------------------------------

export type Tone = 'info' | 'progress' | 'warn' | 'ok' | 'bad' | 'neutral';

/** Every application status, in Turkish and English, with the badge tone it gets. */
export const STATUS_LABELS: Readonly<
  Record<ApplicationStatus, { readonly tr: string; readonly en: string; readonly tone: Tone }>
> = {
  SUBMITTED: { tr: 'Değerlendiriliyor', en: 'Being scored', tone: 'info' },
  AWAITING_DATA: { tr: 'Veri bekleniyor', en: 'Awaiting data', tone: 'warn' },
  REJECTED: { tr: 'Uygun bulunmadı', en: 'Not eligible', tone: 'bad' },
  BIDDING: { tr: 'Teklif toplanıyor', en: 'Bidding open', tone: 'progress' },
  BIDDING_CLOSED: { tr: 'Teklif süresi doldu', en: 'Bidding closed', tone: 'info' },
  CLOSED_WITHOUT_OFFERS: {
    tr: 'Teklifsiz kapandı',
    en: 'Closed without offers',
    tone: 'neutral',
  },
  OFFER_SELECTED: { tr: 'Teklif seçildi', en: 'Offer selected', tone: 'ok' },
  APPLIED_TO_BANK: { tr: 'Bankaya başvuruldu', en: 'Applied to the bank', tone: 'ok' },
  SELECTION_LAPSED: { tr: 'Seçim süresi doldu', en: 'Selection lapsed', tone: 'bad' },
  CANCELLED: { tr: 'İptal edildi', en: 'Cancelled', tone: 'neutral' },
};

export function statusLabel(status: string, language: Lang = get(lang)): string {
  const entry = (STATUS_LABELS as Partial<Record<string, { tr: string; en: string }>>)[status];
  return entry ? entry[language] : status;
}

export function statusTone(status: string): Tone {
  return (STATUS_LABELS as Partial<Record<string, { tone: Tone }>>)[status]?.tone ?? 'neutral';
}

export function roleLabel(role: Role, language: Lang = get(lang)): string {
  return translate(language, `role.${role}`);
}

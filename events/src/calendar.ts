import { DateTime } from 'luxon';

// The Turkish business calendar (DOMAIN.md R18–R20). Every day is an Istanbul calendar day, whatever
// the process TZ: all arithmetic goes through luxon in Europe/Istanbul, never Date's local methods.

const ZONE = 'Europe/Istanbul';

export type HolidayKind = 'full' | 'half';

export interface Holiday {
  name: string;
  kind: HolidayKind;
}

// First full day of each bayram; Ramazan Bayramı lasts 3 days, Kurban Bayramı 4, and the arife is the
// day before. Dates are data, not computed: generic libraries get the edges wrong.
// 2024–2027: the official dates in DOMAIN.md.
// 2028–2030: not confirmed against a Diyanet publication (none was reachable). They follow the
// Diyanet (2016 Istanbul congress) Hijri criterion applied to the astronomical new moons, and agree
// with the Diyanet-based tables found in public code. Re-check them when Diyanet publishes each year.
const BAYRAM_FIRST_DAYS: Record<number, { ramazan: string; kurban: string }> = {
  2024: { ramazan: '2024-04-10', kurban: '2024-06-16' },
  2025: { ramazan: '2025-03-30', kurban: '2025-06-06' },
  2026: { ramazan: '2026-03-20', kurban: '2026-05-27' },
  2027: { ramazan: '2027-03-09', kurban: '2027-05-16' },
  2028: { ramazan: '2028-02-26', kurban: '2028-05-05' },
  2029: { ramazan: '2029-02-14', kurban: '2029-04-24' },
  2030: { ramazan: '2030-02-04', kurban: '2030-04-13' },
};

const FIXED_HOLIDAYS: ReadonlyArray<readonly [monthDay: string, name: string]> = [
  ['01-01', 'Yılbaşı'],
  ['04-23', 'Ulusal Egemenlik ve Çocuk Bayramı'],
  ['05-01', 'Emek ve Dayanışma Günü'],
  ['05-19', "Atatürk'ü Anma, Gençlik ve Spor Bayramı"],
  ['07-15', 'Demokrasi ve Millî Birlik Günü'],
  ['08-30', 'Zafer Bayramı'],
  ['10-29', 'Cumhuriyet Bayramı'],
];

const YEARS = Object.keys(BAYRAM_FIRST_DAYS).map(Number);
const FIRST_YEAR = Math.min(...YEARS);
const LAST_YEAR = Math.max(...YEARS);

const toDay = (day: DateTime): string => day.toFormat('yyyy-MM-dd');

function buildHolidays(): ReadonlyMap<string, Holiday> {
  const halfDays = new Map<string, string>();
  const fullDays = new Map<string, string[]>();
  const addFull = (day: string, name: string) =>
    fullDays.set(day, [...(fullDays.get(day) ?? []), name]);

  for (const [year, { ramazan, kurban }] of Object.entries(BAYRAM_FIRST_DAYS)) {
    for (const [monthDay, name] of FIXED_HOLIDAYS) addFull(`${year}-${monthDay}`, name);
    halfDays.set(`${year}-10-28`, 'Cumhuriyet Bayramı arifesi');
    const bayrams = [
      ['Ramazan Bayramı', ramazan, 3],
      ['Kurban Bayramı', kurban, 4],
    ] as const;
    for (const [name, firstDay, length] of bayrams) {
      const first = DateTime.fromISO(firstDay, { zone: ZONE });
      halfDays.set(toDay(first.minus({ days: 1 })), `${name} arifesi`);
      for (let i = 0; i < length; i++) {
        addFull(toDay(first.plus({ days: i })), `${name} ${i + 1}. gün`);
      }
    }
  }

  const holidays = new Map<string, Holiday>();
  for (const [day, name] of halfDays) holidays.set(day, { name, kind: 'half' });
  // A full holiday wins over an arife on the same day (23 April 2029); two full holidays on one day
  // (19 May 2027) keep both names.
  for (const [day, names] of fullDays) holidays.set(day, { name: names.join(' / '), kind: 'full' });
  return holidays;
}

const HOLIDAYS = buildHolidays();

function requireSupportedYear(day: DateTime, context: string): void {
  if (day.year < FIRST_YEAR || day.year > LAST_YEAR) {
    throw new RangeError(
      `${context}: ${toDay(day)} is outside the supported years ${FIRST_YEAR}–${LAST_YEAR} (no holiday data)`,
    );
  }
}

function parseDay(caller: string, date: string): DateTime {
  const context = `${caller}(date)`;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new RangeError(`${context}: "${String(date)}" is not a date in the form YYYY-MM-DD`);
  }
  const day = DateTime.fromISO(date, { zone: ZONE });
  if (!day.isValid) throw new RangeError(`${context}: "${date}" is not a calendar day`);
  requireSupportedYear(day, context);
  return day;
}

function inIstanbul(context: string, instant: Date): DateTime {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError(`${context}: not a valid Date`);
  }
  return DateTime.fromJSDate(instant, { zone: ZONE });
}

// An instant needs an explicit offset: without one it would be read in the process TZ.
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

function parseInstant(context: string, from: Date | string): DateTime {
  if (typeof from !== 'string') return inIstanbul(context, from);
  const instant = INSTANT_PATTERN.test(from) ? DateTime.fromISO(from, { zone: ZONE }) : undefined;
  if (!instant?.isValid) {
    throw new RangeError(`${context}: "${from}" is not an ISO instant with an offset or Z`);
  }
  return instant;
}

function isOpen(day: DateTime, context: string): boolean {
  requireSupportedYear(day, context);
  return day.weekday <= 5 && HOLIDAYS.get(toDay(day))?.kind !== 'full';
}

/** The Istanbul calendar day (YYYY-MM-DD) of an instant. */
export function istanbulDay(instant: Date): string {
  return toDay(inIstanbul('istanbulDay(instant)', instant));
}

/** The public holiday on an Istanbul day, full or half (from 13:00), if any. */
export function holidayOn(date: string): Holiday | undefined {
  const holiday = HOLIDAYS.get(toDay(parseDay('holidayOn', date)));
  return holiday && { ...holiday };
}

/** R19: the arife of each bayram and 28 October; the holiday starts at 13:00. */
export function isHalfDay(date: string): boolean {
  return holidayOn(date)?.kind === 'half';
}

/** R18: Monday to Friday and not a full-day public holiday. Half days are business days. */
export function isBusinessDay(date: string): boolean {
  return isOpen(parseDay('isBusinessDay', date), 'isBusinessDay(date)');
}

/**
 * R20: N business days from a moment end at 23:59:59.999 Istanbul time of the Nth business day after
 * that moment's Istanbul day, or at 13:00 when that day is a half day.
 */
export function businessDeadline(from: Date | string, businessDays: number): Date {
  if (!Number.isInteger(businessDays) || businessDays < 1) {
    throw new RangeError(
      `businessDeadline(businessDays): expected a positive integer, got ${businessDays}`,
    );
  }
  let day = parseInstant('businessDeadline(from)', from).startOf('day');
  for (let counted = 0; counted < businessDays;) {
    day = day.plus({ days: 1 });
    if (isOpen(day, `businessDeadline(from, ${businessDays})`)) counted++;
  }
  const end = HOLIDAYS.get(toDay(day))?.kind === 'half' ? day.set({ hour: 13 }) : day.endOf('day');
  return end.toJSDate();
}

/**
 * Whole business days left: those after now's Istanbul day that start before the deadline. The rest
 * of today is not a whole day, so businessDaysLeft(t, businessDeadline(t, n)) === n.
 */
export function businessDaysLeft(now: Date, deadline: Date): number {
  const start = inIstanbul('businessDaysLeft(now)', now);
  const end = inIstanbul('businessDaysLeft(deadline)', deadline);
  let left = 0;
  for (let day = start.startOf('day').plus({ days: 1 }); day < end; day = day.plus({ days: 1 })) {
    if (isOpen(day, 'businessDaysLeft(deadline)')) left++;
  }
  return left;
}

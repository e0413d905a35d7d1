import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  businessDaysLeft,
  businessDeadline,
  holidayOn,
  isBusinessDay,
  isHalfDay,
  istanbulDay,
} from '../src/calendar';

// This file also runs under other process TZs (vitest.config.ts: events-tz-* projects).
describe('given the process time zone', () => {
  it('when the test runs, then Date uses the TZ the project asked for', () => {
    const zone = process.env.TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    // January and July: in a DST zone the two offsets differ.
    for (const month of [1, 7]) {
      const offsetEast = DateTime.fromObject({ year: 2026, month, day: 1 }, { zone }).offset;
      const local = new Date(2026, month - 1, 1);
      expect(local.getTimezoneOffset() + offsetEast, `${zone}, month ${month}`).toBe(0);
    }
  });
});

interface OfficialBayram {
  name: 'Ramazan Bayramı' | 'Kurban Bayramı';
  arife: string;
  days: string[];
  dayAfter: string;
  // The day after is never a holiday; it is a business day unless it falls on a weekend.
  dayAfterIsBusinessDay: boolean;
}

// DOMAIN.md, "Official religious holiday dates".
const OFFICIAL_BAYRAMS: OfficialBayram[] = [
  {
    name: 'Ramazan Bayramı',
    arife: '2024-04-09',
    days: ['2024-04-10', '2024-04-11', '2024-04-12'],
    dayAfter: '2024-04-13', // Saturday
    dayAfterIsBusinessDay: false,
  },
  {
    name: 'Kurban Bayramı',
    arife: '2024-06-15', // Saturday
    days: ['2024-06-16', '2024-06-17', '2024-06-18', '2024-06-19'],
    dayAfter: '2024-06-20',
    dayAfterIsBusinessDay: true,
  },
  {
    name: 'Ramazan Bayramı',
    arife: '2025-03-29', // Saturday
    days: ['2025-03-30', '2025-03-31', '2025-04-01'],
    dayAfter: '2025-04-02',
    dayAfterIsBusinessDay: true,
  },
  {
    name: 'Kurban Bayramı',
    arife: '2025-06-05',
    days: ['2025-06-06', '2025-06-07', '2025-06-08', '2025-06-09'],
    dayAfter: '2025-06-10',
    dayAfterIsBusinessDay: true,
  },
  {
    name: 'Ramazan Bayramı',
    arife: '2026-03-19',
    days: ['2026-03-20', '2026-03-21', '2026-03-22'],
    dayAfter: '2026-03-23',
    dayAfterIsBusinessDay: true,
  },
  {
    name: 'Kurban Bayramı',
    arife: '2026-05-26',
    days: ['2026-05-27', '2026-05-28', '2026-05-29', '2026-05-30'],
    dayAfter: '2026-05-31', // Sunday
    dayAfterIsBusinessDay: false,
  },
  {
    name: 'Ramazan Bayramı',
    arife: '2027-03-08',
    days: ['2027-03-09', '2027-03-10', '2027-03-11'],
    dayAfter: '2027-03-12',
    dayAfterIsBusinessDay: true,
  },
  {
    name: 'Kurban Bayramı',
    arife: '2027-05-15', // Saturday
    days: ['2027-05-16', '2027-05-17', '2027-05-18', '2027-05-19'],
    dayAfter: '2027-05-20',
    dayAfterIsBusinessDay: true,
  },
];

const isWeekday = (date: string) => DateTime.fromISO(date).weekday <= 5;

describe('given the official bayram dates 2024–2027', () => {
  describe.each(OFFICIAL_BAYRAMS)('$name starting $days.0', (bayram) => {
    it('when asking about each bayram day, then it is a full holiday and not a business day', () => {
      bayram.days.forEach((day, i) => {
        expect(isBusinessDay(day), day).toBe(false);
        expect(isHalfDay(day), day).toBe(false);
        expect(holidayOn(day)?.kind, day).toBe('full');
        expect(holidayOn(day)?.name, day).toContain(`${bayram.name} ${i + 1}. gün`);
      });
    });

    it('when asking about the arife, then it is a half day that counts as a business day', () => {
      expect(isHalfDay(bayram.arife)).toBe(true);
      expect(holidayOn(bayram.arife)).toEqual({ name: `${bayram.name} arifesi`, kind: 'half' });
      // Only a weekend keeps an arife from being a business day.
      expect(isBusinessDay(bayram.arife)).toBe(isWeekday(bayram.arife));
    });

    it('when asking about the day after the last bayram day, then it is no holiday', () => {
      expect(holidayOn(bayram.dayAfter)).toBeUndefined();
      expect(isHalfDay(bayram.dayAfter)).toBe(false);
      expect(isBusinessDay(bayram.dayAfter)).toBe(bayram.dayAfterIsBusinessDay);
    });
  });

  it('when an arife falls on a weekday, then it is a business day', () => {
    for (const arife of ['2024-04-09', '2025-06-05', '2026-03-19', '2026-05-26', '2027-03-08']) {
      expect(isBusinessDay(arife), arife).toBe(true);
    }
  });

  it('when the bayram ends on a Friday or midweek, then the next weekday is a business day', () => {
    for (const day of ['2024-04-15', '2024-06-20', '2025-06-10', '2026-03-23', '2026-06-01']) {
      expect(isBusinessDay(day), day).toBe(true);
    }
  });
});

describe('given the bayram table for 2028–2030', () => {
  // The Kurban arife 2029 is 23 April, a full holiday: tested on its own below.
  it.each([
    ['Ramazan Bayramı', '2028-02-25', ['2028-02-26', '2028-02-27', '2028-02-28']],
    ['Kurban Bayramı', '2028-05-04', ['2028-05-05', '2028-05-06', '2028-05-07', '2028-05-08']],
    ['Ramazan Bayramı', '2029-02-13', ['2029-02-14', '2029-02-15', '2029-02-16']],
    ['Kurban Bayramı', undefined, ['2029-04-24', '2029-04-25', '2029-04-26', '2029-04-27']],
    ['Ramazan Bayramı', '2030-02-03', ['2030-02-04', '2030-02-05', '2030-02-06']],
    ['Kurban Bayramı', '2030-04-12', ['2030-04-13', '2030-04-14', '2030-04-15', '2030-04-16']],
  ] as const)(
    'when asking about %s after the arife %s, then the days are pinned',
    (name, arife, days) => {
      if (arife) expect(holidayOn(arife)).toEqual({ name: `${name} arifesi`, kind: 'half' });
      days.forEach((day, i) => {
        expect(holidayOn(day), day).toEqual({ name: `${name} ${i + 1}. gün`, kind: 'full' });
      });
    },
  );

  it('when the Kurban arife 2029 falls on 23 April, then the full holiday wins', () => {
    expect(holidayOn('2029-04-23')).toEqual({
      name: 'Ulusal Egemenlik ve Çocuk Bayramı',
      kind: 'full',
    });
    expect(isHalfDay('2029-04-23')).toBe(false);
    expect(isBusinessDay('2029-04-23')).toBe(false);
  });

  it('when two full holidays share a day (19 May 2027), then both names are given', () => {
    expect(holidayOn('2027-05-19')).toEqual({
      name: "Atatürk'ü Anma, Gençlik ve Spor Bayramı / Kurban Bayramı 4. gün",
      kind: 'full',
    });
  });
});

describe('given the fixed public holidays', () => {
  const fixed = [
    ['01-01', 'Yılbaşı'],
    ['04-23', 'Ulusal Egemenlik ve Çocuk Bayramı'],
    ['05-01', 'Emek ve Dayanışma Günü'],
    ['05-19', "Atatürk'ü Anma, Gençlik ve Spor Bayramı"],
    ['07-15', 'Demokrasi ve Millî Birlik Günü'],
    ['08-30', 'Zafer Bayramı'],
    ['10-29', 'Cumhuriyet Bayramı'],
  ] as const;

  it.each(fixed)(
    'when asking about %s in every year 2024–2030, then it is %s',
    (monthDay, name) => {
      for (let year = 2024; year <= 2030; year++) {
        const day = `${year}-${monthDay}`;
        if (day === '2027-05-19') continue; // shared with Kurban Bayramı, tested above
        expect(holidayOn(day), day).toEqual({ name, kind: 'full' });
        expect(isBusinessDay(day), day).toBe(false);
      }
    },
  );

  it('when asking about 28 October, then it is a half day and a business day on weekdays', () => {
    for (let year = 2024; year <= 2030; year++) {
      const day = `${year}-10-28`;
      expect(holidayOn(day), day).toEqual({ name: 'Cumhuriyet Bayramı arifesi', kind: 'half' });
      expect(isHalfDay(day), day).toBe(true);
      expect(isBusinessDay(day), day).toBe(isWeekday(day));
    }
    expect(isBusinessDay('2026-10-28')).toBe(true); // a Wednesday
  });
});

describe('given ordinary days', () => {
  it('when it is a weekend, then it is not a business day', () => {
    expect(isBusinessDay('2026-12-05')).toBe(false); // Saturday
    expect(isBusinessDay('2026-12-06')).toBe(false); // Sunday
    expect(holidayOn('2026-12-05')).toBeUndefined();
  });

  it('when it is a plain weekday, then it is a full business day', () => {
    expect(isBusinessDay('2026-12-04')).toBe(true);
    expect(isHalfDay('2026-12-04')).toBe(false);
    expect(holidayOn('2026-12-04')).toBeUndefined();
  });

  it('when 31 December is a weekday, then it is a business day (no New Year eve half day)', () => {
    expect(isBusinessDay('2026-12-31')).toBe(true);
    expect(isHalfDay('2026-12-31')).toBe(false);
  });
});

describe('given an instant', () => {
  it('when it is late evening in UTC, then its Istanbul day is already the next day', () => {
    expect(istanbulDay(new Date('2026-12-03T22:30:00Z'))).toBe('2026-12-04');
    expect(istanbulDay(new Date('2026-12-03T20:59:59.999Z'))).toBe('2026-12-03');
    expect(istanbulDay(new Date('2026-12-03T21:00:00.000Z'))).toBe('2026-12-04');
  });
});

// Istanbul is UTC+3 all year, so 23:59:59.999 Istanbul is 20:59:59.999Z and 13:00 is 10:00Z.
const deadline = (from: Date | string, days: number) => businessDeadline(from, days).toISOString();

describe('given a business-day deadline (R20)', () => {
  it('when banks get 7 business days from a Monday, then the window ends on the second Wednesday', () => {
    expect(deadline('2026-01-05T09:00:00+03:00', 7)).toBe('2026-01-14T20:59:59.999Z');
  });

  it('when a firm gets 2 business days from a Friday, then the weekend does not count', () => {
    expect(deadline('2026-01-09T15:00:00+03:00', 2)).toBe('2026-01-13T20:59:59.999Z');
    expect(deadline(new Date('2026-01-09T12:00:00Z'), 2)).toBe('2026-01-13T20:59:59.999Z');
    expect(deadline('2026-01-09T07:00:00-05:00', 2)).toBe('2026-01-13T20:59:59.999Z');
  });

  it('when 7 business days span Kurban Bayramı 2026, then the arife counts and the bayram does not', () => {
    // 25 May (1), 26 May arife (2), 27–31 May closed, 1–5 June (3–7).
    expect(deadline('2026-05-22T14:00:00+03:00', 7)).toBe('2026-06-05T20:59:59.999Z');
  });

  it('when 2 business days span Ramazan Bayramı 2026, then they end on the Monday after', () => {
    // 19 March arife (1), 20–22 March closed, 23 March (2).
    expect(deadline('2026-03-18T10:00:00+03:00', 2)).toBe('2026-03-23T20:59:59.999Z');
  });

  it('when the deadline falls on a bayram arife, then it ends at 13:00 Istanbul', () => {
    expect(deadline('2026-03-17T10:00:00+03:00', 2)).toBe('2026-03-19T10:00:00.000Z');
    expect(deadline('2026-05-25T10:00:00+03:00', 1)).toBe('2026-05-26T10:00:00.000Z');
  });

  it('when the deadline falls on 28 October, then it ends at 13:00 Istanbul', () => {
    expect(deadline('2026-10-26T16:00:00+03:00', 2)).toBe('2026-10-28T10:00:00.000Z');
    // Past it: 27 (1), 28 half (2), 29 holiday, 30 (3).
    expect(deadline('2026-10-26T16:00:00+03:00', 3)).toBe('2026-10-30T20:59:59.999Z');
  });

  it('when the deadline crosses the year end, then 1 January and the weekend are skipped', () => {
    expect(deadline('2026-12-30T12:00:00+03:00', 2)).toBe('2027-01-04T20:59:59.999Z');
  });

  it('when the moment is still 3 December in UTC but already 4 December in Istanbul, then it counts from the Istanbul day', () => {
    // 2026-12-03T22:30Z is Friday 4 December 01:30 Istanbul: 7 December (1), 8 December (2).
    expect(deadline('2026-12-03T22:30:00Z', 2)).toBe('2026-12-08T20:59:59.999Z');
    expect(deadline(new Date('2026-12-03T22:30:00Z'), 2)).toBe('2026-12-08T20:59:59.999Z');
    expect(deadline('2026-12-03T22:29:00+00:00', 1)).toBe('2026-12-07T20:59:59.999Z');
  });

  it('when the moment is the last millisecond of an Istanbul day, then it still belongs to that day', () => {
    expect(deadline('2026-01-08T20:59:59.999Z', 1)).toBe('2026-01-09T20:59:59.999Z');
    expect(deadline('2026-01-08T21:00:00.000Z', 1)).toBe('2026-01-12T20:59:59.999Z');
  });

  it('when the moment is on a holiday or weekend, then counting starts on the next day anyway', () => {
    expect(deadline('2026-03-21T10:00:00+03:00', 1)).toBe('2026-03-23T20:59:59.999Z');
  });
});

describe('given a deadline and a moment', () => {
  const from = new Date('2026-05-22T14:00:00+03:00');
  const end = businessDeadline(from, 7);

  it('when nothing has passed yet, then all business days are left', () => {
    expect(businessDaysLeft(from, end)).toBe(7);
    expect(
      businessDaysLeft(
        new Date('2026-01-05T09:00:00+03:00'),
        businessDeadline('2026-01-05T09:00:00+03:00', 2),
      ),
    ).toBe(2);
  });

  it('when the bayram is under way, then only the business days after today count', () => {
    expect(businessDaysLeft(new Date('2026-05-26T09:00:00+03:00'), end)).toBe(5);
    expect(businessDaysLeft(new Date('2026-05-28T09:00:00+03:00'), end)).toBe(5);
    expect(businessDaysLeft(new Date('2026-06-01T23:00:00+03:00'), end)).toBe(4);
  });

  it('when it is the last day or later, then no whole business day is left', () => {
    expect(businessDaysLeft(new Date('2026-06-05T09:00:00+03:00'), end)).toBe(0);
    expect(businessDaysLeft(new Date('2026-06-06T09:00:00+03:00'), end)).toBe(0);
  });

  it('when the deadline is at 13:00 on a half day, then that day still counts', () => {
    const arifeEnd = businessDeadline('2026-03-17T10:00:00+03:00', 2);
    expect(businessDaysLeft(new Date('2026-03-17T10:00:00+03:00'), arifeEnd)).toBe(2);
  });
});

describe('given bad inputs', () => {
  it.each([
    ['2026-2-3', /isBusinessDay\(date\): "2026-2-3" is not a date in the form YYYY-MM-DD/],
    ['2026-02-03T00:00', /"2026-02-03T00:00" is not a date in the form YYYY-MM-DD/],
    ['', /"" is not a date in the form YYYY-MM-DD/],
    ['2026-02-30', /isBusinessDay\(date\): "2026-02-30" is not a calendar day/],
    ['2026-13-01', /"2026-13-01" is not a calendar day/],
    ['2023-12-29', /isBusinessDay\(date\): 2023-12-29 is outside the supported years 2024–2030/],
    ['2031-01-02', /2031-01-02 is outside the supported years 2024–2030/],
  ])('when isBusinessDay gets %j, then it throws a RangeError saying why', (date, message) => {
    expect(() => isBusinessDay(date)).toThrow(RangeError);
    expect(() => isBusinessDay(date)).toThrow(message);
  });

  it('when the other day functions get a bad date, then they name themselves', () => {
    expect(() => isHalfDay('2026-02-30')).toThrow(/holidayOn\(date\): "2026-02-30"/);
    expect(() => holidayOn('31.12.2026')).toThrow(/holidayOn\(date\): "31.12.2026" is not a date/);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'when businessDays is %s, then businessDeadline throws a RangeError',
    (businessDays) => {
      expect(() => businessDeadline('2026-01-05T09:00:00+03:00', businessDays)).toThrow(
        new RangeError(
          `businessDeadline(businessDays): expected a positive integer, got ${businessDays}`,
        ),
      );
    },
  );

  it.each(['2026-01-05T09:00:00', '2026-01-05', 'yarın', '2026-02-30T09:00:00Z'])(
    'when from is %j, then businessDeadline rejects it as not an instant with offset',
    (from) => {
      expect(() => businessDeadline(from, 2)).toThrow(
        new RangeError(
          `businessDeadline(from): "${from}" is not an ISO instant with an offset or Z`,
        ),
      );
    },
  );

  it('when from or now is an invalid Date, then the argument is named', () => {
    const invalid = new Date('nope');
    expect(() => businessDeadline(invalid, 2)).toThrow(
      /businessDeadline\(from\): not a valid Date/,
    );
    expect(() => istanbulDay(invalid)).toThrow(/istanbulDay\(instant\): not a valid Date/);
    expect(() => businessDaysLeft(invalid, new Date())).toThrow(/businessDaysLeft\(now\)/);
    expect(() => businessDaysLeft(new Date(), invalid)).toThrow(/businessDaysLeft\(deadline\)/);
  });

  it('when a deadline would run past the holiday data, then it throws instead of guessing', () => {
    expect(() => businessDeadline('2030-12-27T10:00:00+03:00', 5)).toThrow(
      /businessDeadline\(from, 5\): 2031-01-01 is outside the supported years 2024–2030/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock';

describe('the manual clock', () => {
  it('moves forward by an ISO duration and tells its listeners', () => {
    const clock = new ManualClock(new Date('2026-12-03T10:00:00+03:00'));
    const seen: string[] = [];
    clock.onAdvance((now) => seen.push(now.toISOString()));
    expect(clock.advance('P8D').toISOString()).toBe('2026-12-11T07:00:00.000Z');
    expect(seen).toEqual(['2026-12-11T07:00:00.000Z']);
  });

  it.each(['P0D', '-P1D', 'tomorrow', ''])('refuses %j and stays where it was', (text) => {
    const clock = new ManualClock(new Date('2026-12-03T10:00:00+03:00'));
    expect(() => clock.advance(text)).toThrow(RangeError);
    expect(clock.now().toISOString()).toBe('2026-12-03T07:00:00.000Z');
  });

  it('refuses to leave the years the business calendar knows, and stays usable', () => {
    const clock = new ManualClock(new Date('2026-12-03T10:00:00+03:00'));
    expect(() => clock.advance('P99999999Y')).toThrow('would move the clock past 2030');
    expect(() => clock.advance('P5Y')).toThrow('would move the clock past 2030');
    expect(clock.now().toISOString()).toBe('2026-12-03T07:00:00.000Z');
    expect(clock.advance('PT1H').toISOString()).toBe('2026-12-03T08:00:00.000Z');
  });
});

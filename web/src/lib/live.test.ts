import { describe, expect, it } from 'vitest';
import { businessTimeLeft, createRoomTracker } from './live';

const ROOM = 'application:app-1';

function liveAt(version: number, state: unknown = `v${version}`) {
  const tracker = createRoomTracker();
  tracker.snapshot(tracker.subscribing(ROOM), { room: ROOM, snapshot: state, version });
  return tracker;
}

describe('room tracker (the copy of read-side/src/live/tracker.ts)', () => {
  it('applies the next version and drops what the state already has', () => {
    const tracker = liveAt(3);
    expect(tracker.update(ROOM, 4, 'v4')).toEqual({
      kind: 'applied',
      view: { room: ROOM, version: 4, state: 'v4', pending: false },
    });
    expect(tracker.update(ROOM, 4, 'again')).toEqual({ kind: 'stale' });
    expect(tracker.update(ROOM, 2, 'old')).toEqual({ kind: 'stale' });
  });

  it('asks for a snapshot on a gap and takes the fresh one with what came meanwhile', () => {
    const tracker = liveAt(5);
    expect(tracker.update(ROOM, 7, 'v7')).toEqual({ kind: 'resubscribe' });
    expect(tracker.view(ROOM)).toMatchObject({ version: 5, pending: true });
    expect(tracker.update(ROOM, 8, 'v8')).toEqual({ kind: 'buffered' });
    const ticket = tracker.subscribing(ROOM);
    expect(tracker.snapshot(ticket, { room: ROOM, snapshot: 'v7 fresh', version: 7 })).toEqual({
      view: { room: ROOM, version: 8, state: 'v8', pending: false },
      resubscribe: false,
    });
  });

  it('makes every room pending after a reconnect', () => {
    const tracker = liveAt(2);
    expect(tracker.reconnected()).toEqual([ROOM]);
    expect(tracker.view(ROOM)).toMatchObject({ pending: true });
    expect(tracker.update(ROOM, 3, 'v3')).toEqual({ kind: 'buffered' });
  });
});

describe('businessTimeLeft (Europe/Istanbul, whatever the browser zone)', () => {
  // Thursday 3 December 2026, 19:50 in Istanbul; the bidding closes at the end of Monday 14 December
  const now = Date.parse('2026-12-03T16:50:00Z');
  const closes = '2026-12-14T20:59:59.999Z';

  it('counts whole business days after today and the rest of today as hh:mm', () => {
    expect(businessTimeLeft(closes, now)).toMatchObject({
      past: false,
      businessDays: 7,
      hours: 4,
      minutes: 10,
    });
  });

  it('on the last day, only the hours are left', () => {
    const lastEvening = Date.parse('2026-12-14T18:00:00Z'); // 21:00 in Istanbul
    expect(businessTimeLeft(closes, lastEvening)).toMatchObject({
      businessDays: 0,
      hours: 2,
      minutes: 59,
    });
  });

  it('is past once the deadline is', () => {
    expect(businessTimeLeft(closes, Date.parse('2026-12-15T06:00:00Z'))).toMatchObject({
      past: true,
      businessDays: 0,
    });
  });
});

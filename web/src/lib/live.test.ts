import { describe, expect, it } from 'vitest';
import { businessTimeLeft, createRoomTracker, mergeEntries, roomStateEvent } from './live';

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

describe('inbox updates merged by application id', () => {
  const row = (applicationId: string, openedAt: string, rank: number | null = null) => ({
    applicationId,
    openedAt,
    rank,
  });
  const newestFirst = (a: { openedAt: string }, b: { openedAt: string }) =>
    Date.parse(b.openedAt) - Date.parse(a.openedAt);
  const items = [row('b', '2026-03-03T09:00:00Z'), row('a', '2026-03-02T09:00:00Z')];

  it('replaces a changed entry in place and keeps the others', () => {
    const merged = mergeEntries(
      items,
      { entries: [row('a', '2026-03-02T09:00:00Z', 1)] },
      newestFirst,
    );
    expect(merged).toEqual({
      items: [row('b', '2026-03-03T09:00:00Z'), row('a', '2026-03-02T09:00:00Z', 1)],
      added: 0,
      removed: 0,
    });
  });

  it('adds a new entry in order and drops a removed one', () => {
    const merged = mergeEntries(
      items,
      { entries: [row('c', '2026-03-04T09:00:00Z')], removed: ['b', 'unknown'] },
      newestFirst,
    );
    expect(merged.items.map((item) => item.applicationId)).toEqual(['c', 'a']);
    expect(merged).toMatchObject({ added: 1, removed: 1 });
  });

  it('feeds a room only its state event: the detail stands beside the board', () => {
    expect(roomStateEvent('application:app-1')).toBe('board:update');
    expect(roomStateEvent('inbox:0062')).toBe('inbox:update');
    expect(roomStateEvent('firm:0150015264')).toBe('application:update');
  });
});

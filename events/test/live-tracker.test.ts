import { describe, expect, it } from 'vitest';
import { createRoomTracker } from '../src/live/tracker';

const ROOM = 'board:app-1';

function liveAt(version: number, state: unknown = `v${version}`) {
  const tracker = createRoomTracker();
  tracker.snapshot(tracker.subscribing(ROOM), { room: ROOM, snapshot: state, version });
  return tracker;
}

describe('room tracker', () => {
  it('applies the next version and drops ones the state already has', () => {
    const tracker = liveAt(3);
    expect(tracker.update(ROOM, 4, 'v4')).toEqual({
      kind: 'applied',
      view: { room: ROOM, version: 4, state: 'v4', pending: false },
    });
    expect(tracker.update(ROOM, 4, 'v4 again')).toEqual({ kind: 'stale' });
    expect(tracker.update(ROOM, 2, 'v2')).toEqual({ kind: 'stale' });
    expect(tracker.view(ROOM)).toMatchObject({ version: 4, state: 'v4' });
  });

  it('skips nothing: version N+2 after N asks for a new snapshot, which replaces the state', () => {
    const tracker = liveAt(5);
    expect(tracker.update(ROOM, 7, 'v7')).toEqual({ kind: 'resubscribe' });
    expect(tracker.view(ROOM)).toMatchObject({ version: 5, pending: true });
    // Until the snapshot comes, further updates wait rather than ask again.
    expect(tracker.update(ROOM, 8, 'v8')).toEqual({ kind: 'buffered' });

    const ticket = tracker.subscribing(ROOM);
    expect(tracker.snapshot(ticket, { room: ROOM, snapshot: 'v7 fresh', version: 7 })).toEqual({
      view: { room: ROOM, version: 8, state: 'v8', pending: false },
      resubscribe: false,
    });
  });

  it('replays updates that arrived ahead of the acknowledgement', () => {
    const tracker = createRoomTracker<string[]>((state, payload) => [...state, String(payload)]);
    const ticket = tracker.subscribing(ROOM);
    expect(tracker.update(ROOM, 10, 'ten')).toEqual({ kind: 'buffered' });
    expect(tracker.update(ROOM, 11, 'eleven')).toEqual({ kind: 'buffered' });

    const outcome = tracker.snapshot(ticket, { room: ROOM, snapshot: ['snapshot'], version: 10 });

    expect(outcome).toEqual({
      view: { room: ROOM, version: 11, state: ['snapshot', 'eleven'], pending: false },
      resubscribe: false,
    });
  });

  it('asks again when the held updates do not follow the snapshot', () => {
    const tracker = createRoomTracker();
    const ticket = tracker.subscribing(ROOM);
    tracker.update(ROOM, 13, 'v13');

    const outcome = tracker.snapshot(ticket, { room: ROOM, snapshot: 'v11', version: 11 });

    expect(outcome).toEqual({
      view: { room: ROOM, version: 11, state: 'v11', pending: true },
      resubscribe: true,
    });
    const again = tracker.subscribing(ROOM);
    expect(tracker.snapshot(again, { room: ROOM, snapshot: 'v12', version: 12 }).view).toEqual({
      room: ROOM,
      version: 13,
      state: 'v13',
      pending: false,
    });
  });

  it('ignores updates of rooms it does not follow when nothing is in flight', () => {
    const tracker = liveAt(1);
    expect(tracker.update('board:other', 1, 'x')).toEqual({ kind: 'ignored' });
  });

  it('on reconnect makes every room pending and returns them to subscribe again', () => {
    const tracker = liveAt(2);
    tracker.snapshot(tracker.subscribing('inbox:0062'), {
      room: 'inbox:0062',
      snapshot: [],
      version: 9,
    });

    expect(tracker.reconnected().sort()).toEqual([ROOM, 'inbox:0062']);
    expect(tracker.view(ROOM)?.pending).toBe(true);
    expect(tracker.update(ROOM, 3, 'v3')).toEqual({ kind: 'buffered' });

    // A snapshot after a reconnect replaces the state even if older (e.g. a rebuilt read model).
    const ticket = tracker.subscribing(ROOM);
    expect(tracker.snapshot(ticket, { room: ROOM, snapshot: 'v4', version: 4 }).view).toEqual({
      room: ROOM,
      version: 4,
      state: 'v4',
      pending: false,
    });
  });

  it('keeps the newer state when concurrent subscribes answer out of order', () => {
    const tracker = createRoomTracker();
    const first = tracker.subscribing(ROOM);
    const second = tracker.subscribing(ROOM);
    tracker.snapshot(second, { room: ROOM, snapshot: 'v6', version: 6 });

    expect(tracker.snapshot(first, { room: ROOM, snapshot: 'v5', version: 5 }).view).toMatchObject({
      version: 6,
      state: 'v6',
    });
  });

  it('ignores a late acknowledgement for a room it forgot, or a request that failed', () => {
    const tracker = createRoomTracker();
    const forgotten = tracker.subscribing(ROOM);
    tracker.forget(ROOM);
    expect(tracker.snapshot(forgotten, { room: ROOM, snapshot: 's', version: 1 }).view).toBe(
      undefined,
    );

    const timedOut = tracker.subscribing(ROOM);
    tracker.failed(timedOut);
    expect(tracker.snapshot(timedOut, { room: ROOM, snapshot: 's', version: 1 }).view).toBe(
      undefined,
    );
    expect(tracker.view(ROOM)).toBeUndefined();
  });

  it('holds updates for the canonical room while an alias is being subscribed', () => {
    const tracker = createRoomTracker();
    const ticket = tracker.subscribing('board:latest');
    tracker.update(ROOM, 21, 'v21');

    expect(tracker.snapshot(ticket, { room: ROOM, snapshot: 'v20', version: 20 }).view).toEqual({
      room: ROOM,
      version: 21,
      state: 'v21',
      pending: false,
    });
  });
});

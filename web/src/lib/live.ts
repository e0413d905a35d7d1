/*
 * Live push in the browser: snapshot then updates over Socket.IO (namespace /live, same origin, the
 * session cookie authenticates the handshake).
 *
 * The wire contract and the room tracker come from '@kefalet/events', as on the read-side.
 * Nothing a user must see depends on a message arriving: pages also re-fetch over HTTP.
 */
import { io, type Socket } from 'socket.io-client';
import { serverClock } from './format';

// ---- the wire contract and the room tracker, shared with the read-side ------------------------

import {
  businessDaysLeft,
  LIVE_NAMESPACE,
  UPDATE_EVENTS,
  createRoomTracker,
  isSubscribeError,
  roomStateEvent,
  type ClientToServerEvents,
  type LiveUpdate,
  type RoomView,
  type ServerToClientEvents,
  type SubscribeAck,
  type UpdateEvent,
} from '@kefalet/events';

export {
  LIVE_NAMESPACE,
  UPDATE_EVENTS,
  createRoomTracker,
  isSubscribeError,
  roomStateEvent,
  type LiveUpdate,
  type RoomTracker,
  type RoomView,
  type Snapshot,
  type SnapshotOutcome,
  type SubscribeAck,
  type SubscribeError,
  type SubscribeErrorCode,
  type UpdateEvent,
  type UpdateOutcome,
} from '@kefalet/events';

// ---- browser connection ----------------------------------------------------------------------

/**
 * What the page tells the user about the push:
 * - connecting: the first connection or the first snapshot is on its way
 * - live: connected and the room's state is current
 * - reconnecting: the connection dropped or a gap is being repaired; Socket.IO keeps trying
 * - offline: no push (refused, unreachable for a while); the page still refreshes over HTTP
 */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface FollowRoomOptions<S> {
  /** The room's state changed: a snapshot arrived or an update applied. */
  onView(view: RoomView<S>): void;
  /**
   * Folds a state update's payload into the state; by default the payload replaces it (a whole
   * document). The inbox's updates carry only the entries that changed: merge them (mergeEntries).
   */
  apply?: (state: S, payload: unknown, room: string) => S;
  /** An update beside the room's state (e.g. the detail in an application room), as it came. */
  onUpdate?(event: UpdateEvent, update: LiveUpdate): void;
  onStatus(status: LiveStatus): void;
  /** The connection came back after a drop: a good moment to re-fetch over HTTP too. */
  onReconnect?(): void;
  ackTimeoutMs?: number;
}

export interface RoomFollower {
  close(): void;
}

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A snapshot or payload that says the product clock's now: countdowns follow it. */
function learnClock(value: unknown): void {
  if (typeof value === 'object' && value !== null && 'now' in value) serverClock(value.now);
}

/** An update that carries only the list entries one event changed, each whole. */
export interface EntriesUpdate<T> {
  readonly entries: readonly T[];
  /** ids of entries no longer listed */
  readonly removed?: readonly string[];
}

/**
 * A list after an update: its entries replaced or added by application id, the removed ones gone,
 * in the list's order. `added` and `removed` tell how the total moves.
 */
export function mergeEntries<T extends { readonly applicationId: string }>(
  items: readonly T[],
  update: EntriesUpdate<T>,
  order: (a: T, b: T) => number,
): { items: T[]; added: number; removed: number } {
  const changed = new Map(update.entries.map((entry) => [entry.applicationId, entry]));
  const gone = new Set(update.removed ?? []);
  const before = new Set(items.map((item) => item.applicationId));
  const kept = items.filter(
    (item) => !changed.has(item.applicationId) && !gone.has(item.applicationId),
  );
  return {
    items: [...kept, ...changed.values()].sort(order),
    added: [...changed.keys()].filter((id) => !before.has(id)).length,
    removed: [...gone].filter((id) => before.has(id)).length,
  };
}

const RETRY_MAX_MS = 30_000;
/** Failed reconnection attempts before the indicator says offline rather than reconnecting. */
const OFFLINE_AFTER_ATTEMPTS = 3;

/**
 * Follows one room: subscribes on connect, applies versioned updates, and subscribes again for a
 * fresh snapshot after a gap or a reconnect, as read-side/src/live/client.ts does.
 */
export function followRoom<S>(room: string, options: FollowRoomOptions<S>): RoomFollower {
  const { onView, onStatus, onReconnect, onUpdate, ackTimeoutMs = 10_000 } = options;
  const socket: LiveSocket = io(LIVE_NAMESPACE, {
    // WebSocket only, as the reference client: no sticky sessions needed behind a proxy
    transports: ['websocket'],
    withCredentials: true,
    forceNew: true,
    // a server that does not answer the handshake counts as down sooner than the default 20 s
    timeout: 8_000,
    reconnectionDelayMax: 10_000,
  });
  const tracker = createRoomTracker<S>(options.apply);
  let closed = false;
  let canonical = room;
  let status: LiveStatus | undefined;
  let everConnected = false;
  let refused = false;

  const setStatus = (next: LiveStatus): void => {
    if (closed || next === status) return;
    status = next;
    onStatus(next);
  };
  setStatus('connecting');

  const show = (view: RoomView<S> | undefined): void => {
    if (closed || !view) return;
    onView(view);
    setStatus(view.pending ? 'reconnecting' : 'live');
  };

  async function request(): Promise<SubscribeAck> {
    const ticket = tracker.subscribing(canonical);
    let ack: SubscribeAck;
    try {
      ack = await socket.timeout(ackTimeoutMs).emitWithAck('subscribe', { room });
    } catch (error) {
      tracker.failed(ticket);
      throw error;
    }
    if (isSubscribeError(ack)) {
      tracker.failed(ticket);
      return ack;
    }
    canonical = ack.room;
    learnClock(ack.snapshot);
    const { view, resubscribe } = tracker.snapshot(ticket, ack);
    show(view);
    if (resubscribe) void resync();
    return ack;
  }

  /** Subscribes until a snapshot comes, the room is refused, or the connection drops. */
  async function resync(): Promise<void> {
    for (let attempt = 0; !closed && socket.connected; attempt++) {
      const current = tracker.view(canonical);
      if (current && !current.pending) return;
      try {
        const ack = await request();
        if (!isSubscribeError(ack)) return;
        if (ack.error.code !== 'UNAVAILABLE') {
          // not allowed or not understood: no push for this room, HTTP carries on
          refused = true;
          tracker.forget(canonical);
          setStatus('offline');
          return;
        }
      } catch {
        // no acknowledgement in time: try again, unless the connection went (connect resyncs)
      }
      if (closed || !socket.connected) return;
      setStatus('reconnecting');
      const delay = Math.min(RETRY_MAX_MS, 250 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  for (const event of UPDATE_EVENTS) {
    socket.on(event, (update) => {
      if (closed || !update || typeof update.version !== 'number') return;
      learnClock(update.payload);
      if (event !== roomStateEvent(update.room)) {
        onUpdate?.(event, update);
        return;
      }
      const outcome = tracker.update(update.room, update.version, update.payload);
      if (outcome.kind === 'applied') show(outcome.view);
      if (outcome.kind === 'resubscribe') {
        setStatus('reconnecting');
        void resync();
      }
    });
  }

  socket.on('connect', () => {
    attempts = 0;
    if (refused) return;
    // the server keeps no state for a connection that dropped: ask for a fresh snapshot
    tracker.reconnected();
    if (everConnected) onReconnect?.();
    everConnected = true;
    if (!tracker.view(canonical)) setStatus('connecting');
    // the first subscribe too: a room not tracked yet has no current state
    void resync();
  });

  socket.on('disconnect', (reason) => {
    // the server (e.g. the session ended) or we ourselves ended it: Socket.IO will not retry
    setStatus(reason === 'io server disconnect' ? 'offline' : 'reconnecting');
  });

  /** failed attempts since the last good connection */
  let attempts = 0;
  const unreachable = (): LiveStatus =>
    attempts > OFFLINE_AFTER_ATTEMPTS ? 'offline' : 'reconnecting';

  socket.on('connect_error', () => {
    attempts++;
    // refused by the server's middleware (unauthorised): not retried by Socket.IO
    setStatus(socket.active ? unreachable() : 'offline');
  });

  socket.io.on('reconnect_attempt', () => setStatus(unreachable()));

  return {
    close() {
      closed = true;
      socket.disconnect();
    },
  };
}

// ---- time left, as the business rules count it -----------------------------------------------

export interface BusinessTimeLeft {
  readonly past: boolean;
  /** whole business days after today (Istanbul) that start before the deadline (R20) */
  readonly businessDays: number;
  /** the part of today left, capped by the deadline: hh and mm */
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  /** calendar time left */
  readonly ms: number;
}

const DAY_MS = 86_400_000;

/** Milliseconds from `now` to the next Istanbul midnight. */
function msToIstanbulMidnight(now: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Istanbul',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(now));
  const field = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  // some engines still say 24 at midnight even with h23
  const h = field('hour') % 24;
  const m = field('minute');
  const s = field('second');
  const into = ((h * 60 + m) * 60 + s) * 1000 + (now % 1000);
  return DAY_MS - into;
}

/**
 * Time left as the rules count it: whole business days, plus hh:mm of today. The bidding closes
 * at the end of its 7th business day (R8, R20), so "3 business days 05:12" reads as the rest of
 * today and three more working days.
 */
export function businessTimeLeft(deadline: string, now: number): BusinessTimeLeft {
  const end = Date.parse(deadline);
  const ms = end - now;
  if (!Number.isFinite(ms) || ms <= 0) {
    return { past: true, businessDays: 0, hours: 0, minutes: 0, seconds: 0, ms: 0 };
  }
  let businessDays: number;
  try {
    businessDays = businessDaysLeft(new Date(now), new Date(end));
  } catch {
    businessDays = 0;
  }
  const today = Math.min(ms, msToIstanbulMidnight(now));
  const totalSeconds = Math.floor(today / 1000);
  return {
    past: false,
    businessDays,
    hours: Math.floor(totalSeconds / 3600),
    minutes: Math.floor((totalSeconds % 3600) / 60),
    seconds: totalSeconds % 60,
    ms,
  };
}

/**
 * Snapshot-then-updates bookkeeping for live rooms, free of I/O so the server's test client and the
 * browser share it.
 *
 * A room becomes live when its snapshot arrives; after that an update applies only when its version
 * is the next one. A gap or a reconnect makes the room pending: the caller subscribes again and the
 * new snapshot replaces the state. Updates that arrive while a subscribe is in flight are held and
 * replayed over the snapshot, because the server joins the room before it reads the snapshot and so
 * may deliver an update ahead of the acknowledgement.
 */

export interface RoomView<S> {
  room: string;
  version: number;
  state: S;
  /** True while a fresh snapshot is awaited: the state may be behind. */
  pending: boolean;
}

export type UpdateOutcome<S> =
  | { kind: 'applied'; view: RoomView<S> }
  /** Already part of the state (the snapshot included it, or it came twice). */
  | { kind: 'stale' }
  /** Held until the awaited snapshot arrives. */
  | { kind: 'buffered' }
  /** A version was skipped: subscribe to the room again. */
  | { kind: 'resubscribe' }
  /** Not a room being tracked. */
  | { kind: 'ignored' };

export interface SnapshotOutcome<S> {
  /** Undefined when the snapshot was ignored: its room was forgotten or its request gave up. */
  view: RoomView<S> | undefined;
  /** The updates held for the room do not follow the snapshot: subscribe again. */
  resubscribe: boolean;
}

export interface RoomTracker<S> {
  /** Call before sending `subscribe`; pass the ticket to `snapshot` or `failed`. */
  subscribing(room: string): number;
  snapshot(
    ticket: number,
    ack: { room: string; snapshot: unknown; version: number },
  ): SnapshotOutcome<S>;
  /** The subscribe was refused or timed out. */
  failed(ticket: number): void;
  update(room: string, version: number, payload: unknown): UpdateOutcome<S>;
  /** After a reconnect: every room becomes pending; returns the rooms to subscribe to again. */
  reconnected(): string[];
  forget(room: string): void;
  view(room: string): RoomView<S> | undefined;
}

interface Held {
  version: number;
  payload: unknown;
}

interface Entry<S> {
  version: number;
  state: S;
  pending: boolean;
  held: Held[];
}

/**
 * `apply` folds an update's payload into the state; by default the payload is the new state (a
 * whole document for the audience).
 */
export function createRoomTracker<S = unknown>(
  apply: (state: S, payload: unknown, room: string) => S = (_state, payload) => payload as S,
): RoomTracker<S> {
  const entries = new Map<string, Entry<S>>();
  /** In-flight subscribes: ticket -> the room name requested. */
  const tickets = new Map<number, string>();
  /** Updates for rooms with no snapshot yet, kept only while a subscribe is in flight. */
  const orphans = new Map<string, Held[]>();
  let nextTicket = 0;

  const viewOf = (room: string, entry: Entry<S>): RoomView<S> => ({
    room,
    version: entry.version,
    state: entry.state,
    pending: entry.pending,
  });

  const settle = (ticket: number): void => {
    tickets.delete(ticket);
    if (tickets.size === 0) orphans.clear();
  };

  return {
    subscribing(room) {
      const entry = entries.get(room);
      if (entry) entry.pending = true;
      tickets.set(++nextTicket, room);
      return nextTicket;
    },

    snapshot(ticket, ack) {
      if (!tickets.has(ticket)) return { view: undefined, resubscribe: false };
      const current = entries.get(ack.room);
      const held = [...(current?.held ?? []), ...(orphans.get(ack.room) ?? [])];
      orphans.delete(ack.room);
      settle(ticket);
      // Concurrent subscribes may answer out of order: a live state never goes back.
      if (current && !current.pending && current.version > ack.version) {
        return { view: viewOf(ack.room, current), resubscribe: false };
      }
      const entry: Entry<S> = {
        version: ack.version,
        state: ack.snapshot as S,
        pending: false,
        held: [],
      };
      entries.set(ack.room, entry);
      held.sort((a, b) => a.version - b.version);
      for (const [index, update] of held.entries()) {
        if (update.version <= entry.version) continue;
        if (update.version !== entry.version + 1) {
          entry.pending = true;
          entry.held = held.slice(index);
          return { view: viewOf(ack.room, entry), resubscribe: true };
        }
        entry.version = update.version;
        entry.state = apply(entry.state, update.payload, ack.room);
      }
      return { view: viewOf(ack.room, entry), resubscribe: false };
    },

    failed(ticket) {
      settle(ticket);
    },

    update(room, version, payload) {
      const entry = entries.get(room);
      if (!entry) {
        if (tickets.size === 0) return { kind: 'ignored' };
        orphans.set(room, [...(orphans.get(room) ?? []), { version, payload }]);
        return { kind: 'buffered' };
      }
      if (entry.pending) {
        entry.held.push({ version, payload });
        return { kind: 'buffered' };
      }
      if (version <= entry.version) return { kind: 'stale' };
      if (version !== entry.version + 1) {
        entry.pending = true;
        entry.held.push({ version, payload });
        return { kind: 'resubscribe' };
      }
      entry.version = version;
      entry.state = apply(entry.state, payload, room);
      return { kind: 'applied', view: viewOf(room, entry) };
    },

    reconnected() {
      // Whatever was held came over the old connection; the new snapshot supersedes it.
      orphans.clear();
      for (const entry of entries.values()) {
        entry.pending = true;
        entry.held = [];
      }
      return [...entries.keys()];
    },

    forget(room) {
      entries.delete(room);
      orphans.delete(room);
      for (const [ticket, requested] of tickets) if (requested === room) settle(ticket);
    },

    view(room) {
      const entry = entries.get(room);
      return entry && viewOf(room, entry);
    },
  };
}

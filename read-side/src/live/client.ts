/**
 * A browser-free live push client for tests and the load driver. It keeps each room's state with
 * the tracker and re-subscribes by itself on a version gap or a reconnect, as the web app does.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import {
  LIVE_NAMESPACE,
  UPDATE_EVENTS,
  isSubscribeError,
  roomStateEvent,
  type ClientToServerEvents,
  type LiveUpdate,
  type ServerToClientEvents,
  type SubscribeAck,
  type SubscribeError,
  type UpdateEvent,
} from '@kefalet/events';
import { createRoomTracker, type RoomView } from '@kefalet/events';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type LiveClientEvents<S> = Record<UpdateEvent, (update: LiveUpdate) => void> & {
  /** A room's state changed: a snapshot arrived or an update applied. */
  state: (view: RoomView<S>) => void;
  /** The client is subscribing again to get a fresh snapshot. */
  resync: (room: string, reason: 'gap' | 'reconnect') => void;
  /** A re-subscribe was refused; the room is no longer followed. */
  refused: (room: string, error: SubscribeError['error']) => void;
  /** The connection dropped; 'io server disconnect' (e.g. the session ended) is not retried. */
  disconnect: (reason: string) => void;
};

export interface LiveClient<S = unknown> {
  readonly socket: LiveSocket;
  /** Resolves with the server's acknowledgement; rejects when none comes in time. */
  subscribe(room: string): Promise<SubscribeAck>;
  /** `room` is the canonical name from the acknowledgement. */
  unsubscribe(room: string): Promise<void>;
  view(room: string): RoomView<S> | undefined;
  on<E extends keyof LiveClientEvents<S>>(event: E, handler: LiveClientEvents<S>[E]): () => void;
  close(): void;
}

export interface ConnectLiveOptions<S> {
  /** Folds an update's payload into the state; by default the payload replaces it. */
  apply?: (state: S, payload: unknown, room: string) => S;
  connectTimeoutMs?: number;
  ackTimeoutMs?: number;
  /** Passed to socket.io-client, e.g. reconnection delays. */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

const RETRY_MAX_MS = 30_000;

/**
 * Connects to `${baseUrl}/live` with `cookie` as the Cookie header (e.g. `kefalet_session=...`).
 * Rejects when the server refuses the handshake (Error 'unauthorised') or no connection comes in
 * time.
 */
export async function connectLive<S = unknown>(
  baseUrl: string,
  cookie: string | undefined,
  options: ConnectLiveOptions<S> = {},
): Promise<LiveClient<S>> {
  const { connectTimeoutMs = 10_000, ackTimeoutMs = 10_000 } = options;
  const socket: LiveSocket = io(new URL(LIVE_NAMESPACE, baseUrl).href, {
    // WebSocket only: no sticky sessions needed behind a proxy in front of several instances.
    transports: ['websocket'],
    // Each client its own connection: a shared Manager would reuse the first client's cookie.
    forceNew: true,
    extraHeaders: cookie === undefined ? {} : { cookie },
    ...options.socket,
  });
  const tracker = createRoomTracker<S>(options.apply);
  const handlers = new Map<string, Set<(...args: never[]) => void>>();
  let closed = false;

  const emit = <E extends keyof LiveClientEvents<S>>(
    event: E,
    ...args: Parameters<LiveClientEvents<S>[E]>
  ): void => {
    for (const handler of handlers.get(event) ?? []) {
      (handler as (...args: unknown[]) => void)(...args);
    }
  };

  async function request(room: string): Promise<SubscribeAck> {
    const ticket = tracker.subscribing(room);
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
    const { view, resubscribe } = tracker.snapshot(ticket, ack);
    if (view) emit('state', view);
    if (resubscribe) void resync(ack.room, 'gap');
    return ack;
  }

  /** Subscribes again until a snapshot comes, the room is refused, or the connection drops. */
  async function resync(room: string, reason: 'gap' | 'reconnect'): Promise<void> {
    emit('resync', room, reason);
    for (let attempt = 0; !closed && socket.connected && tracker.view(room)?.pending; attempt++) {
      try {
        const ack = await request(room);
        if (!isSubscribeError(ack)) return;
        if (ack.error.code !== 'UNAVAILABLE') {
          tracker.forget(room);
          emit('refused', room, ack.error);
          return;
        }
      } catch {
        // No acknowledgement in time: retry, unless the connection went (the reconnect resyncs).
      }
      const delay = Math.min(RETRY_MAX_MS, 250 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
    }
  }

  for (const event of UPDATE_EVENTS) {
    socket.on(event, (update) => {
      emit(event, update);
      // updates beside the room's state (e.g. the detail) are the listeners' to take
      if (event !== roomStateEvent(update.room)) return;
      const outcome = tracker.update(update.room, update.version, update.payload);
      if (outcome.kind === 'applied') emit('state', outcome.view);
      if (outcome.kind === 'resubscribe') void resync(update.room, 'gap');
    });
  }
  // The server keeps no state for a connection that dropped (no connection state recovery).
  socket.on('connect', () => {
    for (const room of tracker.reconnected()) void resync(room, 'reconnect');
  });
  socket.on('disconnect', (reason) => emit('disconnect', reason));

  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socket.off('connect', succeed);
      socket.off('connect_error', refused);
      socket.disconnect();
      reject(error);
    };
    const succeed = (): void => {
      clearTimeout(timer);
      socket.off('connect_error', refused);
      resolve();
    };
    // Refused by the server's middleware: socket.io-client does not retry those.
    const refused = (error: Error): void => {
      if (!socket.active) fail(error);
    };
    const timer = setTimeout(
      () => fail(new Error('live push: no connection in time')),
      connectTimeoutMs,
    );
    socket.once('connect', succeed);
    socket.on('connect_error', refused);
  });

  return {
    socket,
    subscribe: request,
    async unsubscribe(room) {
      tracker.forget(room);
      await socket.timeout(ackTimeoutMs).emitWithAck('unsubscribe', { room });
    },
    view: (room) => tracker.view(room),
    on(event, handler) {
      const set = handlers.get(event) ?? new Set();
      handlers.set(event, set);
      set.add(handler);
      return () => set.delete(handler);
    },
    close() {
      closed = true;
      socket.disconnect();
    },
  };
}

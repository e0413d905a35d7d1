/**
 * The wire contract of live push, shared by the server, the Node client and (copied) the web app.
 * No runtime imports, so a browser bundle can take it as it is.
 */

/** Socket.IO namespace on the default path `/socket.io`. */
export const LIVE_NAMESPACE = '/live';

export const MAX_ROOM_LENGTH = 200;

export const UPDATE_EVENTS = ['board:update', 'inbox:update', 'application:update'] as const;
export type UpdateEvent = (typeof UPDATE_EVENTS)[number];

/**
 * The update event that carries a room's state, the one the snapshot starts and versions number one
 * by one: `board:update` in `application:<id>`, `inbox:update` in `inbox:<bankCode>`,
 * `application:update` in `firm:<vkn>`. Any other event in a room stands beside that state with
 * versions of its own (`application:update` in `application:<id>` carries the application's detail,
 * a whole document: take it when newer than the one held).
 */
export function roomStateEvent(room: string): UpdateEvent {
  if (room.startsWith('inbox:')) return 'inbox:update';
  if (room.startsWith('firm:')) return 'application:update';
  return 'board:update';
}

/** What a client receives for each update of a room it joined. */
export interface LiveUpdate {
  room: string;
  version: number;
  payload: unknown;
}

export interface SubscribeRequest {
  room: string;
}

export interface Snapshot {
  /** The canonical room: updates and `unsubscribe` use this name, whatever name was requested. */
  room: string;
  snapshot: unknown;
  version: number;
}

/** UNAVAILABLE: the snapshot could not be read just now; the client may retry. */
export type SubscribeErrorCode = 'BAD_REQUEST' | 'FORBIDDEN' | 'UNAVAILABLE';

export interface SubscribeError {
  error: { code: SubscribeErrorCode; message: string };
}

export type SubscribeAck = Snapshot | SubscribeError;

export function isSubscribeError(ack: SubscribeAck): ack is SubscribeError {
  return 'error' in ack;
}

export type ServerToClientEvents = Record<UpdateEvent, (update: LiveUpdate) => void>;

export interface ClientToServerEvents {
  subscribe(request: SubscribeRequest, ack: (reply: SubscribeAck) => void): void;
  unsubscribe(request: SubscribeRequest, ack: () => void): void;
}

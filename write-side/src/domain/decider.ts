import type { Actor, EventData, EventType } from '@kefalet/events';

/** An event a decider decided on: type and data; the command handler wraps it in an envelope. */
export type DecidedEvent = {
  [T in EventType]: { readonly type: T; readonly data: EventData<T> };
}[EventType];

/** Everything a decider may not produce itself: the time, new ids, who acts. Tests fix them. */
export interface CommandContext {
  readonly now: Date;
  readonly actor: Actor;
  /** Returns a fresh uuid each call (deterministic in tests). */
  readonly newId: () => string;
}

/** The problem kinds a decider refuses with; the HTTP layer maps them to status codes. */
export type RefusalKind =
  | 'not-found' // 404
  | 'forbidden' // 403
  | 'conflict' // 409: the state does not allow it now (e.g. the bidding window has closed)
  | 'invalid'; // 422: the command is well formed but breaks a rule (e.g. amount over the limit)

/**
 * A business rule said no. `code` is stable (tests and the UI key on it), `message` is for people
 * (English; the UI translates by code), `field` names the offending input when there is one.
 */
export class CommandRefused extends Error {
  override readonly name = 'CommandRefused';
  constructor(
    readonly kind: RefusalKind,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The shape every decider keeps (Emmett / fmodel style): pure, no I/O. */
export interface Decider<Command, State, Event extends DecidedEvent = DecidedEvent> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State, context: CommandContext): readonly Event[];
}

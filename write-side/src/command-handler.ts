import { createHash, randomUUID } from 'node:crypto';
import {
  CURRENT_SCHEMA_VERSION,
  EVENT_SCHEMAS,
  EventMetadataSchema,
  StreamNotFoundError,
  WrongExpectedRevisionError,
  parseRecordedEvent,
  type Actor,
  type EventStore,
  type ExpectedRevision,
  type NewDomainEvent,
} from '@kefalet/events';
import type { Clock } from './clock';
import type { CommandContext, DecidedEvent } from './domain/decider';

export interface StreamDecider<Command, State> {
  readonly initialState: State;
  evolve(state: State, event: DecidedEvent): State;
  decide(command: Command, state: State, context: CommandContext): readonly DecidedEvent[];
}

export interface CommandOptions {
  readonly actor: Actor;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** Client-sent Idempotency-Key: ids are derived from it so a retried append writes nothing new. */
  readonly idempotencyKey?: string;
  /** Internal commands (scheduler) re-read and decide again on a concurrent change; clients get a 409. */
  readonly retryOnConflict?: boolean;
}

export interface CommandResult<State> {
  readonly events: readonly NewDomainEvent[];
  readonly state: State;
  /** The stream's revision after the command; undefined for a stream that still does not exist. */
  readonly revision: bigint | undefined;
  /** Global position of the last event written, when something was written. */
  readonly position?: bigint;
}

/** A uuid (v4 layout) derived from a seed: the same key always yields the same ids. */
export function derivedUuid(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function assertValidEvent(stream: string, event: NewDomainEvent): void {
  const metadata = EventMetadataSchema.safeParse(event.metadata);
  const data = EVENT_SCHEMAS[event.type].safeParse(event.data);
  if (!metadata.success || !data.success) {
    const reason = (metadata.error ?? data.error)?.message ?? 'invalid';
    throw new Error(`Refusing to append an invalid ${event.type} to ${stream}: ${reason}`);
  }
}

export async function loadState<State>(
  store: EventStore,
  stream: string,
  decider: Pick<StreamDecider<unknown, State>, 'initialState' | 'evolve'>,
): Promise<{ state: State; revision: bigint | undefined }> {
  let state = decider.initialState;
  let revision: bigint | undefined;
  try {
    for await (const recorded of store.readStream(stream)) {
      state = decider.evolve(state, parseRecordedEvent(recorded));
      revision = recorded.revision;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return { state, revision };
}

/**
 * Load, decide, append with optimistic concurrency: the expected revision is the one the decision
 * was made on, so a concurrent change surfaces as WrongExpectedRevisionError (a 409 to clients).
 */
export async function handleCommand<Command, State>(
  deps: { store: EventStore; clock: Clock },
  stream: string,
  decider: StreamDecider<Command, State>,
  command: Command,
  options: CommandOptions,
): Promise<CommandResult<State>> {
  return handleCommands(deps, stream, decider, [command], options);
}

/**
 * Several commands decided in turn on the evolving state and appended at once: the instant scoring
 * path writes submitted, data collected, scored and opened (or rejected) in one atomic append.
 */
export async function handleCommands<Command, State>(
  deps: { store: EventStore; clock: Clock },
  stream: string,
  decider: StreamDecider<Command, State>,
  commands: readonly Command[],
  options: CommandOptions,
): Promise<CommandResult<State>> {
  const attempts = options.retryOnConflict ? 5 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptCommands(deps, stream, decider, commands, options);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= attempts) throw error;
    }
  }
}

async function attemptCommands<Command, State>(
  { store, clock }: { store: EventStore; clock: Clock },
  stream: string,
  decider: StreamDecider<Command, State>,
  commands: readonly Command[],
  options: CommandOptions,
): Promise<CommandResult<State>> {
  const { state, revision } = await loadState(store, stream, decider);
  const now = clock.now();
  let counter = 0;
  const seed =
    options.idempotencyKey !== undefined
      ? `${options.actor.kind === 'user' ? options.actor.userId : options.actor.name}:${options.idempotencyKey}:${stream}`
      : undefined;
  const newId = () => (seed ? derivedUuid(`${seed}:${counter++}`) : randomUUID());
  const context = { now, actor: options.actor, newId };
  const decided: DecidedEvent[] = [];
  let decidedState = state;
  for (const command of commands) {
    for (const event of decider.decide(command, decidedState, context)) {
      decided.push(event);
      decidedState = decider.evolve(decidedState, event);
    }
  }
  if (decided.length === 0) return { events: [], state, revision };

  const correlationId = options.correlationId ?? randomUUID();
  // the command (or, for the scheduler, the event that triggered it) caused every event it wrote
  const causationId = options.causationId ?? correlationId;
  const events = decided.map(
    (event) =>
      ({
        id: newId(),
        type: event.type,
        data: event.data,
        metadata: {
          correlationId,
          causationId,
          actor: options.actor,
          occurredAt: now.toISOString(),
          schemaVersion: CURRENT_SCHEMA_VERSION,
          ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
        },
      }) as NewDomainEvent,
  );
  // never write what could not be read back: each event must pass its own schema first
  for (const event of events) assertValidEvent(stream, event);
  const expectedRevision: ExpectedRevision = revision ?? 'no-stream';
  const result = await store.append(stream, events, { expectedRevision });
  return {
    events,
    state: decidedState,
    revision: result.nextExpectedRevision,
    position: result.position,
  };
}

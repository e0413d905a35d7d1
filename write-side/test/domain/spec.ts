import { expect } from 'vitest';
import { EVENT_SCHEMAS, type Actor, type EventData, type EventType } from '@kefalet/events';
import {
  CommandRefused,
  type CommandContext,
  type DecidedEvent,
  type Decider,
} from '../../src/domain/decider';

/*
 * Given/when/then for deciders (after Emmett's DeciderSpecification): given the events already in
 * the stream, when a command is decided, then exactly these events, or this refusal. Every event,
 * given or decided, must match its schema exactly, so the specs double as a check on the shapes.
 */

export const SCHEDULER: Actor = { kind: 'system', name: 'deadline-scheduler' };

/** A fixed clock and ids from a counter: 00000000-0000-4000-8000-000000000001, ...02, ... */
export function fixedContext(now: string, actor: Actor = SCHEDULER): CommandContext {
  let counter = 0;
  return {
    now: new Date(now),
    actor,
    newId: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`,
  };
}

export function event<T extends EventType>(type: T, data: EventData<T>): DecidedEvent {
  return { type, data } as DecidedEvent;
}

function expectSchemaShape(events: readonly DecidedEvent[]): void {
  for (const { type, data } of events) {
    // zod drops unknown keys, so a round trip that changes nothing means no missing or extra field
    expect(EVENT_SCHEMAS[type].parse(data), type).toEqual(data);
  }
}

export interface ExpectedRefusal {
  readonly kind?: CommandRefused['kind'];
  readonly field?: string;
  readonly details?: Record<string, unknown>;
}

export function specFor<Command, State>(decider: Decider<Command, State>) {
  return {
    given(events: readonly DecidedEvent[]) {
      expectSchemaShape(events);
      const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState);
      return {
        when(command: Command, context: CommandContext) {
          const decide = () => decider.decide(command, state, context);
          return {
            then(expected: readonly DecidedEvent[]): void {
              const decided = decide();
              expect(decided).toEqual(expected);
              expectSchemaShape(decided);
            },
            thenRefuses(code: string, expected: ExpectedRefusal = {}): void {
              let refusal: unknown;
              try {
                decide();
              } catch (error) {
                refusal = error;
              }
              expect(refusal, `expected a refusal ${code}`).toBeInstanceOf(CommandRefused);
              expect(refusal).toMatchObject({ code, ...expected });
            },
          };
        },
      };
    },
  };
}

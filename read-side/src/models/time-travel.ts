import type { DomainEvent } from '@kefalet/events';
import { evolveDetail, type ApplicationDetail } from './application-detail';

/** Where a replay stopped: the state, and the last event it applied. */
export interface ReplayedState {
  readonly state: ApplicationDetail | undefined;
  /** Undefined when no event was applied. */
  readonly last: DomainEvent | undefined;
  readonly applied: number;
}

/**
 * The application replayed from its own events, in log order, as long as `keep` holds: a prefix of
 * the log, never a selection from it, so the state is one that existed. `registered` names the
 * partner banks (PartnerBanks.names), as the live detail does.
 */
function replay(
  events: readonly DomainEvent[],
  keep: (event: DomainEvent) => boolean,
  registered: Readonly<Record<string, string>>,
): ReplayedState {
  const inOrder = [...events].sort((a, b) =>
    a.position < b.position ? -1 : a.position > b.position ? 1 : 0,
  );
  let state: ApplicationDetail | undefined;
  let last: DomainEvent | undefined;
  let applied = 0;
  for (const event of inOrder) {
    if (!keep(event)) break;
    state = evolveDetail(state, event, registered);
    last = event;
    applied++;
  }
  return { state, last, applied };
}

/**
 * The application as it stood at `at`: its events up to the first that occurred later. Undefined
 * when the application was not yet submitted then.
 */
export function applicationStateAt(
  events: readonly DomainEvent[],
  at: Date,
  registered: Readonly<Record<string, string>> = {},
): ApplicationDetail | undefined {
  return replayUntil(events, at, registered).state;
}

/** applicationStateAt with where it stopped. */
export function replayUntil(
  events: readonly DomainEvent[],
  at: Date,
  registered: Readonly<Record<string, string>> = {},
): ReplayedState {
  const until = at.getTime();
  return replay(events, (event) => Date.parse(event.metadata.occurredAt) <= until, registered);
}

/**
 * The application right after the event at global log `position` (or the last of its events before
 * it): one event at a time, even where several share an instant.
 */
export function replayAfter(
  events: readonly DomainEvent[],
  position: bigint,
  registered: Readonly<Record<string, string>> = {},
): ReplayedState {
  return replay(events, (event) => event.position <= position, registered);
}

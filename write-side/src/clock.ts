import { Duration } from 'luxon';

/** The clock port: deciders get `now` from here through the command context, never from Date. */
export interface Clock {
  now(): Date;
}

const LAST_SUPPORTED_INSTANT = Date.parse('2030-12-31T00:00:00+03:00');

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that only moves when told (CLOCK=manual, tests and demos only): the deadline scheduler and
 * every command see the same moved time, so a demo can pass a 7-business-day window in one call.
 */
export class ManualClock implements Clock {
  private listeners = new Set<(now: Date) => void>();
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current);
  }

  /** Moves forward by an ISO 8601 duration ("P8D", "PT2H"); refuses to go backwards. */
  advance(isoDuration: string): Date {
    const duration = Duration.fromISO(isoDuration);
    if (!duration.isValid || duration.toMillis() <= 0) {
      throw new RangeError(`advance: "${isoDuration}" is not a positive ISO 8601 duration`);
    }
    const next = new Date(this.current.getTime() + duration.toMillis());
    // the business calendar knows 2024–2030; a clock past it would make every deadline unknowable
    if (!Number.isFinite(next.getTime()) || next.getTime() >= LAST_SUPPORTED_INSTANT) {
      throw new RangeError(`advance: "${isoDuration}" would move the clock past 2030`);
    }
    this.current = next;
    for (const listener of this.listeners) listener(this.now());
    return this.now();
  }

  /** Lets the scheduler re-check its deadlines as soon as time moves. */
  onAdvance(listener: (now: Date) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

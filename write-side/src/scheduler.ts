import { setTimeout as sleep } from 'node:timers/promises';
import {
  parseRecordedEvent,
  type DomainEvent,
  type EventStore,
  type EventType,
  type RecordedEvent,
  type Subscription,
} from '@kefalet/events';
import type { Clock } from './clock';

/*
 * The deadline scheduler: a process manager that follows the whole log, keeps each application's
 * pending deadlines (bidding close R8 and early close R10, selection window R15, data retry R4) and
 * dispatches ordinary commands when they fall due. It decides nothing beyond "is it due": the
 * commands are idempotent and their deciders refuse what is not allowed yet, so any number of
 * write-side instances may run it on the same log.
 */

export type DueCommandKind = 'CloseBidding' | 'LapseSelectionWindow' | 'RetryDataCollection';

/** causationId: the event that set the deadline (or, for an early close, the last bid or decline). */
export type DueCommand = {
  [K in DueCommandKind]: {
    readonly kind: K;
    readonly applicationId: string;
    readonly causationId: string;
  };
}[DueCommandKind];

/** pino's shape: (object, message). */
export interface SchedulerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface DeadlineSchedulerOptions {
  readonly store: EventStore;
  readonly clock: Clock;
  /** Re-check as soon as time moves (ManualClock: `(listener) => clock.onAdvance(listener)`). */
  readonly onClockAdvance?: (listener: (now: Date) => void) => () => void;
  /** Sends the command; a rejection is logged and the deadline tried again after pollMs. */
  readonly dispatch: (due: DueCommand) => Promise<void>;
  readonly logger: SchedulerLogger;
  /** How often deadlines are checked, and the least time between two attempts. Defaults to 1000. */
  readonly pollMs?: number;
}

export interface PendingDeadline {
  readonly applicationId: string;
  readonly kind: DueCommandKind;
  readonly dueAt: string;
}

export interface DeadlineScheduler {
  /** Stops following and checking, then waits for the dispatches under way. */
  stop(): Promise<void>;
  pending(): PendingDeadline[];
  /** Resolves once the log has been read up to its last position at start. */
  caughtUp(): Promise<void>;
}

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/** The events that set, move or end a deadline; the others are skipped unparsed. */
const WATCHED = new Set<EventType>([
  'ApplicationDataDelayed',
  'ApplicationDataCollected',
  'ApplicationRejected',
  'ApplicationOpenedForBidding',
  'OfferSubmitted',
  'OfferWithdrawn',
  'BankDeclined',
  'BiddingClosed',
  'BiddingClosedWithoutOffers',
  'FirmAppliedToBank',
  'SelectionWindowLapsed',
  'ApplicationCancelled',
]);

interface Deadline {
  readonly dueAt: string;
  readonly dueAtMs: number;
  readonly causationId: string;
  /** performance.now() of the last dispatch: attempts are at least pollMs apart. */
  attemptedAt?: number;
  /** After a dispatch that succeeded: the log position to read before the events can say it is done. */
  settlesAt?: bigint;
}

interface Bidding {
  readonly partnerBankCodes: readonly string[];
  /** offerId -> bankCode of the offers not withdrawn. */
  readonly liveOffers: Map<string, string>;
  readonly declined: Set<string>;
  lastAnswerId?: string;
}

interface TrackedApplication {
  readonly deadlines: Map<DueCommandKind, Deadline>;
  bidding?: Bidding;
}

function deadline(dueAt: string, causationId: string): Deadline {
  return { dueAt, dueAtMs: Date.parse(dueAt), causationId };
}

function everyBankAnswered({ partnerBankCodes, liveOffers, declined }: Bidding): boolean {
  const bidding = new Set(liveOffers.values());
  return partnerBankCodes.every((bankCode) => bidding.has(bankCode) || declined.has(bankCode));
}

export function startDeadlineScheduler(options: DeadlineSchedulerOptions): DeadlineScheduler {
  const { store, clock, dispatch, logger, pollMs = 1_000 } = options;
  if (!(pollMs > 0)) throw new RangeError(`pollMs must be positive, got ${pollMs}`);

  const applications = new Map<string, TrackedApplication>();
  const inFlight = new Set<string>();
  const running = new Set<Promise<void>>();
  const stopping = new AbortController();
  let stopped = false;
  let stopCall: Promise<void> | undefined;
  let subscription: Subscription | undefined;
  /** The last position read; a resubscription resumes after it. */
  let position = 0n;
  /** The log's last position at start: the catch-up is over once it has been read. */
  let target: bigint | undefined;
  let isCaughtUp = false;
  let checkQueued = false;

  let resolveCaughtUp!: () => void;
  let rejectCaughtUp!: (error: Error) => void;
  const caughtUp = new Promise<void>((resolve, reject) => {
    resolveCaughtUp = resolve;
    rejectCaughtUp = reject;
  });
  // a stop before the catch-up must not become an unhandled rejection when nobody waits
  caughtUp.catch(() => {});

  const track = (applicationId: string): TrackedApplication => {
    let application = applications.get(applicationId);
    if (!application) {
      application = { deadlines: new Map() };
      applications.set(applicationId, application);
    }
    return application;
  };

  function apply(event: DomainEvent): void {
    const { applicationId } = event.data as { applicationId: string };
    switch (event.type) {
      case 'ApplicationDataDelayed':
        track(applicationId).deadlines.set(
          'RetryDataCollection',
          deadline(event.data.retryAt, event.id),
        );
        return;
      case 'ApplicationDataCollected': {
        const application = applications.get(applicationId);
        application?.deadlines.delete('RetryDataCollection');
        if (application?.deadlines.size === 0 && !application.bidding) {
          applications.delete(applicationId);
        }
        return;
      }
      case 'ApplicationOpenedForBidding': {
        const application = track(applicationId);
        application.deadlines.set('CloseBidding', deadline(event.data.biddingClosesAt, event.id));
        application.bidding = {
          partnerBankCodes: event.data.partnerBankCodes,
          liveOffers: new Map(),
          declined: new Set(),
        };
        return;
      }
      case 'OfferSubmitted': {
        const bidding = applications.get(applicationId)?.bidding;
        if (!bidding) return;
        bidding.liveOffers.set(event.data.offerId, event.data.bankCode);
        bidding.lastAnswerId = event.id;
        return;
      }
      case 'OfferWithdrawn':
        applications.get(applicationId)?.bidding?.liveOffers.delete(event.data.offerId);
        return;
      case 'BankDeclined': {
        const bidding = applications.get(applicationId)?.bidding;
        if (!bidding) return;
        bidding.declined.add(event.data.bankCode);
        bidding.lastAnswerId = event.id;
        return;
      }
      case 'BiddingClosed': {
        const application = track(applicationId);
        application.bidding = undefined;
        application.deadlines.delete('CloseBidding');
        application.deadlines.set(
          'LapseSelectionWindow',
          deadline(event.data.selectionDeadline, event.id),
        );
        return;
      }
      default:
        // finished: nothing of this application can fall due any more
        applications.delete(applicationId);
    }
  }

  function handle(recorded: RecordedEvent): void {
    const watched = WATCHED.has(recorded.type as EventType);
    if (watched) {
      let event: DomainEvent | undefined;
      try {
        event = parseRecordedEvent(recorded);
      } catch (error) {
        logger.error(
          {
            err: error,
            position: String(recorded.position),
            type: recorded.type,
            stream: recorded.stream,
          },
          'deadline scheduler: cannot read an event that moves deadlines; skipped',
        );
      }
      if (event) apply(event);
    }
    position = recorded.position;
    if (isCaughtUp) {
      if (watched) scheduleCheck();
    } else {
      reachedTarget();
    }
  }

  function reachedTarget(): void {
    if (isCaughtUp || target === undefined || position < target) return;
    isCaughtUp = true;
    resolveCaughtUp();
    logger.info(
      { position: String(position), applications: applications.size },
      'deadline scheduler caught up',
    );
    // deadlines that passed while no scheduler ran fall due now
    scheduleCheck();
  }

  function scheduleCheck(): void {
    if (checkQueued) return;
    checkQueued = true;
    queueMicrotask(() => {
      checkQueued = false;
      check();
    });
  }

  /** A first attempt goes at once; another only pollMs later and once the log shows it still due. */
  function mayAttempt(due: Deadline): boolean {
    if (due.attemptedAt === undefined) return true;
    if (performance.now() - due.attemptedAt < pollMs) return false;
    return due.settlesAt === undefined || position >= due.settlesAt;
  }

  function check(): void {
    // before the catch-up the deadlines may already be met further on in the log
    if (stopped || !isCaughtUp) return;
    const now = clock.now().getTime();
    for (const [applicationId, application] of applications) {
      for (const [kind, due] of application.deadlines) {
        const key = `${kind}:${applicationId}`;
        if (inFlight.has(key) || !mayAttempt(due)) continue;
        const { bidding } = application;
        const early =
          now < due.dueAtMs && kind === 'CloseBidding' && !!bidding && everyBankAnswered(bidding);
        if (now < due.dueAtMs && !early) continue;
        // an early close is caused by the bid or decline that completed the set
        const causationId = early ? (bidding?.lastAnswerId ?? due.causationId) : due.causationId;
        attempt(key, due, { kind, applicationId, causationId } as DueCommand);
      }
    }
  }

  function attempt(key: string, due: Deadline, command: DueCommand): void {
    inFlight.add(key);
    due.attemptedAt = performance.now();
    due.settlesAt = undefined;
    logger.info({ ...command, dueAt: due.dueAt }, 'deadline due: dispatching');
    const run = (async () => {
      try {
        await dispatch(command);
        due.settlesAt = await store.lastPosition();
      } catch (error) {
        logger.error(
          { err: error, applicationId: command.applicationId, kind: command.kind },
          'deadline command failed; retrying later',
        );
      } finally {
        inFlight.delete(key);
      }
    })();
    running.add(run);
    void run.finally(() => running.delete(run));
  }

  async function follow(): Promise<void> {
    let backoffMs = FIRST_BACKOFF_MS;
    while (!stopped) {
      try {
        if (target === undefined) {
          target = await store.lastPosition();
          reachedTarget();
        }
        if (stopped) return;
        subscription = store.subscribeToAll({ fromPosition: position });
        for await (const recorded of subscription) {
          handle(recorded);
          backoffMs = FIRST_BACKOFF_MS;
        }
        if (stopped) return;
        throw new Error('the subscription ended by itself');
      } catch (error) {
        if (stopped) return;
        logger.warn(
          { err: error, position: String(position), retryInMs: backoffMs },
          'deadline scheduler: subscription failed; resubscribing',
        );
        // a broken subscription may fail to close as well; it is dropped either way
        await subscription?.close().catch(() => {});
        await sleep(backoffMs, undefined, { signal: stopping.signal }).catch(() => {});
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  }

  const following = follow();
  const timer = setInterval(check, pollMs);
  timer.unref(); // the scheduler alone must not keep a process alive
  const stopListening = options.onClockAdvance?.(() => scheduleCheck());

  return {
    stop() {
      stopCall ??= (async () => {
        stopped = true;
        clearInterval(timer);
        stopListening?.();
        stopping.abort();
        if (!isCaughtUp) {
          rejectCaughtUp(new Error('The deadline scheduler stopped before catching up'));
        }
        await subscription?.close().catch(() => {});
        await following;
        await Promise.allSettled([...running]);
      })();
      return stopCall;
    },

    pending() {
      return [...applications]
        .flatMap(([applicationId, application]) =>
          [...application.deadlines].map(([kind, due]) => ({ applicationId, kind, due })),
        )
        .sort((a, b) => a.due.dueAtMs - b.due.dueAtMs)
        .map(({ applicationId, kind, due }) => ({ applicationId, kind, dueAt: due.dueAt }));
    },

    caughtUp: () => caughtUp,
  };
}

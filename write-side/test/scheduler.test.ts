import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CURRENT_SCHEMA_VERSION,
  streams,
  type Actor,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '@kefalet/events';
import { openSqliteEventStore } from '@kefalet/events/store/sqlite';
import { ManualClock } from '../src/clock';
import { handleCommand } from '../src/command-handler';
import {
  applicationDecider,
  referenceNumberFor,
  type ApplicationCommand,
} from '../src/domain/application';
import {
  startDeadlineScheduler,
  type DeadlineSchedulerOptions,
  type DueCommand,
  type PendingDeadline,
} from '../src/scheduler';
import {
  BANK_USER_ID,
  BIDDING_CLOSES_AT,
  DECISION,
  FIRM_TITLE,
  MEMBER_ID,
  SELECTION_DEADLINE,
  SNAPSHOT,
  SUBMITTED_AT,
  TERMS,
  VKN,
} from './domain/application/fixtures';

/*
 * The scheduler against a real SQLite log, the real application decider behind its dispatch and a
 * manual clock. The application opens on Friday 22 May 2026 (10:00 Istanbul): bidding closes on
 * Friday 5 June at 23:59:59.999 and the selection window two business days later, Tuesday 9 June.
 */

const GARANTI = '0062';
const HALKBANK = '0012';
const POLL_MS = 50;

const SCHEDULER: Actor = { kind: 'system', name: 'deadline-scheduler' };
const exporter: Actor = { kind: 'user', userId: MEMBER_ID, role: 'exporter' };
const scoring: Actor = { kind: 'system', name: 'scoring' };
const bankUser = (bankCode: string): Actor => ({
  kind: 'user',
  userId: BANK_USER_ID,
  role: 'bank',
  bankCode,
});

const eventually = { timeout: 3_000, interval: 10 };

let dir: string;
let cleanup: Array<() => Promise<void>>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kefalet-scheduler-'));
  cleanup = [];
});

afterEach(async () => {
  // schedulers first, then the stores they follow
  for (const step of cleanup.reverse()) await step();
  rmSync(dir, { recursive: true, force: true });
});

function openStore(): EventStore {
  const store = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
  cleanup.push(() => store.close());
  return store;
}

function send(store: EventStore, clock: ManualClock, actor: Actor, command: ApplicationCommand) {
  return handleCommand(
    { store, clock },
    streams.application(command.applicationId),
    applicationDecider,
    command,
    { actor },
  );
}

/** What the composition root does: the due command through the same handler as any other. */
function commandFor(due: DueCommand): ApplicationCommand {
  if (due.kind === 'RetryDataCollection') {
    // the sources answer this time
    return {
      type: 'RecordFirmData',
      applicationId: due.applicationId,
      snapshot: SNAPSHOT,
      segment: 'KOBI',
    };
  }
  return { type: due.kind, applicationId: due.applicationId };
}

function start(
  store: EventStore,
  clock: ManualClock,
  options: Partial<DeadlineSchedulerOptions> = {},
) {
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const dispatched: DueCommand[] = [];
  const scheduler = startDeadlineScheduler({
    store,
    clock,
    onClockAdvance: (listener) => clock.onAdvance(listener),
    dispatch: async (due) => {
      dispatched.push(due);
      await handleCommand(
        { store, clock },
        streams.application(due.applicationId),
        applicationDecider,
        commandFor(due),
        { actor: SCHEDULER, causationId: due.causationId, retryOnConflict: true },
      );
    },
    logger,
    pollMs: POLL_MS,
    ...options,
  });
  cleanup.push(() => scheduler.stop());
  return { scheduler, logger, dispatched };
}

async function submit(store: EventStore, clock: ManualClock): Promise<string> {
  const applicationId = randomUUID();
  await send(store, clock, exporter, {
    type: 'SubmitApplication',
    applicationId,
    firmVkn: VKN,
    firmTitle: FIRM_TITLE,
    memberId: MEMBER_ID,
    packageCode: 'IHR-KOBI',
    amount: '1500000',
    currency: 'TRY',
    maturityMonths: 12,
    purpose: 'İhracat siparişi için hammadde alımı',
    memberVerifiedForFirm: true,
    contractsSigned: true,
  });
  return applicationId;
}

async function submitAndCollect(store: EventStore, clock: ManualClock): Promise<string> {
  const applicationId = await submit(store, clock);
  await send(store, clock, scoring, {
    type: 'RecordFirmData',
    applicationId,
    snapshot: SNAPSHOT,
    segment: 'KOBI',
  });
  return applicationId;
}

/** Submitted, scored eligible and sent to Garanti and Halkbank; returns the opening event's id too. */
async function openForBidding(store: EventStore, clock: ManualClock) {
  const applicationId = await submitAndCollect(store, clock);
  const { events } = await send(store, clock, scoring, {
    type: 'RecordScore',
    ...DECISION,
    applicationId,
    partnerBankCodes: [GARANTI, HALKBANK],
  });
  const opened = events.find((event) => event.type === 'ApplicationOpenedForBidding')!;
  return { applicationId, openedId: opened.id };
}

async function bid(store: EventStore, clock: ManualClock, applicationId: string, bankCode: string) {
  const offerId = randomUUID();
  const { events } = await send(store, clock, bankUser(bankCode), {
    type: 'SubmitOffer',
    applicationId,
    offerId,
    bankCode,
    bankName: `Bank ${bankCode}`,
    terms: TERMS,
  });
  return { offerId, eventId: events[0]!.id };
}

async function eventsOf(store: EventStore, applicationId: string, type: string) {
  const found: RecordedEvent[] = [];
  for await (const event of store.readStream(streams.application(applicationId))) {
    if (event.type === type) found.push(event);
  }
  return found;
}

/** The store, but its subscriptions deliver events of one type only after a pause. */
function lagging(store: EventStore, type: string, ms: number): EventStore {
  return {
    ...store,
    subscribeToAll(options) {
      const inner = store.subscribeToAll(options);
      return {
        close: () => inner.close(),
        async *[Symbol.asyncIterator]() {
          for await (const event of inner) {
            if (event.type === type) await sleep(ms);
            yield event;
          }
        },
      };
    },
  };
}

type Stored = RecordedEvent & {
  readonly data: Record<string, unknown>;
  readonly metadata: { readonly causationId: string; readonly actor: Actor };
};

async function onlyOne(store: EventStore, applicationId: string, type: string): Promise<Stored> {
  const found = await eventsOf(store, applicationId, type);
  expect(found).toHaveLength(1);
  return found[0] as Stored;
}

const kindsFor = (pending: readonly PendingDeadline[], applicationId: string) =>
  pending.filter((deadline) => deadline.applicationId === applicationId).map(({ kind }) => kind);

describe('startDeadlineScheduler', () => {
  it('closes the bidding at the deadline (R8), once, with a reference number', async () => {
    const store = openStore();
    const clock = new ManualClock(new Date(SUBMITTED_AT));
    const { scheduler, dispatched, logger } = start(store, clock);
    await scheduler.caughtUp();

    const { applicationId, openedId } = await openForBidding(store, clock);
    await bid(store, clock, applicationId, GARANTI);
    await vi.waitFor(
      () =>
        expect(scheduler.pending()).toEqual([
          { applicationId, kind: 'CloseBidding', dueAt: BIDDING_CLOSES_AT },
        ]),
      eventually,
    );
    // Halkbank is silent: the window stays open until its deadline
    await sleep(3 * POLL_MS);
    expect(dispatched).toEqual([]);

    clock.advance('P15D');
    await vi.waitFor(
      () =>
        expect(scheduler.pending()).toEqual([
          { applicationId, kind: 'LapseSelectionWindow', dueAt: SELECTION_DEADLINE },
        ]),
      eventually,
    );
    await sleep(3 * POLL_MS);

    const closed = await onlyOne(store, applicationId, 'BiddingClosed');
    expect(closed.data).toMatchObject({
      referenceNumber: referenceNumberFor(applicationId),
      closedAt: BIDDING_CLOSES_AT,
      early: false,
      selectionDeadline: SELECTION_DEADLINE,
    });
    expect(closed.metadata).toMatchObject({ causationId: openedId, actor: SCHEDULER });
    expect(dispatched).toEqual([{ kind: 'CloseBidding', applicationId, causationId: openedId }]);
    expect(logger.error).not.toHaveBeenCalled();
  });

  describe('closes early once every partner bank has bid or declined (R10)', () => {
    it('when both banks bid', async () => {
      const store = openStore();
      const clock = new ManualClock(new Date(SUBMITTED_AT));
      const { scheduler, logger } = start(store, clock);
      await scheduler.caughtUp();

      const { applicationId } = await openForBidding(store, clock);
      clock.advance('P1D');
      await bid(store, clock, applicationId, GARANTI);
      await sleep(3 * POLL_MS);
      expect(await eventsOf(store, applicationId, 'BiddingClosed')).toEqual([]);

      const last = await bid(store, clock, applicationId, HALKBANK);
      await vi.waitFor(
        () =>
          expect(kindsFor(scheduler.pending(), applicationId)).toEqual(['LapseSelectionWindow']),
        eventually,
      );

      const closed = await onlyOne(store, applicationId, 'BiddingClosed');
      expect(closed.data).toMatchObject({ early: true, closedAt: clock.now().toISOString() });
      expect(Date.parse(closed.data.closedAt as string)).toBeLessThan(
        Date.parse(BIDDING_CLOSES_AT),
      );
      // the bid that completed the set caused the close
      expect(closed.metadata.causationId).toBe(last.eventId);
      expect(logger.error).not.toHaveBeenCalled();
    });

    it('when one bids and the other declines, but not while a withdrawn offer leaves a bank silent', async () => {
      const store = openStore();
      const clock = new ManualClock(new Date(SUBMITTED_AT));
      const { scheduler, dispatched } = start(store, clock);
      await scheduler.caughtUp();

      const { applicationId } = await openForBidding(store, clock);
      const first = await bid(store, clock, applicationId, GARANTI);
      await send(store, clock, bankUser(GARANTI), {
        type: 'WithdrawOffer',
        applicationId,
        offerId: first.offerId,
        bankCode: GARANTI,
        reason: 'BANK_DECISION',
        note: '',
      });
      await send(store, clock, bankUser(HALKBANK), {
        type: 'DeclineRequest',
        applicationId,
        bankCode: HALKBANK,
        note: 'Sektör limitimiz dolu',
      });
      await sleep(3 * POLL_MS);
      expect(dispatched).toEqual([]);

      await bid(store, clock, applicationId, GARANTI);
      await vi.waitFor(
        () =>
          expect(kindsFor(scheduler.pending(), applicationId)).toEqual(['LapseSelectionWindow']),
        eventually,
      );
      const closed = await onlyOne(store, applicationId, 'BiddingClosed');
      expect(closed.data).toMatchObject({ early: true, closedAt: SUBMITTED_AT });
    });
  });

  it('lapses the selection window 2 business days after the close (R15), not once the firm applied', async () => {
    const store = openStore();
    const clock = new ManualClock(new Date(SUBMITTED_AT));
    const { scheduler, dispatched } = start(store, clock);
    await scheduler.caughtUp();

    const silent = await openForBidding(store, clock);
    const applying = await openForBidding(store, clock);
    await bid(store, clock, silent.applicationId, GARANTI);
    const offer = await bid(store, clock, applying.applicationId, GARANTI);

    clock.advance('P15D'); // Saturday 6 June, inside the selection window
    await vi.waitFor(
      () =>
        expect(scheduler.pending().map((deadline) => deadline.kind)).toEqual([
          'LapseSelectionWindow',
          'LapseSelectionWindow',
        ]),
      eventually,
    );
    const closed = await onlyOne(store, silent.applicationId, 'BiddingClosed');
    await send(store, clock, exporter, {
      type: 'SelectOffer',
      applicationId: applying.applicationId,
      offerId: offer.offerId,
      memberId: MEMBER_ID,
      memberVerifiedForFirm: true,
    });
    await send(store, clock, bankUser(GARANTI), {
      type: 'RecordBankApplication',
      applicationId: applying.applicationId,
      bankCode: GARANTI,
      referenceNumber: referenceNumberFor(applying.applicationId),
      recordedBy: BANK_USER_ID,
    });
    await vi.waitFor(
      () => expect(kindsFor(scheduler.pending(), applying.applicationId)).toEqual([]),
      eventually,
    );

    clock.advance('P4D'); // Wednesday 10 June
    await vi.waitFor(() => expect(scheduler.pending()).toEqual([]), eventually);
    await sleep(3 * POLL_MS);

    const lapsed = await onlyOne(store, silent.applicationId, 'SelectionWindowLapsed');
    expect(lapsed.data).toMatchObject({ lapsedAt: SELECTION_DEADLINE });
    expect(lapsed.metadata.causationId).toBe(closed.id);
    expect(await eventsOf(store, applying.applicationId, 'SelectionWindowLapsed')).toEqual([]);
    expect(dispatched.filter((due) => due.kind === 'LapseSelectionWindow')).toEqual([
      { kind: 'LapseSelectionWindow', applicationId: silent.applicationId, causationId: closed.id },
    ]);
  });

  it('rebuilds its deadlines from the log after a restart and fires those that passed meanwhile', async () => {
    const clock = new ManualClock(new Date(SUBMITTED_AT));
    const before = openStore();
    const first = start(before, clock);
    await first.scheduler.caughtUp();
    const { applicationId, openedId } = await openForBidding(before, clock);
    await bid(before, clock, applicationId, GARANTI);
    // a cancelled application is finished: nothing of it may come back
    const cancelled = await openForBidding(before, clock);
    await send(before, clock, exporter, {
      type: 'CancelApplication',
      applicationId: cancelled.applicationId,
      memberId: MEMBER_ID,
      memberVerifiedForFirm: true,
      reason: 'Finansman başka kaynaktan sağlandı',
    });
    await vi.waitFor(() => expect(first.scheduler.pending()).toHaveLength(1), eventually);
    await first.scheduler.stop();
    await before.close();

    clock.advance('P15D'); // nobody is watching

    const after = openStore();
    // polls run during the catch-up too, yet nothing fires before the log has been read
    const second = start(lagging(after, 'ApplicationCancelled', 3 * POLL_MS), clock);
    await second.scheduler.caughtUp();
    expect(second.scheduler.pending()).toEqual([
      { applicationId, kind: 'CloseBidding', dueAt: BIDDING_CLOSES_AT },
    ]);
    await vi.waitFor(
      () =>
        expect(kindsFor(second.scheduler.pending(), applicationId)).toEqual([
          'LapseSelectionWindow',
        ]),
      eventually,
    );
    const closed = await onlyOne(after, applicationId, 'BiddingClosed');
    expect(closed.data).toMatchObject({ closedAt: BIDDING_CLOSES_AT, early: false });
    expect(second.dispatched).toEqual([
      { kind: 'CloseBidding', applicationId, causationId: openedId },
    ]);
  });

  it('lets two schedulers on one log both dispatch, and the log gets one BiddingClosed', async () => {
    const clock = new ManualClock(new Date(SUBMITTED_AT));
    // two connections to the same file, as two write-side instances would have
    const storeA = openStore();
    const storeB = openStore();
    const a = start(storeA, clock);
    const b = start(storeB, clock);
    await Promise.all([a.scheduler.caughtUp(), b.scheduler.caughtUp()]);

    const { applicationId } = await openForBidding(storeA, clock);
    await bid(storeB, clock, applicationId, GARANTI);
    await vi.waitFor(() => {
      expect(kindsFor(a.scheduler.pending(), applicationId)).toEqual(['CloseBidding']);
      expect(kindsFor(b.scheduler.pending(), applicationId)).toEqual(['CloseBidding']);
    }, eventually);

    clock.advance('P15D');
    await vi.waitFor(() => {
      expect(kindsFor(a.scheduler.pending(), applicationId)).toEqual(['LapseSelectionWindow']);
      expect(kindsFor(b.scheduler.pending(), applicationId)).toEqual(['LapseSelectionWindow']);
    }, eventually);
    await sleep(3 * POLL_MS);

    await onlyOne(storeA, applicationId, 'BiddingClosed');
    expect(a.dispatched.map((due) => due.kind)).toEqual(['CloseBidding']);
    expect(b.dispatched.map((due) => due.kind)).toEqual(['CloseBidding']);
    expect(a.logger.error).not.toHaveBeenCalled();
    expect(b.logger.error).not.toHaveBeenCalled();
  });

  it('retries the data collection at retryAt (R4)', async () => {
    const store = openStore();
    const clock = new ManualClock(new Date(SUBMITTED_AT));
    const { scheduler } = start(store, clock);
    await scheduler.caughtUp();

    const applicationId = await submit(store, clock);
    const retryAt = '2026-05-22T07:05:00.000Z';
    const { events } = await send(store, clock, scoring, {
      type: 'RecordDataDelay',
      applicationId,
      unavailableSources: ['SGK'],
      retryAt,
      attempt: 1,
    });
    await vi.waitFor(
      () =>
        expect(scheduler.pending()).toEqual([
          { applicationId, kind: 'RetryDataCollection', dueAt: retryAt },
        ]),
      eventually,
    );

    clock.advance('PT4M');
    await sleep(3 * POLL_MS);
    expect(await eventsOf(store, applicationId, 'ApplicationDataCollected')).toEqual([]);

    clock.advance('PT1M');
    await vi.waitFor(() => expect(scheduler.pending()).toEqual([]), eventually);
    const collected = await onlyOne(store, applicationId, 'ApplicationDataCollected');
    expect(collected.metadata.causationId).toBe(events[0]!.id);
  });

  it('dispatches once while the command is slow and while its events are slow to come back', async () => {
    const store = openStore();
    const clock = new ManualClock(new Date(SUBMITTED_AT));
    const slow = 4 * POLL_MS;
    // the close takes several poll periods to write, and as long again to reach the subscription
    const dispatched: DueCommand[] = [];
    const { scheduler } = start(lagging(store, 'BiddingClosed', slow), clock, {
      dispatch: async (due) => {
        dispatched.push(due);
        await sleep(slow);
        await handleCommand(
          { store, clock },
          streams.application(due.applicationId),
          applicationDecider,
          commandFor(due),
          { actor: SCHEDULER, causationId: due.causationId, retryOnConflict: true },
        );
      },
    });
    await scheduler.caughtUp();
    const { applicationId } = await openForBidding(store, clock);
    await bid(store, clock, applicationId, GARANTI);
    await vi.waitFor(() => expect(scheduler.pending()).toHaveLength(1), eventually);

    clock.advance('P15D');
    await vi.waitFor(
      () => expect(kindsFor(scheduler.pending(), applicationId)).toEqual(['LapseSelectionWindow']),
      eventually,
    );
    expect(dispatched.map((due) => due.kind)).toEqual(['CloseBidding']);
  });

  it('logs a failing dispatch with the application and kind, and retries it every pollMs', async () => {
    const store = openStore();
    const clock = new ManualClock(new Date(SUBMITTED_AT));
    const attempts: number[] = [];
    const { scheduler, logger } = start(store, clock, {
      dispatch: async (due) => {
        attempts.push(performance.now());
        if (attempts.length <= 2) throw new Error('write-side is restarting');
        await handleCommand(
          { store, clock },
          streams.application(due.applicationId),
          applicationDecider,
          commandFor(due),
          { actor: SCHEDULER, causationId: due.causationId, retryOnConflict: true },
        );
      },
    });
    await scheduler.caughtUp();
    const { applicationId } = await openForBidding(store, clock);
    await bid(store, clock, applicationId, GARANTI);
    await vi.waitFor(() => expect(scheduler.pending()).toHaveLength(1), eventually);

    clock.advance('P15D');
    await vi.waitFor(
      () => expect(kindsFor(scheduler.pending(), applicationId)).toEqual(['LapseSelectionWindow']),
      eventually,
    );

    await onlyOne(store, applicationId, 'BiddingClosed');
    expect(attempts).toHaveLength(3);
    for (let i = 1; i < attempts.length; i++) {
      expect(attempts[i]! - attempts[i - 1]!).toBeGreaterThanOrEqual(POLL_MS - 1);
    }
    expect(logger.error).toHaveBeenCalledTimes(2);
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ applicationId, kind: 'CloseBidding', err: expect.any(Error) }),
      expect.any(String),
    );

    // the loop still runs: the next deadline fires as well
    clock.advance('P4D');
    await vi.waitFor(() => expect(scheduler.pending()).toEqual([]), eventually);
    await onlyOne(store, applicationId, 'SelectionWindowLapsed');
  });

  it('logs an unreadable event with its position and type and keeps going', async () => {
    const store = openStore();
    const clock = new ManualClock(new Date(SUBMITTED_AT));
    const { scheduler, logger } = start(store, clock);
    await scheduler.caughtUp();

    const broken = randomUUID();
    const { position } = await store.append(
      streams.application(broken),
      [
        {
          id: randomUUID(),
          type: 'BiddingClosed',
          data: { applicationId: broken }, // no reference number, no deadline
          metadata: {
            correlationId: randomUUID(),
            causationId: randomUUID(),
            actor: SCHEDULER,
            occurredAt: SUBMITTED_AT,
            schemaVersion: CURRENT_SCHEMA_VERSION,
          },
        },
      ],
      { expectedRevision: 'no-stream' },
    );
    const { applicationId } = await openForBidding(store, clock);
    await bid(store, clock, applicationId, GARANTI);
    await vi.waitFor(() => expect(scheduler.pending()).toHaveLength(1), eventually);
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ position: String(position), type: 'BiddingClosed' }),
      expect.any(String),
    );

    clock.advance('P15D');
    await vi.waitFor(
      () => expect(kindsFor(scheduler.pending(), applicationId)).toEqual(['LapseSelectionWindow']),
      eventually,
    );
  });

  it('resubscribes from the last position it read when the subscription fails', async () => {
    const clock = new ManualClock(new Date(SUBMITTED_AT));
    const store = openStore();
    const { applicationId } = await openForBidding(store, clock); // positions 1 to 4

    const fromPositions: bigint[] = [];
    const flaky: EventStore = {
      ...store,
      subscribeToAll(options) {
        fromPositions.push(options?.fromPosition ?? 0n);
        const inner = store.subscribeToAll(options);
        if (fromPositions.length > 1) return inner;
        const failing: Subscription = {
          close: () => inner.close(),
          async *[Symbol.asyncIterator]() {
            for await (const event of inner) {
              yield event;
              if (event.position === 2n) throw new Error('connection reset');
            }
          },
        };
        return failing;
      },
    };
    const { scheduler, logger } = start(flaky, clock);
    await scheduler.caughtUp();

    expect(fromPositions).toEqual([0n, 2n]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ position: '2', retryInMs: 100 }),
      expect.any(String),
    );
    expect(scheduler.pending()).toEqual([
      { applicationId, kind: 'CloseBidding', dueAt: BIDDING_CLOSES_AT },
    ]);
  });

  it('rejects caughtUp when stopped before the catch-up', async () => {
    const clock = new ManualClock(new Date(SUBMITTED_AT));
    const store = openStore();
    // a log that claims more than it delivers: the catch-up cannot end
    const stalled: EventStore = { ...store, lastPosition: async () => 99n };
    const { scheduler } = start(stalled, clock);
    await scheduler.stop();
    await expect(scheduler.caughtUp()).rejects.toThrow(/before catching up/);
  });
});

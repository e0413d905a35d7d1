import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { streams, type DomainEvent, type Role } from '@kefalet/events';
import { SESSION_COOKIE, signSessionToken } from '@kefalet/events/session';
import { openSqliteEventStore, type SqliteEventStore } from '@kefalet/events/store/sqlite';
import { registerReadSide, type ReadSide } from '../../src/app';
import type { Logger } from '../../src/runner';
import { createMemoryReadModelStore } from '../../src/store/memory';
import type { ReadModelStore } from '../../src/store/port';
import {
  AKBANK,
  EXPORTER_ID,
  FIRM_TITLE,
  GARANTI,
  HALKBANK,
  History,
  NO_FEES_40,
  NO_FEES_44,
  uuid,
  VKN,
  type Bank,
} from '../models/fixtures';

/*
 * A read-side on a real SQLite event store in a temp folder, with the events the write-side would
 * have written, and signed session cookies for every kind of user.
 */

export const SECRET = randomBytes(32).toString('base64url');
/** The product clock of the read-side under test: during the bidding of APP. */
export const NOW = new Date('2026-03-04T12:00:00.000+03:00');

export const OTHER_VKN = '8790017566';
export const OTHER_TITLE = 'Ege Gıda Dış Ticaret Ltd. Şti.';
export const OTHER_EXPORTER_ID = uuid(950);
export const ANALYST_ID = uuid(960);

/** Opened to Garanti and Halkbank (not Akbank), two offers, then closed. */
export const APP = uuid(1);
/** The other firm's application: rejected. */
export const OTHER_APP = uuid(2);
/** Still bidding, one offer. */
export const LATER_APP = uuid(3);

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export function cookie(
  role: Role,
  userId: string,
  bank?: Bank,
  secret = SECRET,
): { cookie: string } {
  const token = signSessionToken(
    {
      sid: randomBytes(16).toString('base64url'),
      userId,
      role,
      fullName: `${role} ${userId.slice(-3)}`,
      email: `${role}@example.test`,
      ...(bank && { bankCode: bank.code, branchCode: bank.contact.branchCode }),
      exp: Math.floor(Date.now() / 1000) + 3600,
    },
    secret,
  );
  return { cookie: `${SESSION_COOKIE}=${encodeURIComponent(token)}` };
}

export const as = {
  exporter: cookie('exporter', EXPORTER_ID),
  otherExporter: cookie('exporter', OTHER_EXPORTER_ID),
  garanti: cookie('bank', GARANTI.userId, GARANTI),
  halkbank: cookie('bank', HALKBANK.userId, HALKBANK),
  akbank: cookie('bank', AKBANK.userId, AKBANK),
  analyst: cookie('analyst', ANALYST_ID),
};

/** R1: a member verified for a firm, on the firm's stream (positioned by `numbered`). */
export function membershipVerified(
  memberId: string,
  firmVkn: string,
  firmTitle: string,
): DomainEvent {
  return {
    id: uuid(Number(firmVkn.slice(-4))),
    type: 'FirmMembershipVerified',
    data: {
      firmVkn,
      memberId,
      firmTitle,
      mersisNumber: `0${firmVkn}00015`,
      authorisedPersonRole: 'Yönetim Kurulu Başkanı',
      verifiedAt: '2026-03-01T10:00:00.000+03:00',
    },
    metadata: {
      correlationId: uuid(800),
      causationId: uuid(801),
      actor: { kind: 'system', name: 'mersis' },
      occurredAt: '2026-03-01T10:00:00.000+03:00',
      schemaVersion: 1,
    },
    stream: streams.firm(firmVkn),
    revision: 0n,
    position: 0n,
  };
}

/** The events with positions 1, 2, ... in the order given: where the store will put them. */
export function numbered(events: readonly DomainEvent[]): DomainEvent[] {
  return events.map((event, at) => ({ ...event, position: BigInt(at + 1) }));
}

export interface Marketplace {
  /** The log: memberships, then the history's events. */
  readonly events: DomainEvent[];
  readonly garantiOffer: string;
  readonly halkbankOffer: string;
  readonly laterOffer: string;
  /** Between Garanti's offer and Halkbank's on APP. */
  readonly betweenOffers: string;
}

/** The events of the scenario, in log order (positions as the store will give them). */
export function marketplace(): Marketplace {
  const h = new History('2026-03-01T09:00:00.000+03:00');
  for (const bank of [GARANTI, HALKBANK, AKBANK]) h.bankRegistered(bank);

  h.at('2026-03-02T09:30:00.000+03:00').submitted(APP);
  h.dataCollected(APP);
  h.scored(APP, { creditNote: 3 });
  h.opened(APP, [GARANTI, HALKBANK]);
  h.at('2026-03-02T14:00:00.000+03:00');
  const garantiOffer = h.offerSubmitted(APP, GARANTI, NO_FEES_44);
  const question = h.informationRequested(APP, GARANTI, 'Son bilanço?');
  h.informationProvided(APP, question, GARANTI, '2025 bilançosu yüklendi');
  const betweenOffers = '2026-03-02T15:00:00.000+03:00';
  h.at('2026-03-02T16:00:00.000+03:00');
  const halkbankOffer = h.offerSubmitted(APP, HALKBANK, NO_FEES_40);

  h.at('2026-03-02T17:00:00.000+03:00').submitted(OTHER_APP, {
    firmVkn: OTHER_VKN,
    firmTitle: OTHER_TITLE,
    memberId: OTHER_EXPORTER_ID,
  });
  h.scored(OTHER_APP, { eligible: false, creditNote: 6 });
  h.rejected(OTHER_APP);

  h.at('2026-03-03T10:00:00.000+03:00').submitted(LATER_APP, { amount: '1500000.00' });
  h.dataCollected(LATER_APP);
  h.scored(LATER_APP, { creditNote: 2 });
  h.opened(LATER_APP);
  h.at('2026-03-03T11:00:00.000+03:00');
  const laterOffer = h.offerSubmitted(LATER_APP, AKBANK, NO_FEES_44);

  // R8: the window of APP closes 7 business days after its opening
  h.at('2026-03-11T23:59:59.999+03:00').biddingClosed(APP, [garantiOffer, halkbankOffer]);
  // History knows no membership events: they come first in the log
  const events = numbered([
    membershipVerified(EXPORTER_ID, VKN, FIRM_TITLE),
    membershipVerified(OTHER_EXPORTER_ID, OTHER_VKN, OTHER_TITLE),
    ...h.events,
  ]);
  return { events, garantiOffer, halkbankOffer, laterOffer, betweenOffers };
}

/** Appends the events to the store one by one, in order: the store gives the same positions. */
export async function appendAll(store: SqliteEventStore, events: readonly DomainEvent[]) {
  for (const event of events) {
    const { id, type, data, metadata } = event;
    const { position } = await store.append(event.stream, [{ id, type, data, metadata }], {
      expectedRevision: 'any',
    });
    if (position !== event.position) {
      throw new Error(`${type} landed at ${position}, expected ${event.position}`);
    }
  }
}

export interface TestReadSide {
  readonly app: FastifyInstance;
  readonly store: SqliteEventStore;
  readonly readModels: ReadModelStore;
  readonly readSide: ReadSide;
  close(): Promise<void>;
}

/** A fresh fastify with only the read-side, on a temp SQLite log holding `events`. */
export async function startReadSide(
  events: readonly DomainEvent[] = [],
  options: { isSessionActive?: (sid: string) => boolean } = {},
): Promise<TestReadSide> {
  const dir = mkdtempSync(join(tmpdir(), 'read-side-api-'));
  const store = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
  await appendAll(store, events);
  const readModels = createMemoryReadModelStore();
  const app = Fastify({ logger: false });
  const readSide = await registerReadSide(app, {
    store,
    readModels,
    sessionSecret: SECRET,
    clock: { now: () => NOW },
    logger: silentLogger,
    ...options,
  });
  await app.ready();
  await readSide.waitFor(await store.lastPosition());
  return {
    app,
    store,
    readModels,
    readSide,
    async close() {
      await app.close();
      await readModels.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

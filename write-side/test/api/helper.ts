import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import type { EventStore, RecordedEvent } from '@kefalet/events';
import { SESSION_COOKIE } from '@kefalet/events/session';
import { openSqliteEventStore, type SqliteEventStore } from '@kefalet/events/store/sqlite';
import { registerWriteSide, type WriteSide } from '../../src/app';
import { ManualClock } from '../../src/clock';
import { DEMO_PASSWORD } from '../../src/demo';
import { openIdentityStore, type IdentityStore } from '../../src/identity/store';
import { createSandboxSources } from '../../src/integrations';

/*
 * A fresh write-side per test file (or describe block): real SQLite files in a temp dir, a manual
 * clock, zero-latency sandbox sources and the demo seed. Everything goes through `app.inject`.
 */

/** Thursday 3 December 2026, 10:00 Istanbul: bidding closes on Monday 14 December (R8). */
export const CLOCK_START = '2026-12-03T10:00:00+03:00';
/** What the app sees as its own host; a same-origin browser request sends this as Origin. */
export const HOST = 'kefalet.test';

export const FIRM_VKN = '0150015264'; // exporter@demo.test's firm
export const FIRM2_VKN = '3100011116'; // exporter2@demo.test's firm

export type Response = LightMyRequestResponse;

export interface SendOptions {
  readonly cookie?: string;
  readonly payload?: unknown;
  readonly headers?: Record<string, string>;
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly store: SqliteEventStore;
  readonly identity: IdentityStore;
  readonly clock: ManualClock;
  readonly writeSide: WriteSide;
  readonly dir: string;
  /** One request as a same-origin client; `cookie` signs it in. */
  send(method: 'GET' | 'POST' | 'PUT', url: string, options?: SendOptions): Promise<Response>;
  /** Signs in a demo (or registered) account; returns the Cookie header value. */
  login(email: string, password?: string): Promise<string>;
  /** Every event in the log, in order. */
  events(): Promise<RecordedEvent[]>;
  /** Polls the log until an event of `type` (matching `where`) is there; fails after `timeoutMs`. */
  waitForEvent(
    type: string,
    where?: (event: RecordedEvent) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedEvent>;
  close(): Promise<void>;
}

// Login is rate limited per IP (10 a minute): each sign-in comes from its own address, so a suite
// may log in as many accounts as it needs without tripping it.
let nextAddress = 0;
function freshAddress(): string {
  nextAddress++;
  return `10.${(nextAddress >> 16) & 255}.${(nextAddress >> 8) & 255}.${nextAddress & 255}`;
}

/** The `kefalet_session=...` pair from a response's Set-Cookie, for the next request's Cookie. */
export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error(`no session cookie in a ${response.statusCode} response`);
  return `${SESSION_COOKIE}=${cookie.value}`;
}

/**
 * The store as the write-side sees it, but every event a stream read yields costs a turn of the
 * event loop. In one process the SQLite reads and appends are synchronous, so two requests never
 * interleave between "load" and "append"; with slow reads they do, as two instances or a slow disk
 * would, and optimistic concurrency gets something to catch.
 */
function withSlowStreamReads(store: EventStore): EventStore {
  async function* readStream(...args: Parameters<EventStore['readStream']>) {
    for await (const event of store.readStream(...args)) {
      await nextTurn();
      yield event;
    }
  }
  return new Proxy(store, {
    get: (target, property, receiver) =>
      property === 'readStream' ? readStream : Reflect.get(target, property, receiver),
  });
}

export interface BuildOptions {
  readonly scheduler?: boolean;
  /** See withSlowStreamReads. */
  readonly slowStreamReads?: boolean;
}

export async function buildApp(options: BuildOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'kefalet-api-'));
  const store = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
  const identity = openIdentityStore(join(dir, 'write-side.sqlite'));
  const clock = new ManualClock(new Date(CLOCK_START));
  // the same limits as the composition root (src/server.ts)
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  let writeSide: WriteSide;
  try {
    writeSide = await registerWriteSide(app, {
      store: options.slowStreamReads ? withSlowStreamReads(store) : store,
      clock,
      manualClock: clock,
      identity,
      sessionSecret: 'test-session-secret-0123456789abcdef',
      secureCookies: false,
      sources: createSandboxSources({ clock: () => clock.now() }),
      demo: true,
      ...(options.scheduler === false ? { scheduler: false } : {}),
    });
    await writeSide.ready;
    await writeSide.scheduler?.caughtUp();
    await app.ready();
  } catch (error) {
    // a failed start must not leave files or open handles behind
    await app.close().catch(() => {});
    await store.close();
    identity.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const events = async () => {
    const all: RecordedEvent[] = [];
    for await (const event of store.readAll()) all.push(event);
    return all;
  };

  return {
    app,
    store,
    identity,
    clock,
    writeSide,
    dir,
    send(method, url, { cookie, payload, headers } = {}) {
      return app.inject({
        method,
        url,
        headers: { host: HOST, ...(cookie ? { cookie } : {}), ...headers },
        ...(payload === undefined ? {} : { payload: payload as string | object }),
      });
    },
    async login(email, password = DEMO_PASSWORD) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: freshAddress(),
        payload: { email, password },
      });
      if (response.statusCode !== 200) {
        throw new Error(`login ${email}: ${response.statusCode} ${response.body}`);
      }
      return sessionCookie(response);
    },
    events,
    async waitForEvent(type, where = () => true, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = (await events()).find((e) => e.type === type && where(e));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${type} in the log after ${timeoutMs} ms`);
        await sleep(20);
      }
    },
    async close() {
      await app.close();
      await writeSide.close();
      await store.close();
      identity.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The event's `data.applicationId` is `id`. */
export const ofApplication =
  (id: string) =>
  (event: RecordedEvent): boolean =>
    (event.data as { applicationId?: string }).applicationId === id;

/** A complete, valid offer (all 17 fields but the date the server sets) for a 1,000,000.00 loan. */
export function offerTerms(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    maturityMonths: 12,
    totalRepaymentAmount: '1250000.00',
    interestType: 'FIXED',
    interestRate: '42.5',
    principalPaymentFrequency: 'MONTHLY',
    interestPaymentFrequency: 'MONTHLY',
    collateralType: 'PERSONAL_SURETY',
    totalExpenseAmount: '2500.00',
    creditType: 'SPOT',
    totalCommissionAmount: '5000.00',
    principalGraceMonths: 0,
    interestGraceMonths: 0,
    branchCode: '0621',
    representativeName: 'Zeynep Kaya',
    phone: '+90 212 555 01 02',
    email: 'zeynep.kaya@bank.example',
    ...overrides,
  };
}

/** A valid application body for the demo exporter's firm. */
export function applicationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    firmVkn: FIRM_VKN,
    packageCode: 'IHR-KOBI',
    amount: '1000000.00',
    currency: 'TRY',
    maturityMonths: 12,
    purpose: 'Hammadde alımı ve ihracat ön finansmanı',
    ...overrides,
  };
}

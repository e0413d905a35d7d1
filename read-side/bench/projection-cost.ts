/**
 * What an offer costs the projections as the market grows (figures only, no assertions):
 *
 *   node --import tsx read-side/bench/projection-cost.ts [--sizes 10,100,1000] [--redis]
 *
 * For each size, builds a market of that many applications opened to 12 partner banks (two offers
 * each), then times 200 more offers one event per commit, as the live runner commits them, and
 * prints the mean and p99 per offer with the documents and bytes each commit writes. With --redis
 * the read models are Redis's (REDIS_URL, default redis://127.0.0.1:6379) under a throwaway prefix.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  streams,
  type Actor,
  type DomainEvent,
  type EventData,
  type EventType,
  type OfferTerms,
} from '@kefalet/events';
import { projections } from '../src/projections';
import { PendingBatch } from '../src/runner/projection';
import { createMemoryReadModelStore } from '../src/store/memory';
import type { ReadModelStore } from '../src/store/port';
import { openRedisReadModelStore } from '../src/store/redis';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,100,1000' },
    redis: { type: 'boolean', default: false },
    offers: { type: 'string', default: '200' },
  },
});
const sizes = args.sizes.split(',').map(Number);
const measuredOffers = Number(args.offers);

const BANKS = Array.from({ length: 12 }, (_, at) => String(10 + at * 7).padStart(4, '0'));
const TERMS: OfferTerms = {
  maturityMonths: 12,
  totalRepaymentAmount: '1850000.00',
  interestType: 'FIXED',
  interestRate: '42.5',
  principalPaymentFrequency: 'MONTHLY',
  interestPaymentFrequency: 'MONTHLY',
  collateralType: 'NONE',
  totalExpenseAmount: '2500.00',
  creditType: 'INSTALMENT',
  totalCommissionAmount: '7500.00',
  principalGraceMonths: 0,
  interestGraceMonths: 0,
  branchCode: '0621',
  representativeName: 'Ali Veli',
  phone: '+90 212 555 11 22',
  email: 'ali@bank.test',
} as OfferTerms;

/** Events as the write-side records them (not schema-checked: the projections trust the log). */
class Log {
  readonly events: DomainEvent[] = [];
  private position = 0n;
  private clock = Date.parse('2026-03-02T09:00:00.000+03:00');

  append<T extends EventType>(stream: string, type: T, data: EventData<T>, actor: Actor): void {
    this.clock += 1_000;
    this.events.push({
      id: randomUUID(),
      type,
      data,
      metadata: {
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor,
        occurredAt: new Date(this.clock).toISOString(),
        schemaVersion: 1,
      },
      stream,
      revision: 0n,
      position: ++this.position,
    } as DomainEvent);
  }

  get now(): string {
    return new Date(this.clock).toISOString();
  }

  application(id: string): void {
    const stream = streams.application(id);
    const system: Actor = { kind: 'system', name: 'bench' };
    this.append(
      stream,
      'ApplicationSubmitted',
      {
        applicationId: id,
        firmVkn: '0150015264',
        firmTitle: 'Anadolu Tekstil İhracat A.Ş.',
        memberId: randomUUID(),
        packageCode: 'IHR-KOBI',
        amount: '1500000.00',
        currency: 'TRY',
        maturityMonths: 12,
        purpose: 'Hammadde',
        submittedAt: this.now,
      } as EventData<'ApplicationSubmitted'>,
      system,
    );
    this.append(
      stream,
      'ApplicationOpenedForBidding',
      {
        applicationId: id,
        partnerBankCodes: BANKS,
        openedAt: this.now,
        biddingClosesAt: '2026-12-31T20:59:59.999Z',
      } as EventData<'ApplicationOpenedForBidding'>,
      system,
    );
  }

  offer(applicationId: string, bankCode: string): void {
    this.append(
      streams.application(applicationId),
      'OfferSubmitted',
      {
        applicationId,
        offerId: randomUUID(),
        bankCode,
        bankName: `Bank ${bankCode}`,
        version: 1,
        terms: TERMS,
        submittedAt: this.now,
      } as EventData<'OfferSubmitted'>,
      { kind: 'user', role: 'bank', userId: randomUUID(), bankCode } as Actor,
    );
  }
}

async function open(): Promise<ReadModelStore> {
  if (!args.redis) return createMemoryReadModelStore();
  return openRedisReadModelStore({
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: `kefalet-bench-${randomUUID()}:`,
  });
}

async function measure(size: number): Promise<void> {
  const log = new Log();
  const ids = Array.from({ length: size }, () => randomUUID());
  for (const [at, id] of ids.entries()) {
    log.application(id);
    log.offer(id, BANKS[at % BANKS.length]!);
    log.offer(id, BANKS[(at + 1) % BANKS.length]!);
  }
  const setUp = log.events.length;
  for (let n = 0; n < measuredOffers; n++) {
    log.offer(ids[n % ids.length]!, BANKS[(n + 2) % BANKS.length]!);
  }

  const readModels = await open();
  const version = await readModels.createVersion();
  try {
    // the market in one batch, as a rebuild would
    const market = new PendingBatch(version, projections);
    for (const event of log.events.slice(0, setUp)) await market.apply(event);
    const end = log.events[setUp - 1]!.position;
    await version.applyBatch({
      checkpoints: projections.map((p) => ({ projection: p.name, from: 0n, to: end })),
      ops: market.ops(),
    });

    const times: number[] = [];
    let puts = 0;
    let bytes = 0;
    let previous = end;
    for (const event of log.events.slice(setUp)) {
      const started = performance.now();
      const pending = new PendingBatch(version, projections);
      await pending.apply(event);
      const ops = pending.ops();
      await version.applyBatch({
        checkpoints: projections.map((p) => ({
          projection: p.name,
          from: previous,
          to: event.position,
        })),
        ops,
      });
      times.push(performance.now() - started);
      previous = event.position;
      for (const op of ops) {
        if (op.type !== 'put') continue;
        puts++;
        bytes += JSON.stringify(op.doc).length;
      }
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
    const p99 = times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]!;
    console.log(
      `${String(size).padStart(6)} applications: ${mean.toFixed(2)} ms per offer (p99 ` +
        `${p99.toFixed(2)} ms), ${(puts / times.length).toFixed(1)} documents and ` +
        `${Math.round(bytes / times.length / 1024)} KB written per offer`,
    );
  } finally {
    await readModels.drop(version).catch(() => {});
    await readModels.close();
  }
}

console.log(
  `Projecting offers (12 partner banks, one event per commit) into ${args.redis ? 'Redis' : 'memory'}:`,
);
for (const size of sizes) await measure(size);

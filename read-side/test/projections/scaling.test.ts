import type { DomainEvent } from '@kefalet/events';
import { describe, expect, it } from 'vitest';
import { projections } from '../../src/projections';
import { PendingBatch } from '../../src/runner/projection';
import { createMemoryReadModelStore } from '../../src/store/memory';
import type { ReadModelVersion } from '../../src/store/port';
import {
  AKBANK,
  GARANTI,
  HALKBANK,
  HEAVY_FEES,
  History,
  NO_FEES_40,
  NO_FEES_44,
  PARTNER_BANKS,
  uuid,
} from '../models/fixtures';

/*
 * The work an event costs must not grow with the number of applications: the documents an offer
 * reads and writes, and the bytes written, are the same with a handful of applications in the
 * market as with many.
 */

interface Cost {
  /** Documents read (getMany ids), across projections. */
  readonly read: number;
  /** Documents written. */
  readonly puts: number;
  /** Index memberships written. */
  readonly indexOps: number;
  /** JSON bytes written. */
  readonly bytes: number;
}

/** Applies each event as the runner does (one batch per event) and keeps each event's cost. */
async function project(events: readonly DomainEvent[]): Promise<Map<bigint, Cost>> {
  const store = createMemoryReadModelStore();
  const version = await store.current();
  let read = 0;
  const counting: ReadModelVersion = {
    ...version,
    id: version.id,
    getMany: (collection, ids) => {
      read += ids.length;
      return version.getMany(collection, ids);
    },
  };
  const costs = new Map<bigint, Cost>();
  let previous = 0n;
  for (const event of events) {
    read = 0;
    const pending = new PendingBatch(counting, projections);
    await pending.apply(event);
    const ops = pending.ops();
    const outcome = await version.applyBatch({
      checkpoints: projections.map((p) => ({
        projection: p.name,
        from: previous,
        to: event.position,
      })),
      ops,
    });
    expect(outcome).toBe('applied');
    previous = event.position;
    costs.set(event.position, {
      read,
      puts: ops.filter((op) => op.type === 'put').length,
      indexOps: ops.filter((op) => op.type === 'index' || op.type === 'unindex').length,
      bytes: ops.reduce(
        (sum, op) => sum + (op.type === 'put' ? JSON.stringify(op.doc).length : 0),
        0,
      ),
    });
  }
  return costs;
}

/**
 * A market of `size` applications opened to every partner bank, each with two offers; then one
 * more application with an offer, a revision, a question and an answer: the events measured.
 */
function market(size: number) {
  const history = new History('2026-03-02T09:00:00.000+03:00');
  for (const bank of PARTNER_BANKS) history.bankRegistered(bank);
  for (let n = 0; n < size; n++) {
    const id = uuid(1000 + n);
    history.at('2026-03-02T09:30:00.000+03:00').submitted(id);
    history.dataCollected(id);
    history.scored(id);
    history.opened(id);
    history.at('2026-03-03T10:00:00.000+03:00').offerSubmitted(id, GARANTI, NO_FEES_44);
    history.offerSubmitted(id, HALKBANK, HEAVY_FEES);
  }
  const last = uuid(999);
  history.at('2026-03-04T09:30:00.000+03:00').submitted(last);
  history.dataCollected(last);
  history.scored(last);
  history.opened(last);
  const measured = {
    offer: history.at('2026-03-04T11:00:00.000+03:00').offerSubmitted(last, GARANTI, NO_FEES_44),
  } as Record<string, string | bigint>;
  measured['offerAt'] = history.events.at(-1)!.position;
  history.offerRevised(last, measured['offer'] as string, GARANTI, 2, NO_FEES_40);
  measured['revisionAt'] = history.events.at(-1)!.position;
  const question = history.informationRequested(last, AKBANK, 'Bilanço?');
  measured['questionAt'] = history.events.at(-1)!.position;
  history.informationProvided(last, question, AKBANK, 'Yüklendi.');
  measured['answerAt'] = history.events.at(-1)!.position;
  // and an offer on the oldest application, which many came after
  history.offerSubmitted(uuid(1000), AKBANK, NO_FEES_40);
  measured['oldOfferAt'] = history.events.at(-1)!.position;
  return { events: history.events, measured };
}

describe('the cost of an event', () => {
  it('does not grow with the number of applications', async () => {
    const small = market(2);
    const large = market(60);
    const [smallCosts, largeCosts] = await Promise.all([
      project(small.events),
      project(large.events),
    ]);
    for (const at of ['offerAt', 'revisionAt', 'questionAt', 'answerAt', 'oldOfferAt']) {
      const few = smallCosts.get(small.measured[at] as bigint)!;
      const many = largeCosts.get(large.measured[at] as bigint)!;
      expect({ at, read: many.read, puts: many.puts, indexOps: many.indexOps }).toEqual({
        at,
        read: few.read,
        puts: few.puts,
        indexOps: few.indexOps,
      });
      // only the positions' digits differ ("lastPosition": "23" or "383")
      expect(many.bytes / few.bytes).toBeLessThan(1.03);
    }
  });

  it('touches, for an offer, the application and one entry and head per partner bank', async () => {
    const { events, measured } = market(5);
    const costs = await project(events);
    const offer = costs.get(measured['offerAt'] as bigint)!;
    // board, detail, inbox helper + (entry + head) per bank, firm helper + head, analytics stats
    // (the bank's name is known already)
    expect(offer.puts).toBe(1 + 1 + 1 + 2 * PARTNER_BANKS.length + 2 + 1);
    // a question: detail, inbox helper, one bank's entry and head, analytics stats
    const question = costs.get(measured['questionAt'] as bigint)!;
    expect(question.puts).toBe(1 + 1 + 2 + 1);
  });
});

import { describe, expect, it } from 'vitest';
import { queryEventLog, summariseEvent, type EventSummary } from '../../src/models/event-log';
import { GARANTI, HALKBANK, History, NO_FEES_44, uuid } from './fixtures';

const A = uuid(100);
const B = uuid(101);

function log(): EventSummary[] {
  const history = new History('2026-03-02T09:00:00.000+03:00');
  history.bankRegistered(GARANTI); // 1
  history.at('2026-03-02T09:30:00.000+03:00').submitted(A); // 2
  history.dataCollected(A); // 3
  history.scored(A); // 4
  history.opened(A); // 5
  history.at('2026-03-02T11:00:00.000+03:00').submitted(B); // 6
  history.at('2026-03-03T10:00:00.000+03:00').offerSubmitted(A, GARANTI, NO_FEES_44); // 7
  history.at('2026-03-03T11:00:00.000+03:00').offerSubmitted(A, HALKBANK, NO_FEES_44); // 8
  history.at('2026-03-04T10:00:00.000+03:00').informationRequested(A, GARANTI, 'Bilanço?'); // 9
  history.at('2026-03-05T10:00:00.000+03:00').cancelled(B); // 10
  return history.events.map(summariseEvent);
}

const positions = (page: { items: readonly EventSummary[] }) => page.items.map((e) => e.position);

describe('event log', () => {
  it('summarises an event with its position as a string', () => {
    const [first] = log();
    expect(first).toEqual({
      position: '1',
      stream: 'bank-0062',
      type: 'PartnerBankRegistered',
      occurredAt: '2026-03-02T09:00:00.000+03:00',
      actor: { kind: 'system', name: 'seed' },
      data: {
        bankCode: '0062',
        name: 'Garanti BBVA',
        registeredAt: '2026-03-02T09:00:00.000+03:00',
      },
      metadata: expect.objectContaining({
        schemaVersion: 1,
        occurredAt: '2026-03-02T09:00:00.000+03:00',
      }),
    });
  });

  it('filters by type, stream, time range and actor', () => {
    const events = log();
    expect(
      positions(queryEventLog(events, { types: ['OfferSubmitted', 'ApplicationCancelled'] })),
    ).toEqual(['7', '8', '10']);
    expect(positions(queryEventLog(events, { stream: `application-${B}` }))).toEqual(['6', '10']);
    expect(
      positions(
        queryEventLog(events, {
          from: new Date('2026-03-02T11:00:00.000+03:00'),
          to: new Date('2026-03-04T10:00:00.000+03:00'),
        }),
      ),
    ).toEqual(['6', '7', '8']);
    expect(positions(queryEventLog(events, { actor: { role: 'bank', bankCode: '0062' } }))).toEqual(
      ['7', '9'],
    );
    expect(positions(queryEventLog(events, { actor: { role: 'bank' } }))).toEqual(['7', '8', '9']);
    expect(positions(queryEventLog(events, { actor: { role: 'system' } }))).toEqual([
      '1',
      '3',
      '4',
      '5',
    ]);
    expect(
      positions(queryEventLog(events, { actor: { role: 'exporter' }, stream: `application-${A}` })),
    ).toEqual(['2']);
  });

  it('pages by position with a cursor until the last page', () => {
    const events = log();
    const query = { stream: `application-${A}`, limit: 3 };
    const pages = [];
    let after: string | undefined;
    do {
      const page = queryEventLog(events, { ...query, after });
      pages.push([positions(page), page.nextCursor]);
      after = page.nextCursor ?? undefined;
    } while (after !== undefined);

    expect(pages).toEqual([
      [['2', '3', '4'], '4'],
      [['5', '7', '8'], '8'],
      [['9'], null],
    ]);
  });

  it('keeps the page size within bounds', () => {
    const events = log();
    expect(queryEventLog(events, { limit: 0 }).items).toHaveLength(1);
    expect(queryEventLog(events, {}).items).toHaveLength(10);
    expect(queryEventLog(events, { limit: 10 }).nextCursor).toBeNull();
  });
});

import type { DomainEvent } from '@kefalet/events';
import { describe, expect, it } from 'vitest';
import {
  evolveFirmApplication,
  evolveFirmHead,
  firmApplicationKey,
  firmApplicationRow,
  firmKeys,
  newestSubmittedFirst,
  type FirmApplication,
  type FirmApplicationState,
  type FirmHead,
} from '../../src/models/firm-applications';
import {
  AKBANK,
  GARANTI,
  HALKBANK,
  HEAVY_FEES,
  History,
  NO_FEES_40,
  NO_FEES_44,
  stored,
  uuid,
  VKN,
} from './fixtures';

/** The list as a query reads it: the head, and a row per application of the firm, newest first. */
interface FirmList extends FirmHead {
  readonly applications: readonly FirmApplication[];
}

/** The runner's two steps: the application's document, then the firm's head. */
function projector() {
  const states = new Map<string, FirmApplicationState>();
  const heads = new Map<string, FirmHead>();
  const apply = (event: DomainEvent) => {
    const id = firmApplicationKey(event);
    let state = id === undefined ? undefined : states.get(id);
    if (id !== undefined) {
      state = evolveFirmApplication(state, event);
      if (state !== undefined) states.set(id, state);
    }
    for (const vkn of firmKeys(event, state)) {
      const head = evolveFirmHead(heads.get(vkn), event, state);
      if (head !== undefined) heads.set(vkn, head);
    }
  };
  const lists = {
    get(vkn: string): FirmList | undefined {
      const head = heads.get(vkn);
      if (head === undefined) return undefined;
      const rows = [...states.values()]
        .filter((state) => state.firmVkn === vkn)
        .map(firmApplicationRow)
        .sort(newestSubmittedFirst);
      return { ...head, applications: rows };
    },
  };
  return { states, heads, lists, apply };
}

function listOf(history: History): FirmList {
  const { lists, apply } = projector();
  history.events.forEach(apply);
  const list = lists.get(VKN);
  if (list === undefined) throw new Error('no list');
  return stored(list);
}

const A = uuid(100);
const B = uuid(101);
const C = uuid(102);
const D = uuid(103);
const E = uuid(104);

describe('firm applications', () => {
  it('follows one application through its whole lifecycle, with the next deadline', () => {
    const history = new History('2026-03-02T09:30:00.000+03:00');
    const { lists, apply } = projector();
    const steps: [string, Partial<FirmApplication>][] = [];
    let applied = 0;
    const step = (label: string) => {
      history.events.slice(applied).forEach(apply);
      applied = history.events.length;
      const row = lists.get(VKN)?.applications[0];
      if (row === undefined) throw new Error('no row');
      const { status, nextDeadline, offerCount, bestEffectiveAnnualCost, creditNote } = row;
      steps.push([
        label,
        { status, nextDeadline, offerCount, bestEffectiveAnnualCost, creditNote },
      ]);
    };

    history.submitted(A);
    step('submitted');
    history.at('2026-03-02T09:30:05.000+03:00').dataDelayed(A);
    step('data delayed');
    history.at('2026-03-02T09:31:05.000+03:00').dataCollected(A);
    step('data collected');
    history.at('2026-03-02T09:31:06.000+03:00').scored(A, { creditNote: 2 });
    step('scored');
    history.at('2026-03-02T09:32:00.000+03:00').opened(A);
    step('opened');
    const halkbank = history
      .at('2026-03-03T11:00:00.000+03:00')
      .offerSubmitted(A, HALKBANK, NO_FEES_44);
    step('halkbank bids');
    const garanti = history
      .at('2026-03-03T12:00:00.000+03:00')
      .offerSubmitted(A, GARANTI, HEAVY_FEES);
    step('garanti bids');
    history.at('2026-03-04T09:00:00.000+03:00').offerRevised(A, garanti, GARANTI, 2, NO_FEES_40);
    step('garanti revises');
    history.at('2026-03-11T20:59:59.999Z').biddingClosed(A, [halkbank, garanti]);
    step('closed');
    history
      .at('2026-03-12T10:00:00.000+03:00')
      .offerSelected(A, garanti, GARANTI, '2026-03-13T20:59:59.999Z');
    step('garanti selected');
    history
      .at('2026-03-12T15:00:00.000+03:00')
      .offerWithdrawn(A, garanti, GARANTI, 'REGULATORY_CHANGE');
    step('garanti withdraws');
    history
      .at('2026-03-12T16:00:00.000+03:00')
      .offerSelected(A, halkbank, HALKBANK, '2026-03-13T20:59:59.999Z');
    step('halkbank selected');
    history.at('2026-03-13T11:00:00.000+03:00').appliedToBank(A, halkbank, HALKBANK);
    step('applied');

    const closes = { kind: 'BIDDING_CLOSES', at: '2026-03-11T20:59:59.999Z' };
    const select = { kind: 'SELECT_AND_APPLY', at: '2026-03-13T20:59:59.999Z' };
    const none = { offerCount: 0, bestEffectiveAnnualCost: null };
    expect(steps).toEqual([
      ['submitted', { status: 'SUBMITTED', nextDeadline: null, ...none, creditNote: null }],
      ['data delayed', { status: 'AWAITING_DATA', nextDeadline: null, ...none, creditNote: null }],
      ['data collected', { status: 'SUBMITTED', nextDeadline: null, ...none, creditNote: null }],
      ['scored', { status: 'SUBMITTED', nextDeadline: null, ...none, creditNote: 2 }],
      ['opened', { status: 'BIDDING', nextDeadline: closes, ...none, creditNote: 2 }],
      [
        'halkbank bids',
        {
          status: 'BIDDING',
          nextDeadline: closes,
          offerCount: 1,
          bestEffectiveAnnualCost: '54.05',
          creditNote: 2,
        },
      ],
      [
        'garanti bids',
        {
          status: 'BIDDING',
          nextDeadline: closes,
          offerCount: 2,
          bestEffectiveAnnualCost: '54.05',
          creditNote: 2,
        },
      ],
      [
        'garanti revises',
        {
          status: 'BIDDING',
          nextDeadline: closes,
          offerCount: 2,
          bestEffectiveAnnualCost: '48.21',
          creditNote: 2,
        },
      ],
      [
        'closed',
        {
          status: 'BIDDING_CLOSED',
          nextDeadline: select,
          offerCount: 2,
          bestEffectiveAnnualCost: '48.21',
          creditNote: 2,
        },
      ],
      [
        'garanti selected',
        {
          status: 'OFFER_SELECTED',
          nextDeadline: select,
          offerCount: 2,
          bestEffectiveAnnualCost: '48.21',
          creditNote: 2,
        },
      ],
      [
        'garanti withdraws',
        {
          status: 'BIDDING_CLOSED',
          nextDeadline: select,
          offerCount: 1,
          bestEffectiveAnnualCost: '54.05',
          creditNote: 2,
        },
      ],
      [
        'halkbank selected',
        {
          status: 'OFFER_SELECTED',
          nextDeadline: select,
          offerCount: 1,
          bestEffectiveAnnualCost: '54.05',
          creditNote: 2,
        },
      ],
      [
        'applied',
        {
          status: 'APPLIED_TO_BANK',
          nextDeadline: null,
          offerCount: 1,
          bestEffectiveAnnualCost: '54.05',
          creditNote: 2,
        },
      ],
    ]);
  });

  it('lists every application of the firm, past and present, newest first (R17)', () => {
    const history = new History('2026-03-02T09:30:00.000+03:00');
    // A: applied to the bank
    history.submitted(A);
    history.dataCollected(A);
    history.scored(A, { creditNote: 2 });
    history.opened(A);
    const offer = history.at('2026-03-03T11:00:00.000+03:00').offerSubmitted(A, AKBANK, NO_FEES_44);
    history.at('2026-03-11T20:59:59.999Z').biddingClosed(A, [offer]);
    history
      .at('2026-03-12T10:00:00.000+03:00')
      .offerSelected(A, offer, AKBANK, '2026-03-13T20:59:59.999Z');
    history.at('2026-03-12T11:00:00.000+03:00').appliedToBank(A, offer, AKBANK);
    // B: rejected
    history.at('2026-03-16T10:00:00.000+03:00').submitted(B, { packageCode: 'ISLETME' });
    history.dataCollected(B);
    history.scored(B, { eligible: false, creditNote: 6 });
    history.rejected(B);
    // C: nobody bid
    history.at('2026-04-01T10:00:00.000+03:00').submitted(C, { amount: '900000.00' });
    history.dataCollected(C);
    history.scored(C, { creditNote: 4 });
    history.opened(C);
    history.at('2026-04-10T20:59:59.999Z').closedWithoutOffers(C);
    // D: the firm never selected
    history
      .at('2026-04-13T10:00:00.000+03:00')
      .submitted(D, { currency: 'EUR', amount: '250000.00' });
    history.dataCollected(D);
    history.scored(D, { creditNote: 3 });
    history.opened(D);
    const late = history
      .at('2026-04-14T10:00:00.000+03:00')
      .offerSubmitted(D, HALKBANK, NO_FEES_44);
    history.at('2026-04-22T20:59:59.999Z').biddingClosed(D, [late]);
    history.at('2026-04-27T20:59:59.999Z').selectionLapsed(D);
    // E: cancelled while banks were bidding
    history.at('2026-05-04T10:00:00.000+03:00').submitted(E);
    history.dataCollected(E);
    history.scored(E, { creditNote: 1 });
    history.opened(E);
    history.at('2026-05-05T10:00:00.000+03:00').cancelled(E);

    const list = listOf(history);
    expect(list.applications.map((a) => [a.applicationId, a.status, a.creditNote])).toEqual([
      [E, 'CANCELLED', 1],
      [D, 'SELECTION_LAPSED', 3],
      [C, 'CLOSED_WITHOUT_OFFERS', 4],
      [B, 'REJECTED', 6],
      [A, 'APPLIED_TO_BANK', 2],
    ]);
    expect(list).toMatchObject({ firmVkn: VKN, firmTitle: 'Anadolu Tekstil İhracat A.Ş.' });
    expect(list.applications[1]).toEqual({
      applicationId: D,
      packageCode: 'IHR-KOBI',
      amount: '250000.00',
      currency: 'EUR',
      maturityMonths: 12,
      status: 'SELECTION_LAPSED',
      creditNote: 3,
      offerCount: 1,
      bestEffectiveAnnualCost: '54.05',
      submittedAt: '2026-04-13T10:00:00.000+03:00',
      nextDeadline: null,
    });
  });

  it('moves the version of the firm, not of other firms, once per event that changes a row', () => {
    const history = new History();
    history.submitted(A);
    history.submitted(B, { firmVkn: '8790017566', firmTitle: 'Ege Gıda Dış Ticaret Ltd. Şti.' });
    history.dataCollected(A);
    const { heads, apply } = projector();
    history.events.forEach(apply);
    expect(heads.get(VKN)).toMatchObject({ version: 2, firmTitle: 'Anadolu Tekstil İhracat A.Ş.' });
    expect(heads.get('8790017566')).toMatchObject({ version: 1 });
  });

  it('is not touched by information requests or declines, and ignores a replayed event', () => {
    const history = new History();
    history.submitted(A);
    history.dataCollected(A);
    history.scored(A);
    history.opened(A);
    history.at('2026-03-03T10:00:00.000+03:00').informationRequested(A, GARANTI, 'Bilanço?');
    history.declined(A, AKBANK);
    const { states, heads, lists, apply } = projector();
    history.events.forEach(apply);

    for (const event of history.events.slice(-2)) {
      expect(firmApplicationKey(event)).toBeUndefined();
      expect(firmKeys(event, states.get(A))).toEqual([]);
    }
    const list = lists.get(VKN);
    const opening = history.events[3];
    if (opening === undefined) throw new Error('no event');
    expect(list?.version).toBe(4);
    const head = heads.get(VKN);
    expect(evolveFirmHead(head, opening, states.get(A))).toBe(head);
    expect(evolveFirmApplication(states.get(A), opening)).toBe(states.get(A));
  });
});

import type { DomainEvent } from '@kefalet/events';
import { describe, expect, it } from 'vitest';
import {
  evolveInboxApplication,
  evolveInboxEntry,
  evolveInboxHead,
  inboxApplicationKey,
  inboxEntryId,
  inboxKeys,
  newestOpenedFirst,
  type InboxApplication,
  type InboxEntry,
  type InboxHead,
  type InboxRequest,
} from '../../src/models/bank-inbox';
import {
  AKBANK,
  GARANTI,
  HALKBANK,
  HEAVY_FEES,
  History,
  NO_FEES_40,
  NO_FEES_44,
  PARTNER_BANKS,
  stored,
  uuid,
} from './fixtures';

const APP = uuid(100);

/** A bank's inbox as a query reads it: the head, and the bank's entries newest opened first. */
interface Inbox extends InboxHead {
  readonly requests: readonly InboxRequest[];
}

/**
 * The runner's steps: the application's helper document, then for every bank the event reaches,
 * the bank's entry for the application and the bank's head.
 */
function project(events: readonly DomainEvent[]) {
  const applications = new Map<string, InboxApplication>();
  const entries = new Map<string, InboxEntry>();
  const heads = new Map<string, InboxHead>();
  for (const event of events) {
    const id = inboxApplicationKey(event);
    let application = id === undefined ? undefined : applications.get(id);
    if (id !== undefined) {
      application = evolveInboxApplication(application, event);
      if (application !== undefined) applications.set(id, application);
    }
    for (const bankCode of inboxKeys(event, application)) {
      let entryChanged = false;
      if (id !== undefined) {
        const key = inboxEntryId(bankCode, id);
        const before = entries.get(key);
        const entry = evolveInboxEntry(before, event, { bankCode, application });
        if (entry !== undefined) entries.set(key, entry);
        entryChanged = entry !== before;
      }
      const head = evolveInboxHead(heads.get(bankCode), event, { bankCode, entryChanged });
      if (head !== undefined) heads.set(bankCode, head);
    }
  }
  const inboxes = new Map<string, Inbox>();
  for (const [bankCode, head] of heads) {
    const requests = [...entries]
      .filter(([key]) => key.startsWith(`${bankCode}:`))
      .map(([, entry]) => {
        const { version: _version, lastPosition: _position, ...request } = entry;
        return request;
      })
      .sort(newestOpenedFirst);
    inboxes.set(bankCode, { ...head, requests });
  }
  return { applications, entries, heads, inboxes };
}

function inboxOf(history: History, bankCode: string): Inbox {
  const inbox = project(history.events).inboxes.get(bankCode);
  if (inbox === undefined) throw new Error(`no inbox for ${bankCode}`);
  return stored(inbox);
}

function opened(): History {
  const history = new History('2026-03-02T09:00:00.000+03:00');
  for (const bank of PARTNER_BANKS) history.bankRegistered(bank);
  history.at('2026-03-02T09:30:00.000+03:00').submitted(APP);
  history.at('2026-03-02T09:30:05.000+03:00').dataCollected(APP);
  history.at('2026-03-02T09:30:06.000+03:00').scored(APP, { creditNote: 3 });
  history.at('2026-03-02T09:31:00.000+03:00').opened(APP);
  return history;
}

describe('bank inbox', () => {
  it('lists an opened request with the data set and the eligibility, never the note (R6, R7)', () => {
    const history = opened();
    const snapshot = history.events.find((event) => event.type === 'ApplicationDataCollected');
    if (snapshot?.type !== 'ApplicationDataCollected') throw new Error('no data');

    const inbox = inboxOf(history, GARANTI.code);
    expect(inbox).toEqual({
      bankCode: '0062',
      bankName: 'Garanti BBVA',
      requests: [
        {
          applicationId: APP,
          firmVkn: '0150015264',
          firmTitle: 'Anadolu Tekstil İhracat A.Ş.',
          packageCode: 'IHR-KOBI',
          amount: '1500000.00',
          currency: 'TRY',
          maturityMonths: 12,
          purpose: 'Avrupa siparişleri için hammadde alımı',
          dataSet: snapshot.data.snapshot,
          eligibility: {
            packageCode: 'IHR-KOBI',
            guaranteeRatio: '90',
            guaranteeAmount: '1350000.00',
            currency: 'TRY',
          },
          status: 'BIDDING',
          openedAt: '2026-03-02T09:31:00.000+03:00',
          biddingClosesAt: '2026-03-11T20:59:59.999Z',
          offer: null,
          competingOfferCount: 0,
          informationRequests: [],
          declined: false,
          chosen: false,
          referenceNumber: null,
          contactDeadline: null,
        },
      ],
      // registered, then opened to it
      version: 2,
      lastPosition: '7',
    });
    const json = JSON.stringify(inbox);
    expect(json).not.toMatch(/creditNote|"score"|reasons|İyi|EXPORT_HISTORY|ige-score/);
    // nor in the helper document the inboxes are built from
    const helper = project(history.events).applications.get(APP);
    expect(JSON.stringify(helper)).not.toMatch(/creditNote|"score"|reasons|İyi|EXPORT_HISTORY/);
  });

  it('reaches no bank before the opening', () => {
    const history = new History();
    history.submitted(APP);
    history.dataCollected(APP);
    history.scored(APP);
    const { applications, entries } = project(history.events);
    expect(applications.get(APP)?.status).toBe('SUBMITTED');
    expect(entries.size).toBe(0);
  });

  it("updates every partner bank's rank and competitor count when one bank bids (R11)", () => {
    const history = opened();
    history.at('2026-03-03T11:00:00.000+03:00').offerSubmitted(APP, HALKBANK, NO_FEES_44);
    const bid = history.events.at(-1);
    if (bid === undefined) throw new Error('no event');
    expect(inboxKeys(bid, project(history.events).applications.get(APP))).toEqual([
      '0062',
      '0012',
      '0046',
    ]);

    const view = (bank: string) => {
      const request = inboxOf(history, bank).requests[0];
      return [request?.offer?.rank ?? null, request?.competingOfferCount];
    };
    expect([view('0062'), view('0012'), view('0046')]).toEqual([
      [null, 1],
      [1, 0],
      [null, 1],
    ]);

    const garanti = history
      .at('2026-03-03T12:00:00.000+03:00')
      .offerSubmitted(APP, GARANTI, HEAVY_FEES);
    expect([view('0062'), view('0012'), view('0046')]).toEqual([
      [2, 1],
      [1, 1],
      [null, 2],
    ]);

    history.at('2026-03-04T09:00:00.000+03:00').offerRevised(APP, garanti, GARANTI, 2, NO_FEES_40);
    expect([view('0062'), view('0012'), view('0046')]).toEqual([
      [1, 1],
      [2, 1],
      [null, 2],
    ]);
    expect(inboxOf(history, GARANTI.code).requests[0]?.offer).toEqual({
      offerId: garanti,
      version: 2,
      status: 'revised',
      effectiveAnnualCost: '48.21',
      totalCost: '325000.00',
      rank: 1,
    });
    // registered, opened, then three offer events: every inbox moved with each
    expect(inboxOf(history, AKBANK.code).version).toBe(5);
  });

  it("shows a bank only its own questions, with the firm's answers, and its decline", () => {
    const history = opened();
    const garantiQuestion = history
      .at('2026-03-03T10:00:00.000+03:00')
      .informationRequested(APP, GARANTI, 'Son iki yılın bilançosunu paylaşır mısınız?');
    history
      .at('2026-03-03T10:05:00.000+03:00')
      .informationRequested(APP, HALKBANK, 'Almanya siparişlerinin vadesi nedir?');
    history
      .at('2026-03-03T14:00:00.000+03:00')
      .informationProvided(APP, garantiQuestion, GARANTI, 'Portala yükledik.');
    history.at('2026-03-04T10:00:00.000+03:00').declined(APP, AKBANK);

    expect(inboxOf(history, GARANTI.code).requests[0]?.informationRequests).toEqual([
      {
        requestId: garantiQuestion,
        bankCode: '0062',
        question: 'Son iki yılın bilançosunu paylaşır mısınız?',
        requestedAt: '2026-03-03T10:00:00.000+03:00',
        answer: 'Portala yükledik.',
        answeredAt: '2026-03-03T14:00:00.000+03:00',
      },
    ]);
    expect(JSON.stringify(inboxOf(history, GARANTI.code))).not.toContain('Almanya');
    expect(inboxOf(history, AKBANK.code).requests[0]).toMatchObject({
      declined: true,
      informationRequests: [],
    });
    expect(inboxOf(history, GARANTI.code).requests[0]?.declined).toBe(false);
    // the questions and the decline touched only the bank concerned
    expect(inboxOf(history, AKBANK.code).version).toBe(3);
  });

  it('tells the chosen bank, and only it, the reference number; the others see the status', () => {
    const history = opened();
    const halkbank = history
      .at('2026-03-03T11:00:00.000+03:00')
      .offerSubmitted(APP, HALKBANK, NO_FEES_44);
    const garanti = history
      .at('2026-03-03T12:00:00.000+03:00')
      .offerSubmitted(APP, GARANTI, HEAVY_FEES);
    history.at('2026-03-11T20:59:59.999Z').biddingClosed(APP, [halkbank, garanti]);
    history
      .at('2026-03-12T10:00:00.000+03:00')
      .offerSelected(APP, halkbank, HALKBANK, '2026-03-13T20:59:59.999Z');

    expect(inboxOf(history, HALKBANK.code).requests[0]).toMatchObject({
      status: 'OFFER_SELECTED',
      chosen: true,
      referenceNumber: 'TRN-7K3M-Q9PX-2DC',
      contactDeadline: '2026-03-13T20:59:59.999Z',
    });
    for (const bank of [GARANTI, AKBANK]) {
      expect(inboxOf(history, bank.code).requests[0]).toMatchObject({
        status: 'OFFER_SELECTED',
        chosen: false,
        referenceNumber: null,
        contactDeadline: null,
      });
      expect(JSON.stringify(inboxOf(history, bank.code))).not.toContain('TRN-');
    }
  });

  it('lists the newest request first', () => {
    const history = opened();
    const second = uuid(101);
    history.at('2026-03-05T09:30:00.000+03:00').submitted(second, { amount: '750000.00' });
    history.dataCollected(second);
    history.scored(second);
    history.at('2026-03-05T09:31:00.000+03:00').opened(second, [GARANTI]);

    expect(inboxOf(history, GARANTI.code).requests.map((r) => r.applicationId)).toEqual([
      second,
      APP,
    ]);
    expect(inboxOf(history, HALKBANK.code).requests.map((r) => r.applicationId)).toEqual([APP]);
  });

  it("changes the entries of the event's application only, one per partner bank", () => {
    const history = opened();
    const second = uuid(101);
    history.at('2026-03-05T09:30:00.000+03:00').submitted(second);
    history.dataCollected(second);
    history.scored(second);
    history.at('2026-03-05T09:31:00.000+03:00').opened(second, PARTNER_BANKS);
    const before = project(history.events);

    history.at('2026-03-05T11:00:00.000+03:00').offerSubmitted(second, HALKBANK, NO_FEES_44);
    const after = project(history.events);
    const changed = [...after.entries.keys()].filter(
      (key) => after.entries.get(key)!.lastPosition !== before.entries.get(key)?.lastPosition,
    );
    expect(changed.sort()).toEqual(
      PARTNER_BANKS.map((bank) => inboxEntryId(bank.code, second)).sort(),
    );
    // the other application's entries are as they were, and every bank's head moved once
    for (const bank of PARTNER_BANKS) {
      const key = inboxEntryId(bank.code, APP);
      expect(after.entries.get(key)).toEqual(before.entries.get(key));
      expect(after.heads.get(bank.code)!.version).toBe(before.heads.get(bank.code)!.version + 1);
    }
    expect(after.entries.get(inboxEntryId(GARANTI.code, second))).toMatchObject({
      competingOfferCount: 1,
      offer: null,
    });
  });

  it('ignores a replayed event, in the helper document, the entries and the heads', () => {
    const history = opened();
    history.at('2026-03-03T11:00:00.000+03:00').offerSubmitted(APP, HALKBANK, NO_FEES_44);
    const { applications, entries, heads } = project(history.events);
    const application = applications.get(APP);
    const entry = entries.get(inboxEntryId(GARANTI.code, APP));
    const head = heads.get(GARANTI.code);
    const last = history.events.at(-1);
    if (last === undefined) throw new Error('no event');

    expect(evolveInboxApplication(application, last)).toBe(application);
    expect(evolveInboxEntry(entry, last, { bankCode: GARANTI.code, application })).toBe(entry);
    expect(evolveInboxHead(head, last, { bankCode: GARANTI.code, entryChanged: true })).toBe(head);
  });
});

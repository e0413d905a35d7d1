import { describe, expect, it } from 'vitest';
import {
  detailForAnalyst,
  detailForBank,
  detailForFirm,
  detailKeys,
  evolveDetail,
  type ApplicationDetail,
} from '../../src/models/application-detail';
import {
  AKBANK,
  EXPORTER_ID,
  GARANTI,
  HALKBANK,
  HEAVY_FEES,
  History,
  NO_FEES_44,
  project,
  stored,
  uuid,
} from './fixtures';

const APP = uuid(100);

function detail(history: History): ApplicationDetail {
  const doc = project(history.events, detailKeys, evolveDetail).get(APP);
  if (doc === undefined) throw new Error('no detail');
  return stored(doc);
}

/** Opened, a question each from Garanti and Halkbank, two offers, a decline, closed, selected. */
function selected() {
  const history = new History('2026-03-02T09:00:00.000+03:00');
  history.bankRegistered(GARANTI);
  history.at('2026-03-02T09:30:00.000+03:00').submitted(APP);
  history.at('2026-03-02T09:30:05.000+03:00').dataCollected(APP);
  history.at('2026-03-02T09:30:06.000+03:00').scored(APP, { creditNote: 3 });
  history.at('2026-03-02T09:31:00.000+03:00').opened(APP);
  const question = history
    .at('2026-03-03T10:00:00.000+03:00')
    .informationRequested(APP, GARANTI, 'Son iki yılın bilançosunu paylaşır mısınız?');
  history
    .at('2026-03-03T10:05:00.000+03:00')
    .informationRequested(APP, HALKBANK, 'Almanya siparişlerinin vadesi nedir?');
  history
    .at('2026-03-03T14:00:00.000+03:00')
    .informationProvided(APP, question, GARANTI, 'Portala yükledik.');
  const garanti = history
    .at('2026-03-04T10:00:00.000+03:00')
    .offerSubmitted(APP, GARANTI, HEAVY_FEES);
  const halkbank = history
    .at('2026-03-04T11:00:00.000+03:00')
    .offerSubmitted(APP, HALKBANK, NO_FEES_44);
  history.at('2026-03-05T10:00:00.000+03:00').declined(APP, AKBANK);
  history.at('2026-03-05T10:00:01.000+03:00').biddingClosed(APP, [garanti, halkbank], true);
  history
    .at('2026-03-06T10:00:00.000+03:00')
    .offerSelected(APP, halkbank, HALKBANK, '2026-03-09T20:59:59.999Z');
  return { history, question, garanti, halkbank };
}

describe('application detail', () => {
  it('holds the facts, the decision, the data, the questions and a timeline of every event', () => {
    const { history, question, halkbank } = selected();
    const doc = detail(history);
    const scored = history.events.find((event) => event.type === 'ApplicationScored');
    const collected = history.events.find((event) => event.type === 'ApplicationDataCollected');
    if (scored?.type !== 'ApplicationScored' || collected?.type !== 'ApplicationDataCollected') {
      throw new Error('no decision');
    }

    const { timeline, ...rest } = doc;
    expect(rest).toEqual({
      applicationId: APP,
      firmVkn: '0150015264',
      firmTitle: 'Anadolu Tekstil İhracat A.Ş.',
      packageCode: 'IHR-KOBI',
      amount: '1500000.00',
      currency: 'TRY',
      maturityMonths: 12,
      purpose: 'Avrupa siparişleri için hammadde alımı',
      submittedAt: '2026-03-02T09:30:00.000+03:00',
      status: 'OFFER_SELECTED',
      selectedOfferId: halkbank,
      segment: 'KOBI',
      dataSnapshot: collected.data.snapshot,
      dataDelay: null,
      decision: {
        eligible: true,
        score: 712,
        creditNote: 3,
        creditNoteLabel: 'İyi',
        reasons: scored.data.reasons,
        guaranteeRatio: '90',
        guaranteeAmount: '1350000.00',
        currency: 'TRY',
        modelVersion: 'ige-score-2026.1',
        scoredAt: '2026-03-02T09:30:06.000+03:00',
      },
      rejection: null,
      partnerBankCodes: ['0062', '0012', '0046'],
      openedAt: '2026-03-02T09:31:00.000+03:00',
      biddingClosesAt: '2026-03-11T20:59:59.999Z',
      closedAt: '2026-03-05T10:00:01.000+03:00',
      referenceNumber: 'TRN-7K3M-Q9PX-2DC',
      selectionDeadline: '2026-03-09T20:59:59.999Z',
      contactDeadline: '2026-03-09T20:59:59.999Z',
      bankNames: { '0062': 'Garanti BBVA', '0012': 'Halkbank' },
      declinedBankCodes: ['0046'],
      informationRequests: [
        {
          requestId: question,
          bankCode: '0062',
          question: 'Son iki yılın bilançosunu paylaşır mısınız?',
          requestedAt: '2026-03-03T10:00:00.000+03:00',
          answer: 'Portala yükledik.',
          answeredAt: '2026-03-03T14:00:00.000+03:00',
        },
        {
          requestId: expect.any(String),
          bankCode: '0012',
          question: 'Almanya siparişlerinin vadesi nedir?',
          requestedAt: '2026-03-03T10:05:00.000+03:00',
          answer: null,
          answeredAt: null,
        },
      ],
      // every event of the application stream; the bank registration is not one
      version: 12,
      lastPosition: '13',
    });

    expect(
      timeline.map((entry) => [entry.position, entry.type, entry.bankCode, entry.summaryTr]),
    ).toEqual([
      ['2', 'ApplicationSubmitted', null, 'Başvuru yapıldı: IHR-KOBI, 1.500.000,00 ₺, 12 ay'],
      ['3', 'ApplicationDataCollected', null, 'Firma verileri kamu kaynaklarından toplandı'],
      ['4', 'ApplicationScored', null, 'Değerlendirme tamamlandı: kefalete uygun'],
      ['5', 'ApplicationOpenedForBidding', null, '3 ortak bankaya teklife açıldı'],
      // no offer from Garanti yet: the bank is named by its code
      ['6', 'InformationRequested', '0062', 'Ek bilgi istendi (Banka 0062)'],
      ['7', 'InformationRequested', '0012', 'Ek bilgi istendi (Banka 0012)'],
      ['8', 'InformationProvided', '0062', 'Bilgi talebi yanıtlandı (Banka 0062)'],
      ['9', 'OfferSubmitted', '0062', 'Teklif verildi (Garanti BBVA)'],
      ['10', 'OfferSubmitted', '0012', 'Teklif verildi (Halkbank)'],
      ['11', 'BankDeclined', '0046', 'Teklif vermeyeceğini bildirdi (Banka 0046)'],
      [
        '12',
        'BiddingClosed',
        null,
        'Tüm bankalar yanıtladı, teklif süreci erken kapandı: 2 teklif',
      ],
      ['13', 'OfferSelected', '0012', 'Teklif seçildi (Halkbank)'],
    ]);
    expect(timeline[0]).toEqual({
      position: '2',
      type: 'ApplicationSubmitted',
      occurredAt: '2026-03-02T09:30:00.000+03:00',
      actor: { kind: 'user', role: 'exporter', bankCode: null },
      bankCode: null,
      summaryTr: 'Başvuru yapıldı: IHR-KOBI, 1.500.000,00 ₺, 12 ay',
      summaryEn: 'Application submitted: IHR-KOBI, 1,500,000.00 TRY, 12 months',
    });
    expect(timeline[7]).toMatchObject({
      actor: { kind: 'user', role: 'bank', bankCode: '0062' },
      summaryEn: 'Offer submitted (Garanti BBVA)',
    });
    expect(timeline[2]?.actor).toEqual({ kind: 'system', name: 'scoring-model' });
    expect(JSON.stringify(timeline)).not.toContain(EXPORTER_ID);
  });

  it('records a data delay until the data arrives, and a rejection with its reasons', () => {
    const history = new History();
    history.submitted(APP);
    history.at('2026-03-02T09:30:05.000+03:00').dataDelayed(APP);
    expect(detail(history)).toMatchObject({
      status: 'AWAITING_DATA',
      dataDelay: { unavailableSources: ['SGK'], retryAt: '2026-03-02T06:31:05.000Z', attempt: 1 },
    });

    history.at('2026-03-02T09:31:05.000+03:00').dataCollected(APP);
    history.scored(APP, { eligible: false, creditNote: 6 });
    history.rejected(APP);
    const doc = detail(history);
    expect(doc).toMatchObject({
      status: 'REJECTED',
      dataDelay: null,
      decision: { eligible: false, creditNote: 6, creditNoteLabel: 'Çok Riskli' },
      rejection: { reasons: [{ code: 'UNSETTLED_CHEQUES', kind: 'KNOCKOUT' }] },
    });
    expect(doc.timeline.map((entry) => entry.summaryEn)).toEqual([
      'Application submitted: IHR-KOBI, 1,500,000.00 TRY, 12 months',
      'Data sources did not answer (SGK); will retry',
      'Firm data collected from public sources',
      'Assessed: not eligible',
      'Application rejected',
    ]);
  });

  it('ignores a replayed event', () => {
    const { history } = selected();
    const doc = detail(history);
    for (const event of history.events.slice(-3)) expect(evolveDetail(doc, event)).toBe(doc);
  });
});

describe('detail views', () => {
  it('shows the firm and analysts everything, the credit note included (R6)', () => {
    const doc = detail(selected().history);
    expect(detailForFirm(doc)).toEqual(doc);
    expect(detailForAnalyst(doc)).toEqual(doc);
    expect(detailForFirm(doc).decision?.creditNote).toBe(3);
  });

  it("shows a bank the eligibility, not the note, score or reasons, and none of the others' doings", () => {
    const { history, question } = selected();
    const view = detailForBank(detail(history), GARANTI.code);
    if (view === undefined) throw new Error('no view');

    expect(view.eligibility).toEqual({
      packageCode: 'IHR-KOBI',
      guaranteeRatio: '90',
      guaranteeAmount: '1350000.00',
      currency: 'TRY',
    });
    expect(view.informationRequests.map((request) => request.requestId)).toEqual([question]);
    expect(view.timeline.map((entry) => entry.type)).toEqual([
      'ApplicationSubmitted',
      'ApplicationDataCollected',
      'ApplicationScored',
      'ApplicationOpenedForBidding',
      'InformationRequested',
      'InformationProvided',
      'OfferSubmitted',
      'BiddingClosed',
    ]);
    expect(view).toMatchObject({ chosen: false, referenceNumber: null, declined: false });

    const json = JSON.stringify(view);
    for (const secret of [
      'creditNote',
      '"score"',
      'reasons',
      'İyi',
      'EXPORT_HISTORY',
      'Halkbank',
      'Almanya',
      '"0012"',
      '"0046"',
      'TRN-',
      '44.0000',
    ]) {
      expect(json).not.toContain(secret);
    }
  });

  it('tells the chosen bank the reference number and the contact deadline', () => {
    const view = detailForBank(detail(selected().history), HALKBANK.code);
    expect(view).toMatchObject({
      chosen: true,
      referenceNumber: 'TRN-7K3M-Q9PX-2DC',
      contactDeadline: '2026-03-09T20:59:59.999Z',
    });
    expect(view?.timeline.at(-1)?.summaryTr).toBe('Teklif seçildi (Halkbank)');
  });

  it('shows a declining bank its decline', () => {
    expect(detailForBank(detail(selected().history), AKBANK.code)).toMatchObject({
      declined: true,
      informationRequests: [],
    });
  });

  it('shows nothing to a bank the application was never opened to', () => {
    expect(detailForBank(detail(selected().history), '0067')).toBeUndefined();
  });
});

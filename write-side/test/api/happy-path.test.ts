import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applicationBody,
  buildApp,
  offerTerms,
  ofApplication,
  sessionCookie,
  type Response,
  type TestApp,
} from './helper';

/*
 * One firm's whole journey through the HTTP API, on the real SQLite log and the real scheduler:
 * membership (R1, R2), an instant decision (R3–R7), bidding (R8–R12), the close by the clock (R8),
 * selection and the application to the bank (R14, R15), and a second application whose selection
 * window lapses (R15).
 */

const KAYSERI_VKN = '3100233312'; // three authorised persons in the sandbox MERSIS
const GULSUM = { tckn: '10000002294', name: 'Gülsüm Şimşek' };
const BANKS = ['0062', '0012', '0046'] as const;

let t: TestApp;

beforeAll(async () => {
  t = await buildApp();
});

afterAll(async () => {
  await t?.close();
});

function expectProblem(response: Response, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, code });
}

async function eventTypes(applicationId: string): Promise<string[]> {
  return (await t.events()).filter(ofApplication(applicationId)).map((e) => e.type);
}

describe('an exporter from registration to the bank', () => {
  it('registers, verifies, signs, applies, collects bids, selects and applies to the bank', async () => {
    // --- R1: register with the TCKN MERSIS lists for the firm, then verify the firm -------------
    const registered = await t.send('POST', '/api/auth/register', {
      payload: {
        fullName: GULSUM.name,
        tckn: GULSUM.tckn,
        email: 'gulsum@kayseri-mobilya.test',
        mobilePhone: '05329876543',
        password: 'kayseri-mobilya-2026!',
      },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    expect(registered.json().user).toMatchObject({
      fullName: GULSUM.name,
      role: 'exporter',
      firms: [],
      contractsSigned: false,
    });
    const me = sessionCookie(registered);
    const memberId: string = registered.json().user.id;
    const memberEvents = (await t.events()).filter((e) => e.stream === `member-${memberId}`);
    expect(memberEvents.map((e) => e.type)).toEqual(['MemberRegistered']);
    // secrets stay out of the log
    const log = JSON.stringify((await t.events()).map((e) => [e.data, e.metadata]));
    expect(log).not.toContain('kayseri-mobilya-2026!');
    expect(log).not.toContain('scrypt$');

    // not yet a member of the firm: the application is refused before any data is pulled
    const tooEarly = await t.send('POST', '/api/applications', {
      cookie: me,
      payload: applicationBody({ firmVkn: KAYSERI_VKN }),
    });
    expectProblem(tooEarly, 403, 'NOT_A_FIRM_MEMBER');

    const verified = await t.send('POST', '/api/firms/verify', {
      cookie: me,
      payload: { vkn: KAYSERI_VKN },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().firm).toMatchObject({
      vkn: KAYSERI_VKN,
      title: 'Kayseri Mobilya Grubu A.Ş.',
    });
    expect(verified.json().firm.authorisedPersons).toHaveLength(3);
    const membership = await t.waitForEvent(
      'FirmMembershipVerified',
      (e) => e.stream === `firm-${KAYSERI_VKN}`,
    );
    expect(membership.data).toMatchObject({ firmVkn: KAYSERI_VKN, memberId });

    // --- R2: both contracts, one with e-imza and one with mobil imza -------------------------
    const unsigned = await t.send('POST', '/api/applications', {
      cookie: me,
      payload: applicationBody({ firmVkn: KAYSERI_VKN }),
    });
    expectProblem(unsigned, 409, 'CONTRACTS_NOT_SIGNED');

    const listed = await t.send('GET', '/api/contracts', { cookie: me });
    expect(listed.statusCode).toBe(200);
    const contracts: { id: string; version: string; sha256: string; signed: boolean }[] =
      listed.json().contracts;
    expect(contracts).toHaveLength(2);
    expect(contracts.every((c) => !c.signed)).toBe(true);
    const [first, second] = contracts as [(typeof contracts)[0], (typeof contracts)[0]];

    const eImza = await t.send('POST', `/api/contracts/${first.id}/sign`, {
      cookie: me,
      payload: { method: 'E_IMZA', contractVersion: first.version },
    });
    expect(eImza.statusCode, eImza.body).toBe(200);
    expect(eImza.json()).toEqual({ signed: true, contractId: first.id, version: first.version });

    const challenge = await t.send('POST', `/api/contracts/${second.id}/sign`, {
      cookie: me,
      payload: { method: 'MOBIL_IMZA' },
    });
    expect(challenge.statusCode, challenge.body).toBe(202);
    expect(challenge.json().challenge.phoneHint).toMatch(/6543$/);
    const inbox = await t.send('GET', '/api/demo/inbox');
    const sms: { to: string; text: string } = inbox.json().messages[0];
    expect(sms.to).toMatch(/6543$/);
    const otp = /\b(\d{6})\b/.exec(sms.text)?.[1];
    expect(otp).toBeDefined();
    const mobil = await t.send('POST', `/api/contracts/${second.id}/sign`, {
      cookie: me,
      payload: { method: 'MOBIL_IMZA', otp },
    });
    expect(mobil.statusCode, mobil.body).toBe(200);

    const signatures = (await t.events()).filter(
      (e) => e.stream === `member-${memberId}` && e.type === 'ContractSigned',
    );
    expect(signatures.map((e) => e.data)).toEqual([
      expect.objectContaining({
        contractId: first.id,
        contractSha256: first.sha256,
        method: 'E_IMZA',
        signerName: GULSUM.name,
      }),
      expect.objectContaining({
        contractId: second.id,
        contractSha256: second.sha256,
        method: 'MOBIL_IMZA',
        signerName: GULSUM.name,
      }),
    ]);
    const signedNow = await t.send('GET', '/api/auth/me', { cookie: me });
    expect(signedNow.json().user).toMatchObject({
      contractsSigned: true,
      firms: [{ vkn: KAYSERI_VKN, title: 'Kayseri Mobilya Grubu A.Ş.' }],
    });

    // --- R3–R7: two applications, each decided in the same response ---------------------------
    const apply = async (purpose: string) => {
      const response = await t.send('POST', '/api/applications', {
        cookie: me,
        payload: applicationBody({ firmVkn: KAYSERI_VKN, purpose }),
      });
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json();
      expect(body).toMatchObject({
        status: 'BIDDING',
        decision: { eligible: true, currency: 'TRY' },
        // 7 business days from Thursday 3 December: Monday 14 December, end of day Istanbul
        biddingClosesAt: '2026-12-14T20:59:59.999Z',
      });
      expect(body.decision.creditNote).toBeGreaterThanOrEqual(1);
      expect(body.decision.creditNote).toBeLessThanOrEqual(7);
      return body.applicationId as string;
    };
    const applicationId = await apply('Mobilya ihracatı için hammadde finansmanı');
    const lapsingId = await apply('Fuar katılımı ve stok finansmanı');
    expect(await eventTypes(applicationId)).toEqual([
      'ApplicationSubmitted',
      'ApplicationDataCollected',
      'ApplicationScored',
      'ApplicationOpenedForBidding',
    ]);
    const opened = await t.waitForEvent(
      'ApplicationOpenedForBidding',
      ofApplication(applicationId),
    );
    // R7: every partner bank at once
    expect((opened.data as { partnerBankCodes: string[] }).partnerBankCodes).toHaveLength(12);

    // --- R8–R12: three banks bid; one revises, one withdraws ---------------------------------
    const bankCookies = new Map<string, string>();
    for (const code of BANKS) bankCookies.set(code, await t.login(`bank.${code}@demo.test`));
    const bank = (code: (typeof BANKS)[number]) => bankCookies.get(code)!;

    const offerIds = new Map<string, string>();
    for (const [index, code] of BANKS.entries()) {
      const bid = await t.send('POST', `/api/applications/${applicationId}/offers`, {
        cookie: bank(code),
        payload: offerTerms({
          interestRate: `${40 + index}.25`,
          branchCode: `${code.slice(1)}1`,
          email: `kredi@bank${code}.example`,
        }),
      });
      expect(bid.statusCode, bid.body).toBe(201);
      expect(bid.json()).toEqual({ offerId: expect.any(String), version: 1 });
      offerIds.set(code, bid.json().offerId);
      // the lapsing application gets one offer only
      if (code === '0046') {
        const other = await t.send('POST', `/api/applications/${lapsingId}/offers`, {
          cookie: bank(code),
          payload: offerTerms(),
        });
        expect(other.statusCode, other.body).toBe(201);
        offerIds.set('lapsing', other.json().offerId);
      }
    }
    const submitted = (await t.events()).filter(
      (e) => e.type === 'OfferSubmitted' && ofApplication(applicationId)(e),
    );
    expect(submitted.map((e) => (e.data as { bankCode: string }).bankCode)).toEqual([...BANKS]);
    // the bank comes from the session and the offer date from the (manual) clock
    expect(submitted[0]?.data).toMatchObject({
      bankCode: '0062',
      bankName: 'Garanti BBVA',
      version: 1,
      terms: { offerDate: '2026-12-03', interestRate: '40.25', totalRepaymentAmount: '1250000.00' },
    });
    expect(submitted[0]?.metadata).toMatchObject({
      actor: { kind: 'user', role: 'bank', bankCode: '0062' },
    });

    const revised = await t.send(
      'PUT',
      `/api/applications/${applicationId}/offers/${offerIds.get('0012')}`,
      { cookie: bank('0012'), payload: offerTerms({ interestRate: '38.75' }) },
    );
    expect(revised.statusCode, revised.body).toBe(200);
    expect(revised.json()).toEqual({ offerId: offerIds.get('0012'), version: 2 });
    const revision = await t.waitForEvent('OfferRevised', ofApplication(applicationId));
    expect(revision.data).toMatchObject({
      offerId: offerIds.get('0012'),
      version: 2,
      terms: { interestRate: '38.75' },
    });

    const withdrawn = await t.send(
      'POST',
      `/api/applications/${applicationId}/offers/${offerIds.get('0046')}/withdraw`,
      { cookie: bank('0046'), payload: { reason: 'BANK_DECISION' } },
    );
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toEqual({ offerId: offerIds.get('0046'), status: 'withdrawn' });
    const withdrawal = await t.waitForEvent('OfferWithdrawn', ofApplication(applicationId));
    expect(withdrawal.data).toMatchObject({ bankCode: '0046', reason: 'BANK_DECISION' });

    // the firm cannot pick while the window is open (R14)
    expect(await eventTypes(applicationId)).not.toContain('BiddingClosed');

    // --- R8: the window closes by itself when the clock passes the deadline -------------------
    const clock = await t.send('POST', '/api/test/clock', { payload: { advance: 'P12D' } });
    expect(clock.statusCode, clock.body).toBe(200);
    expect(clock.json().now).toBe('2026-12-15T07:00:00.000Z');
    const closed = await t.waitForEvent('BiddingClosed', ofApplication(applicationId));
    expect(closed.data).toMatchObject({
      applicationId,
      closedAt: '2026-12-14T20:59:59.999Z',
      early: false,
      // two business days after Monday 14 December
      selectionDeadline: '2026-12-16T20:59:59.999Z',
    });
    expect(new Set((closed.data as { liveOfferIds: string[] }).liveOfferIds)).toEqual(
      new Set([offerIds.get('0062'), offerIds.get('0012')]),
    );
    expect(closed.metadata).toMatchObject({
      actor: { kind: 'system', name: 'deadline-scheduler' },
    });
    await t.waitForEvent('BiddingClosed', ofApplication(lapsingId));

    // a late bid is refused
    const late = await t.send('POST', `/api/applications/${applicationId}/offers`, {
      cookie: bank('0046'),
      payload: offerTerms(),
    });
    expectProblem(late, 409, 'BIDDING_CLOSED');

    // --- R14, R15: the firm selects; the chosen bank records the application -----------------
    const selected = await t.send('POST', `/api/applications/${applicationId}/selection`, {
      cookie: me,
      payload: { offerId: offerIds.get('0012') },
    });
    expect(selected.statusCode, selected.body).toBe(200);
    const selection = selected.json();
    expect(selection).toMatchObject({
      applicationId,
      offerId: offerIds.get('0012'),
      bankCode: '0012',
      bankName: 'Türkiye Halk Bankası',
      referenceNumber: (closed.data as { referenceNumber: string }).referenceNumber,
      contactDeadline: '2026-12-16T20:59:59.999Z',
    });
    expect(selection.referenceNumber).toMatch(/^TRN-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}$/);

    // another bank cannot record it, and a mistyped number is caught
    const wrongBank = await t.send('POST', `/api/applications/${applicationId}/bank-application`, {
      cookie: bank('0062'),
      payload: { referenceNumber: selection.referenceNumber },
    });
    expectProblem(wrongBank, 403, 'NOT_THE_SELECTED_BANK');
    const mistyped = `${selection.referenceNumber.slice(0, -1)}${
      selection.referenceNumber.endsWith('0') ? '1' : '0'
    }`;
    const wrongNumber = await t.send(
      'POST',
      `/api/applications/${applicationId}/bank-application`,
      { cookie: bank('0012'), payload: { referenceNumber: mistyped } },
    );
    expectProblem(wrongNumber, 422, 'WRONG_REFERENCE_NUMBER');
    expect(wrongNumber.json().errors).toEqual([
      { field: 'referenceNumber', reason: expect.any(String) },
    ]);

    // typed by a person: lower case and without dashes is the same number
    const typed = selection.referenceNumber.toLowerCase().replaceAll('-', ' ');
    const applied = await t.send('POST', `/api/applications/${applicationId}/bank-application`, {
      cookie: bank('0012'),
      payload: { referenceNumber: typed },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toEqual({
      applicationId,
      status: 'APPLIED_TO_BANK',
      referenceNumber: selection.referenceNumber,
    });

    // --- R15: the second application is selected but nobody applies within 2 business days ----
    const selectedLapsing = await t.send('POST', `/api/applications/${lapsingId}/selection`, {
      cookie: me,
      payload: { offerId: offerIds.get('lapsing') },
    });
    expect(selectedLapsing.statusCode, selectedLapsing.body).toBe(200);
    expect(
      (await t.send('POST', '/api/test/clock', { payload: { advance: 'P3D' } })).statusCode,
    ).toBe(200);
    const lapsed = await t.waitForEvent('SelectionWindowLapsed', ofApplication(lapsingId));
    expect(lapsed.data).toMatchObject({
      applicationId: lapsingId,
      lapsedAt: '2026-12-16T20:59:59.999Z',
    });
    expect(lapsed.metadata).toMatchObject({
      actor: { kind: 'system', name: 'deadline-scheduler' },
    });

    // the whole story of both applications, as the log tells it
    expect(await eventTypes(applicationId)).toEqual([
      'ApplicationSubmitted',
      'ApplicationDataCollected',
      'ApplicationScored',
      'ApplicationOpenedForBidding',
      'OfferSubmitted',
      'OfferSubmitted',
      'OfferSubmitted',
      'OfferRevised',
      'OfferWithdrawn',
      'BiddingClosed',
      'OfferSelected',
      'FirmAppliedToBank',
    ]);
    expect(await eventTypes(lapsingId)).toEqual([
      'ApplicationSubmitted',
      'ApplicationDataCollected',
      'ApplicationScored',
      'ApplicationOpenedForBidding',
      'OfferSubmitted',
      'BiddingClosed',
      'OfferSelected',
      'SelectionWindowLapsed',
    ]);
  });
});

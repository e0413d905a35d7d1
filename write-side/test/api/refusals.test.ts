import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationBody, buildApp, offerTerms, type Response, type TestApp } from './helper';

/*
 * Business refusals (the deciders' CommandRefused) reach the client as problem+json with the
 * refusal's status and code, and write nothing. The states are reached through the API itself.
 */

let t: TestApp;
let exporter: string;
let bank: string;
let open: string; // an application in BIDDING with one live offer
let offerId: string;
let rejected: string; // an ineligible application (REJECTED)
let cancelled: string;

beforeAll(async () => {
  t = await buildApp();
  [exporter, bank] = await Promise.all([
    t.login('exporter@demo.test'),
    t.login('bank.0062@demo.test'),
  ]);
  const apply = async (overrides: Record<string, unknown> = {}) => {
    const response = await t.send('POST', '/api/applications', {
      cookie: exporter,
      payload: applicationBody(overrides),
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().applicationId as string;
  };
  open = await apply();
  rejected = await apply({ amount: '30000000.00' });
  cancelled = await apply();
  const bid = await t.send('POST', `/api/applications/${open}/offers`, {
    cookie: bank,
    payload: offerTerms(),
  });
  expect(bid.statusCode, bid.body).toBe(201);
  offerId = bid.json().offerId;
  const cancel = await t.send('POST', `/api/applications/${cancelled}/cancel`, {
    cookie: exporter,
    payload: { reason: 'Vazgeçtik' },
  });
  expect(cancel.statusCode, cancel.body).toBe(200);
  expect(cancel.json()).toEqual({ applicationId: cancelled, status: 'CANCELLED' });
});

afterAll(async () => {
  await t?.close();
});

function expectProblem(response: Response, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, code, title: expect.any(String) });
}

interface Refusal {
  readonly name: string;
  readonly who: () => string;
  readonly method?: 'POST' | 'PUT';
  readonly url: () => string;
  readonly payload: () => unknown;
  readonly status: number;
  readonly code: string;
}

const REFUSALS: readonly Refusal[] = [
  {
    name: 'a second live offer from the same bank',
    who: () => bank,
    url: () => `/api/applications/${open}/offers`,
    payload: () => offerTerms(),
    status: 409,
    code: 'OFFER_ALREADY_SUBMITTED',
  },
  {
    name: 'declining with a live offer',
    who: () => bank,
    url: () => `/api/applications/${open}/decline`,
    payload: () => ({}),
    status: 409,
    code: 'OFFER_ALREADY_SUBMITTED',
  },
  {
    name: 'revising an offer that does not exist',
    who: () => bank,
    method: 'PUT',
    url: () => `/api/applications/${open}/offers/${randomUUID()}`,
    payload: () => offerTerms(),
    status: 404,
    code: 'OFFER_NOT_FOUND',
  },
  {
    name: 'an offer on an application that does not exist',
    who: () => bank,
    url: () => `/api/applications/${randomUUID()}/offers`,
    payload: () => offerTerms(),
    status: 404,
    code: 'APPLICATION_NOT_FOUND',
  },
  {
    name: 'selecting on an application that does not exist',
    who: () => exporter,
    url: () => `/api/applications/${randomUUID()}/selection`,
    payload: () => ({ offerId }),
    status: 404,
    code: 'APPLICATION_NOT_FOUND',
  },
  {
    name: 'answering a question never asked',
    who: () => exporter,
    url: () => `/api/applications/${open}/information-requests/${randomUUID()}/answer`,
    payload: () => ({ answer: 'Ektedir.' }),
    status: 404,
    code: 'REQUEST_NOT_FOUND',
  },
  {
    name: 'a repayment below the amount lent',
    who: () => bank,
    method: 'PUT',
    url: () => `/api/applications/${open}/offers/${offerId}`,
    payload: () => offerTerms({ totalRepaymentAmount: '999999.99' }),
    status: 422,
    code: 'REPAYMENT_BELOW_AMOUNT',
  },
  {
    name: 'upfront costs that eat the loan',
    who: () => bank,
    method: 'PUT',
    url: () => `/api/applications/${open}/offers/${offerId}`,
    payload: () =>
      offerTerms({ totalExpenseAmount: '600000.00', totalCommissionAmount: '400000.00' }),
    status: 422,
    code: 'UPFRONT_COSTS_TOO_HIGH',
  },
  {
    name: 'a grace period over the package maximum',
    who: () => bank,
    method: 'PUT',
    url: () => `/api/applications/${open}/offers/${offerId}`,
    payload: () => offerTerms({ principalGraceMonths: 7 }),
    status: 422,
    code: 'GRACE_TOO_LONG',
  },
  {
    name: 'an R16 reason before the close that needs the window lapsed',
    who: () => bank,
    url: () => `/api/applications/${open}/offers/${offerId}/withdraw`,
    payload: () => ({ reason: 'SELECTION_WINDOW_LAPSED' }),
    status: 409,
    code: 'SELECTION_WINDOW_NOT_LAPSED',
  },
  {
    name: 'a contract that does not exist',
    who: () => exporter,
    url: () => '/api/contracts/no-such-contract/sign',
    payload: () => ({ method: 'E_IMZA' }),
    status: 404,
    code: 'CONTRACT_NOT_FOUND',
  },
  {
    name: 'a mobile code that was never sent',
    who: () => exporter,
    url: () => '/api/contracts/kvkk-aydinlatma/sign',
    payload: () => ({ method: 'MOBIL_IMZA', otp: '123456' }),
    status: 409,
    code: 'NO_PENDING_CODE',
  },
  {
    name: 'an application longer than its package allows',
    who: () => exporter,
    url: () => '/api/applications',
    payload: () => applicationBody({ maturityMonths: 36 }),
    status: 422,
    code: 'MATURITY_TOO_LONG',
  },
];

/** Refusals because the application is in the wrong state for the command (decide.ts wrongStatus). */
const WRONG_STATUS: readonly Refusal[] = [
  {
    name: 'selecting an offer while the bidding is open',
    who: () => exporter,
    url: () => `/api/applications/${open}/selection`,
    payload: () => ({ offerId }),
    status: 409,
    code: 'WRONG_STATUS',
  },
  {
    name: 'recording the application to the bank before any selection',
    who: () => bank,
    url: () => `/api/applications/${open}/bank-application`,
    payload: () => ({ referenceNumber: 'TRN-0000-0000-000' }),
    status: 409,
    code: 'WRONG_STATUS',
  },
  {
    name: 'bidding on a rejected application',
    who: () => bank,
    url: () => `/api/applications/${rejected}/offers`,
    payload: () => offerTerms(),
    status: 409,
    code: 'WRONG_STATUS',
  },
  {
    name: 'cancelling a rejected application',
    who: () => exporter,
    url: () => `/api/applications/${rejected}/cancel`,
    payload: () => ({}),
    status: 409,
    code: 'WRONG_STATUS',
  },
  {
    name: 'bidding on a cancelled application',
    who: () => bank,
    url: () => `/api/applications/${cancelled}/offers`,
    payload: () => offerTerms(),
    status: 409,
    code: 'WRONG_STATUS',
  },
];

async function attempt(refusal: Refusal) {
  const position = await t.store.lastPosition();
  const response = await t.send(refusal.method ?? 'POST', refusal.url(), {
    cookie: refusal.who(),
    payload: refusal.payload(),
  });
  expect(await t.store.lastPosition()).toBe(position);
  return response;
}

describe('business refusals', () => {
  it.each(REFUSALS.map((r) => [r.name, r] as const))('%s', async (_name, refusal) => {
    expectProblem(await attempt(refusal), refusal.status, refusal.code);
  });

  it('a refusal that names its field says so in errors', async () => {
    const response = await attempt(REFUSALS.find((r) => r.code === 'GRACE_TOO_LONG')!);
    expect(response.json().errors).toEqual([
      { field: 'principalGraceMonths', reason: expect.any(String) },
    ]);
    expect(response.json().maxGraceMonths).toBe(6);
  });

  it('cancelling twice is idempotent', async () => {
    const again = await t.send('POST', `/api/applications/${cancelled}/cancel`, {
      cookie: exporter,
      payload: {},
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().status).toBe('CANCELLED');
  });

  it('an e-mail already registered, in any case, is a 409 that creates nobody', async () => {
    const users = t.identity.countUsers();
    const position = await t.store.lastPosition();
    const response = await t.send('POST', '/api/auth/register', {
      payload: {
        fullName: 'Ayşe Yılmaz',
        tckn: '10000000146',
        email: 'EXPORTER@demo.test',
        mobilePhone: '05321234500',
        password: 'another-long-password',
      },
    });
    expect(await t.store.lastPosition()).toBe(position);
    expectProblem(response, 409, 'EMAIL_TAKEN');
    expect(response.json().errors).toEqual([{ field: 'email', reason: expect.any(String) }]);
    expect(t.identity.countUsers()).toBe(users);
  });

  it('mobil imza: wrong codes are counted; the sixth try burns the code', async () => {
    const url = '/api/contracts/kvkk-aydinlatma/sign';
    const challenge = await t.send('POST', url, {
      cookie: exporter,
      payload: { method: 'MOBIL_IMZA' },
    });
    expect(challenge.statusCode, challenge.body).toBe(202);
    const text: string = (await t.send('GET', '/api/demo/inbox')).json().messages[0].text;
    const code = /\b(\d{6})\b/.exec(text)![1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    const position = await t.store.lastPosition();
    const sign = (otp: string) =>
      t.send('POST', url, { cookie: exporter, payload: { method: 'MOBIL_IMZA', otp } });
    for (let i = 0; i < 5; i++) expectProblem(await sign(wrong), 422, 'WRONG_CODE');
    expectProblem(await sign(wrong), 429, 'TOO_MANY_ATTEMPTS');
    // the right code comes too late: it was thrown away with the challenge
    expectProblem(await sign(code), 409, 'NO_PENDING_CODE');
    expect(await t.store.lastPosition()).toBe(position);
  });

  // a refusal's details (here the application's currentStatus) never override the problem's own
  // members, so these stay 409s and never become a 500
  it.each(WRONG_STATUS.map((r) => [r.name, r] as const))(
    '%s is a 409 WRONG_STATUS, not a 500',
    async (_name, refusal) => {
      expectProblem(await attempt(refusal), refusal.status, refusal.code);
    },
  );

  it('the wrong-status refusals write nothing', async () => {
    for (const refusal of WRONG_STATUS) await attempt(refusal);
  });
});

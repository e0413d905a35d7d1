import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_CONTRACTS } from '../../src/signing/contracts';
import {
  applicationBody,
  buildApp,
  FIRM2_VKN,
  FIRM_VKN,
  HOST,
  offerTerms,
  ofApplication,
  type Response,
  type TestApp,
} from './helper';

/*
 * Who may do what: the role comes from the session, a bank acts for its own bank only, an exporter
 * for its own firm only, analysts only read; no session is a 401 and a foreign Origin a 403. Every
 * refusal leaves the log as it was.
 */

let t: TestApp;
let exporter: string;
let exporter2: string;
let analyst: string;
let garanti: string; // bank 0062
let halkbank: string; // bank 0012
let applicationId: string;
let offerId: string;
let requestId: string;

beforeAll(async () => {
  t = await buildApp();
  [exporter, exporter2, analyst, garanti, halkbank] = await Promise.all([
    t.login('exporter@demo.test'),
    t.login('exporter2@demo.test'),
    t.login('analyst@demo.test'),
    t.login('bank.0062@demo.test'),
    t.login('bank.0012@demo.test'),
  ]);
  const applied = await t.send('POST', '/api/applications', {
    cookie: exporter,
    payload: applicationBody(),
  });
  expect(applied.statusCode, applied.body).toBe(201);
  applicationId = applied.json().applicationId;
  const bid = await t.send('POST', `/api/applications/${applicationId}/offers`, {
    cookie: garanti,
    payload: offerTerms(),
  });
  expect(bid.statusCode, bid.body).toBe(201);
  offerId = bid.json().offerId;
  const asked = await t.send('POST', `/api/applications/${applicationId}/information-requests`, {
    cookie: garanti,
    payload: { question: 'Son iki yılın bilançosunu paylaşır mısınız?' },
  });
  expect(asked.statusCode, asked.body).toBe(201);
  requestId = asked.json().requestId;
});

afterAll(async () => {
  await t?.close();
});

function expectProblem(response: Response, status: number, code?: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json();
  expect(body).toMatchObject({
    status,
    title: expect.any(String),
    code: code ?? expect.any(String),
  });
}

/** Runs `act` and asserts it wrote nothing. */
async function unchanged<T>(act: () => Promise<T>): Promise<T> {
  const before = await t.store.lastPosition();
  const result = await act();
  expect(await t.store.lastPosition()).toBe(before);
  return result;
}

interface Command {
  readonly name: string;
  readonly method: 'POST' | 'PUT';
  readonly url: () => string;
  readonly payload: () => unknown;
}

/** Every state-changing route of the API, each with a body that passes validation. */
const COMMANDS: readonly Command[] = [
  {
    name: 'verify a firm',
    method: 'POST',
    url: () => '/api/firms/verify',
    payload: () => ({ vkn: FIRM_VKN }),
  },
  {
    name: 'sign a contract',
    method: 'POST',
    url: () => `/api/contracts/${PORTAL_CONTRACTS[0]!.id}/sign`,
    payload: () => ({ method: 'E_IMZA' }),
  },
  {
    name: 'apply',
    method: 'POST',
    url: () => '/api/applications',
    payload: () => applicationBody(),
  },
  {
    name: 'cancel',
    method: 'POST',
    url: () => `/api/applications/${applicationId}/cancel`,
    payload: () => ({ reason: 'test' }),
  },
  {
    name: 'submit an offer',
    method: 'POST',
    url: () => `/api/applications/${applicationId}/offers`,
    payload: () => offerTerms(),
  },
  {
    name: 'revise an offer',
    method: 'PUT',
    url: () => `/api/applications/${applicationId}/offers/${offerId}`,
    payload: () => offerTerms({ interestRate: '39' }),
  },
  {
    name: 'withdraw an offer',
    method: 'POST',
    url: () => `/api/applications/${applicationId}/offers/${offerId}/withdraw`,
    payload: () => ({ reason: 'BANK_DECISION' }),
  },
  {
    name: 'decline',
    method: 'POST',
    url: () => `/api/applications/${applicationId}/decline`,
    payload: () => ({ note: 'not for us' }),
  },
  {
    name: 'ask the firm',
    method: 'POST',
    url: () => `/api/applications/${applicationId}/information-requests`,
    payload: () => ({ question: 'Teminat önerebilir misiniz?' }),
  },
  {
    name: 'answer a bank',
    method: 'POST',
    url: () => `/api/applications/${applicationId}/information-requests/${requestId}/answer`,
    payload: () => ({ answer: 'Ekte gönderdik.' }),
  },
  {
    name: 'select an offer',
    method: 'POST',
    url: () => `/api/applications/${applicationId}/selection`,
    payload: () => ({ offerId }),
  },
  {
    name: 'record the application to the bank',
    method: 'POST',
    url: () => `/api/applications/${applicationId}/bank-application`,
    payload: () => ({ referenceNumber: 'TRN-0000-0000-000' }),
  },
];

const EXPORTER_COMMANDS = new Set([
  'verify a firm',
  'sign a contract',
  'apply',
  'cancel',
  'answer a bank',
  'select an offer',
]);

describe('a bank acts for its own bank only', () => {
  it("cannot revise another bank's offer", async () => {
    const response = await unchanged(() =>
      t.send('PUT', `/api/applications/${applicationId}/offers/${offerId}`, {
        cookie: halkbank,
        payload: offerTerms({ interestRate: '10' }),
      }),
    );
    expectProblem(response, 403, 'NOT_YOUR_OFFER');
  });

  it("cannot withdraw another bank's offer", async () => {
    const response = await unchanged(() =>
      t.send('POST', `/api/applications/${applicationId}/offers/${offerId}/withdraw`, {
        cookie: halkbank,
        payload: { reason: 'BANK_DECISION' },
      }),
    );
    expectProblem(response, 403, 'NOT_YOUR_OFFER');
  });

  it('cannot name a bank in the body: the field is unknown', async () => {
    const response = await unchanged(() =>
      t.send('POST', `/api/applications/${applicationId}/offers`, {
        cookie: halkbank,
        payload: offerTerms({ bankCode: '0062' }),
      }),
    );
    expectProblem(response, 400, 'VALIDATION_FAILED');
  });

  it('bids as the bank of its session, whatever the query string says', async () => {
    const bid = await t.send('POST', `/api/applications/${applicationId}/offers?bankCode=0062`, {
      cookie: halkbank,
      payload: offerTerms(),
    });
    expect(bid.statusCode, bid.body).toBe(201);
    const recorded = (await t.events()).find(
      (e) =>
        e.type === 'OfferSubmitted' &&
        (e.data as { offerId: string }).offerId === bid.json().offerId,
    );
    expect(recorded?.data).toMatchObject({ bankCode: '0012', bankName: 'Türkiye Halk Bankası' });
  });
});

// another firm's application is as unknown to a stranger's commands as to its queries: a 404
describe("an exporter acts for its own firm only (exporter2 on exporter's application)", () => {
  it('cannot answer a bank', async () => {
    const response = await unchanged(() =>
      t.send(
        'POST',
        `/api/applications/${applicationId}/information-requests/${requestId}/answer`,
        { cookie: exporter2, payload: { answer: 'Başka firmanın cevabı' } },
      ),
    );
    expectProblem(response, 404, 'APPLICATION_NOT_FOUND');
  });

  it('cannot select an offer', async () => {
    const response = await unchanged(() =>
      t.send('POST', `/api/applications/${applicationId}/selection`, {
        cookie: exporter2,
        payload: { offerId },
      }),
    );
    expectProblem(response, 404, 'APPLICATION_NOT_FOUND');
  });

  it('cannot cancel', async () => {
    const response = await unchanged(() =>
      t.send('POST', `/api/applications/${applicationId}/cancel`, {
        cookie: exporter2,
        payload: {},
      }),
    );
    expectProblem(response, 404, 'APPLICATION_NOT_FOUND');
  });

  it("cannot apply in the other firm's name", async () => {
    const response = await unchanged(() =>
      t.send('POST', '/api/applications', {
        cookie: exporter2,
        payload: applicationBody({ firmVkn: FIRM_VKN }),
      }),
    );
    expectProblem(response, 403, 'NOT_A_FIRM_MEMBER');
  });

  it('may act for its own firm', async () => {
    const response = await t.send('POST', '/api/applications', {
      cookie: exporter2,
      payload: applicationBody({ firmVkn: FIRM2_VKN }),
    });
    expect(response.statusCode, response.body).toBe(201);
  });

  it("the firm's own member may answer (the refusals above were about the firm)", async () => {
    const response = await t.send(
      'POST',
      `/api/applications/${applicationId}/information-requests/${requestId}/answer`,
      { cookie: exporter, payload: { answer: 'Bilançolar ektedir.' } },
    );
    expect(response.statusCode, response.body).toBe(200);
    await t.waitForEvent('InformationProvided', ofApplication(applicationId));
  });
});

describe('roles', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    'an analyst cannot %s (403)',
    async (_name, command) => {
      const response = await unchanged(() =>
        t.send(command.method, command.url(), { cookie: analyst, payload: command.payload() }),
      );
      expectProblem(response, 403, 'ROLE_NOT_ALLOWED');
    },
  );

  it.each(COMMANDS.filter((c) => !EXPORTER_COMMANDS.has(c.name)).map((c) => [c.name, c] as const))(
    'an exporter cannot %s (a bank command)',
    async (_name, command) => {
      const response = await unchanged(() =>
        t.send(command.method, command.url(), { cookie: exporter, payload: command.payload() }),
      );
      expectProblem(response, 403, 'ROLE_NOT_ALLOWED');
    },
  );

  it.each(COMMANDS.filter((c) => EXPORTER_COMMANDS.has(c.name)).map((c) => [c.name, c] as const))(
    'a bank cannot %s (an exporter command)',
    async (_name, command) => {
      const response = await unchanged(() =>
        t.send(command.method, command.url(), { cookie: garanti, payload: command.payload() }),
      );
      expectProblem(response, 403, 'ROLE_NOT_ALLOWED');
    },
  );
});

describe('sessions', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    'without a session, %s is a 401',
    async (_name, command) => {
      const response = await unchanged(() =>
        t.send(command.method, command.url(), { payload: command.payload() }),
      );
      expectProblem(response, 401, 'NOT_SIGNED_IN');
    },
  );

  it.each(['/api/auth/me', '/api/contracts'])('GET %s without a session is a 401', async (url) => {
    expectProblem(await t.send('GET', url), 401, 'NOT_SIGNED_IN');
  });

  it('a forged or tampered cookie is no session', async () => {
    const [name, value] = exporter.split('=') as [string, string];
    const [body, mac] = value.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const promoted = Buffer.from(JSON.stringify({ ...payload, role: 'analyst' })).toString(
      'base64url',
    );
    for (const cookie of [
      `${name}=${promoted}.${mac}`,
      `${name}=${body}.${mac.slice(0, -2)}xx`,
      `${name}=garbage`,
      `${name}=%E0%A4%A`,
    ]) {
      expectProblem(await t.send('GET', '/api/auth/me', { cookie }), 401, 'NOT_SIGNED_IN');
    }
  });

  it('after logout the session is gone: /api/auth/me and commands are 401', async () => {
    const cookie = await t.login('exporter@demo.test');
    expect((await t.send('GET', '/api/auth/me', { cookie })).statusCode).toBe(200);
    const out = await t.send('POST', '/api/auth/logout', { cookie });
    expect(out.statusCode).toBe(204);
    // the browser is told to forget the cookie, and the server no longer honours it anyway
    expect(out.cookies.find((c) => c.name === 'kefalet_session')?.value).toBe('');
    expectProblem(await t.send('GET', '/api/auth/me', { cookie }), 401, 'NOT_SIGNED_IN');
    const command = await unchanged(() =>
      t.send('POST', '/api/applications', { cookie, payload: applicationBody() }),
    );
    expectProblem(command, 401, 'NOT_SIGNED_IN');
  });

  it('a wrong password and an unknown e-mail get the same 401', async () => {
    const wrong = await t.send('POST', '/api/auth/login', {
      payload: { email: 'exporter@demo.test', password: 'not-the-password' },
    });
    const unknown = await t.send('POST', '/api/auth/login', {
      payload: { email: 'nobody@demo.test', password: 'not-the-password' },
    });
    expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
    expectProblem(unknown, 401, 'INVALID_CREDENTIALS');
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.cookies).toEqual([]);
  });

  it('logins are throttled per address (429 as problem+json)', async () => {
    const remoteAddress = '192.0.2.77';
    const attempt = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { email: 'nobody@demo.test', password: 'wrong-password' },
      });
    for (let i = 0; i < 10; i++) expect((await attempt()).statusCode).toBe(401);
    expectProblem(await attempt(), 429);
  });
});

describe('cross-origin requests', () => {
  const FOREIGN = [
    'https://evil.example',
    `https://${HOST}.evil.example`,
    `https://${HOST}:8443`,
    'not a url',
  ];

  it.each(FOREIGN)('a command with Origin %s is a 403', async (origin) => {
    const response = await unchanged(() =>
      t.send('POST', '/api/applications', {
        cookie: exporter,
        payload: applicationBody(),
        headers: { origin },
      }),
    );
    expectProblem(response, 403, 'ORIGIN_NOT_ALLOWED');
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    'a foreign Origin cannot %s',
    async (_name, command) => {
      const response = await unchanged(() =>
        t.send(command.method, command.url(), {
          cookie: garanti,
          payload: command.payload(),
          headers: { origin: 'https://evil.example' },
        }),
      );
      expectProblem(response, 403, 'ORIGIN_NOT_ALLOWED');
    },
  );

  it('nor sign in, register or sign out', async () => {
    const headers = { origin: 'https://evil.example' };
    const login = await t.send('POST', '/api/auth/login', {
      headers,
      payload: { email: 'exporter@demo.test', password: 'demo-password-2026' },
    });
    expectProblem(login, 403, 'ORIGIN_NOT_ALLOWED');
    expect(login.cookies).toEqual([]);
    const users = t.identity.countUsers();
    const register = await unchanged(() =>
      t.send('POST', '/api/auth/register', {
        headers,
        payload: {
          fullName: 'Ahmet Şimşek',
          tckn: '10000002126',
          email: 'ahmet@evil.example',
          mobilePhone: '05320000000',
          password: 'long-enough-password',
        },
      }),
    );
    expectProblem(register, 403, 'ORIGIN_NOT_ALLOWED');
    expect(t.identity.countUsers()).toBe(users);
    const cookie = await t.login('exporter2@demo.test');
    expectProblem(
      await t.send('POST', '/api/auth/logout', { cookie, headers }),
      403,
      'ORIGIN_NOT_ALLOWED',
    );
    expect((await t.send('GET', '/api/auth/me', { cookie })).statusCode).toBe(200);
  });

  it('reads stay open to any origin, and the own origin may write', async () => {
    const read = await t.send('GET', '/api/auth/me', {
      cookie: exporter,
      headers: { origin: 'https://evil.example' },
    });
    expect(read.statusCode).toBe(200);
    const write = await t.send('POST', `/api/applications/${randomUUID()}/cancel`, {
      cookie: exporter,
      payload: {},
      headers: { origin: `https://${HOST}` },
    });
    // past the Origin check: the application simply does not exist
    expectProblem(write, 404, 'APPLICATION_NOT_FOUND');
  });
});

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applicationBody,
  buildApp,
  FIRM2_VKN,
  offerTerms,
  ofApplication,
  type Response,
  type TestApp,
} from './helper';

/*
 * Idempotency-Key (ARCHITECTURE.md): a retried command returns the first result and writes nothing
 * new; the same key with another request is a 422.
 */

let t: TestApp;
let exporter: string;
let exporter2: string;
let bank: string;
let keyCounter = 0;

/** A key no other test of this file uses. */
const freshKey = () => `test-key-${String(++keyCounter).padStart(4, '0')}`;

beforeAll(async () => {
  t = await buildApp();
  [exporter, exporter2, bank] = await Promise.all([
    t.login('exporter@demo.test'),
    t.login('exporter2@demo.test'),
    t.login('bank.0062@demo.test'),
  ]);
});

afterAll(async () => {
  await t?.close();
});

function expectProblem(response: Response, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, code, title: expect.any(String) });
}

async function openApplication(): Promise<string> {
  const response = await t.send('POST', '/api/applications', {
    cookie: exporter,
    payload: applicationBody(),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().applicationId;
}

/** The first answer was never stored: the process died between the append and storing it. */
function forgetStoredAnswers() {
  const db = new Database(join(t.dir, 'write-side.sqlite'));
  try {
    db.prepare('DELETE FROM idempotent_responses').run();
  } finally {
    db.close();
  }
}

describe('POST /api/applications with an Idempotency-Key', () => {
  it('answers a retry with the first answer and writes once', async () => {
    const key = freshKey();
    const send = () =>
      t.send('POST', '/api/applications', {
        cookie: exporter,
        payload: applicationBody(),
        headers: { 'idempotency-key': key },
      });
    const before = await t.store.lastPosition();
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const afterFirst = await t.store.lastPosition();
    expect(afterFirst - before).toBe(4n); // submitted, data, scored, opened

    const second = await send();
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
    expect(second.json().applicationId).toBe(first.json().applicationId);
    expect(await t.store.lastPosition()).toBe(afterFirst);

    const written = (await t.events()).filter(ofApplication(first.json().applicationId));
    expect(written).toHaveLength(4);
    expect(written.every((e) => (e.metadata as { idempotencyKey?: string }).idempotencyKey)).toBe(
      true,
    );
  });

  it('refuses the same key with another body (422) and writes nothing', async () => {
    const key = freshKey();
    const first = await t.send('POST', '/api/applications', {
      cookie: exporter,
      payload: applicationBody(),
      headers: { 'idempotency-key': key },
    });
    expect(first.statusCode, first.body).toBe(201);
    const position = await t.store.lastPosition();
    const reused = await t.send('POST', '/api/applications', {
      cookie: exporter,
      payload: applicationBody({ amount: '2000000.00' }),
      headers: { 'idempotency-key': key },
    });
    expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await t.store.lastPosition()).toBe(position);
  });

  it('keeps keys per user: the same key from another user is another request', async () => {
    const key = freshKey();
    const mine = await t.send('POST', '/api/applications', {
      cookie: exporter,
      payload: applicationBody(),
      headers: { 'idempotency-key': key },
    });
    const theirs = await t.send('POST', '/api/applications', {
      cookie: exporter2,
      payload: applicationBody({ firmVkn: FIRM2_VKN }),
      headers: { 'idempotency-key': key },
    });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json().applicationId).not.toBe(mine.json().applicationId);
  });

  it('does not keep a refusal: after a 4xx the same key may carry the corrected request', async () => {
    const key = freshKey();
    const refused = await t.send('POST', '/api/applications', {
      cookie: exporter,
      payload: applicationBody({ maturityMonths: 25 }),
      headers: { 'idempotency-key': key },
    });
    expectProblem(refused, 422, 'MATURITY_TOO_LONG');
    const corrected = await t.send('POST', '/api/applications', {
      cookie: exporter,
      payload: applicationBody({ maturityMonths: 24 }),
      headers: { 'idempotency-key': key },
    });
    expect(corrected.statusCode, corrected.body).toBe(201);
  });

  it('two concurrent requests with one key write one application', async () => {
    const key = freshKey();
    const before = await t.store.lastPosition();
    const responses = await Promise.all(
      [1, 2].map(() =>
        t.send('POST', '/api/applications', {
          cookie: exporter,
          payload: applicationBody(),
          headers: { 'idempotency-key': key },
        }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses[0], responses.map((r) => r.body).join('\n')).toBe(201);
    // the other one is either the replay or told to wait for the first
    if (statuses[1] === 409) {
      expectProblem(
        responses.find((r) => r.statusCode === 409)!,
        409,
        'IDEMPOTENCY_IN_PROGRESS',
      );
    } else {
      expect(statuses[1]).toBe(201);
      expect(new Set(responses.map((r) => r.json().applicationId)).size).toBe(1);
    }
    expect((await t.store.lastPosition()) - before).toBe(4n);
  });
});

describe('POST /api/applications/:id/offers with an Idempotency-Key', () => {
  it('answers a retry with the first answer and writes once; another body is a 422', async () => {
    const applicationId = await openApplication();
    const key = freshKey();
    const send = (overrides: Record<string, unknown> = {}) =>
      t.send('POST', `/api/applications/${applicationId}/offers`, {
        cookie: bank,
        payload: offerTerms(overrides),
        headers: { 'idempotency-key': key },
      });
    const before = await t.store.lastPosition();
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    expect(await t.store.lastPosition()).toBe(before + 1n);

    const second = await send();
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
    expect(second.json().offerId).toBe(first.json().offerId);

    const reused = await send({ interestRate: '30' });
    expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED');

    expect(await t.store.lastPosition()).toBe(before + 1n);
    const offers = (await t.events()).filter(
      (e) => e.type === 'OfferSubmitted' && ofApplication(applicationId)(e),
    );
    expect(offers).toHaveLength(1);
  });

  it('the same key on another application is another request (422)', async () => {
    const [one, two] = [await openApplication(), await openApplication()];
    const key = freshKey();
    const first = await t.send('POST', `/api/applications/${one}/offers`, {
      cookie: bank,
      payload: offerTerms(),
      headers: { 'idempotency-key': key },
    });
    expect(first.statusCode, first.body).toBe(201);
    const position = await t.store.lastPosition();
    const other = await t.send('POST', `/api/applications/${two}/offers`, {
      cookie: bank,
      payload: offerTerms(),
      headers: { 'idempotency-key': key },
    });
    expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await t.store.lastPosition()).toBe(position);
  });
});

describe('a retry whose first answer was never stored (crash after the append)', () => {
  // The event ids are derived from the key, so the log itself refuses a second copy; the retry
  // must then be answered (the first result, or at worst a 4xx), never with a 500.
  it('apply and submit an offer: nothing new is written and the answer is a 4xx', async () => {
    const key = freshKey();
    const apply = () =>
      t.send('POST', '/api/applications', {
        cookie: exporter,
        payload: applicationBody(),
        headers: { 'idempotency-key': key },
      });
    const first = await apply();
    expect(first.statusCode, first.body).toBe(201);
    const applicationId: string = first.json().applicationId;
    const bid = () =>
      t.send('POST', `/api/applications/${applicationId}/offers`, {
        cookie: bank,
        payload: offerTerms(),
        headers: { 'idempotency-key': key },
      });
    expect((await bid()).statusCode).toBe(201);
    forgetStoredAnswers();

    const position = await t.store.lastPosition();
    for (const retry of [await apply(), await bid()]) {
      expect(retry.statusCode, retry.body).toBeGreaterThanOrEqual(200);
      expect(retry.statusCode, retry.body).toBeLessThan(500);
      expect(retry.headers['content-type']).toMatch(/^application\/(problem\+)?json/);
    }
    expect(await t.store.lastPosition()).toBe(position);
  });

  // the retried append reuses the key-derived event ids at a later revision: the store refuses
  // them (DuplicateEventIdError), which is a 409 ALREADY_DONE, never a 500
  it('revise an offer, ask the firm: a retry is never a 500 and writes nothing', async () => {
    const applicationId = await openApplication();
    const bid = await t.send('POST', `/api/applications/${applicationId}/offers`, {
      cookie: bank,
      payload: offerTerms(),
    });
    expect(bid.statusCode, bid.body).toBe(201);
    const key = freshKey();
    const revise = () =>
      t.send('PUT', `/api/applications/${applicationId}/offers/${bid.json().offerId}`, {
        cookie: bank,
        payload: offerTerms({ interestRate: '30' }),
        headers: { 'idempotency-key': key },
      });
    const askKey = freshKey();
    const ask = () =>
      t.send('POST', `/api/applications/${applicationId}/information-requests`, {
        cookie: bank,
        payload: { question: 'Sipariş belgelerini paylaşır mısınız?' },
        headers: { 'idempotency-key': askKey },
      });
    expect((await revise()).statusCode).toBe(200);
    expect((await ask()).statusCode).toBe(201);
    forgetStoredAnswers();

    const position = await t.store.lastPosition();
    for (const retry of [await revise(), await ask()]) {
      expect(retry.statusCode, retry.body).toBe(409);
      expect(retry.json().code).toBe('ALREADY_DONE');
    }
    expect(await t.store.lastPosition()).toBe(position);
  });
});

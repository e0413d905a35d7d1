import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_CONTRACTS } from '../../src/signing/contracts';
import { applicationBody, buildApp, offerTerms, ofApplication, type TestApp } from './helper';

/*
 * Bad input gets a 4xx problem+json with field-level reasons and writes nothing (ARCHITECTURE.md).
 * Every case runs against an open application with one live offer and one open question, so a
 * request that slipped through validation would have something to change.
 */

let t: TestApp;
let cookies: Record<'exporter' | 'bank', string>;
let applicationId: string;
let offerId: string;
let requestId: string;

beforeAll(async () => {
  t = await buildApp();
  const [exporter, bank] = await Promise.all([
    t.login('exporter@demo.test'),
    t.login('bank.0062@demo.test'),
  ]);
  cookies = { exporter, bank };
  const applied = await t.send('POST', '/api/applications', {
    cookie: exporter,
    payload: applicationBody(),
  });
  expect(applied.statusCode, applied.body).toBe(201);
  applicationId = applied.json().applicationId;
  const bid = await t.send('POST', `/api/applications/${applicationId}/offers`, {
    cookie: bank,
    payload: offerTerms(),
  });
  expect(bid.statusCode, bid.body).toBe(201);
  offerId = bid.json().offerId;
  const asked = await t.send('POST', `/api/applications/${applicationId}/information-requests`, {
    cookie: bank,
    payload: { question: 'İhracat sözleşmelerinizi paylaşır mısınız?' },
  });
  expect(asked.statusCode, asked.body).toBe(201);
  requestId = asked.json().requestId;
});

afterAll(async () => {
  await t?.close();
});

interface Case {
  readonly name: string;
  readonly as: 'exporter' | 'bank' | 'nobody';
  readonly method?: 'POST' | 'PUT';
  readonly url: () => string;
  /** An object is sent as JSON; a string as it is, with `contentType`. */
  readonly payload?: unknown;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  /** For validation failures: the field the errors must name. */
  readonly field?: string;
  readonly code?: string;
}

const APPLY = () => '/api/applications';
const OFFERS = () => `/api/applications/${applicationId}/offers`;
const OFFER = () => `/api/applications/${applicationId}/offers/${offerId}`;
const REGISTER = () => '/api/auth/register';
const SIGN = () => `/api/contracts/${PORTAL_CONTRACTS[1]!.id}/sign`;

const registration = (overrides: Record<string, unknown>) => ({
  fullName: 'Cem Tekin',
  tckn: '10000002362',
  email: 'cem.tekin@kayseri-mobilya.test',
  mobilePhone: '05321112233',
  password: 'a-long-enough-password',
  ...overrides,
});

const apply = (name: string, overrides: Record<string, unknown>, field: string): Case => ({
  name: `apply: ${name}`,
  as: 'exporter',
  url: APPLY,
  payload: applicationBody(overrides),
  status: 400,
  field,
});

const bid = (name: string, overrides: Record<string, unknown>, field: string): Case => ({
  name: `offer: ${name}`,
  as: 'bank',
  url: OFFERS,
  payload: offerTerms(overrides),
  status: 400,
  field,
});

const register = (name: string, overrides: Record<string, unknown>, field: string): Case => ({
  name: `register: ${name}`,
  as: 'nobody',
  url: REGISTER,
  payload: registration(overrides),
  status: 400,
  field,
});

const raw = (name: string, payload: string, contentType: string, status: number): Case => ({
  name: `apply: ${name}`,
  as: 'exporter',
  url: APPLY,
  payload,
  contentType,
  status,
});

const { purpose: _dropped, ...withoutPurpose } = applicationBody();
const { maturityMonths: _alsoDropped, ...withoutMaturity } = offerTerms();
const validApplication = JSON.stringify(applicationBody());
const overOneMegabyte = 'x'.repeat(1024 * 1024 + 1);

const CASES: readonly Case[] = [
  // --- amounts: decimal strings, never numbers, floats, commas or signs ----------------------
  apply('amount as a number', { amount: 1000000 }, 'amount'),
  apply('amount null', { amount: null }, 'amount'),
  apply('empty amount', { amount: '' }, 'amount'),
  apply('negative amount', { amount: '-5.00' }, 'amount'),
  apply('exponent notation', { amount: '1e9' }, 'amount'),
  apply('decimal comma', { amount: '1,5' }, 'amount'),
  apply('thousands grouping', { amount: '1.000.000,00' }, 'amount'),
  apply('zero amount', { amount: '0.00' }, 'amount'),
  apply('three decimals', { amount: '100.005' }, 'amount'),
  apply('padded amount', { amount: ' 100.00' }, 'amount'),
  apply('NaN', { amount: 'NaN' }, 'amount'),
  apply('Infinity', { amount: 'Infinity' }, 'amount'),
  apply('hex amount', { amount: '0x10' }, 'amount'),
  // --- maturity: an integer number of months -------------------------------------------------
  apply('maturity as a string', { maturityMonths: '12' }, 'maturityMonths'),
  apply('empty maturity', { maturityMonths: '' }, 'maturityMonths'),
  apply('fractional maturity', { maturityMonths: 1.5 }, 'maturityMonths'),
  apply('zero maturity', { maturityMonths: 0 }, 'maturityMonths'),
  apply('negative maturity', { maturityMonths: -3 }, 'maturityMonths'),
  apply('huge maturity', { maturityMonths: 1e9 }, 'maturityMonths'),
  // --- enums, identifiers, text --------------------------------------------------------------
  apply('unknown currency', { currency: 'GBP' }, 'currency'),
  apply('lower-case currency', { currency: 'try' }, 'currency'),
  apply('unknown package', { packageCode: 'GOLD' }, 'packageCode'),
  apply('VKN with a wrong check digit', { firmVkn: '0150015265' }, 'firmVkn'),
  apply('short VKN', { firmVkn: '12345' }, 'firmVkn'),
  apply('VKN as a number', { firmVkn: 150015264 }, 'firmVkn'),
  apply('blank purpose', { purpose: '   ' }, 'purpose'),
  apply('purpose over 500 characters', { purpose: 'x'.repeat(501) }, 'purpose'),
  {
    name: 'apply: missing purpose',
    as: 'exporter',
    url: APPLY,
    payload: withoutPurpose,
    status: 400,
    field: 'purpose',
  },
  apply('an extra field', { isAdmin: true }, 'isAdmin'),
  apply('memberId smuggled in', { memberId: '00000000-0000-4000-8000-000000000000' }, 'memberId'),
  // --- the body as a whole ---------------------------------------------------------------------
  raw(
    '__proto__ key',
    `{"__proto__":{"isAdmin":true},${validApplication.slice(1)}`,
    'application/json',
    400,
  ),
  raw(
    'nested __proto__ key',
    `{"x":{"__proto__":{"polluted":1}},${validApplication.slice(1)}`,
    'application/json',
    400,
  ),
  raw(
    'constructor.prototype keys',
    `{"constructor":{"prototype":{"isAdmin":true}},${validApplication.slice(1)}`,
    'application/json',
    400,
  ),
  raw('malformed JSON', '{"firmVkn": "0150015264",', 'application/json', 400),
  raw('single-quoted JSON', "{'firmVkn': '0150015264'}", 'application/json', 400),
  raw('empty JSON body', '', 'application/json', 400),
  raw('a JSON array', '[]', 'application/json', 400),
  raw('JSON null', 'null', 'application/json', 400),
  raw('a JSON string', '"apply"', 'application/json', 400),
  raw('text/plain', validApplication, 'text/plain', 415),
  raw(
    'form-urlencoded',
    'firmVkn=0150015264&amount=1000000.00',
    'application/x-www-form-urlencoded',
    415,
  ),
  raw('multipart', '--x\r\n\r\n--x--', 'multipart/form-data; boundary=x', 415),
  raw('XML', '<application/>', 'application/xml', 415),
  raw(
    'a body over 1 MB',
    JSON.stringify(applicationBody({ purpose: overOneMegabyte })),
    'application/json',
    413,
  ),
  {
    name: 'apply: no body at all',
    as: 'exporter',
    url: APPLY,
    status: 400,
    field: '(body)',
  },
  // --- Idempotency-Key --------------------------------------------------------------------------
  ...['short', 'has spaces in it', 'ü'.repeat(10), 'k'.repeat(129), 'semi;colon;key'].map(
    (key): Case => ({
      name: `apply: Idempotency-Key ${JSON.stringify(key.length > 20 ? `${key.slice(0, 8)}…` : key)}`,
      as: 'exporter',
      url: APPLY,
      payload: applicationBody(),
      headers: { 'idempotency-key': key },
      status: 400,
      field: 'Idempotency-Key',
    }),
  ),
  // --- registration: TCKN, e-mail, phone, password; no role from the client ---------------
  register('TCKN with a wrong check digit', { tckn: '10000002363' }, 'tckn'),
  register('TCKN starting with 0', { tckn: '01000002362' }, 'tckn'),
  register('TCKN as a number', { tckn: 10000002362 }, 'tckn'),
  register('10-digit TCKN', { tckn: '1000000236' }, 'tckn'),
  register('invalid e-mail', { email: 'cem.tekin@' }, 'email'),
  register('e-mail without a domain', { email: 'cem.tekin' }, 'email'),
  register('landline number', { mobilePhone: '02125550000' }, 'mobilePhone'),
  register('phone with letters', { mobilePhone: '0532ABC1234' }, 'mobilePhone'),
  register('short password', { password: 'short' }, 'password'),
  register('empty full name', { fullName: '' }, 'fullName'),
  register('role smuggled in', { role: 'analyst' }, 'role'),
  register('bank code smuggled in', { bankCode: '0062' }, 'bankCode'),
  // --- membership ---------------------------------------------------------------------------
  {
    name: 'verify: 9-digit VKN',
    as: 'exporter',
    url: () => '/api/firms/verify',
    payload: { vkn: '015001526' },
    status: 400,
    field: 'vkn',
  },
  {
    name: 'verify: letters for a VKN',
    as: 'exporter',
    url: () => '/api/firms/verify',
    payload: { vkn: 'abcdefghij' },
    status: 400,
    field: 'vkn',
  },
  {
    name: 'sign: unknown method',
    as: 'exporter',
    url: SIGN,
    payload: { method: 'WET_INK' },
    status: 400,
    field: 'method',
  },
  {
    name: 'sign: 5-digit code',
    as: 'exporter',
    url: SIGN,
    payload: { method: 'MOBIL_IMZA', otp: '12345' },
    status: 400,
    field: 'otp',
  },
  {
    name: 'sign: code with a letter',
    as: 'exporter',
    url: SIGN,
    payload: { method: 'MOBIL_IMZA', otp: '12a456' },
    status: 400,
    field: 'otp',
  },
  {
    name: 'sign: a code with e-imza',
    as: 'exporter',
    url: SIGN,
    payload: { method: 'E_IMZA', otp: '123456' },
    status: 400,
    field: 'otp',
  },
  // --- offers: every field of the seed's list has its own check ----------------------------
  bid('unknown interest type', { interestType: 'VARIABLE' }, 'interestType'),
  bid(
    'FLOATING without a reference rate',
    { interestType: 'FLOATING', spread: '3.5' },
    'referenceRate',
  ),
  bid('FLOATING without a spread', { interestType: 'FLOATING', referenceRate: 'TLREF' }, 'spread'),
  bid(
    'unknown reference rate',
    { interestType: 'FLOATING', referenceRate: 'LIBOR', spread: '2' },
    'referenceRate',
  ),
  bid('a reference rate on a FIXED offer', { referenceRate: 'TLREF' }, 'referenceRate'),
  bid(
    'principal grace equal to the maturity',
    { principalGraceMonths: 12 },
    'principalGraceMonths',
  ),
  bid('interest grace beyond the maturity', { interestGraceMonths: 13 }, 'interestGraceMonths'),
  bid('negative grace', { principalGraceMonths: -1 }, 'principalGraceMonths'),
  bid('negative repayment', { totalRepaymentAmount: '-1.00' }, 'totalRepaymentAmount'),
  bid('repayment as a float', { totalRepaymentAmount: 1250000.5 }, 'totalRepaymentAmount'),
  bid('empty expenses', { totalExpenseAmount: '' }, 'totalExpenseAmount'),
  bid('commission with a comma', { totalCommissionAmount: '5000,00' }, 'totalCommissionAmount'),
  bid('rate over 1000 percent', { interestRate: '1000.5' }, 'interestRate'),
  bid('rate with a comma', { interestRate: '42,5' }, 'interestRate'),
  bid('rate with five places', { interestRate: '42.12345' }, 'interestRate'),
  bid('rate as a number', { interestRate: 42.5 }, 'interestRate'),
  bid(
    'weekly principal payments',
    { principalPaymentFrequency: 'WEEKLY' },
    'principalPaymentFrequency',
  ),
  bid(
    'unknown interest frequency',
    { interestPaymentFrequency: 'DAILY' },
    'interestPaymentFrequency',
  ),
  bid('unknown collateral', { collateralType: 'GOLD' }, 'collateralType'),
  bid('unknown credit type', { creditType: 'LEASING' }, 'creditType'),
  bid('2-digit branch code', { branchCode: '12' }, 'branchCode'),
  bid('one-letter representative', { representativeName: 'A' }, 'representativeName'),
  bid('foreign phone number', { phone: '+1 212 555 0100' }, 'phone'),
  bid('invalid e-mail', { email: 'kredi@' }, 'email'),
  bid('the offer date is the server’s', { offerDate: '2020-01-01' }, 'offerDate'),
  {
    name: 'offer: missing maturity',
    as: 'bank',
    url: OFFERS,
    payload: withoutMaturity,
    status: 400,
    field: 'maturityMonths',
  },
  {
    name: 'revise: body over 1 MB',
    as: 'bank',
    method: 'PUT',
    url: OFFER,
    payload: JSON.stringify(offerTerms({ representativeName: overOneMegabyte })),
    contentType: 'application/json',
    status: 413,
  },
  {
    name: 'revise: text/plain',
    as: 'bank',
    method: 'PUT',
    url: OFFER,
    payload: JSON.stringify(offerTerms()),
    contentType: 'text/plain',
    status: 415,
  },
  // --- path parameters ------------------------------------------------------------------------
  {
    name: 'offer: application id not a uuid',
    as: 'bank',
    url: () => '/api/applications/not-a-uuid/offers',
    payload: offerTerms(),
    status: 400,
    field: 'params.id',
  },
  {
    name: 'offer: SQL in the application id',
    as: 'bank',
    url: () => `/api/applications/${encodeURIComponent("1' OR '1'='1")}/offers`,
    payload: offerTerms(),
    status: 400,
    field: 'params.id',
  },
  {
    name: 'revise: offer id not a uuid',
    as: 'bank',
    method: 'PUT',
    url: () => `/api/applications/${applicationId}/offers/123`,
    payload: offerTerms(),
    status: 400,
    field: 'params.offerId',
  },
  {
    name: 'withdraw: offer id not a uuid',
    as: 'bank',
    url: () => `/api/applications/${applicationId}/offers/${offerId}x/withdraw`,
    payload: { reason: 'BANK_DECISION' },
    status: 400,
    field: 'params.offerId',
  },
  {
    name: 'answer: request id not a uuid',
    as: 'exporter',
    url: () => `/api/applications/${applicationId}/information-requests/xyz/answer`,
    payload: { answer: 'Ektedir.' },
    status: 400,
    field: 'params.requestId',
  },
  {
    name: 'cancel: application id not a uuid',
    as: 'exporter',
    url: () => '/api/applications/12345/cancel',
    payload: {},
    status: 400,
    field: 'params.id',
  },
  // --- the other commands' bodies ------------------------------------------------------------
  {
    name: 'withdraw: unknown reason',
    as: 'bank',
    url: () => `${OFFER()}/withdraw`,
    payload: { reason: 'BORED' },
    status: 400,
    field: 'reason',
  },
  {
    name: 'withdraw: no reason',
    as: 'bank',
    url: () => `${OFFER()}/withdraw`,
    payload: { note: 'just because' },
    status: 400,
    field: 'reason',
  },
  {
    name: 'withdraw: note over 1000 characters',
    as: 'bank',
    url: () => `${OFFER()}/withdraw`,
    payload: { reason: 'BANK_DECISION', note: 'n'.repeat(1001) },
    status: 400,
    field: 'note',
  },
  {
    name: 'decline: note as a number',
    as: 'bank',
    url: () => `/api/applications/${applicationId}/decline`,
    payload: { note: 42 },
    status: 400,
    field: 'note',
  },
  {
    name: 'ask: empty question',
    as: 'bank',
    url: () => `/api/applications/${applicationId}/information-requests`,
    payload: { question: '' },
    status: 400,
    field: 'question',
  },
  {
    name: 'answer: over 4000 characters',
    as: 'exporter',
    url: () => `/api/applications/${applicationId}/information-requests/${requestId}/answer`,
    payload: { answer: 'a'.repeat(4001) },
    status: 400,
    field: 'answer',
  },
  {
    name: 'select: offer id not a uuid',
    as: 'exporter',
    url: () => `/api/applications/${applicationId}/selection`,
    payload: { offerId: 'the-cheapest-one' },
    status: 400,
    field: 'offerId',
  },
  {
    name: 'cancel: reason as an object',
    as: 'exporter',
    url: () => `/api/applications/${applicationId}/cancel`,
    payload: { reason: { text: 'x' } },
    status: 400,
    field: 'reason',
  },
  {
    name: 'bank application: empty reference number',
    as: 'bank',
    url: () => `/api/applications/${applicationId}/bank-application`,
    payload: { referenceNumber: '   ' },
    status: 400,
    field: 'referenceNumber',
  },
  {
    name: 'bank application: reference number over 32 characters',
    as: 'bank',
    url: () => `/api/applications/${applicationId}/bank-application`,
    payload: { referenceNumber: 'TRN-'.repeat(9) },
    status: 400,
    field: 'referenceNumber',
  },
  {
    name: 'test clock: not a duration',
    as: 'nobody',
    url: () => '/api/test/clock',
    payload: { advance: 'tomorrow' },
    status: 400,
    field: 'advance',
  },
  {
    name: 'test clock: backwards',
    as: 'nobody',
    url: () => '/api/test/clock',
    payload: { advance: 'P-1D' },
    status: 400,
    field: 'advance',
  },
];

describe('malformed requests', () => {
  it('has at least 50 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const position = await t.store.lastPosition();
    const users = t.identity.countUsers();
    const clock = t.clock.now().getTime();

    const response = await t.send(c.method ?? 'POST', c.url(), {
      ...(c.as === 'nobody' ? {} : { cookie: cookies[c.as] }),
      ...(c.payload === undefined ? {} : { payload: c.payload }),
      headers: { ...(c.contentType ? { 'content-type': c.contentType } : {}), ...c.headers },
    });

    expect(response.statusCode, response.body).toBe(c.status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({
      status: c.status,
      code: c.code ?? expect.any(String),
      title: expect.any(String),
    });
    if (c.field !== undefined) {
      expect(problem.code).toBe('VALIDATION_FAILED');
      const errors: { field: string; reason: string }[] = problem.errors;
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        expect(error).toEqual({ field: expect.any(String), reason: expect.any(String) });
      }
      // an unknown field is reported on the body, with its name in the reason
      expect(
        errors.some(
          (e) =>
            e.field === c.field ||
            (e.field === '(body)' &&
              /^unknown field/.test(e.reason) &&
              e.reason.includes(c.field!)),
        ),
        JSON.stringify(errors),
      ).toBe(true);
    }

    expect(await t.store.lastPosition()).toBe(position);
    expect(t.identity.countUsers()).toBe(users);
    expect(t.clock.now().getTime()).toBe(clock);
  });

  it('nothing above reached the application: it is as the setup left it', async () => {
    const types = (await t.events()).filter(ofApplication(applicationId)).map((e) => e.type);
    expect(types).toEqual([
      'ApplicationSubmitted',
      'ApplicationDataCollected',
      'ApplicationScored',
      'ApplicationOpenedForBidding',
      'OfferSubmitted',
      'InformationRequested',
    ]);
    // and no prototype was polluted on the way
    const prototype = Object.prototype as Record<string, unknown>;
    expect(prototype.isAdmin).toBeUndefined();
    expect(prototype.polluted).toBeUndefined();
  });
});

describe('amounts beyond the package limit', () => {
  it('an application far over the limit gets an ineligible decision, recorded exactly', async () => {
    const before = await t.store.lastPosition();
    const response = await t.send('POST', '/api/applications', {
      cookie: cookies.exporter,
      payload: applicationBody({ amount: '999999999999.99', currency: 'USD' }),
    });
    // schema-valid: the refusal is the model's (R5), with its reasons, not a 4xx or a 500
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.status).toBe('REJECTED');
    expect(body.decision.eligible).toBe(false);
    expect(body.decision.reasons).toContainEqual(
      expect.objectContaining({ code: 'AMOUNT_OVER_LIMIT', kind: 'PACKAGE_RULE' }),
    );
    expect(body.biddingClosesAt).toBeUndefined();
    const written = (await t.events()).filter((e) => e.position > before);
    expect(written.map((e) => e.type)).toEqual([
      'ApplicationSubmitted',
      'ApplicationDataCollected',
      'ApplicationScored',
      'ApplicationRejected',
    ]);
    // money is never a float: the kuruş survive the round trip
    expect(written[0]?.data).toMatchObject({ amount: '999999999999.99', currency: 'USD' });
  });

  it('an amount beyond a trillion is a 400 naming the field and writes nothing', async () => {
    const before = await t.store.lastPosition();
    const response = await t.send('POST', '/api/applications', {
      cookie: cookies.exporter,
      payload: applicationBody({ amount: '99999999999999999999.00' }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().code).toBe('VALIDATION_FAILED');
    expect(response.json().errors).toContainEqual({
      field: 'amount',
      reason: 'must be at most 1000000000000.00',
    });
    expect(await t.store.lastPosition()).toBe(before);
  });

  it('just over the SME limit (25m TRY) is ineligible too; exactly at it is eligible', async () => {
    const over = await t.send('POST', '/api/applications', {
      cookie: cookies.exporter,
      payload: applicationBody({ amount: '25000000.01', maturityMonths: 24 }),
    });
    expect(over.statusCode, over.body).toBe(201);
    expect(over.json().decision.eligible).toBe(false);
    const at = await t.send('POST', '/api/applications', {
      cookie: cookies.exporter,
      payload: applicationBody({ amount: '25000000.00', maturityMonths: 24 }),
    });
    expect(at.statusCode, at.body).toBe(201);
    expect(at.json().decision.eligible).toBe(true);
  });

  it('a maturity over the package maximum is a business refusal (422) that writes nothing', async () => {
    const before = await t.store.lastPosition();
    const response = await t.send('POST', '/api/applications', {
      cookie: cookies.exporter,
      payload: applicationBody({ maturityMonths: 25 }),
    });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      code: 'MATURITY_TOO_LONG',
      errors: [{ field: 'maturityMonths', reason: expect.any(String) }],
    });
    expect(await t.store.lastPosition()).toBe(before);
  });

  it('an offer with a twelve-digit repayment is taken as the exact decimal', async () => {
    const other = await t.login('bank.0046@demo.test');
    const response = await t.send('POST', OFFERS(), {
      cookie: other,
      payload: offerTerms({ totalRepaymentAmount: '999999999999.99' }),
    });
    expect(response.statusCode, response.body).toBe(201);
    const recorded = await t.waitForEvent(
      'OfferSubmitted',
      (e) => (e.data as { offerId: string }).offerId === response.json().offerId,
    );
    expect(recorded.data).toMatchObject({
      terms: { totalRepaymentAmount: '999999999999.99' },
    });
  });

  it('an offer longer than the package allows is refused (422) and writes nothing', async () => {
    const before = await t.store.lastPosition();
    const response = await t.send('PUT', OFFER(), {
      cookie: cookies.bank,
      payload: offerTerms({ maturityMonths: 30 }),
    });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'MATURITY_TOO_LONG',
      errors: [{ field: 'maturityMonths', reason: expect.any(String) }],
    });
    expect(await t.store.lastPosition()).toBe(before);
  });
});

describe('firm verification', () => {
  it('a valid VKN of a firm MERSIS does not know is a 404 naming the field', async () => {
    const before = await t.store.lastPosition();
    const response = await t.send('POST', '/api/firms/verify', {
      cookie: cookies.exporter,
      payload: { vkn: '3100244429' },
    });
    expect(response.statusCode, response.body).toBe(404);
    expect(response.json()).toMatchObject({
      code: 'FIRM_NOT_FOUND',
      errors: [{ field: 'vkn', reason: expect.any(String) }],
    });
    expect(await t.store.lastPosition()).toBe(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type TestApp } from './helper';

/* The API describes itself: an OpenAPI document with every command, and Swagger UI at /api/docs. */

let t: TestApp;

beforeAll(async () => {
  t = await buildApp({ scheduler: false });
});

afterAll(async () => {
  await t?.close();
});

const COMMAND_ROUTES: readonly [method: string, path: string][] = [
  ['post', '/api/auth/register'],
  ['post', '/api/auth/login'],
  ['post', '/api/auth/logout'],
  ['post', '/api/firms/verify'],
  ['post', '/api/contracts/{contractId}/sign'],
  ['post', '/api/applications'],
  ['post', '/api/applications/{id}/cancel'],
  ['post', '/api/applications/{id}/offers'],
  ['put', '/api/applications/{id}/offers/{offerId}'],
  ['post', '/api/applications/{id}/offers/{offerId}/withdraw'],
  ['post', '/api/applications/{id}/decline'],
  ['post', '/api/applications/{id}/information-requests'],
  ['post', '/api/applications/{id}/information-requests/{requestId}/answer'],
  ['post', '/api/applications/{id}/selection'],
  ['post', '/api/applications/{id}/bank-application'],
];

/** Every stylesheet, script and icon an HTML page links to, as absolute paths. */
function linkedAssets(html: string, pageUrl: string): string[] {
  const urls = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
  return urls.map((url) => new URL(url, `http://localhost${pageUrl}`).pathname);
}

describe('OpenAPI', () => {
  it('GET /api/openapi.json is an OpenAPI 3 document with every command route', async () => {
    const response = await t.send('GET', '/api/openapi.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const document = JSON.parse(response.body);
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const [method, path] of COMMAND_ROUTES) {
      expect(document.paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
    }
  });

  it('describes the command bodies from the shared zod schemas', async () => {
    const document = (await t.send('GET', '/api/openapi.json')).json();
    const schemaOf = (method: string, path: string) =>
      document.paths[path][method].requestBody.content['application/json'].schema;

    const offer = schemaOf('post', '/api/applications/{id}/offers');
    // the seed's 17 fields but the date the server sets, with FLOATING's referenceRate and spread
    expect(Object.keys(offer.properties)).toHaveLength(18);
    expect(offer.properties.interestType.enum).toEqual(['FIXED', 'FLOATING']);
    expect(offer.additionalProperties).toBe(false);

    const application = schemaOf('post', '/api/applications');
    expect(application.required).toEqual(
      expect.arrayContaining(['firmVkn', 'packageCode', 'amount', 'currency', 'maturityMonths']),
    );
    expect(application.properties.currency.enum).toEqual(['TRY', 'USD', 'EUR']);
  });

  it('keeps the test and demo routes out of the document', async () => {
    const document = (await t.send('GET', '/api/openapi.json')).json();
    const paths = Object.keys(document.paths);
    expect(paths.filter((p) => p.startsWith('/api/test') || p.startsWith('/api/demo'))).toEqual([]);
    expect(paths).not.toContain('/api/openapi.json');
  });
});

describe('Swagger UI', () => {
  it.each(['/api/docs', '/api/docs/'])('GET %s answers with the page', async (url) => {
    let response = await t.send('GET', url);
    if (response.statusCode >= 300 && response.statusCode < 400) {
      response = await t.send(
        'GET',
        new URL(response.headers.location!, 'http://x' + url).pathname,
      );
    }
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('swagger-ui');
  });

  it('the page at /api/docs/ loads its assets and the document', async () => {
    const page = await t.send('GET', '/api/docs/');
    const assets = linkedAssets(page.body, '/api/docs/');
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of [...assets, '/api/docs/json']) {
      expect((await t.send('GET', asset)).statusCode, asset).toBe(200);
    }
  });

  // without a trailing slash @fastify/swagger-ui builds absolute asset links, which need the
  // encapsulating '/api' prefix (indexPrefix) to resolve
  it('the page at /api/docs (no trailing slash) loads its assets', async () => {
    const page = await t.send('GET', '/api/docs');
    const assets = linkedAssets(page.body, '/api/docs');
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect((await t.send('GET', asset)).statusCode, asset).toBe(200);
    }
  });
});

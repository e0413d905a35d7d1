import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScoringLoad } from '../src/driver';
import { startProduct } from '../src/product';

// Runs the load scenario briefly against a freshly started product: it proves the scenario and the
// product agree (every request decided at once), not how fast it is (figures are for the bench).
describe('the scoring load scenario', () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  beforeAll(async () => {
    product = await startProduct();
  }, 90_000);
  afterAll(async () => {
    await product?.stop();
  });

  it('gets a decision for every application sent by concurrent users', async () => {
    const result = await runScoringLoad({ baseUrl: product.baseUrl, vus: 4, iterations: 40 });
    expect(result.requests).toBe(40);
    expect(result.statuses).toEqual({ 201: 40 });
    expect(result.failures).toBe(0);
    expect(result.latencyMs.p50).toBeGreaterThan(0);
  });
});

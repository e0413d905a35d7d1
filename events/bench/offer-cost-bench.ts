// Times offerCost over 10,000 varied offers. Run: npx tsx events/bench/offer-cost-bench.ts
import {
  PAYMENT_FREQUENCIES,
  compareOffersByCost,
  offerCost,
  type CostTerms,
} from '../src/offer-cost';

const COUNT = 10_000;

// A fixed-seed Park–Miller generator (products stay below 2^53) so every run costs the same offers.
let seed = 20250303;
function random(): number {
  seed = (seed * 48271) % 2147483647;
  return seed / 2147483647;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const offers: CostTerms[] = Array.from({ length: COUNT }, () => {
  const maturityMonths = pick([6, 12, 18, 24, 36, 60, 120]);
  const principal = BigInt(Math.floor(100_000 + random() * 200_000_000)) * 100n;
  return {
    principal,
    maturityMonths,
    annualRate: { scaled: BigInt(Math.floor(200_000 + random() * 400_000)) },
    principalPaymentFrequency: pick(PAYMENT_FREQUENCIES),
    interestPaymentFrequency: pick(PAYMENT_FREQUENCIES),
    principalGraceMonths: Math.floor(random() * Math.min(12, maturityMonths)),
    interestGraceMonths: Math.floor(random() * Math.min(6, maturityMonths)),
    upfrontExpenses: principal / 200n,
    upfrontCommission: principal / BigInt(pick([50, 100, 1000])),
  };
});

const started = performance.now();
const costs = offers.map((terms) => offerCost(terms));
const costed = performance.now();
costs
  .map((cost, i) => ({ ...cost, submittedAt: new Date(1_741_000_000_000 + i).toISOString() }))
  .sort(compareOffersByCost);
const ranked = performance.now();

const payments = costs.reduce((n, cost) => n + cost.schedule.length, 0);
console.log(
  `offerCost: ${COUNT} offers (${payments} scheduled payments) in ${(costed - started).toFixed(1)} ms` +
    ` (${(((costed - started) * 1000) / COUNT).toFixed(1)} µs/offer); ranked in ${(ranked - costed).toFixed(1)} ms`,
);

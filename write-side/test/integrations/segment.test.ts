import { describe, expect, it } from 'vitest';
import { detectSegment } from '../../src/integrations';

describe('segment detection (SME: < 250 employees and net sales ≤ 1 bn TRY)', () => {
  it.each([
    [249, '1000000000.00', 'KOBI'],
    [0, '0.00', 'KOBI'],
    [250, '900000000.00', 'KOBI_DISI'],
    [180, '1000000000.01', 'KOBI_DISI'],
    [1240, '4800000000.00', 'KOBI_DISI'],
  ] as const)(
    'given %i employees and %s TRY net sales, when detected, then %s',
    (headcount, netSalesLastYear, segment) => {
      expect(detectSegment({ headcount, netSalesLastYear })).toBe(segment);
    },
  );
});

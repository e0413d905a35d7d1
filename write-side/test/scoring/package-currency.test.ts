import { describe, expect, it, vi } from 'vitest';
import { blockingReasons, scoreApplication } from '../../src/scoring';
import { inputWith } from './snapshot';

// The sample catalogue offers every package in every currency; a TRY-only package shows the rule.
vi.mock('@kefalet/events', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@kefalet/events')>();
  return {
    ...actual,
    findPackage: (code: string) =>
      code === 'TRY-ONLY'
        ? { ...actual.findPackage('ISLETME')!, code, currencies: ['TRY'] }
        : actual.findPackage(code),
  };
});

describe('package currency', () => {
  it('given a TRY-only package, when the firm applies in USD, then PACKAGE_CURRENCY', () => {
    const decision = scoreApplication(
      inputWith({ packageCode: 'TRY-ONLY', currency: 'USD', amount: '10000.00' }),
    );
    expect(blockingReasons(decision)).toEqual([
      {
        code: 'PACKAGE_CURRENCY',
        kind: 'PACKAGE_RULE',
        message: 'İşletme Sermayesi Kefalet Paketi USD cinsinden kullanılamaz.',
        messageEn: 'Working Capital Guarantee Package is not available in USD.',
      },
    ]);
    expect(scoreApplication(inputWith({ packageCode: 'TRY-ONLY' })).eligible).toBe(true);
  });
});

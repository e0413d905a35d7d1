import { describe, it, vi } from 'vitest';
import { fixedContext } from '../spec';
import { APPLICATION_ID, FIRM_TITLE, MEMBER_ID, SUBMITTED_AT, VKN, spec } from './fixtures';

// Every package of today's catalogue takes TRY, USD and EUR; the catalogue is data, so a TRY-only
// package is added here to pin the rule for when one exists.
vi.mock('@kefalet/events', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@kefalet/events')>();
  return {
    ...actual,
    findPackage: (code: string) =>
      code === 'ISLETME-TL'
        ? { ...actual.findPackage('ISLETME')!, code, currencies: ['TRY'] }
        : actual.findPackage(code),
  };
});

describe('SubmitApplication in a currency the package does not take', () => {
  it('is refused, naming the currencies it takes', () => {
    spec
      .given([])
      .when(
        {
          type: 'SubmitApplication',
          applicationId: APPLICATION_ID,
          firmVkn: VKN,
          firmTitle: FIRM_TITLE,
          memberId: MEMBER_ID,
          packageCode: 'ISLETME-TL',
          amount: '250000.00',
          currency: 'EUR',
          maturityMonths: 12,
          purpose: 'İşletme sermayesi',
          memberVerifiedForFirm: true,
          contractsSigned: true,
        },
        fixedContext(SUBMITTED_AT),
      )
      .thenRefuses('CURRENCY_NOT_SUPPORTED', {
        kind: 'invalid',
        field: 'currency',
        details: { currencies: ['TRY'] },
      });
  });
});

import { describe, expect, it } from 'vitest';
import {
  FirmNotFoundError,
  SANDBOX_FIRMS,
  collectFirmData,
  createSandboxSources,
} from '../../src/integrations';
import { blockingReasons, scoreApplication } from '../../src/scoring';
import { FX, NOW } from './snapshot';

const clock = () => NOW;
const sources = createSandboxSources({ clock });

/** Score and credit note of each registered fixture on 2026-12-03 (model ige-scorecard-2026.12). */
const PINNED: Record<string, [score: number, note: number]> = {
  '0150015264': [76, 2],
  '3100011116': [58, 4],
  '3100022223': [90, 1],
  '3100033339': [92, 1],
  '3100044445': [16, 7],
  '3100055552': [38, 6],
  '3100066667': [61, 3],
  '3100077773': [41, 5],
  '3100088884': [46, 5],
  '3100099992': [60, 3],
  '3100111102': [73, 2],
  '3100122219': [73, 2],
  '3100133325': [56, 4],
  '3100144432': [70, 2],
  '3100155548': [36, 6],
  '3100166653': [45, 5],
  '3100177769': [35, 6],
  '3100188870': [51, 4],
  '3100199987': [82, 1],
  '3100211094': [79, 2],
  '3100222206': [84, 1],
  '3100233312': [73, 2],
};

describe('every sandbox fixture firm, collected and scored', () => {
  for (const firm of SANDBOX_FIRMS) {
    const { expected } = firm;
    if (!expected.registered) {
      it(`given ${firm.vkn} (${firm.description}), when collected, then FirmNotFoundError`, async () => {
        await expect(
          collectFirmData(firm.vkn, { sources, timeoutMs: 500, clock }),
        ).rejects.toBeInstanceOf(FirmNotFoundError);
      });
      continue;
    }
    const verdict = expected.eligible ? 'eligible' : expected.blockingCodes.join(' + ');
    it(`given ${firm.title}, when it applies for ${expected.packageCode}, then ${verdict}`, async () => {
      const collected = await collectFirmData(firm.vkn, { sources, timeoutMs: 500, clock });
      if (collected.kind !== 'complete') throw new Error('the sandbox answered incompletely');
      expect(collected.segment).toBe(expected.segment);

      const decision = scoreApplication({
        snapshot: collected.snapshot,
        segment: collected.segment,
        packageCode: expected.packageCode,
        amount: '1000000.00',
        currency: 'TRY',
        maturityMonths: 12,
        now: NOW,
        fxRatesToTry: FX,
      });
      expect(decision.eligible).toBe(expected.eligible);
      expect(blockingReasons(decision).map((r) => r.code)).toEqual(expected.blockingCodes);
      expect([decision.score, decision.creditNote]).toEqual(PINNED[firm.vkn]);
    });
  }

  it('given the pinned table, then it covers every registered fixture', () => {
    const registered = SANDBOX_FIRMS.filter((f) => f.expected.registered).map((f) => f.vkn);
    expect(Object.keys(PINNED).sort()).toEqual(registered.sort());
  });

  it('given the non-SME potential exporter, when it applies for YESIL instead, then 75 % applies', async () => {
    const collected = await collectFirmData('3100099992', { sources, timeoutMs: 500, clock });
    if (collected.kind !== 'complete') throw new Error('the sandbox answered incompletely');
    const decision = scoreApplication({
      snapshot: collected.snapshot,
      segment: collected.segment,
      packageCode: 'YESIL',
      amount: '10000000.00',
      currency: 'TRY',
      maturityMonths: 60,
      now: NOW,
      fxRatesToTry: FX,
    });
    expect(decision).toMatchObject({
      eligible: true,
      guaranteeRatio: '75',
      guaranteeAmount: '7500000.00',
    });
  });
});

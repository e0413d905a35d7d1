import { describe, expect, it } from 'vitest';
import {
  FirmDataSnapshotSchema,
  InvalidValueError,
  mersisWarning,
  minorFromDecimalString,
  tcknProblem,
  type DataSource,
} from '@kefalet/events';
import {
  FirmNotFoundError,
  SourceUnavailableError,
  createSandboxSources,
  detectSegment,
  sandboxRecords,
} from '../../src/integrations';
import { validVkn } from './vkn';

const today = new Date('2026-12-03T09:00:00Z');
const signal = () => new AbortController().signal;

/** 200 valid VKNs no fixture uses. */
const generatedVkns = Array.from({ length: 200 }, (_, i) => validVkn(String(700000000 + i * 7919)));

describe('sandbox data', () => {
  it('given a VKN no fixture lists, when asked twice, then the generated firm is the same', () => {
    const vkn = generatedVkns[0]!;
    expect(sandboxRecords(vkn, today)).toEqual(sandboxRecords(vkn, today));
    expect(sandboxRecords(vkn, today)).not.toEqual(sandboxRecords(generatedVkns[1]!, today));
  });

  it('given generated firms, then each is well formed: schema, TCKN, MERSIS pattern', () => {
    for (const vkn of generatedVkns) {
      const records = sandboxRecords(vkn, today);
      const fetched = (source: DataSource) => ({ source, fetchedAt: today.toISOString() });
      const snapshot = {
        registry: { ...records.registry, ...fetched('MERSIS') },
        tax: { ...records.tax, ...fetched('GIB') },
        socialSecurity: { ...records.socialSecurity, ...fetched('SGK') },
        customs: { ...records.customs, ...fetched('GUMRUK') },
        creditBureau: { ...records.creditBureau, ...fetched('KKB') },
      };
      expect(FirmDataSnapshotSchema.safeParse(snapshot).success, vkn).toBe(true);
      expect(tcknProblem(records.registry.authorisedPersons[0]?.tckn)).toBeUndefined();
      expect(mersisWarning(records.registry.mersisNumber, vkn)).toBeUndefined();
      const exports12 = minorFromDecimalString(records.customs.exportsLast12MonthsUsd);
      expect(minorFromDecimalString(records.customs.exportsLast24MonthsUsd)).toBeGreaterThan(
        exports12,
      );
    }
  });

  it('given generated firms, then they are mostly clean SME exporters', () => {
    const all = generatedVkns.map((vkn) => sandboxRecords(vkn, today));
    const clean = all.filter(
      (r) =>
        r.tax.taxDebt === '0.00' &&
        r.socialSecurity.premiumDebt === '0.00' &&
        r.creditBureau.openProceedings === 0 &&
        r.creditBureau.unsettledBouncedCheques === 0 &&
        r.registry.status === 'ACTIVE',
    );
    expect(clean.length / all.length).toBeGreaterThanOrEqual(0.9);
    expect(all.every((r) => detectSegment({ ...r.tax, ...r.socialSecurity }) === 'KOBI')).toBe(
      true,
    );
  });

  it('given the young fixture firm, then its founding date moves with the clock (14 months ago)', () => {
    expect(sandboxRecords('3100077773', today).registry.foundedOn).toBe('2025-10-03');
    expect(sandboxRecords('3100077773', new Date('2027-06-01T09:00:00Z')).registry.foundedOn).toBe(
      '2026-04-01',
    );
    expect(sandboxRecords('0150015264', today).tax.year).toBe(2025);
  });
});

describe('sandbox adapters', () => {
  it('given the demo firm, when MERSIS is asked, then it lists Ayşe Yılmaz with her TCKN', async () => {
    const sources = createSandboxSources({ clock: () => today });
    expect(await sources.MERSIS.authorisedPersons('0150015264', signal())).toEqual([
      { tckn: '10000000146', name: 'Ayşe Yılmaz', role: 'Yönetim Kurulu Başkanı' },
    ]);
    expect((await sources.MERSIS.fetch('0150015264', signal())).title).toBe(
      'Anadolu Tekstil İhracat A.Ş.',
    );
  });

  it('given an invalid VKN, when any source is asked, then it is refused', async () => {
    const sources = createSandboxSources();
    for (const port of [sources.MERSIS, sources.GIB, sources.SGK, sources.GUMRUK, sources.KKB]) {
      await expect(port.fetch('0150015265', signal())).rejects.toBeInstanceOf(InvalidValueError);
    }
    await expect(sources.MERSIS.authorisedPersons('12345', signal())).rejects.toBeInstanceOf(
      InvalidValueError,
    );
  });

  it('given a firm unknown to MERSIS, when asked, then FirmNotFoundError names the source', async () => {
    const sources = createSandboxSources();
    const error = await sources.MERSIS.fetch('3100244429', signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FirmNotFoundError);
    expect(error).toMatchObject({ vkn: '3100244429', source: 'MERSIS' });
    await expect(sources.KKB.fetch('3100244429', signal())).rejects.toMatchObject({
      source: 'KKB',
    });
    await expect(sources.MERSIS.authorisedPersons('3100244429', signal())).rejects.toBeInstanceOf(
      FirmNotFoundError,
    );
  });

  it('given a latency of 30 ms, when asked, then the answer takes about that long', async () => {
    const sources = createSandboxSources({ behaviour: { latencyMs: 30 } });
    const started = performance.now();
    await sources.GIB.fetch('0150015264', signal());
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('given a slow source, when the caller aborts, then the call stops at once', async () => {
    const sources = createSandboxSources({ sources: { SGK: { latencyMs: 5_000 } } });
    const controller = new AbortController();
    const started = performance.now();
    const call = sources.SGK.fetch('0150015264', controller.signal);
    setTimeout(() => controller.abort(new Error('caller gave up')), 10);
    await expect(call).rejects.toThrow('caller gave up');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('given failure rates 0 and 1, then failures are certain either way, without randomness', async () => {
    const random = () => {
      throw new Error('random must not be consulted');
    };
    const sources = createSandboxSources({ random, sources: { KKB: { failureRate: 1 } } });
    await expect(sources.KKB.fetch('0150015264', signal())).rejects.toBeInstanceOf(
      SourceUnavailableError,
    );
    await expect(sources.GUMRUK.fetch('0150015264', signal())).resolves.toBeDefined();
  });

  it('given a failure rate of 0.5, then the injected random decides each call', async () => {
    const draws = [0.2, 0.7];
    const sources = createSandboxSources({
      random: () => draws.shift()!,
      behaviour: { failureRate: 0.5 },
    });
    await expect(sources.GIB.fetch('0150015264', signal())).rejects.toThrow(
      'GIB unavailable: sandbox failure (503)',
    );
    await expect(sources.GIB.fetch('0150015264', signal())).resolves.toMatchObject({
      taxDebt: '0.00',
    });
  });

  it('given a failure rate outside 0..1, when creating the sandbox, then it is refused', () => {
    expect(() => createSandboxSources({ sources: { SGK: { failureRate: 1.5 } } })).toThrow(
      InvalidValueError,
    );
  });
});

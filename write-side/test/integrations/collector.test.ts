import { describe, expect, it } from 'vitest';
import {
  DATA_SOURCES,
  FirmDataSnapshotSchema,
  InvalidValueError,
  type DataSource,
} from '@kefalet/events';
import {
  FirmNotFoundError,
  collectFirmData,
  createSandboxSources,
  type PublicDataSources,
  type SandboxOptions,
} from '../../src/integrations';

const now = new Date('2026-12-03T09:00:00.000Z');
const clock = () => now;

/** The sandbox, counting the calls each source receives. */
function countedSandbox(options: SandboxOptions = {}) {
  const sandbox = createSandboxSources({ clock, ...options });
  const calls = Object.fromEntries(DATA_SOURCES.map((s) => [s, 0])) as Record<DataSource, number>;
  const counted =
    <T>(source: DataSource, fetch: (vkn: string, signal: AbortSignal) => Promise<T>) =>
    (vkn: string, signal: AbortSignal) => {
      calls[source]++;
      return fetch(vkn, signal);
    };
  const sources: PublicDataSources = {
    MERSIS: { ...sandbox.MERSIS, fetch: counted('MERSIS', sandbox.MERSIS.fetch) },
    GIB: { fetch: counted('GIB', sandbox.GIB.fetch) },
    SGK: { fetch: counted('SGK', sandbox.SGK.fetch) },
    GUMRUK: { fetch: counted('GUMRUK', sandbox.GUMRUK.fetch) },
    KKB: { fetch: counted('KKB', sandbox.KKB.fetch) },
  };
  return { sources, calls };
}

describe('collectFirmData', () => {
  it('given every source answers, then the snapshot is complete, stamped and without TCKNs', async () => {
    const { sources } = countedSandbox();
    const result = await collectFirmData('0150015264', { sources, timeoutMs: 200, clock });
    expect(result.kind).toBe('complete');
    if (result.kind !== 'complete') return;
    expect(FirmDataSnapshotSchema.parse(result.snapshot)).toEqual(result.snapshot);
    expect(result.segment).toBe('KOBI');
    expect(result.snapshot.registry).toMatchObject({
      source: 'MERSIS',
      fetchedAt: '2026-12-03T09:00:00.000Z',
      title: 'Anadolu Tekstil İhracat A.Ş.',
      authorisedPersons: [{ name: 'Ayşe Yılmaz', role: 'Yönetim Kurulu Başkanı' }],
    });
    expect(JSON.stringify(result.snapshot)).not.toContain('10000000146');
    expect(result.authorisedPersons).toEqual([
      { tckn: '10000000146', name: 'Ayşe Yılmaz', role: 'Yönetim Kurulu Başkanı' },
    ]);
    expect(result.snapshot.creditBureau.source).toBe('KKB');
  });

  it('given a non-SME firm, then the segment is KOBI_DISI', async () => {
    const { sources } = countedSandbox();
    const result = await collectFirmData('3100022223', { sources, timeoutMs: 200, clock });
    expect(result).toMatchObject({ kind: 'complete', segment: 'KOBI_DISI' });
  });

  it('given five sources of 30 ms each, then they are asked in parallel (≈ max, not sum)', async () => {
    const { sources, calls } = countedSandbox({ behaviour: { latencyMs: 30 } });
    const started = performance.now();
    const result = await collectFirmData('0150015264', { sources, timeoutMs: 1_000, clock });
    const elapsed = performance.now() - started;
    expect(result.kind).toBe('complete');
    expect(elapsed).toBeGreaterThanOrEqual(25);
    expect(elapsed).toBeLessThan(120); // the sum would be 150 ms
    expect(Object.values(calls)).toEqual([1, 1, 1, 1, 1]);
  });

  it('given GİB never answers in time, then it is tried twice and named as unavailable', async () => {
    const { sources, calls } = countedSandbox({ sources: { GIB: { latencyMs: 5_000 } } });
    const started = performance.now();
    const result = await collectFirmData('0150015264', { sources, timeoutMs: 40, clock });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.kind).toBe('incomplete');
    if (result.kind !== 'incomplete') return;
    expect(result.unavailableSources).toEqual(['GIB']);
    expect(Object.keys(result.partial).sort()).toEqual([
      'creditBureau',
      'customs',
      'registry',
      'socialSecurity',
    ]);
    expect(calls.GIB).toBe(2);
    expect(calls.SGK).toBe(1);
  });

  it('given an adapter that ignores the abort signal, then the timeout still holds', async () => {
    const { sources } = countedSandbox();
    const stuck: PublicDataSources = { ...sources, KKB: { fetch: () => new Promise(() => {}) } };
    const result = await collectFirmData('0150015264', { sources: stuck, timeoutMs: 30, clock });
    expect(result).toMatchObject({ kind: 'incomplete', unavailableSources: ['KKB'] });
  });

  it('given a source that always fails, then after one retry it is unavailable', async () => {
    const { sources, calls } = countedSandbox({ sources: { KKB: { failureRate: 1 } } });
    const result = await collectFirmData('0150015264', { sources, timeoutMs: 200, clock });
    expect(result).toMatchObject({ kind: 'incomplete', unavailableSources: ['KKB'] });
    expect(calls.KKB).toBe(2);
  });

  it('given every source is down, then all five are named, in the usual order', async () => {
    const { sources } = countedSandbox({ behaviour: { failureRate: 1 } });
    const result = await collectFirmData('0150015264', { sources, timeoutMs: 200, clock });
    expect(result).toEqual({
      kind: 'incomplete',
      unavailableSources: ['MERSIS', 'GIB', 'SGK', 'GUMRUK', 'KKB'],
      partial: {},
    });
  });

  it('given a source that fails once and recovers, then the retry completes the snapshot', async () => {
    const draws = [0.1, 0.9]; // first call fails (0.1 < 0.5), the retry succeeds
    const { sources, calls } = countedSandbox({
      random: () => draws.shift()!,
      sources: { GUMRUK: { failureRate: 0.5 } },
    });
    const result = await collectFirmData('0150015264', { sources, timeoutMs: 200, clock });
    expect(result.kind).toBe('complete');
    expect(calls.GUMRUK).toBe(2);
    expect(draws).toEqual([]);
  });

  it('given a malformed answer, then it counts as a failure and the source is unavailable', async () => {
    const { sources } = countedSandbox();
    const broken: PublicDataSources = {
      ...sources,
      SGK: { fetch: async () => ({ headcount: -1, premiumDebt: '0.00' }) },
    };
    const result = await collectFirmData('0150015264', { sources: broken, timeoutMs: 200, clock });
    expect(result).toMatchObject({ kind: 'incomplete', unavailableSources: ['SGK'] });
  });

  it('given a firm unknown to MERSIS, then FirmNotFoundError is thrown, without a retry', async () => {
    const { sources, calls } = countedSandbox();
    await expect(
      collectFirmData('3100244429', { sources, timeoutMs: 200, clock }),
    ).rejects.toBeInstanceOf(FirmNotFoundError);
    expect(calls.MERSIS).toBe(1);
  });

  it('given only KKB says it does not know the firm, then KKB is unavailable, nothing thrown', async () => {
    const { sources } = countedSandbox();
    const unknownToKkb: PublicDataSources = {
      ...sources,
      KKB: {
        fetch: async (vkn) => {
          throw new FirmNotFoundError(vkn, 'KKB');
        },
      },
    };
    const result = await collectFirmData('0150015264', {
      sources: unknownToKkb,
      timeoutMs: 200,
      clock,
    });
    expect(result).toMatchObject({ kind: 'incomplete', unavailableSources: ['KKB'] });
  });

  it('given an invalid VKN, then it is refused before any source is asked', async () => {
    const { sources, calls } = countedSandbox();
    await expect(
      collectFirmData('0150015265', { sources, timeoutMs: 200, clock }),
    ).rejects.toBeInstanceOf(InvalidValueError);
    expect(Object.values(calls)).toEqual([0, 0, 0, 0, 0]);
  });
});

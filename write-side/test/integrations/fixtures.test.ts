import { describe, expect, it } from 'vitest';
import { mersisWarning, tcknProblem, vknProblem } from '@kefalet/events';
import {
  DEMO_EXPORTERS,
  SANDBOX_FIRMS,
  findSandboxFirm,
  sandboxFirmTable,
  sandboxRecords,
} from '../../src/integrations';

const today = new Date('2026-12-03T09:00:00Z');

describe('sandbox fixture firms', () => {
  it('given the fixture set, then it has at least 20 firms with distinct, valid VKNs', () => {
    expect(SANDBOX_FIRMS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(SANDBOX_FIRMS.map((f) => f.vkn)).size).toBe(SANDBOX_FIRMS.length);
    for (const firm of SANDBOX_FIRMS) expect(vknProblem(firm.vkn), firm.vkn).toBeUndefined();
  });

  it('given every authorised person, then each TCKN is valid and used by one person only', () => {
    const tckns = SANDBOX_FIRMS.flatMap((f) => f.profile?.authorisedPersons ?? []).map(
      (p) => p.tckn,
    );
    for (const tckn of tckns) expect(tcknProblem(tckn), tckn).toBeUndefined();
    expect(new Set(tckns).size).toBe(tckns.length);
  });

  it('given the demo firm, then Ayşe Yılmaz (TCKN 10000000146) is its authorised person', () => {
    const demo = findSandboxFirm('0150015264');
    expect(demo?.title).toBe('Anadolu Tekstil İhracat A.Ş.');
    expect(demo?.profile?.authorisedPersons).toEqual([
      { tckn: '10000000146', name: 'Ayşe Yılmaz', role: 'Yönetim Kurulu Başkanı' },
    ]);
  });

  it('given the two demo exporters, then each names a clean SME exporter and its member', () => {
    for (const demo of DEMO_EXPORTERS) {
      const firm = findSandboxFirm(demo.vkn);
      expect(firm?.expected).toMatchObject({ registered: true, segment: 'KOBI', eligible: true });
      expect(firm?.profile?.authorisedPersons.map((p) => p.tckn)).toContain(demo.tckn);
    }
    expect(DEMO_EXPORTERS.map((d) => d.tckn)).toEqual(['10000000146', '10000000078']);
  });

  it('given the fixtures, then together they reach every knock-out and both segments', () => {
    const codes = new Set(
      SANDBOX_FIRMS.flatMap((f) => (f.expected.registered ? f.expected.blockingCodes : [])),
    );
    expect([...codes].sort()).toEqual([
      'CREDIT_NOTE_7',
      'EXPORT_HISTORY_REQUIRED',
      'OPEN_PROCEEDINGS',
      'REGISTRY_NOT_ACTIVE',
      'SGK_PREMIUM_DEBT',
      'TAX_DEBT',
      'UNSETTLED_BOUNCED_CHEQUES',
    ]);
    const segments = new Set(
      SANDBOX_FIRMS.flatMap((f) => (f.expected.registered ? [f.expected.segment] : [])),
    );
    expect(segments).toEqual(new Set(['KOBI', 'KOBI_DISI']));
    expect(SANDBOX_FIRMS.some((f) => !f.expected.registered)).toBe(true);
    expect(SANDBOX_FIRMS.some((f) => (f.profile?.authorisedPersons.length ?? 0) > 1)).toBe(true);
  });

  it('given a fixture firm, then its MERSIS number follows the 0 + VKN + 5 digits pattern', () => {
    for (const firm of SANDBOX_FIRMS.filter((f) => f.profile)) {
      const { mersisNumber } = sandboxRecords(firm.vkn, today).registry;
      expect(mersisNumber).toMatch(/^\d{16}$/);
      expect(mersisWarning(mersisNumber, firm.vkn)).toBeUndefined();
    }
  });

  it('given the table, then there is one row per firm with its outcome and TCKNs', () => {
    const table = sandboxFirmTable();
    expect(table).toHaveLength(SANDBOX_FIRMS.length);
    expect(table[0]).toEqual({
      vkn: '0150015264',
      title: 'Anadolu Tekstil İhracat A.Ş.',
      description: 'Demo firm: clean SME exporter with growing exports',
      outcome: 'KOBI, IHR-KOBI: eligible',
      authorisedTckns: ['10000000146'],
    });
    expect(table.find((r) => r.vkn === '3100111102')?.outcome).toBe(
      'KOBI, IHR-KOBI: ineligible (TAX_DEBT)',
    );
    expect(table.find((r) => r.vkn === '3100244429')?.outcome).toBe('FirmNotFoundError');
  });
});

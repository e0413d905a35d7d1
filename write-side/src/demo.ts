import { randomUUID } from 'node:crypto';
import { streams, type Role } from '@kefalet/events';
import { handleCommand } from './command-handler';
import type { WriteSideContext } from './context';
import { membershipDeciders } from './domain/membership';
import { hashPassword } from './identity/password';
import type { UserRecord } from './identity/store';
import { DEMO_EXPORTERS, findSandboxFirm } from './integrations';
import { PORTAL_CONTRACTS } from './signing/contracts';

/** Demo mode only (never with NODE_ENV=production): one password for every demo account. */
export const DEMO_PASSWORD = 'demo-password-2026';

/** İGE's partner banks in the demo, with their EFT bank codes. */
export const DEMO_PARTNER_BANKS = [
  { code: '0010', name: 'T.C. Ziraat Bankası' },
  { code: '0012', name: 'Türkiye Halk Bankası' },
  { code: '0015', name: 'Türkiye Vakıflar Bankası' },
  { code: '0032', name: 'Türk Ekonomi Bankası' },
  { code: '0046', name: 'Akbank' },
  { code: '0062', name: 'Garanti BBVA' },
  { code: '0064', name: 'Türkiye İş Bankası' },
  { code: '0067', name: 'Yapı Kredi' },
  { code: '0099', name: 'ING Türkiye' },
  { code: '0111', name: 'QNB Türkiye' },
  { code: '0134', name: 'DenizBank' },
  { code: '0205', name: 'Kuveyt Türk' },
] as const;

export interface DemoAccount {
  readonly email: string;
  readonly role: Role;
  readonly description: string;
}

export function demoAccounts(): DemoAccount[] {
  const [first, second] = DEMO_EXPORTERS.map((demo) => findSandboxFirm(demo.vkn));
  return [
    {
      email: 'exporter@demo.test',
      role: 'exporter',
      description: `${first?.title ?? ''} yetkilisi (KOBİ ihracatçı, sözleşmeler imzalı)`,
    },
    {
      email: 'exporter2@demo.test',
      role: 'exporter',
      description: `${second?.title ?? ''} yetkilisi (başka bir firma)`,
    },
    { email: 'analyst@demo.test', role: 'analyst', description: 'İGE analisti' },
    ...DEMO_PARTNER_BANKS.map((bank) => ({
      email: `bank.${bank.code}@demo.test`,
      role: 'bank' as const,
      description: `${bank.name} (${bank.code}) kredi uzmanı`,
    })),
  ];
}

/**
 * Seeds an EMPTY store: the partner banks, the demo users (credentials in the identity store only),
 * both demo exporters verified against the sandbox MERSIS and with the contracts signed.
 */
export async function seedDemo(ctx: WriteSideContext): Promise<boolean> {
  if ((await ctx.store.lastPosition()) > 0n) return false;
  const system = { actor: { kind: 'system' as const, name: 'demo-seed' } };
  const now = ctx.clock.now().toISOString();

  for (const bank of DEMO_PARTNER_BANKS) {
    await ctx.store.append(
      streams.bank(bank.code),
      [
        {
          id: randomUUID(),
          type: 'PartnerBankRegistered',
          data: { bankCode: bank.code, name: bank.name, registeredAt: now },
          metadata: {
            correlationId: randomUUID(),
            causationId: randomUUID(),
            actor: system.actor,
            occurredAt: now,
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 'no-stream' },
    );
    ctx.directory.observe({
      type: 'PartnerBankRegistered',
      data: { bankCode: bank.code, name: bank.name, registeredAt: now },
    });
  }

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const createUser = async (user: Omit<UserRecord, 'id' | 'passwordHash' | 'createdAt'>) => {
    const record: UserRecord = { ...user, id: randomUUID(), passwordHash, createdAt: now };
    ctx.identity.createUser(record);
    await handleCommand(
      ctx,
      streams.member(record.id),
      membershipDeciders.member,
      {
        type: 'RegisterMember',
        memberId: record.id,
        fullName: record.fullName,
        email: record.email,
        role: record.role,
        ...(record.bankCode ? { bankCode: record.bankCode } : {}),
        ...(record.branchCode ? { branchCode: record.branchCode } : {}),
      },
      system,
    );
    return record;
  };

  const exporterEmails = ['exporter@demo.test', 'exporter2@demo.test'];
  for (const [index, demo] of DEMO_EXPORTERS.entries()) {
    const firm = findSandboxFirm(demo.vkn);
    const person = firm?.profile?.authorisedPersons.find((p) => p.tckn === demo.tckn);
    const title = firm?.title ?? demo.vkn;
    const user = await createUser({
      email: exporterEmails[index] ?? `exporter${index + 1}@demo.test`,
      fullName: demo.name,
      tckn: demo.tckn,
      mobilePhone: `053212345${String(index).padStart(2, '0')}`,
      role: 'exporter',
    });
    const verified = await handleCommand(
      ctx,
      streams.firm(demo.vkn),
      membershipDeciders.firm,
      {
        type: 'VerifyFirmMembership',
        firmVkn: demo.vkn,
        memberId: user.id,
        firmTitle: title,
        mersisNumber: `0${demo.vkn}00015`,
        authorisedPersonRole: person?.role ?? 'Yetkili',
        isAuthorisedPerson: true,
      },
      system,
    );
    verified.events.forEach((e) => ctx.directory.observe(e));
    for (const contract of PORTAL_CONTRACTS) {
      const { signatureReference } = await ctx.signatures.signWithEImza({
        signerName: user.fullName,
        documentSha256: contract.sha256,
      });
      await handleCommand(
        ctx,
        streams.member(user.id),
        membershipDeciders.member,
        {
          type: 'SignContract',
          memberId: user.id,
          contractId: contract.id,
          contractVersion: contract.version,
          contractSha256: contract.sha256,
          method: 'E_IMZA',
          signerName: user.fullName,
          signatureReference,
        },
        system,
      );
    }
  }

  await createUser({
    email: 'analyst@demo.test',
    fullName: 'Deniz Analist',
    tckn: '20000000114',
    mobilePhone: '05321110000',
    role: 'analyst',
  });
  for (const bank of DEMO_PARTNER_BANKS) {
    await createUser({
      email: `bank.${bank.code}@demo.test`,
      fullName: `${bank.name} Kredi Uzmanı`,
      tckn: '20000000282',
      mobilePhone: '05321110001',
      role: 'bank',
      bankCode: bank.code,
      branchCode: `${bank.code.slice(1)}1`,
    });
  }
  return true;
}

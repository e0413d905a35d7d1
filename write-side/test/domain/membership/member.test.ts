import { describe, expect, it } from 'vitest';
import {
  evolveMember,
  hasSignedAllContracts,
  initialMemberState,
  membershipDeciders,
  type RegisterMember,
  type SignContract,
} from '../../../src/domain/membership';
import type { DecidedEvent } from '../../../src/domain/decider';
import { event, fixedContext, specFor } from '../spec';

const spec = specFor(membershipDeciders.member);

const MEMBER_ID = '6b0f3d2e-8c41-4a7b-9d5e-2f1a0c3b4d6e';
const BANK_USER_ID = 'c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f';
const REGISTERED_AT = '2026-05-18T06:45:00.000Z';
const SIGNED_AT = '2026-05-18T06:52:00.000Z';
const at = (now: string) =>
  fixedContext(now, { kind: 'user', userId: MEMBER_ID, role: 'exporter' });

const SHA_V3 = 'a3f1c2d4e5b60718293a4b5c6d7e8f9012a3b4c5d6e7f8091a2b3c4d5e6f7081';
const SHA_V4 = '0c1d2e3f4a5b6c7d8e9f00112233445566778899aabbccddeeff001122334455';
const KVKK_SHA = '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8';

const CURRENT = [
  { contractId: 'UYELIK_SOZLESMESI', contractVersion: '4', contractSha256: SHA_V4 },
  { contractId: 'KVKK_ACIK_RIZA', contractVersion: '2', contractSha256: KVKK_SHA },
];

const register = (change: Partial<RegisterMember> = {}): RegisterMember => ({
  type: 'RegisterMember',
  memberId: MEMBER_ID,
  fullName: 'Mehmet Demir',
  email: 'mehmet.demir@anadolutekstil.com.tr',
  role: 'exporter',
  ...change,
});

const registered = event('MemberRegistered', {
  memberId: MEMBER_ID,
  fullName: 'Mehmet Demir',
  email: 'mehmet.demir@anadolutekstil.com.tr',
  role: 'exporter',
  registeredAt: REGISTERED_AT,
});

const sign = (change: Partial<SignContract> = {}): SignContract => ({
  type: 'SignContract',
  memberId: MEMBER_ID,
  contractId: 'UYELIK_SOZLESMESI',
  contractVersion: '4',
  contractSha256: SHA_V4,
  method: 'E_IMZA',
  signerName: 'Mehmet Demir',
  signatureReference: 'EIMZA-2026-0518-884213',
  ...change,
});

const signed = (contractVersion = '4', contractSha256 = SHA_V4, contractId = 'UYELIK_SOZLESMESI') =>
  event('ContractSigned', {
    memberId: MEMBER_ID,
    contractId,
    contractVersion,
    contractSha256,
    method: 'E_IMZA',
    signerName: 'Mehmet Demir',
    signatureReference: 'EIMZA-2026-0518-884213',
    signedAt: SIGNED_AT,
  });

describe('RegisterMember (R1)', () => {
  it('registers an exporter user', () => {
    spec.given([]).when(register(), at(REGISTERED_AT)).then([registered]);
  });

  it('registers a bank user with the bank and the branch', () => {
    spec
      .given([])
      .when(
        register({
          memberId: BANK_USER_ID,
          fullName: 'Ayşe Yılmaz',
          email: 'ayse.yilmaz@ziraatbank.com.tr',
          role: 'bank',
          bankCode: '0010',
          branchCode: '0735',
        }),
        at(REGISTERED_AT),
      )
      .then([
        event('MemberRegistered', {
          memberId: BANK_USER_ID,
          fullName: 'Ayşe Yılmaz',
          email: 'ayse.yilmaz@ziraatbank.com.tr',
          role: 'bank',
          bankCode: '0010',
          branchCode: '0735',
          registeredAt: REGISTERED_AT,
        }),
      ]);
  });

  it('refuses a second registration', () => {
    spec
      .given([registered])
      .when(register(), at(REGISTERED_AT))
      .thenRefuses('MEMBER_ALREADY_REGISTERED', { kind: 'conflict' });
  });

  it('refuses a bank user without a bank', () => {
    spec
      .given([])
      .when(register({ role: 'bank' }), at(REGISTERED_AT))
      .thenRefuses('BANK_CODE_REQUIRED', { kind: 'invalid', field: 'bankCode' });
  });

  it('refuses a bank or a branch for anyone else', () => {
    spec
      .given([])
      .when(register({ bankCode: '0010' }), at(REGISTERED_AT))
      .thenRefuses('ONLY_FOR_BANK_USERS', { kind: 'invalid', field: 'bankCode' });
    spec
      .given([])
      .when(register({ role: 'analyst', branchCode: '0735' }), at(REGISTERED_AT))
      .thenRefuses('ONLY_FOR_BANK_USERS', { field: 'branchCode' });
  });
});

describe('SignContract (R2)', () => {
  it('records the method, the signer, the exact text and the time', () => {
    spec.given([registered]).when(sign(), at(SIGNED_AT)).then([signed()]);
  });

  it('accepts the version the user read when it is the one in force', () => {
    spec
      .given([registered])
      .when(sign({ versionRead: '4' }), at(SIGNED_AT))
      .then([signed()]);
  });

  it('does nothing when the same text is signed again', () => {
    spec.given([registered, signed()]).when(sign(), at(SIGNED_AT)).then([]);
  });

  it('records a new signature for a new version', () => {
    spec
      .given([registered, signed('3', SHA_V3)])
      .when(sign(), at(SIGNED_AT))
      .then([signed()]);
  });

  it('refuses when the user read an outdated version', () => {
    spec
      .given([registered])
      .when(sign({ versionRead: '3' }), at(SIGNED_AT))
      .thenRefuses('CONTRACT_OUTDATED', {
        kind: 'conflict',
        field: 'contractVersion',
        details: { currentVersion: '4' },
      });
  });

  it('refuses a member that is not registered', () => {
    spec
      .given([])
      .when(sign(), at(SIGNED_AT))
      .thenRefuses('MEMBER_NOT_FOUND', { kind: 'not-found' });
  });
});

describe('hasSignedAllContracts', () => {
  const stateAfter = (events: DecidedEvent[]) => events.reduce(evolveMember, initialMemberState);

  it('is true once every contract in force is signed in its current text', () => {
    const state = stateAfter([registered, signed(), signed('2', KVKK_SHA, 'KVKK_ACIK_RIZA')]);
    expect(hasSignedAllContracts(state, CURRENT)).toBe(true);
    expect(hasSignedAllContracts(state, [])).toBe(true);
  });

  it('is false while a contract is missing, or signed only in an older version', () => {
    expect(hasSignedAllContracts(stateAfter([registered, signed()]), CURRENT)).toBe(false);
    const older = stateAfter([
      registered,
      signed('3', SHA_V3),
      signed('2', KVKK_SHA, 'KVKK_ACIK_RIZA'),
    ]);
    expect(hasSignedAllContracts(older, CURRENT)).toBe(false);
  });

  it('is false when the text changed under the same version number', () => {
    const state = stateAfter([
      registered,
      signed('4', SHA_V3),
      signed('2', KVKK_SHA, 'KVKK_ACIK_RIZA'),
    ]);
    expect(hasSignedAllContracts(state, CURRENT)).toBe(false);
  });
});

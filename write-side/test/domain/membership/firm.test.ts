import { describe, expect, it } from 'vitest';
import {
  evolveFirm,
  initialFirmState,
  isFirmMember,
  membershipDeciders,
  type VerifyFirmMembership,
} from '../../../src/domain/membership';
import { event, fixedContext, specFor } from '../spec';

const spec = specFor(membershipDeciders.firm);

const VKN = '0150015264';
const MEMBER_ID = '6b0f3d2e-8c41-4a7b-9d5e-2f1a0c3b4d6e';
const SECOND_MEMBER_ID = '7c1a4e3f-9d52-4b8c-8e6f-3a2b1d4c5e7f';
const VERIFIED_AT = '2026-05-18T06:48:00.000Z';
const at = fixedContext(VERIFIED_AT, { kind: 'user', userId: MEMBER_ID, role: 'exporter' });

const verify = (change: Partial<VerifyFirmMembership> = {}): VerifyFirmMembership => ({
  type: 'VerifyFirmMembership',
  firmVkn: VKN,
  memberId: MEMBER_ID,
  firmTitle: 'Anadolu Tekstil Sanayi ve Ticaret A.Ş.',
  mersisNumber: '0015001526400017',
  authorisedPersonRole: 'Yönetim Kurulu Başkanı',
  isAuthorisedPerson: true,
  ...change,
});

const verified = (memberId = MEMBER_ID, authorisedPersonRole = 'Yönetim Kurulu Başkanı') =>
  event('FirmMembershipVerified', {
    firmVkn: VKN,
    memberId,
    firmTitle: 'Anadolu Tekstil Sanayi ve Ticaret A.Ş.',
    mersisNumber: '0015001526400017',
    authorisedPersonRole,
    verifiedAt: VERIFIED_AT,
  });

describe('VerifyFirmMembership (R1)', () => {
  it("records an authorised person MERSIS lists as the firm's member", () => {
    spec.given([]).when(verify(), at).then([verified()]);
  });

  it('takes several members, one per authorised person', () => {
    spec
      .given([verified()])
      .when(verify({ memberId: SECOND_MEMBER_ID, authorisedPersonRole: 'Genel Müdür' }), at)
      .then([verified(SECOND_MEMBER_ID, 'Genel Müdür')]);
  });

  it('does nothing for a member already verified', () => {
    spec.given([verified()]).when(verify(), at).then([]);
  });

  it('refuses someone MERSIS does not list among the authorised persons', () => {
    spec
      .given([])
      .when(verify({ isAuthorisedPerson: false }), at)
      .thenRefuses('NOT_AN_AUTHORISED_PERSON', { kind: 'forbidden' });
  });

  it('tells a handler who may act for the firm', () => {
    const state = [verified()].reduce(evolveFirm, initialFirmState);
    expect(isFirmMember(state, MEMBER_ID)).toBe(true);
    expect(isFirmMember(state, SECOND_MEMBER_ID)).toBe(false);
    expect(state).toMatchObject({ firmVkn: VKN, mersisNumber: '0015001526400017' });
  });
});

import type { Decider } from '../decider';
import { decideFirm, evolveFirm, initialFirmState, type FirmCommand, type FirmState } from './firm';
import {
  decideMember,
  evolveMember,
  initialMemberState,
  type MemberCommand,
  type MemberState,
} from './member';

export * from './member';
export * from './firm';

/** The member stream (member-<uuid>) and the firm stream (firm-<vkn>). */
export const membershipDeciders: {
  readonly member: Decider<MemberCommand, MemberState>;
  readonly firm: Decider<FirmCommand, FirmState>;
} = {
  member: { initialState: initialMemberState, evolve: evolveMember, decide: decideMember },
  firm: { initialState: initialFirmState, evolve: evolveFirm, decide: decideFirm },
};

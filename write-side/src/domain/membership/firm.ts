import { CommandRefused, type CommandContext, type DecidedEvent } from '../decider';

/* The firm stream (firm-<vkn>): the members MERSIS lists among the firm's authorised persons (R1). */

export interface FirmMemberState {
  readonly memberId: string;
  readonly authorisedPersonRole: string;
  readonly verifiedAt: string;
}

export interface FirmState {
  readonly firmVkn?: string;
  /** As MERSIS gave them at the latest verification. */
  readonly firmTitle?: string;
  readonly mersisNumber?: string;
  readonly members: ReadonlyMap<string, FirmMemberState>;
}

export const initialFirmState: FirmState = { members: new Map() };

export interface VerifyFirmMembership {
  readonly type: 'VerifyFirmMembership';
  readonly firmVkn: string;
  readonly memberId: string;
  readonly firmTitle: string;
  readonly mersisNumber: string;
  readonly authorisedPersonRole: string;
  /** The handler asked MERSIS: the member is one of the firm's authorised persons. */
  readonly isAuthorisedPerson: boolean;
}

export type FirmCommand = VerifyFirmMembership;

/** What a handler checks before a member acts for the firm (memberVerifiedForFirm). */
export function isFirmMember(state: FirmState, memberId: string): boolean {
  return state.members.has(memberId);
}

export function evolveFirm(state: FirmState, event: DecidedEvent): FirmState {
  if (event.type !== 'FirmMembershipVerified') return state;
  const { firmVkn, firmTitle, mersisNumber, memberId, authorisedPersonRole, verifiedAt } =
    event.data;
  return {
    firmVkn,
    firmTitle,
    mersisNumber,
    members: new Map(state.members).set(memberId, { memberId, authorisedPersonRole, verifiedAt }),
  };
}

export function decideFirm(
  command: FirmCommand,
  state: FirmState,
  { now }: CommandContext,
): DecidedEvent[] {
  if (!command.isAuthorisedPerson) {
    throw new CommandRefused(
      'forbidden',
      'NOT_AN_AUTHORISED_PERSON',
      "MERSIS does not list the member among the firm's authorised persons",
    );
  }
  if (isFirmMember(state, command.memberId)) return [];
  return [
    {
      type: 'FirmMembershipVerified',
      data: {
        firmVkn: command.firmVkn,
        memberId: command.memberId,
        firmTitle: command.firmTitle,
        mersisNumber: command.mersisNumber,
        authorisedPersonRole: command.authorisedPersonRole,
        verifiedAt: now.toISOString(),
      },
    },
  ];
}

import type { EventData, Role } from '@kefalet/events';
import { CommandRefused, type CommandContext, type DecidedEvent } from '../decider';

/* The member stream (member-<uuid>): who registered (R1) and which contract texts they signed (R2). */

export interface SignatureState {
  readonly contractId: string;
  readonly contractVersion: string;
  readonly contractSha256: string;
  readonly signedAt: string;
}

export interface MemberState {
  readonly status: 'NONE' | 'REGISTERED';
  readonly memberId?: string;
  readonly fullName?: string;
  readonly email?: string;
  readonly role?: Role;
  readonly bankCode?: string;
  readonly branchCode?: string;
  readonly signatures: readonly SignatureState[];
}

export const initialMemberState: MemberState = { status: 'NONE', signatures: [] };

/** A contract as currently published: the version and the SHA-256 of its exact text. */
export interface CurrentContract {
  readonly contractId: string;
  readonly contractVersion: string;
  readonly contractSha256: string;
}

export interface RegisterMember {
  readonly type: 'RegisterMember';
  readonly memberId: string;
  readonly fullName: string;
  readonly email: string;
  readonly role: Role;
  /** Bank users only: the bank they work for, and their branch. */
  readonly bankCode?: string;
  readonly branchCode?: string;
}

/** The handler fills contractVersion and contractSha256 from the contract as published now. */
export type SignContract = { readonly type: 'SignContract' } & Omit<
  EventData<'ContractSigned'>,
  'signedAt'
> & {
    /** The version the user read, when the client names it: signing an outdated text is refused. */
    readonly versionRead?: string;
  };

export type MemberCommand = RegisterMember | SignContract;

function hasSigned(state: MemberState, contract: CurrentContract): boolean {
  return state.signatures.some(
    (signature) =>
      signature.contractId === contract.contractId &&
      signature.contractVersion === contract.contractVersion &&
      signature.contractSha256 === contract.contractSha256,
  );
}

/** R2: every contract in force is signed in its current version and exact text. */
export function hasSignedAllContracts(
  state: MemberState,
  currentContracts: readonly CurrentContract[],
): boolean {
  return currentContracts.every((contract) => hasSigned(state, contract));
}

export function evolveMember(state: MemberState, event: DecidedEvent): MemberState {
  switch (event.type) {
    case 'MemberRegistered': {
      const { registeredAt: _registeredAt, ...member } = event.data;
      return { ...initialMemberState, status: 'REGISTERED', ...member };
    }
    case 'ContractSigned': {
      const { contractId, contractVersion, contractSha256, signedAt } = event.data;
      return {
        ...state,
        signatures: [
          ...state.signatures,
          { contractId, contractVersion, contractSha256, signedAt },
        ],
      };
    }
    default:
      return state;
  }
}

function registerMember(command: RegisterMember, state: MemberState, now: Date): DecidedEvent[] {
  if (state.status !== 'NONE') {
    throw new CommandRefused('conflict', 'MEMBER_ALREADY_REGISTERED', 'Already registered');
  }
  const isBankUser = command.role === 'bank';
  if (isBankUser && command.bankCode === undefined) {
    throw new CommandRefused(
      'invalid',
      'BANK_CODE_REQUIRED',
      'A bank user belongs to a bank',
      'bankCode',
    );
  }
  for (const field of ['bankCode', 'branchCode'] as const) {
    if (!isBankUser && command[field] !== undefined) {
      throw new CommandRefused(
        'invalid',
        'ONLY_FOR_BANK_USERS',
        'Only bank users have a bank and a branch',
        field,
      );
    }
  }
  return [
    {
      type: 'MemberRegistered',
      data: {
        memberId: command.memberId,
        fullName: command.fullName,
        email: command.email,
        role: command.role,
        ...(command.bankCode !== undefined && { bankCode: command.bankCode }),
        ...(command.branchCode !== undefined && { branchCode: command.branchCode }),
        registeredAt: now.toISOString(),
      },
    },
  ];
}

function signContract(command: SignContract, state: MemberState, now: Date): DecidedEvent[] {
  if (state.status === 'NONE') {
    throw new CommandRefused('not-found', 'MEMBER_NOT_FOUND', 'No such member');
  }
  if (command.versionRead !== undefined && command.versionRead !== command.contractVersion) {
    throw new CommandRefused(
      'conflict',
      'CONTRACT_OUTDATED',
      `Version ${command.versionRead} is no longer in force: read version ${command.contractVersion}`,
      'contractVersion',
      { currentVersion: command.contractVersion },
    );
  }
  if (hasSigned(state, command)) return [];
  return [
    {
      type: 'ContractSigned',
      data: {
        memberId: command.memberId,
        contractId: command.contractId,
        contractVersion: command.contractVersion,
        contractSha256: command.contractSha256,
        method: command.method,
        signerName: command.signerName,
        signatureReference: command.signatureReference,
        signedAt: now.toISOString(),
      },
    },
  ];
}

export function decideMember(
  command: MemberCommand,
  state: MemberState,
  { now }: CommandContext,
): DecidedEvent[] {
  switch (command.type) {
    case 'RegisterMember':
      return registerMember(command, state, now);
    case 'SignContract':
      return signContract(command, state, now);
  }
}

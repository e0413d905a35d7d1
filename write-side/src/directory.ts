import type { DecidedEvent } from './domain/decider';

export interface PartnerBank {
  readonly code: string;
  readonly name: string;
}

export interface MemberFirm {
  readonly vkn: string;
  readonly title: string;
}

/**
 * The write-side's own small view of the log: the partner banks (R7 sends each request to all of
 * them) and which firms each member is verified for (for /api/auth/me). Observing is idempotent
 * (set semantics), so routes apply their own events at once for read-your-writes and the log
 * follower applies them again harmlessly.
 */
export class Directory {
  private readonly banks = new Map<string, PartnerBank>();
  private readonly firmsByMember = new Map<string, Map<string, MemberFirm>>();

  observe(event: DecidedEvent): void {
    switch (event.type) {
      case 'PartnerBankRegistered':
        this.banks.set(event.data.bankCode, { code: event.data.bankCode, name: event.data.name });
        break;
      case 'FirmMembershipVerified': {
        const firms = this.firmsByMember.get(event.data.memberId) ?? new Map<string, MemberFirm>();
        firms.set(event.data.firmVkn, { vkn: event.data.firmVkn, title: event.data.firmTitle });
        this.firmsByMember.set(event.data.memberId, firms);
        break;
      }
      default:
        break;
    }
  }

  partnerBanks(): PartnerBank[] {
    return [...this.banks.values()].sort((a, b) => a.code.localeCompare(b.code));
  }

  bank(code: string): PartnerBank | undefined {
    return this.banks.get(code);
  }

  firmsOf(memberId: string): MemberFirm[] {
    return [...(this.firmsByMember.get(memberId)?.values() ?? [])];
  }
}

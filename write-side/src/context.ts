import type { Currency, EventStore } from '@kefalet/events';
import type { Clock, ManualClock } from './clock';
import type { Directory } from './directory';
import type { SessionOptions } from './http/session';
import type { IdentityStore } from './identity/store';
import type { PublicDataSources } from './integrations';
import type { DemoInbox, SignatureProvider } from './signing/provider';

/** Everything a route needs, built once by `registerWriteSide`. */
export interface WriteSideContext {
  readonly store: EventStore;
  readonly clock: Clock;
  /** Present only with CLOCK=manual (tests and demos). */
  readonly manualClock: ManualClock | undefined;
  readonly identity: IdentityStore;
  readonly sessions: SessionOptions;
  readonly directory: Directory;
  readonly sources: PublicDataSources;
  /** Per attempt; each source gets one retry. */
  readonly dataTimeoutMs: number;
  readonly signatures: SignatureProvider;
  /** Present only in demo mode: where sandbox SMS land. */
  readonly demoInbox: DemoInbox | undefined;
  /** TRY per unit, decimal strings; package limits are in TRY equivalent. */
  readonly fxRatesToTry: Readonly<Record<Currency, string>>;
  describeUser(userId: string): Promise<DescribedUser>;
}

export interface DescribedUser {
  readonly id: string;
  readonly fullName: string;
  readonly email: string;
  readonly role: 'exporter' | 'bank' | 'analyst';
  readonly bankCode?: string;
  readonly bankName?: string;
  readonly branchCode?: string;
  readonly firms: readonly { vkn: string; title: string }[];
  readonly contractsSigned: boolean;
}

import type { SessionUser } from '@kefalet/events/session';
import {
  boardForBank,
  boardForFirm,
  detailForAnalyst,
  detailForBank,
  detailForFirm,
  timeLeft,
  type ApplicationDetail,
  type ApplicationStatus,
  type BankApplicationDetail,
  type BankBoardView,
  type OfferBoard,
  type TimeLeft,
} from '../models';
import { COLLECTIONS, type Membership } from '../projections';
import type { ReadModelReader } from '../store/port';

/*
 * Who may read what (R6, R11), in one place for the HTTP queries and the live push:
 * - an exporter reads the applications of the firms it is a verified member of (R1), in full;
 * - a bank reads only applications opened to it (R7), through the bank views;
 * - an analyst reads everything.
 * An application the user may not read is reported as missing (404), never as forbidden, so
 * ids of other firms' applications reveal nothing.
 */

/** Who a view is built for: the live push publishes one payload per audience. */
export type Audience = 'firm' | 'analyst' | `bank:${string}`;

export type MemberFirm = Membership['firms'][number];

export async function firmsOf(reader: ReadModelReader, userId: string): Promise<MemberFirm[]> {
  const membership = await reader.get<Membership>(COLLECTIONS.memberships, userId);
  return [...(membership?.firms ?? [])];
}

export async function isMemberOf(
  reader: ReadModelReader,
  user: SessionUser,
  firmVkn: string,
): Promise<boolean> {
  return (
    user.role === 'exporter' &&
    (await firmsOf(reader, user.userId)).some((firm) => firm.vkn === firmVkn)
  );
}

/** The board, its status and the time left to bid: the board route, room snapshot and update. */
export interface BoardView {
  readonly board: OfferBoard | BankBoardView;
  readonly status: ApplicationStatus;
  readonly timeLeft: TimeLeft | null;
  /** The product clock's instant the time left was counted at (CLOCK=manual: not the browser's). */
  readonly now: string;
}

/** What a view counts time with: the instant, and the board's time left at it if already known. */
export interface ViewClock {
  readonly now: Date;
  /** timeLeft(board, now), when the caller counted it once for several audiences. */
  readonly timeLeft?: TimeLeft | null;
}

/** The board as the audience sees it; a bank audience must be a partner bank of the application. */
export function boardView(
  board: OfferBoard,
  audience: Audience,
  clock: Date | ViewClock,
): BoardView {
  const { now, timeLeft: counted } = clock instanceof Date ? { now: clock } : clock;
  const view = audience.startsWith('bank:')
    ? boardForBank(board, audience.slice('bank:'.length))
    : boardForFirm(board);
  return {
    board: view,
    status: board.status,
    timeLeft: counted === undefined ? timeLeft(board, now) : counted,
    now: now.toISOString(),
  };
}

/** The audience `user` reads the application as; undefined when not allowed. */
async function audienceFor(
  reader: ReadModelReader,
  user: SessionUser,
  detail: ApplicationDetail,
): Promise<Audience | undefined> {
  switch (user.role) {
    case 'analyst':
      return 'analyst';
    case 'exporter':
      return (await isMemberOf(reader, user, detail.firmVkn)) ? 'firm' : undefined;
    case 'bank':
      return user.bankCode !== undefined && detail.partnerBankCodes.includes(user.bankCode)
        ? `bank:${user.bankCode}`
        : undefined;
  }
}

/** The application's detail as `user` may see it; undefined when missing or not allowed. */
export async function readDetail(
  reader: ReadModelReader,
  user: SessionUser,
  applicationId: string,
): Promise<{ audience: Audience; detail: ApplicationDetail | BankApplicationDetail } | undefined> {
  const detail = await reader.get<ApplicationDetail>(COLLECTIONS.detail, applicationId);
  if (detail === undefined) return undefined;
  const audience = await audienceFor(reader, user, detail);
  if (audience === undefined) return undefined;
  if (audience === 'analyst') return { audience, detail: detailForAnalyst(detail) };
  if (audience === 'firm') return { audience, detail: detailForFirm(detail) };
  const bankView = detailForBank(detail, audience.slice('bank:'.length));
  return bankView && { audience, detail: bankView };
}

/** The board and the audience `user` reads it as; undefined when missing or not allowed. */
export async function readBoard(
  reader: ReadModelReader,
  user: SessionUser,
  applicationId: string,
): Promise<{ audience: Audience; board: OfferBoard; detail: ApplicationDetail } | undefined> {
  const [board, detail] = await Promise.all([
    reader.get<OfferBoard>(COLLECTIONS.board, applicationId),
    reader.get<ApplicationDetail>(COLLECTIONS.detail, applicationId),
  ]);
  if (board === undefined || detail === undefined) return undefined;
  const audience = await audienceFor(reader, user, detail);
  return audience && { audience, board, detail };
}

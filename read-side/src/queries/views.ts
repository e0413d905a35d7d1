import type { DomainEvent } from '@kefalet/events';
import type { SessionUser } from '@kefalet/events/session';
import type { ApplicationDetail, BankInbox, FirmApplications, OfferBoard } from '../models';
import { COLLECTIONS, isHelperId } from '../projections';
import type { DocChange } from '../runner';
import type { ReadModelReader } from '../store/port';
import { boardView, firmsOf, readBoard, type Audience } from './access';

/*
 * What the live push sends: a snapshot when a socket joins a room, then per-audience updates made
 * from the documents each commit changed. Versions are the documents' own `version`, so a client
 * that sees a gap asks for a snapshot again.
 *
 * Rooms and their audiences:
 * - `application:<id>`: the offer board; audience 'firm' (members of the firm), 'analyst', and
 *   `bank:<code>` for each partner bank (boardForBank: its own offers, rank, competitor count).
 * - `inbox:<bankCode>` (joined as `inbox`): the bank's inbox; audience `bank:<code>`.
 * - `firm:<vkn>`: the firm's application list (R17); audience 'firm'.
 */

export interface RoomSnapshot {
  /** The canonical room name: the one updates are published to. */
  readonly room: string;
  readonly audience: Audience;
  readonly snapshot: unknown;
  readonly version: number;
}

export type RoomEvent = 'board:update' | 'inbox:update' | 'application:update';

export interface RoomUpdate {
  readonly room: string;
  readonly audience: Audience;
  readonly event: RoomEvent;
  readonly payload: unknown;
  readonly version: number;
}

export interface RoomViews {
  /** The room's current snapshot for `user`; null when the room is unknown or not theirs. */
  roomSnapshot(user: SessionUser, room: string): Promise<RoomSnapshot | null>;
  /**
   * The per-audience payloads of one commit's changes (from the runner's onApplied). The event is
   * part of the signature the live push calls; the changes carry all it needs.
   */
  roomUpdates(changes: readonly DocChange[], event: DomainEvent): RoomUpdate[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VKN = /^\d{10}$/;

export function createRoomViews(options: {
  readonly readModels: ReadModelReader;
  readonly clock: { now(): Date };
}): RoomViews {
  const { readModels: reader, clock } = options;

  async function applicationRoom(user: SessionUser, applicationId: string) {
    const found = await readBoard(reader, user, applicationId);
    if (found === undefined) return null;
    const { audience, board } = found;
    return {
      room: `application:${applicationId}`,
      audience,
      snapshot: boardView(board, audience, clock.now()),
      version: board.version,
    };
  }

  async function inboxRoom(user: SessionUser, bankCode: string | undefined) {
    if (user.role !== 'bank' || user.bankCode === undefined) return null;
    if (bankCode !== undefined && bankCode !== user.bankCode) return null;
    const inbox = (await reader.get<BankInbox>(COLLECTIONS.inbox, user.bankCode)) ?? {
      bankCode: user.bankCode,
      bankName: null,
      requests: [],
      version: 0,
      lastPosition: '0',
    };
    return {
      room: `inbox:${user.bankCode}`,
      audience: `bank:${user.bankCode}` as const,
      snapshot: inbox,
      version: inbox.version,
    };
  }

  async function firmRoom(user: SessionUser, vkn: string) {
    if (user.role !== 'exporter') return null;
    const firm = (await firmsOf(reader, user.userId)).find((member) => member.vkn === vkn);
    if (firm === undefined) return null;
    const list = (await reader.get<FirmApplications>(COLLECTIONS.firmApplications, vkn)) ?? {
      firmVkn: vkn,
      firmTitle: firm.title,
      applications: [],
      version: 0,
      lastPosition: '0',
    };
    return {
      room: `firm:${vkn}`,
      audience: 'firm' as const,
      snapshot: list,
      version: list.version,
    };
  }

  return {
    async roomSnapshot(user, room) {
      const colon = room.indexOf(':');
      const kind = colon < 0 ? room : room.slice(0, colon);
      const id = colon < 0 ? undefined : room.slice(colon + 1);
      if (kind === 'application' && id !== undefined && UUID.test(id)) {
        return applicationRoom(user, id.toLowerCase());
      }
      if (kind === 'inbox') return inboxRoom(user, id);
      if (kind === 'firm' && id !== undefined && VKN.test(id)) return firmRoom(user, id);
      return null;
    },

    roomUpdates(changes) {
      const updates: RoomUpdate[] = [];
      const now = clock.now();
      for (const { projection, id, doc } of changes) {
        if (doc === undefined) continue;
        if (projection === COLLECTIONS.board) {
          const board = doc as OfferBoard;
          const room = `application:${board.applicationId}`;
          // the board does not list the partner banks; the detail evolved in the same commit does
          const detail = changes.find(
            (change) => change.projection === COLLECTIONS.detail && change.id === id,
          )?.doc as ApplicationDetail | undefined;
          const banks = (detail?.partnerBankCodes ?? []).map((code): Audience => `bank:${code}`);
          for (const audience of ['firm', 'analyst', ...banks] as const) {
            const payload = boardView(board, audience, now);
            updates.push({
              room,
              audience,
              event: 'board:update',
              payload,
              version: board.version,
            });
          }
        } else if (projection === COLLECTIONS.inbox && !isHelperId(id)) {
          const inbox = doc as BankInbox;
          updates.push({
            room: `inbox:${id}`,
            audience: `bank:${id}`,
            event: 'inbox:update',
            payload: inbox,
            version: inbox.version,
          });
        } else if (projection === COLLECTIONS.firmApplications && !isHelperId(id)) {
          const list = doc as FirmApplications;
          updates.push({
            room: `firm:${id}`,
            audience: 'firm',
            event: 'application:update',
            payload: list,
            version: list.version,
          });
        }
      }
      return updates;
    },
  };
}

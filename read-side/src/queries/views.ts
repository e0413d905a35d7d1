import type { DomainEvent } from '@kefalet/events';
import type { SessionUser } from '@kefalet/events/session';
import {
  applicationIdOf,
  detailForAnalyst,
  detailForBank,
  detailForFirm,
  timeLeft,
  type ApplicationDetail,
  type FirmApplicationState,
  type FirmHead,
  type InboxEntry,
  type InboxHead,
  type OfferBoard,
} from '../models';
import { COLLECTIONS, helperId, inboxDocKind, isHelperId, PARTNER_BANKS_ID } from '../projections';
import type { DocChange } from '../runner';
import type { ReadModelReader } from '../store/port';
import { boardView, firmsOf, readBoard, type Audience } from './access';
import {
  applicationSummary,
  inboxItem,
  readFirmPage,
  readInboxPage,
  SNAPSHOT_LIMIT,
  timeLeftCounter,
  type ApplicationSummary,
  type InboxItem,
} from './lists';

/*
 * What the live push sends: a snapshot when a socket joins a room, then per-audience updates made
 * from the documents each commit changed. A client that sees a gap in a room's versions asks for a
 * snapshot again.
 *
 * Rooms and their audiences:
 * - `application:<id>`: audience 'firm' (members of the firm), 'analyst', and `bank:<code>` for
 *   each partner bank. The room's state is the offer board (boardForBank for a bank: its own offers,
 *   rank, competitor count): the snapshot, then `board:update` versioned by the board's `version`.
 *   Beside it, `application:update` carries the application's detail (detailForFirm/Analyst,
 *   detailForBank) versioned by the detail's own `version`, for what the board does not show:
 *   information requests and answers, the assessment. It is a whole document, so a client takes
 *   any newer one and needs no gap check (the HTTP detail is its snapshot); a bank gets it only for
 *   events about itself or about no bank in particular.
 * - `inbox:<bankCode>` (joined as `inbox`): the bank's inbox. Snapshot: the first page of
 *   GET /api/applications; `inbox:update` carries only the entries an event changed
 *   ({ entries, bankName, now }), versioned by the bank's inbox head. Audience `bank:<code>`.
 * - `firm:<vkn>`: the firm's application list (R17), the same way: the first page, then
 *   `application:update` with the changed rows ({ entries, now }), versioned by the firm's head.
 *   Audience 'firm'.
 *
 * Every payload says `now`, the product clock's instant its time left was counted at.
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

/** `inbox:update`: the entries the event changed, newest state of each. */
export interface InboxUpdatePayload {
  readonly entries: readonly InboxItem[];
  /** Entries no longer in the inbox (none so far: a request stays listed once opened). */
  readonly removed?: readonly string[];
  readonly bankName: string | null;
  readonly now: string;
}

/** `application:update` in a `firm:<vkn>` room: the rows the event changed. */
export interface FirmListUpdatePayload {
  readonly entries: readonly ApplicationSummary[];
  readonly removed?: readonly string[];
  readonly now: string;
}

/** Whether anyone could receive the room's update for the audience; the payload is built only then. */
export type AudienceFilter = (room: string, audience: Audience) => boolean;

export interface RoomViews {
  /** The room's current snapshot for `user`; null when the room is unknown or not theirs. */
  roomSnapshot(user: SessionUser, room: string): Promise<RoomSnapshot | null>;
  /**
   * The per-audience payloads of one commit's changes (from the runner's onApplied), for the
   * audiences `wanted` lets through (all by default). Time left is counted once per commit.
   */
  roomUpdates(
    changes: readonly DocChange[],
    event: DomainEvent,
    wanted?: AudienceFilter,
  ): RoomUpdate[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VKN = /^\d{10}$/;

const everyone: AudienceFilter = () => true;

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
    const page = await readInboxPage(
      reader,
      user.bankCode,
      { offset: 0, limit: SNAPSHOT_LIMIT },
      clock.now(),
    );
    return {
      room: `inbox:${user.bankCode}`,
      audience: `bank:${user.bankCode}` as const,
      snapshot: page,
      version: page.version,
    };
  }

  async function firmRoom(user: SessionUser, vkn: string) {
    if (user.role !== 'exporter') return null;
    const firm = (await firmsOf(reader, user.userId)).find((member) => member.vkn === vkn);
    if (firm === undefined) return null;
    const page = await readFirmPage(
      reader,
      firm,
      { offset: 0, limit: SNAPSHOT_LIMIT },
      clock.now(),
    );
    return {
      room: `firm:${vkn}`,
      audience: 'firm' as const,
      snapshot: page,
      version: page.version,
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

    roomUpdates(changes, event, wanted = everyone) {
      const updates: RoomUpdate[] = [];
      const now = clock.now();
      const nowText = now.toISOString();
      const countTimeLeft = timeLeftCounter(now);
      const changed = (projection: string, id: string) =>
        changes.find((change) => change.projection === projection && change.id === id)?.doc;

      for (const { projection, id, doc } of changes) {
        if (doc === undefined) continue;
        if (projection === COLLECTIONS.board) {
          const board = doc as OfferBoard;
          const room = `application:${board.applicationId}`;
          // the board does not list the partner banks; the detail evolved in the same commit does
          const detail = changed(COLLECTIONS.detail, id) as ApplicationDetail | undefined;
          const banks = (detail?.partnerBankCodes ?? []).map((code): Audience => `bank:${code}`);
          const audiences = (['firm', 'analyst', ...banks] as const).filter((audience) =>
            wanted(room, audience),
          );
          if (audiences.length === 0) continue;
          // one count of the time left (businessDaysLeft walks the calendar) for every audience
          const left = timeLeft(board, now);
          for (const audience of audiences) {
            updates.push({
              room,
              audience,
              event: 'board:update',
              payload: boardView(board, audience, { now, timeLeft: left }),
              version: board.version,
            });
          }
        } else if (projection === COLLECTIONS.inbox && inboxDocKind(id) === 'head') {
          const head = doc as InboxHead;
          const room = `inbox:${id}`;
          const audience: Audience = `bank:${id}`;
          if (!wanted(room, audience)) continue;
          const applicationId = applicationIdOf(event);
          const entry =
            applicationId === undefined
              ? undefined
              : (changed(COLLECTIONS.inbox, `${id}:${applicationId}`) as InboxEntry | undefined);
          const payload: InboxUpdatePayload = {
            entries: entry ? [inboxItem(entry, countTimeLeft)] : [],
            bankName: head.bankName,
            now: nowText,
          };
          updates.push({ room, audience, event: 'inbox:update', payload, version: head.version });
        } else if (projection === COLLECTIONS.firmApplications && !isHelperId(id)) {
          const head = doc as FirmHead;
          const room = `firm:${id}`;
          if (!wanted(room, 'firm')) continue;
          const applicationId = applicationIdOf(event);
          const state =
            applicationId === undefined
              ? undefined
              : (changed(COLLECTIONS.firmApplications, helperId(applicationId)) as
                  FirmApplicationState | undefined);
          const payload: FirmListUpdatePayload = {
            entries: state ? [applicationSummary(state)] : [],
            now: nowText,
          };
          updates.push({
            room,
            audience: 'firm',
            event: 'application:update',
            payload,
            version: head.version,
          });
        } else if (projection === COLLECTIONS.detail && id !== PARTNER_BANKS_ID) {
          // a change the board shows reaches the room as board:update (pages re-read the detail)
          if (changed(COLLECTIONS.board, id) !== undefined) continue;
          updates.push(...detailUpdates(doc as ApplicationDetail, event, nowText, wanted));
        }
      }
      return updates;
    },
  };
}

/** `application:update` of an application room: the detail per audience. */
function detailUpdates(
  detail: ApplicationDetail,
  event: DomainEvent,
  now: string,
  wanted: AudienceFilter,
): RoomUpdate[] {
  const room = `application:${detail.applicationId}`;
  const about = 'bankCode' in event.data ? (event.data.bankCode ?? null) : null;
  // other banks' views do not change with an event about one bank (detailForBank filters it out)
  const banks = detail.partnerBankCodes
    .filter((code) => about === null || about === code)
    .map((code): Audience => `bank:${code}`);
  const updates: RoomUpdate[] = [];
  for (const audience of ['firm', 'analyst', ...banks] as const) {
    if (!wanted(room, audience)) continue;
    const view =
      audience === 'firm'
        ? detailForFirm(detail)
        : audience === 'analyst'
          ? detailForAnalyst(detail)
          : detailForBank(detail, audience.slice('bank:'.length));
    if (view === undefined) continue;
    updates.push({
      room,
      audience,
      event: 'application:update',
      payload: { ...view, now },
      version: detail.version,
    });
  }
  return updates;
}

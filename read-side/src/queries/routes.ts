import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  EVENT_SCHEMAS,
  parseRecordedEvent,
  StreamNotFoundError,
  streams,
  type DomainEvent,
  type EventStore,
  type EventType,
} from '@kefalet/events';
import type { SessionUser } from '@kefalet/events/session';
import {
  APPLICATION_STATUSES,
  applicationStateAt,
  DEFAULT_PAGE_SIZE,
  marketKpis,
  MAX_PAGE_SIZE,
  type ApplicationStatus,
  type BankInbox,
  ANALYTICS_KEY,
  firmApplicationRow,
  type FirmApplication,
  type FirmApplications,
  type FirmApplicationState,
  type MarketAnalytics,
} from '../models';
import { renderOfferDocument } from '../offer-document';
import {
  APPLICATIONS_INDEX,
  applicationsByStatusIndex,
  COLLECTIONS,
  helperId,
} from '../projections';
import type { RunnerStatus } from '../runner';
import type { ReadModelStore } from '../store/port';
import { boardView, firmsOf, readBoard, readDetail } from './access';
import { scanEventLog } from './event-log';
import { problem } from './problem';
import { requireUser, type SessionCheck } from './session';

export interface QueryContext {
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly session: SessionCheck;
  readonly clock: { now(): Date };
  readonly status: () => RunnerStatus;
}

const ApplicationParams = z.object({ id: z.uuid() });

const ListQuery = z.object({
  firm: z
    .string()
    .regex(/^\d{10}$/, 'must be a 10-digit VKN')
    .optional(),
  status: z.enum(APPLICATION_STATUSES).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as [EventType, ...EventType[]];

const EventLogQuerySchema = z.object({
  /** One type, or several separated by commas. */
  type: z
    .string()
    .transform((types) => types.split(',').map((type) => type.trim()))
    .pipe(z.array(z.enum(EVENT_TYPES)))
    .optional(),
  stream: z.string().min(1).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  actorRole: z.enum(['exporter', 'bank', 'analyst', 'system']).optional(),
  bankCode: z
    .string()
    .regex(/^\d{4}$/, 'must be a 4-digit bank code')
    .optional(),
  after: z.string().regex(/^\d+$/, 'must be a log position').optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

const TimelineQuery = z.object({ at: z.iso.datetime({ offset: true }).optional() });

/** A row of the analysts' list: the firm's row plus which firm. */
export interface ApplicationSummary extends FirmApplication {
  readonly firmVkn: string;
  readonly firmTitle: string;
}

interface Page<T> {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly items: readonly T[];
}

function paginate<T>(rows: readonly T[], offset: number, limit: number): Page<T> {
  return { total: rows.length, offset, limit, items: rows.slice(offset, offset + limit) };
}

const applicationNotFound = () =>
  problem(404, 'APPLICATION_NOT_FOUND', 'No such application', {
    detail: 'It does not exist, or you may not see it',
  });

export function queryRoutes(scope: FastifyInstance, ctx: QueryContext): void {
  const api = scope.withTypeProvider<ZodTypeProvider>();
  const { readModels: reader } = ctx;

  /** R17 for exporters, R7 for banks (their inbox), every application for analysts. */
  api.get('/applications', { schema: { querystring: ListQuery } }, async (request) => {
    const user = requireUser(request, ctx.session);
    const { firm, status, offset, limit } = request.query;
    const wanted = (row: { status: ApplicationStatus }) => !status || row.status === status;
    switch (user.role) {
      case 'exporter': {
        const firms = await firmsOf(reader, user.userId);
        if (firm !== undefined && !firms.some((member) => member.vkn === firm)) {
          throw problem(403, 'NOT_A_MEMBER', 'You are not a verified member of this firm', {
            detail: `VKN ${firm}`,
          });
        }
        const shown = firms.filter((member) => firm === undefined || member.vkn === firm);
        const rows = (await firmRows(shown.map((member) => member.vkn))).filter(wanted);
        return { role: user.role, firms, ...paginate(rows, offset, limit) };
      }
      case 'bank': {
        const inbox = await bankInbox(user);
        const requests = inbox?.requests ?? [];
        const rows = requests.filter((r) => wanted(r) && (!firm || r.firmVkn === firm));
        return {
          role: user.role,
          bankCode: user.bankCode ?? null,
          bankName: inbox?.bankName ?? null,
          ...paginate(rows, offset, limit),
        };
      }
      case 'analyst': {
        if (firm !== undefined) {
          return {
            role: user.role,
            ...paginate((await firmRows([firm])).filter(wanted), offset, limit),
          };
        }
        const index = status === undefined ? APPLICATIONS_INDEX : applicationsByStatusIndex(status);
        const [total, entries] = await Promise.all([
          reader.count(index),
          reader.range(index, { reverse: true, offset, limit }),
        ]);
        const ids = entries.map((entry) => entry.member);
        const items = await summaries(ids);
        return { role: user.role, total, offset, limit, items };
      }
    }
  });

  async function bankInbox(user: SessionUser): Promise<BankInbox | undefined> {
    if (user.bankCode === undefined) return undefined;
    return reader.get<BankInbox>(COLLECTIONS.inbox, user.bankCode);
  }

  /** The firms' lists merged, newest first. */
  async function firmRows(vkns: readonly string[]): Promise<ApplicationSummary[]> {
    const lists = await reader.getMany<FirmApplications>(COLLECTIONS.firmApplications, vkns);
    return lists
      .flatMap((list) =>
        (list?.applications ?? []).map((row) => ({
          ...row,
          firmVkn: list!.firmVkn,
          firmTitle: list!.firmTitle,
        })),
      )
      .sort(
        (a, b) =>
          Date.parse(b.submittedAt) - Date.parse(a.submittedAt) ||
          b.applicationId.localeCompare(a.applicationId),
      );
  }

  /** Analysts' rows: the firm list's row of each application, from its helper document. */
  async function summaries(ids: readonly string[]): Promise<ApplicationSummary[]> {
    const states = await reader.getMany<FirmApplicationState>(
      COLLECTIONS.firmApplications,
      ids.map(helperId),
    );
    return states.flatMap((state) =>
      state === undefined
        ? []
        : [{ ...firmApplicationRow(state), firmVkn: state.firmVkn, firmTitle: state.firmTitle }],
    );
  }

  api.get('/applications/:id', { schema: { params: ApplicationParams } }, async (request) => {
    const user = requireUser(request, ctx.session);
    const found = await readDetail(reader, user, request.params.id);
    if (found === undefined) throw applicationNotFound();
    return found.detail;
  });

  api.get('/applications/:id/board', { schema: { params: ApplicationParams } }, async (request) => {
    const user = requireUser(request, ctx.session);
    const found = await readBoard(reader, user, request.params.id);
    if (found === undefined) throw applicationNotFound();
    return boardView(found.board, found.audience, ctx.clock.now());
  });

  /** R14: the offers on paper with the reference number, once the bidding has closed. */
  api.get(
    '/applications/:id/offer-document.pdf',
    { schema: { params: ApplicationParams } },
    async (request, reply) => {
      const user = requireUser(request, ctx.session, 'exporter', 'analyst');
      const found = await readBoard(reader, user, request.params.id);
      if (found === undefined) throw applicationNotFound();
      const { board, detail } = found;
      if (
        board.referenceNumber === null ||
        board.closedAt === null ||
        board.selectionDeadline === null
      ) {
        throw problem(
          409,
          'BIDDING_NOT_CLOSED',
          'The offer document exists once bidding closed with offers',
          {
            detail: `The application is ${board.status}`,
          },
        );
      }
      const pdf = await renderOfferDocument({
        referenceNumber: board.referenceNumber,
        firm: { vkn: board.firmVkn, title: board.firmTitle },
        application: {
          applicationId: board.applicationId,
          packageCode: board.packageCode,
          amount: board.amount,
          currency: board.currency,
          maturityMonths: board.maturityMonths,
          purpose: detail.purpose,
        },
        offers: board.offers.filter((offer) => offer.rank !== null),
        closedAt: board.closedAt,
        selectionDeadline: board.selectionDeadline,
        generatedAt: ctx.clock.now(),
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="teklif-${board.referenceNumber}.pdf"`)
        .send(pdf);
    },
  );

  api.get(
    '/analytics/events',
    { schema: { querystring: EventLogQuerySchema } },
    async (request) => {
      requireUser(request, ctx.session, 'analyst');
      const { type, stream, from, to, actorRole, bankCode, after, limit } = request.query;
      const actor =
        actorRole === undefined && bankCode === undefined
          ? undefined
          : { ...(actorRole && { role: actorRole }), ...(bankCode && { bankCode }) };
      return scanEventLog(ctx.store, {
        types: type,
        stream,
        from: from === undefined ? undefined : new Date(from),
        to: to === undefined ? undefined : new Date(to),
        actor,
        after,
        limit,
      });
    },
  );

  /** Time travel: the application replayed from its own stream up to `at` (default now). */
  api.get(
    '/analytics/applications/:id/timeline',
    { schema: { params: ApplicationParams, querystring: TimelineQuery } },
    async (request) => {
      requireUser(request, ctx.session, 'analyst');
      const at = request.query.at === undefined ? ctx.clock.now() : new Date(request.query.at);
      const events: DomainEvent[] = [];
      try {
        for await (const recorded of ctx.store.readStream(streams.application(request.params.id))) {
          events.push(parseRecordedEvent(recorded));
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) throw applicationNotFound();
        throw error;
      }
      const state = applicationStateAt(events, at) ?? null;
      return {
        applicationId: request.params.id,
        at: at.toISOString(),
        eventsApplied: state?.timeline.length ?? 0,
        eventsTotal: events.length,
        state,
      };
    },
  );

  api.get('/analytics/kpis', async (request) => {
    requireUser(request, ctx.session, 'analyst');
    const analytics = await reader.get<MarketAnalytics>(COLLECTIONS.analytics, ANALYTICS_KEY);
    return { ...marketKpis(analytics), lastPosition: analytics?.lastPosition ?? '0' };
  });

  api.get('/read-side/status', async (request) => {
    requireUser(request, ctx.session, 'analyst');
    const { position, lastLogPosition, lagEvents, running, error } = ctx.status();
    return {
      running,
      position: position.toString(),
      lastLogPosition: lastLogPosition?.toString() ?? null,
      lagEvents: lagEvents?.toString() ?? null,
      error: error ?? null,
    };
  });
}

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
import {
  APPLICATION_STATUSES,
  DEFAULT_PAGE_SIZE,
  marketKpis,
  MAX_PAGE_SIZE,
  replayAfter,
  replayUntil,
  type FirmApplicationState,
  type PartnerBanks,
} from '../models';
import { renderOfferDocument } from '../offer-document';
import {
  APPLICATIONS_INDEX,
  applicationsByStatusIndex,
  COLLECTIONS,
  helperId,
  PARTNER_BANKS_ID,
} from '../projections';
import type { RunnerStatus } from '../runner';
import type { ReadModelStore } from '../store/port';
import { boardView, firmsOf, readBoard, readDetail } from './access';
import {
  applicationSummary,
  readFirmRows,
  readInboxPage,
  readMarketAnalytics,
  type ApplicationSummary,
} from './lists';
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

/** `at` (an instant) or `position` (a global log position: the state right after that event). */
const TimelineQuery = z
  .object({
    at: z.iso.datetime({ offset: true }).optional(),
    position: z
      .string()
      .regex(/^\d{1,19}$/, 'must be a log position')
      .optional(),
  })
  .refine((query) => query.at === undefined || query.position === undefined, {
    message: 'give at or position, not both',
    path: ['position'],
  });

export type { ApplicationSummary };

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
    const now = ctx.clock.now();
    switch (user.role) {
      case 'exporter': {
        const firms = await firmsOf(reader, user.userId);
        if (firm !== undefined && !firms.some((member) => member.vkn === firm)) {
          throw problem(403, 'NOT_A_MEMBER', 'You are not a verified member of this firm', {
            detail: `VKN ${firm}`,
          });
        }
        const shown = firms.filter((member) => firm === undefined || member.vkn === firm);
        const page = await readFirmRows(
          reader,
          shown.map((member) => member.vkn),
          { status, offset, limit },
        );
        return { role: user.role, firms, ...page, now: now.toISOString() };
      }
      case 'bank': {
        if (user.bankCode === undefined) {
          return {
            role: user.role,
            bankCode: null,
            bankName: null,
            total: 0,
            offset,
            limit,
            items: [],
            now: now.toISOString(),
          };
        }
        return readInboxPage(reader, user.bankCode, { status, firm, offset, limit }, now);
      }
      case 'analyst': {
        if (firm !== undefined) {
          const page = await readFirmRows(reader, [firm], { status, offset, limit });
          return { role: user.role, ...page, now: now.toISOString() };
        }
        const index = status === undefined ? APPLICATIONS_INDEX : applicationsByStatusIndex(status);
        const [total, entries] = await Promise.all([
          reader.count(index),
          reader.range(index, { reverse: true, offset, limit }),
        ]);
        const ids = entries.map((entry) => entry.member);
        const items = await summaries(ids);
        return { role: user.role, total, offset, limit, items, now: now.toISOString() };
      }
    }
  });

  /** Analysts' rows: the firm list's row of each application, from its helper document. */
  async function summaries(ids: readonly string[]): Promise<ApplicationSummary[]> {
    const states = await reader.getMany<FirmApplicationState>(
      COLLECTIONS.firmApplications,
      ids.map(helperId),
    );
    return states.flatMap((state) => (state === undefined ? [] : [applicationSummary(state)]));
  }

  api.get('/applications/:id', { schema: { params: ApplicationParams } }, async (request) => {
    const user = requireUser(request, ctx.session);
    const found = await readDetail(reader, user, request.params.id);
    if (found === undefined) throw applicationNotFound();
    return { ...found.detail, now: ctx.clock.now().toISOString() };
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

  /**
   * Time travel: the application replayed from its own stream up to `at` (default now), or up to
   * and including the event at log `position`, so a replay can step one event at a time.
   */
  api.get(
    '/analytics/applications/:id/timeline',
    { schema: { params: ApplicationParams, querystring: TimelineQuery } },
    async (request) => {
      requireUser(request, ctx.session, 'analyst');
      const { at: atQuery, position } = request.query;
      const events: DomainEvent[] = [];
      try {
        for await (const recorded of ctx.store.readStream(streams.application(request.params.id))) {
          events.push(parseRecordedEvent(recorded));
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) throw applicationNotFound();
        throw error;
      }
      // today's registered names: a replay names the banks as the live detail does
      const names = (await reader.get<PartnerBanks>(COLLECTIONS.detail, PARTNER_BANKS_ID))?.names;
      const now = ctx.clock.now();
      const replayed =
        position === undefined
          ? replayUntil(events, atQuery === undefined ? now : new Date(atQuery), names)
          : replayAfter(events, BigInt(position), names);
      const at =
        position === undefined
          ? atQuery === undefined
            ? now
            : new Date(atQuery)
          : new Date(replayed.last?.metadata.occurredAt ?? events[0]?.metadata.occurredAt ?? now);
      return {
        applicationId: request.params.id,
        at: at.toISOString(),
        position: replayed.last?.position.toString() ?? null,
        eventsApplied: replayed.applied,
        eventsTotal: events.length,
        state: replayed.state ?? null,
        now: now.toISOString(),
      };
    },
  );

  api.get('/analytics/kpis', async (request) => {
    requireUser(request, ctx.session, 'analyst');
    const analytics = await readMarketAnalytics(reader);
    return { ...marketKpis(analytics), lastPosition: analytics.lastPosition };
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

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CREDIT_NOTE_LABELS,
  CancelApplicationCommand,
  PACKAGE_CATALOGUE,
  SubmitApplicationCommand,
  streams,
} from '@kefalet/events';
import { isMemberOf, submitApplication } from '../applications';
import { handleCommand, loadState } from '../command-handler';
import type { WriteSideContext } from '../context';
import { applicationDecider } from '../domain/application';
import { problem } from '../http/problem';
import { actorOf, requireUser } from '../http/session';
import { commandOptions } from './idempotency';

export const ApplicationParams = z.object({ id: z.uuid('must be an application id') });

/** The application's state, or a 404 that does not tell a stranger more than that. */
export async function loadApplication(ctx: WriteSideContext, applicationId: string) {
  const { state } = await loadState(
    ctx.store,
    streams.application(applicationId),
    applicationDecider,
  );
  if (state.status === 'NONE' || !state.application) {
    throw problem(404, 'APPLICATION_NOT_FOUND', 'No such application');
  }
  return { state, application: state.application };
}

/**
 * The application as one of its firm's members sees it. A stranger gets the same 404 as for an id
 * that does not exist, as on the read-side, so commands do not reveal other firms' applications.
 */
export async function loadMemberApplication(
  ctx: WriteSideContext,
  applicationId: string,
  userId: string,
) {
  const loaded = await loadApplication(ctx, applicationId);
  const { verified } = await isMemberOf(ctx, loaded.application.firmVkn, userId);
  if (!verified) throw problem(404, 'APPLICATION_NOT_FOUND', 'No such application');
  return loaded;
}

export function applicationRoutes(app: FastifyInstance, ctx: WriteSideContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/packages', { schema: { tags: ['applications'] } }, async () => ({
    packages: PACKAGE_CATALOGUE,
    creditNotes: CREDIT_NOTE_LABELS,
  }));

  // R3–R7: answers with the decision in the same response
  api.post(
    '/applications',
    { schema: { body: SubmitApplicationCommand, tags: ['applications'] } },
    async (request, reply) => {
      const user = requireUser(request, 'exporter');
      const result = await submitApplication(
        ctx,
        request.body,
        user,
        commandOptions(request, actorOf(user)),
      );
      if (result.delayed) {
        return reply.status(202).send({
          applicationId: result.applicationId,
          status: result.state.status,
          unavailableSources: result.delayed.unavailableSources,
          retryAt: result.delayed.retryAt,
        });
      }
      const scored = result.scored!;
      return reply.status(201).send({
        applicationId: result.applicationId,
        status: result.state.status,
        decision: {
          eligible: scored.eligible,
          creditNote: scored.creditNote,
          creditNoteLabel: scored.creditNoteLabel,
          reasons: scored.reasons,
          guaranteeRatio: scored.guaranteeRatio,
          guaranteeAmount: scored.guaranteeAmount,
          currency: scored.currency,
          modelVersion: scored.modelVersion,
        },
        ...(result.state.biddingClosesAt ? { biddingClosesAt: result.state.biddingClosesAt } : {}),
      });
    },
  );

  api.post(
    '/applications/:id/cancel',
    {
      schema: {
        params: ApplicationParams,
        body: CancelApplicationCommand.optional(),
        tags: ['applications'],
      },
    },
    async (request) => {
      const user = requireUser(request, 'exporter');
      await loadMemberApplication(ctx, request.params.id, user.userId);
      const result = await handleCommand(
        ctx,
        streams.application(request.params.id),
        applicationDecider,
        {
          type: 'CancelApplication',
          applicationId: request.params.id,
          memberId: user.userId,
          memberVerifiedForFirm: true,
          reason: request.body?.reason ?? '',
        },
        commandOptions(request, actorOf(user)),
      );
      return { applicationId: request.params.id, status: result.state.status };
    },
  );
}

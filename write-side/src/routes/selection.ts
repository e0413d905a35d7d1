import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { RecordBankApplicationCommand, SelectOfferCommand, streams } from '@kefalet/events';
import { handleCommand } from '../command-handler';
import type { WriteSideContext } from '../context';
import { applicationDecider } from '../domain/application';
import { actorOf, requireUser } from '../http/session';
import { ApplicationParams, loadMemberApplication } from './applications';
import { commandOptions } from './idempotency';

/** R14, R15: the firm picks an offer after the close; the chosen bank records the firm's application. */
export function selectionRoutes(app: FastifyInstance, ctx: WriteSideContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/applications/:id/selection',
    { schema: { params: ApplicationParams, body: SelectOfferCommand, tags: ['selection'] } },
    async (request) => {
      const user = requireUser(request, 'exporter');
      await loadMemberApplication(ctx, request.params.id, user.userId);
      const result = await handleCommand(
        ctx,
        streams.application(request.params.id),
        applicationDecider,
        {
          type: 'SelectOffer',
          applicationId: request.params.id,
          offerId: request.body.offerId,
          memberId: user.userId,
          memberVerifiedForFirm: true,
        },
        commandOptions(request, actorOf(user)),
      );
      const selected = result.state.selectedOffer;
      return {
        applicationId: request.params.id,
        offerId: selected?.offerId,
        bankCode: selected?.bankCode,
        bankName: selected && ctx.directory.bank(selected.bankCode)?.name,
        referenceNumber: result.state.referenceNumber,
        contactDeadline: result.state.selectionDeadline,
      };
    },
  );

  api.post(
    '/applications/:id/bank-application',
    {
      schema: {
        params: ApplicationParams,
        body: RecordBankApplicationCommand,
        tags: ['selection'],
      },
    },
    async (request) => {
      const user = requireUser(request, 'bank');
      const result = await handleCommand(
        ctx,
        streams.application(request.params.id),
        applicationDecider,
        {
          type: 'RecordBankApplication',
          applicationId: request.params.id,
          bankCode: user.bankCode ?? '',
          referenceNumber: request.body.referenceNumber,
          recordedBy: user.userId,
        },
        commandOptions(request, actorOf(user)),
      );
      return {
        applicationId: request.params.id,
        status: result.state.status,
        referenceNumber: result.state.referenceNumber,
      };
    },
  );
}

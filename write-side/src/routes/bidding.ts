import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AnswerInformationCommand,
  DeclineCommand,
  RequestInformationCommand,
  ReviseOfferCommand,
  SubmitOfferCommand,
  WithdrawOfferCommand,
  streams,
} from '@kefalet/events';
import { handleCommand } from '../command-handler';
import type { WriteSideContext } from '../context';
import { applicationDecider, type ApplicationCommand } from '../domain/application';
import { problem } from '../http/problem';
import { actorOf, requireUser } from '../http/session';
import { ApplicationParams, loadMemberApplication } from './applications';
import { commandOptions } from './idempotency';

const OfferParams = ApplicationParams.extend({ offerId: z.uuid('must be an offer id') });
const RequestParams = ApplicationParams.extend({ requestId: z.uuid('must be a request id') });

/** R7–R12: bank users act for their own bank only; the bank comes from the session, never the body. */
export function biddingRoutes(app: FastifyInstance, ctx: WriteSideContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const bankUser = (request: FastifyRequest) => {
    const user = requireUser(request, 'bank');
    const bank = user.bankCode ? ctx.directory.bank(user.bankCode) : undefined;
    if (!bank) throw problem(403, 'NOT_A_PARTNER_BANK', 'Your bank is not a partner bank');
    return { user, bank };
  };

  const run = async (
    request: FastifyRequest,
    applicationId: string,
    command: ApplicationCommand,
  ) => {
    const user = requireUser(request);
    return handleCommand(
      ctx,
      streams.application(applicationId),
      applicationDecider,
      command,
      commandOptions(request, actorOf(user)),
    );
  };

  api.post(
    '/applications/:id/offers',
    { schema: { params: ApplicationParams, body: SubmitOfferCommand, tags: ['bidding'] } },
    async (request, reply) => {
      const { bank } = bankUser(request);
      const offerId = randomUUID();
      const result = await run(request, request.params.id, {
        type: 'SubmitOffer',
        applicationId: request.params.id,
        offerId,
        bankCode: bank.code,
        bankName: bank.name,
        terms: request.body,
      });
      const offer = result.state.offers.get(offerId);
      return reply.status(201).send({ offerId, version: offer?.version ?? 1 });
    },
  );

  api.put(
    '/applications/:id/offers/:offerId',
    { schema: { params: OfferParams, body: ReviseOfferCommand, tags: ['bidding'] } },
    async (request) => {
      const { bank } = bankUser(request);
      const result = await run(request, request.params.id, {
        type: 'ReviseOffer',
        applicationId: request.params.id,
        offerId: request.params.offerId,
        bankCode: bank.code,
        terms: request.body,
      });
      const offer = result.state.offers.get(request.params.offerId);
      return { offerId: request.params.offerId, version: offer?.version };
    },
  );

  api.post(
    '/applications/:id/offers/:offerId/withdraw',
    { schema: { params: OfferParams, body: WithdrawOfferCommand, tags: ['bidding'] } },
    async (request) => {
      const { bank } = bankUser(request);
      await run(request, request.params.id, {
        type: 'WithdrawOffer',
        applicationId: request.params.id,
        offerId: request.params.offerId,
        bankCode: bank.code,
        reason: request.body.reason,
        note: request.body.note,
      });
      return { offerId: request.params.offerId, status: 'withdrawn' };
    },
  );

  api.post(
    '/applications/:id/decline',
    { schema: { params: ApplicationParams, body: DeclineCommand.optional(), tags: ['bidding'] } },
    async (request) => {
      const { bank } = bankUser(request);
      await run(request, request.params.id, {
        type: 'DeclineRequest',
        applicationId: request.params.id,
        bankCode: bank.code,
        note: request.body?.note ?? '',
      });
      return { applicationId: request.params.id, declined: true };
    },
  );

  api.post(
    '/applications/:id/information-requests',
    { schema: { params: ApplicationParams, body: RequestInformationCommand, tags: ['bidding'] } },
    async (request, reply) => {
      const { bank } = bankUser(request);
      const requestId = randomUUID();
      await run(request, request.params.id, {
        type: 'RequestInformation',
        applicationId: request.params.id,
        requestId,
        bankCode: bank.code,
        question: request.body.question,
      });
      return reply.status(201).send({ requestId });
    },
  );

  // R9: the firm's members answer in the portal
  api.post(
    '/applications/:id/information-requests/:requestId/answer',
    { schema: { params: RequestParams, body: AnswerInformationCommand, tags: ['bidding'] } },
    async (request) => {
      const user = requireUser(request, 'exporter');
      await loadMemberApplication(ctx, request.params.id, user.userId);
      await run(request, request.params.id, {
        type: 'AnswerInformation',
        applicationId: request.params.id,
        requestId: request.params.requestId,
        memberId: user.userId,
        memberVerifiedForFirm: true,
        answer: request.body.answer,
      });
      return { requestId: request.params.requestId, answered: true };
    },
  );
}

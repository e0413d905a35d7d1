import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LoginCommand, RegisterCommand, streams } from '@kefalet/events';
import { handleCommand } from '../command-handler';
import { membershipDeciders } from '../domain/membership';
import { hashPassword, verifyPassword } from '../identity/password';
import { EmailTakenError, type UserRecord } from '../identity/store';
import { problem } from '../http/problem';
import { endSession, requireUser, startSession } from '../http/session';
import type { WriteSideContext } from '../context';

// a constant-time-ish answer for unknown e-mails: hash something so timing does not reveal accounts
const DUMMY_HASH = hashPassword('not-a-real-password-0000');

export function authRoutes(app: FastifyInstance, ctx: WriteSideContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/auth/register',
    { schema: { body: RegisterCommand, tags: ['auth'] } },
    async (request, reply) => {
      const body = request.body;
      if (ctx.identity.userByEmail(body.email)) {
        throw problem(409, 'EMAIL_TAKEN', 'An account with this e-mail already exists', {
          errors: [{ field: 'email', reason: 'is already registered' }],
        });
      }
      const user: UserRecord = {
        id: randomUUID(),
        email: body.email.toLowerCase(),
        fullName: body.fullName,
        tckn: body.tckn,
        mobilePhone: body.mobilePhone,
        passwordHash: await hashPassword(body.password),
        role: 'exporter',
        createdAt: ctx.clock.now().toISOString(),
      };
      try {
        ctx.identity.createUser(user);
      } catch (error) {
        if (error instanceof EmailTakenError) {
          throw problem(409, 'EMAIL_TAKEN', 'An account with this e-mail already exists', {
            errors: [{ field: 'email', reason: 'is already registered' }],
          });
        }
        throw error;
      }
      await handleCommand(
        ctx,
        streams.member(user.id),
        membershipDeciders.member,
        {
          type: 'RegisterMember',
          memberId: user.id,
          fullName: user.fullName,
          email: user.email,
          role: user.role,
        },
        { actor: { kind: 'user', userId: user.id, role: user.role } },
      );
      startSession(reply, user, ctx.sessions);
      return reply.status(201).send({ user: await ctx.describeUser(user.id) });
    },
  );

  api.post(
    '/auth/login',
    {
      schema: { body: LoginCommand, tags: ['auth'] },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const user = ctx.identity.userByEmail(request.body.email);
      const valid = user
        ? await verifyPassword(request.body.password, user.passwordHash)
        : (await verifyPassword(request.body.password, await DUMMY_HASH), false);
      if (!user || !valid) {
        throw problem(401, 'INVALID_CREDENTIALS', 'E-mail or password is wrong');
      }
      startSession(reply, user, ctx.sessions);
      return { user: await ctx.describeUser(user.id) };
    },
  );

  api.post('/auth/logout', { schema: { tags: ['auth'] } }, async (request, reply) => {
    endSession(request, reply, ctx.sessions);
    return reply.status(204).send();
  });

  api.get('/auth/me', { schema: { tags: ['auth'] } }, async (request) => {
    const user = requireUser(request);
    return { user: await ctx.describeUser(user.userId) };
  });
}

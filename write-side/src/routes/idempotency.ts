import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '@kefalet/events';
import type { CommandOptions } from '../command-handler';
import type { IdentityStore } from '../identity/store';
import { problem } from '../http/problem';

const HEADER = 'idempotency-key';
const KEY = /^[A-Za-z0-9_\-:.]{8,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | undefined;
    idempotencyReplayed: boolean;
  }
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

/** Options for a client command: the acting user, and the Idempotency-Key when one was sent. */
export function commandOptions(request: FastifyRequest, actor: Actor): CommandOptions {
  const given = request.headers['x-correlation-id'];
  return {
    actor,
    // a client may tie its commands together; otherwise each request starts a new correlation
    correlationId: typeof given === 'string' && UUID.test(given) ? given : randomUUID(),
    ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
  };
}

/**
 * `Idempotency-Key` on a state-changing request: the first 2xx answer is stored per user and key; a
 * retry with the same request gets that answer again (and writes nothing), the same key with another
 * request gets a 422, and a retry while the first is still running gets a 409.
 */
export function installIdempotency(app: FastifyInstance, identity: IdentityStore): void {
  const inFlight = new Set<string>();
  app.decorateRequest('idempotencyKey', undefined);
  app.decorateRequest('idempotencyReplayed', false);

  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers[HEADER];
    if (key === undefined || request.method === 'GET') return;
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw problem(400, 'VALIDATION_FAILED', 'The request is not valid', {
        errors: [{ field: 'Idempotency-Key', reason: '8–128 characters: letters, digits, _-:.' }],
      });
    }
    const user = request.sessionUser;
    if (!user) return; // the route answers 401 itself
    const stored = identity.storedResponse(user.userId, key);
    if (stored) {
      if (stored.requestHash !== requestHash(request)) {
        throw problem(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used for another request',
        );
      }
      request.idempotencyReplayed = true;
      return reply
        .status(stored.statusCode)
        .header('idempotent-replayed', 'true')
        .type('application/json')
        .send(stored.body);
    }
    const slot = `${user.userId}:${key}`;
    if (inFlight.has(slot)) {
      throw problem(
        409,
        'IDEMPOTENCY_IN_PROGRESS',
        'The first request with this key is still running',
      );
    }
    inFlight.add(slot);
    request.idempotencyKey = key;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.idempotencyKey;
    const user = request.sessionUser;
    if (!key || !user || request.idempotencyReplayed) return payload;
    if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
      identity.storeResponse(
        user.userId,
        key,
        { requestHash: requestHash(request), statusCode: reply.statusCode, body: payload },
        new Date(),
      );
    }
    return payload;
  });

  app.addHook('onResponse', async (request) => {
    if (request.idempotencyKey && request.sessionUser) {
      inFlight.delete(`${request.sessionUser.userId}:${request.idempotencyKey}`);
    }
  });
}

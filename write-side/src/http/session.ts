import { randomBytes } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Role } from '@kefalet/events';
import {
  SESSION_COOKIE,
  signSessionToken,
  verifySessionToken,
  type SessionUser,
} from '@kefalet/events/session';
import type { IdentityStore, UserRecord } from '../identity/store';
import { problem } from './problem';

declare module 'fastify' {
  interface FastifyRequest {
    sessionUser: SessionUser | undefined;
  }
}

const SESSION_HOURS = 8;

export interface SessionOptions {
  readonly secret: string;
  readonly secureCookies: boolean;
  readonly identity: IdentityStore;
}

/**
 * Resolves the session cookie on every request (signature, expiry, and not revoked here), and guards
 * state-changing requests: JSON bodies only (fastify answers 415 otherwise) and, when the browser
 * sends an Origin, it must be this server's own.
 */
export function installSessions(app: FastifyInstance, options: SessionOptions): void {
  app.decorateRequest('sessionUser', undefined);
  app.addHook('onRequest', async (request) => {
    // sessions live on wall-clock time: a manual product clock (CLOCK=manual) must not expire them
    const now = new Date();
    const user = verifySessionToken(request.cookies[SESSION_COOKIE], options.secret, now);
    request.sessionUser =
      user && options.identity.isSessionActive(user.sid, now) ? user : undefined;

    if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) {
      const origin = request.headers.origin;
      // 'null' (sandboxed frames, file pages) is no origin of ours either
      if (origin !== undefined) {
        let host: string | undefined;
        try {
          host = new URL(origin).host;
        } catch {
          host = undefined;
        }
        if (host !== request.headers.host) {
          throw problem(403, 'ORIGIN_NOT_ALLOWED', 'Cross-origin requests are not allowed', {
            detail: `Origin ${origin} does not match this server`,
          });
        }
      }
    }
  });
}

export function startSession(
  reply: FastifyReply,
  user: UserRecord,
  options: SessionOptions,
): SessionUser {
  const sid = randomBytes(24).toString('base64url');
  const wallNow = new Date();
  const expiresAt = new Date(wallNow.getTime() + SESSION_HOURS * 3600_000);
  options.identity.createSession({ id: sid, userId: user.id, expiresAt, now: wallNow });
  const exp = Math.floor(expiresAt.getTime() / 1000);
  const session: SessionUser = {
    sid,
    userId: user.id,
    role: user.role,
    fullName: user.fullName,
    email: user.email,
    ...(user.bankCode ? { bankCode: user.bankCode } : {}),
    ...(user.branchCode ? { branchCode: user.branchCode } : {}),
    exp,
  };
  reply.setCookie(SESSION_COOKIE, signSessionToken(session, options.secret), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secureCookies,
    maxAge: SESSION_HOURS * 3600,
  });
  return session;
}

export function endSession(
  request: FastifyRequest,
  reply: FastifyReply,
  options: SessionOptions,
): void {
  if (request.sessionUser) options.identity.revokeSession(request.sessionUser.sid, new Date());
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** The signed-in user, or a 401; with roles, a 403 for anyone else. */
export function requireUser(request: FastifyRequest, ...roles: Role[]): SessionUser {
  const user = request.sessionUser;
  if (!user) throw problem(401, 'NOT_SIGNED_IN', 'Sign in first');
  if (roles.length > 0 && !roles.includes(user.role)) {
    throw problem(403, 'ROLE_NOT_ALLOWED', `Only ${roles.join(' or ')} users may do this`, {
      detail: `Your role is ${user.role}`,
    });
  }
  return user;
}

export function actorOf(user: SessionUser): Actor {
  return {
    kind: 'user',
    userId: user.userId,
    role: user.role,
    ...(user.bankCode ? { bankCode: user.bankCode } : {}),
  };
}

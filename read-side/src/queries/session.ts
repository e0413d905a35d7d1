import type { FastifyRequest } from 'fastify';
import type { Role } from '@kefalet/events';
import {
  SESSION_COOKIE,
  readCookie,
  verifySessionToken,
  type SessionUser,
} from '@kefalet/events/session';
import { problem } from './problem';

export interface SessionCheck {
  readonly secret: string;
  /** The write-side's revocation check (embedded); without it a token counts until it expires. */
  readonly isSessionActive?: (sid: string) => boolean;
}

/**
 * The user of a Cookie header, or undefined. Sessions run on the wall clock, never on the product
 * clock (CLOCK=manual must not expire them), as the write-side does.
 */
export function sessionUserOf(
  cookieHeader: string | undefined,
  check: SessionCheck,
): SessionUser | undefined {
  const token = readCookie(cookieHeader, SESSION_COOKIE);
  const user = verifySessionToken(token, check.secret, new Date());
  if (user === undefined) return undefined;
  return (check.isSessionActive?.(user.sid) ?? true) ? user : undefined;
}

/** The signed-in user, or a 401; with roles, a 403 for anyone else. */
export function requireUser(
  request: FastifyRequest,
  check: SessionCheck,
  ...roles: Role[]
): SessionUser {
  const user = sessionUserOf(request.headers.cookie, check);
  if (!user) throw problem(401, 'NOT_SIGNED_IN', 'Sign in first');
  if (roles.length > 0 && !roles.includes(user.role)) {
    throw problem(403, 'ROLE_NOT_ALLOWED', `Only ${roles.join(' or ')} users may do this`, {
      detail: `Your role is ${user.role}`,
    });
  }
  return user;
}

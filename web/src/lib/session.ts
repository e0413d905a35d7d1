/*
 * Who is signed in comes from the root layout's load (GET /api/auth/me, re-run by
 * invalidate('app:me') or invalidateAll after logging in or out). Role areas guard themselves here.
 */
import { error, redirect } from '@sveltejs/kit';
import type { ApiError, Role, User } from './api';

export const ME_DEPENDENCY = 'app:me';

const HOMES = { exporter: '/exporter', bank: '/bank', analyst: '/analyst' } as const;

export function homePath(role: Role): (typeof HOMES)[Role] {
  return HOMES[role];
}

/** A `next` parameter is followed only when it is a path on this site. */
export function safeNext(next: string | null): string | undefined {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return undefined;
  }
  return next;
}

/** The session could not be read: the page shows why instead of pretending nobody is signed in. */
export function sessionUnavailable(sessionError: ApiError): never {
  error(sessionError.status >= 400 ? sessionError.status : 503, {
    message: sessionError.message,
    code: sessionError.code,
  });
}

/** For a role area's layout load: the user, or a redirect to log in or to the user's own home. */
export function requireRole(
  data: { me: User | null; sessionError: ApiError | null },
  url: URL,
  role: Role,
): User {
  if (data.sessionError) sessionUnavailable(data.sessionError);
  if (!data.me) redirect(307, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  if (data.me.role !== role) redirect(307, homePath(data.me.role));
  return data.me;
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { RoleSchema } from './envelope';

/**
 * The session cookie's value: a payload signed with HMAC-SHA256 under SESSION_SECRET, so both sides
 * can authenticate a request (the read-side's queries and Socket.IO handshake included) without
 * sharing a session table. The write-side also keeps the session id, so logout revokes at once there;
 * the read-side asks a revocation check it is given (embedded: the write-side's; scaled out: Redis).
 * Node only: import it from '@kefalet/events/session', never in browser code.
 */
export const SESSION_COOKIE = 'kefalet_session';

export const SessionUserSchema = z.object({
  sid: z.string().min(16),
  userId: z.uuid(),
  role: RoleSchema,
  fullName: z.string(),
  email: z.string(),
  bankCode: z.string().optional(),
  branchCode: z.string().optional(),
  /** Expiry, seconds since the epoch. */
  exp: z.number().int(),
});
export type SessionUser = z.infer<typeof SessionUserSchema>;

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

export function signSessionToken(user: SessionUser, secret: string): string {
  const body = Buffer.from(JSON.stringify(user)).toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

/** The session's user when the token is authentic and unexpired, else undefined. */
export function verifySessionToken(
  token: string | undefined,
  secret: string,
  now: Date,
): SessionUser | undefined {
  if (!token) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = SessionUserSchema.safeParse(payload);
  if (!parsed.success || parsed.data.exp * 1000 <= now.getTime()) return undefined;
  return parsed.data;
}

/** Reads one cookie from a Cookie header (the Socket.IO handshake has no cookie parser). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

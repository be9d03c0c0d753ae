// Sign-in sessions: a random 32-byte token in an httpOnly cookie; the database keeps only its SHA-256,
// so a copy of the database signs no one in. A session lasts 30 days unless signed out or revoked.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Sql } from '../db/database';
import type { UserRole, Viewer } from '../../domain/access';

export const SESSION_COOKIE = 'outreach_session';
export const SESSION_DAYS = 30;
const SESSION_SECONDS = SESSION_DAYS * 24 * 60 * 60;
const TOKEN_BYTES = 32;
/** A token as issued: 32 bytes in base64url. Anything else is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Who a request is from, as every protected route receives it. */
export type SessionUser = Viewer & {
  organisationId: string;
  name: string;
};

/** Starts a session for the user and returns its token (for the cookie only: it is never stored). */
export async function createSession(sql: Sql, userId: string): Promise<string> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  await sql.query(
    `INSERT INTO auth_sessions (token_hash, user_id, expires_at)
     VALUES ($1, $2, now() + make_interval(days => $3))`,
    [hashToken(token), userId, SESSION_DAYS],
  );
  return token;
}

/** The active user of a session that is neither expired nor revoked; null otherwise. */
export async function findSession(sql: Sql, token: string | undefined): Promise<SessionUser | null> {
  if (token === undefined || !TOKEN_SHAPE.test(token)) return null;
  const { rows } = await sql.query<{
    user_id: string;
    organisation_id: string;
    role: UserRole;
    name: string;
    may_view_special_category: boolean;
  }>(
    `SELECT u.id AS user_id, u.organisation_id, u.role, u.name, u.may_view_special_category
     FROM auth_sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.status = 'active'`,
    [hashToken(token)],
  );
  const row = rows[0];
  return row
    ? {
        userId: row.user_id,
        organisationId: row.organisation_id,
        role: row.role,
        name: row.name,
        maySeeSpecialCategory: row.may_view_special_category,
      }
    : null;
}

export async function revokeSession(sql: Sql, token: string): Promise<void> {
  if (!TOKEN_SHAPE.test(token)) return;
  await sql.query(
    'UPDATE auth_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL',
    [hashToken(token)],
  );
}

export function sessionTokenOf(request: FastifyRequest): string | undefined {
  return request.cookies[SESSION_COOKIE];
}

/**
 * httpOnly (no script reads it), SameSite=Lax (not sent on other sites' form posts), Path=/, and
 * Secure when the request came over HTTPS (behind a proxy, as TRUST_PROXY lets the server see).
 */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { ...cookieFlags(request), maxAge: SESSION_SECONDS });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieFlags(request));
}

function cookieFlags(request: FastifyRequest) {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: request.protocol === 'https' } as const;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

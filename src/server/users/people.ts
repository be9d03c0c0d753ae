// The organisation's people in the database: listing users, changing their role, status and
// permission, and one-time invitations. Each change to a user rewrites their records row in the
// same transaction (writeUserRecord), so every device of the organisation pulls it.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { UserRole } from '../../domain/access';
import type { UserStatus } from '../auth/accounts';
import { writeUserRecord } from '../auth/accounts';
import type { Sql } from '../db/database';

export const INVITATION_DAYS = 7;

/** A user as a coordinator's People page lists them. */
export type PersonSummary = {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  status: UserStatus;
  maySeeSpecialCategory: boolean;
  createdAt: string;
};

export type InvitationSummary = {
  id: string;
  email: string;
  role: UserRole;
  createdAt: string;
  expiresAt: string;
  invitedByName: string;
};

type PersonRow = {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  status: UserStatus;
  may_view_special_category: boolean;
  created_at: Date | string;
};

const PERSON_COLUMNS = 'id, name, email, role, status, may_view_special_category, created_at';

function personOf(row: PersonRow): PersonSummary {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    status: row.status,
    maySeeSpecialCategory: row.may_view_special_category,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export async function listPeople(sql: Sql, organisationId: string): Promise<PersonSummary[]> {
  const { rows } = await sql.query<PersonRow>(
    `SELECT ${PERSON_COLUMNS} FROM users WHERE organisation_id = $1 ORDER BY lower(name), id`,
    [organisationId],
  );
  return rows.map(personOf);
}

/** The user if they belong to the organisation, locked for update; null otherwise. */
export async function findPersonForUpdate(
  sql: Sql,
  organisationId: string,
  userId: string,
): Promise<PersonSummary | null> {
  const { rows } = await sql.query<PersonRow>(
    `SELECT ${PERSON_COLUMNS} FROM users WHERE organisation_id = $1 AND id = $2 FOR UPDATE`,
    [organisationId, userId],
  );
  return rows[0] ? personOf(rows[0]) : null;
}

/** How many active coordinators the organisation has, its rows locked so two changes take turns. */
export async function countActiveCoordinators(sql: Sql, organisationId: string): Promise<number> {
  const { rows } = await sql.query<{ id: string }>(
    `SELECT id FROM users WHERE organisation_id = $1 AND role = 'coordinator' AND status = 'active'
     ORDER BY id FOR UPDATE`,
    [organisationId],
  );
  return rows.length;
}

export type PersonChange = Partial<Pick<PersonSummary, 'role' | 'status' | 'maySeeSpecialCategory'>>;

/** Applies the change, signs a no-longer-active user out everywhere, and rewrites their records row. */
export async function changePerson(
  sql: Sql,
  userId: string,
  change: PersonChange,
  byUserId: string,
): Promise<PersonSummary> {
  const { rows } = await sql.query<PersonRow>(
    `UPDATE users SET role = coalesce($2, role), status = coalesce($3, status),
       may_view_special_category = coalesce($4, may_view_special_category)
     WHERE id = $1 RETURNING ${PERSON_COLUMNS}`,
    [userId, change.role ?? null, change.status ?? null, change.maySeeSpecialCategory ?? null],
  );
  const person = personOf(rows[0]!);
  if (person.status !== 'active') await revokeAllSessions(sql, userId);
  await writeUserRecord(sql, userId, byUserId);
  return person;
}

/** Ends every session of the user: each of their browsers must sign in again. */
export async function revokeAllSessions(sql: Sql, userId: string): Promise<number> {
  const { rows } = await sql.query<{ token_hash: string }>(
    `UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL
     RETURNING token_hash`,
    [userId],
  );
  return rows.length;
}

export async function emailHasAccount(sql: Sql, email: string): Promise<boolean> {
  const { rows } = await sql.query<{ found: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM users WHERE email = $1) AS found',
    [email],
  );
  return rows[0]?.found === true;
}

/**
 * The alphabet of invitation codes: Crockford's base 32 (no I, L, O or U), so a code read aloud or
 * copied by hand is not mistyped. Twelve characters carry 60 random bits.
 */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;

/** A new one-time code, shown as three groups of four: `K7QF-M2XD-9RTA`. */
export function newInvitationCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  const characters = [...bytes].map((byte) => CODE_ALPHABET[byte % 32]!);
  return [0, 4, 8].map((start) => characters.slice(start, start + 4).join('')).join('-');
}

/** A code as typed (any case, spaces or dashes, O for 0, I or L for 1) in the form it was issued. */
export function normaliseInvitationCode(typed: string): string | null {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (plain.length !== CODE_LENGTH || [...plain].some((character) => !CODE_ALPHABET.includes(character))) {
    return null;
  }
  return plain;
}

function hashCode(normalised: string): string {
  return createHash('sha256').update(`invitation:${normalised}`).digest('hex');
}

/** Withdraws any pending invitation to the address and issues a new one; returns it and its code. */
export async function createInvitation(
  sql: Sql,
  invitation: { organisationId: string; email: string; role: UserRole; invitedBy: string },
): Promise<{ invitation: InvitationSummary; code: string }> {
  const code = newInvitationCode();
  const id = randomUUID();
  await sql.query(
    `UPDATE invitations SET revoked_at = now()
     WHERE organisation_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL`,
    [invitation.organisationId, invitation.email],
  );
  await sql.query(
    `INSERT INTO invitations (id, code_hash, organisation_id, email, role, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7))`,
    [
      id,
      hashCode(normaliseInvitationCode(code)!),
      invitation.organisationId,
      invitation.email,
      invitation.role,
      invitation.invitedBy,
      INVITATION_DAYS,
    ],
  );
  const [created] = (await listInvitations(sql, invitation.organisationId)).filter((item) => item.id === id);
  return { invitation: created!, code };
}

type InvitationRow = {
  id: string;
  email: string;
  role: UserRole;
  created_at: Date | string;
  expires_at: Date | string;
  invited_by_name: string;
};

/** Pending invitations: neither accepted, withdrawn nor expired. */
export async function listInvitations(sql: Sql, organisationId: string): Promise<InvitationSummary[]> {
  const { rows } = await sql.query<InvitationRow>(
    `SELECT i.id, i.email, i.role, i.created_at, i.expires_at, u.name AS invited_by_name
     FROM invitations i JOIN users u ON u.id = i.invited_by
     WHERE i.organisation_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
     ORDER BY i.created_at DESC`,
    [organisationId],
  );
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    invitedByName: row.invited_by_name,
  }));
}

/** Withdraws a pending invitation of the organisation; false when there was none to withdraw. */
export async function withdrawInvitation(sql: Sql, organisationId: string, id: string): Promise<boolean> {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE invitations SET revoked_at = now()
     WHERE organisation_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL
     RETURNING id`,
    [organisationId, id],
  );
  return rows.length > 0;
}

export type OpenInvitation = {
  id: string;
  organisationId: string;
  organisationName: string;
  email: string;
  role: UserRole;
  expiresAt: string;
};

/**
 * The invitation a code opens, if it is still pending; `forUpdate` locks it, so two acceptances of
 * one code take turns and the second finds it used.
 */
export async function findOpenInvitation(
  sql: Sql,
  typedCode: string,
  forUpdate = false,
): Promise<OpenInvitation | null> {
  const normalised = normaliseInvitationCode(typedCode);
  if (normalised === null) return null;
  const { rows } = await sql.query<{
    id: string;
    organisation_id: string;
    organisation_name: string;
    email: string;
    role: UserRole;
    expires_at: Date | string;
  }>(
    `SELECT i.id, i.organisation_id, o.name AS organisation_name, i.email, i.role, i.expires_at
     FROM invitations i JOIN organisations o ON o.id = i.organisation_id
     WHERE i.code_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
     ${forUpdate ? 'FOR UPDATE OF i' : ''}`,
    [hashCode(normalised)],
  );
  const row = rows[0];
  return row
    ? {
        id: row.id,
        organisationId: row.organisation_id,
        organisationName: row.organisation_name,
        email: row.email,
        role: row.role,
        expiresAt: new Date(row.expires_at).toISOString(),
      }
    : null;
}

export async function markInvitationAccepted(sql: Sql, invitationId: string, userId: string): Promise<void> {
  await sql.query('UPDATE invitations SET accepted_at = now(), accepted_user = $2 WHERE id = $1', [
    invitationId,
    userId,
  ]);
}

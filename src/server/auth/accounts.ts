// Organisations and users in the database. Every change to either also rewrites its records row
// (entity types 'organisation' and 'user'), in the same transaction, so devices pull it.
import { randomUUID } from 'node:crypto';
import type { UserRole } from '../../domain/access';
import { SHIPPED_DOCUMENT_VERSIONS } from '../../domain/documents';
import type { Sql } from '../db/database';
import type { ServerRecord } from '../db/serverRecords';
import { writeServerRecords } from '../db/serverRecords';

/** The kinds of organisation the domain names; 'other' when not given. */
export const ORGANISATION_TYPES = [
  'council',
  'adult-community-learning',
  'college',
  'voluntary-community-group',
  'online-centre',
  'housing-association',
  'library',
  'other',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export type { UserRole } from '../../domain/access';
export type UserStatus = 'active' | 'suspended' | 'left';

/** A user as the signed-in browser sees them. */
export type AccountUser = {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  organisationId: string;
  organisationName: string;
};

type UserRow = {
  id: string;
  organisation_id: string;
  email: string;
  name: string;
  role: UserRole;
  status: UserStatus;
  password_hash: string;
  organisation_name: string;
};

const USER_COLUMNS = `u.id, u.organisation_id, u.email, u.name, u.role, u.status, u.password_hash,
  o.name AS organisation_name`;

export async function hasAnyOrganisation(sql: Sql): Promise<boolean> {
  const { rows } = await sql.query<{ found: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM organisations) AS found',
  );
  return rows[0]?.found === true;
}

/**
 * Creates an organisation with its shipped document versions and returns its id. Its records row and
 * the documents' are written with the organisation's first change sequence numbers.
 */
export async function createOrganisation(
  sql: Sql,
  organisation: { name: string; type: OrganisationType },
): Promise<string> {
  const id = randomUUID();
  await sql.query('INSERT INTO organisations (id, name, type) VALUES ($1, $2, $3)', [
    id,
    organisation.name,
    organisation.type,
  ]);
  const records: ServerRecord[] = [
    {
      entityType: 'organisation',
      entityId: id,
      data: { id, name: organisation.name, type: organisation.type },
    },
    ...SHIPPED_DOCUMENT_VERSIONS.map((document) => ({
      entityType: 'documentVersion',
      entityId: document.id,
      data: { ...document },
    })),
  ];
  await writeServerRecords(sql, id, records, null);
  return id;
}

export type NewUser = {
  organisationId: string;
  name: string;
  /** Lower-cased by the caller's schema; stored as given. */
  email: string;
  role: UserRole;
  passwordHash: string;
  /** Whether the user sees equality and health answers (default no; set at organisation set-up). */
  maySeeSpecialCategory?: boolean;
};

/** Creates a user and their records row; returns the new id. */
export async function createUser(sql: Sql, user: NewUser, byUserId: string | null): Promise<string> {
  const id = randomUUID();
  await sql.query(
    `INSERT INTO users (id, organisation_id, email, name, role, password_hash, may_view_special_category)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      id,
      user.organisationId,
      user.email,
      user.name,
      user.role,
      user.passwordHash,
      user.maySeeSpecialCategory ?? false,
    ],
  );
  await writeUserRecord(sql, id, byUserId ?? id);
  return id;
}

/**
 * Rewrites a user's records row from the users table: call it in the transaction of every change
 * to a user. Devices get the name, role and status, never the email or the password hash.
 */
export async function writeUserRecord(sql: Sql, userId: string, byUserId: string | null): Promise<void> {
  const { rows } = await sql.query<{
    organisation_id: string;
    name: string;
    role: UserRole;
    status: UserStatus;
  }>('SELECT organisation_id, name, role, status FROM users WHERE id = $1', [userId]);
  const user = rows[0];
  if (!user) throw new Error('writeUserRecord: no such user');
  await writeServerRecords(
    sql,
    user.organisation_id,
    [
      {
        entityType: 'user',
        entityId: userId,
        data: { id: userId, name: user.name, role: user.role, status: user.status },
      },
    ],
    byUserId,
  );
}

/** The user with this (lower-cased) email, with what signing in checks; null when there is none. */
export async function findUserByEmail(
  sql: Sql,
  email: string,
): Promise<{ user: AccountUser; status: UserStatus; passwordHash: string } | null> {
  const { rows } = await sql.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.email = $1`,
    [email],
  );
  const row = rows[0];
  return row ? { user: accountUserOf(row), status: row.status, passwordHash: row.password_hash } : null;
}

export async function findAccountUser(sql: Sql, userId: string): Promise<AccountUser | null> {
  const { rows } = await sql.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1`,
    [userId],
  );
  const row = rows[0];
  return row ? accountUserOf(row) : null;
}

function accountUserOf(row: UserRow): AccountUser {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
  };
}

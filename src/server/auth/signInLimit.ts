// The sign-in rate limit: at most 5 wrong attempts per email address and 30 per network address in
// 15 minutes. It lives in the sign_in_failures table (not in memory) because several servers share one
// database, and it runs on the database's clock. Keys are SHA-256 of the address, so the table lists
// no one's email.
//
// An attempt is written down as a failure before its password is checked and stays one unless the
// password proves right: concurrent attempts (to one server or several) each see the others, so a
// burst of guesses cannot all slip through while the first ones are still being checked.
import { createHash } from 'node:crypto';
import type { Sql } from '../db/database';

export const SIGN_IN_WINDOW_MINUTES = 15;
/** Wrong attempts per email address in the window; the next is refused until the oldest ages out. */
export const MAX_FAILURES_PER_EMAIL = 5;
/** Wrong attempts per network address in the window, whatever email addresses they tried. */
export const MAX_FAILURES_PER_ADDRESS = 30;

type LimitedKey = { hash: string; limit: number };

/** A sign-in attempt in progress: its keys and the rows that count it as a failure until it succeeds. */
export type SignInAttempt = {
  email: LimitedKey;
  address: LimitedKey;
  rowIds: RowIds;
};

/** The two rows an attempt adds: one for the email address, one for the network address. */
type RowIds = readonly [number, number];

export type SignInAttemptStart =
  { allowed: true; attempt: SignInAttempt } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts an attempt to sign in as `email` from network address `ip` against both limits. Call it
 * before checking the password, then one of recordSignInFailure, recordSignInSuccess or
 * withdrawSignInAttempt. When the attempt is refused nothing stays recorded, so a locked address
 * frees up on time however often it is tried.
 */
export async function startSignInAttempt(sql: Sql, email: string, ip: string): Promise<SignInAttemptStart> {
  const emailKey = { hash: keyHashOf(`email:${email.toLowerCase()}`), limit: MAX_FAILURES_PER_EMAIL };
  const addressKey = { hash: keyHashOf(`ip:${ip}`), limit: MAX_FAILURES_PER_ADDRESS };
  // Two statements, each committed on its own: whichever of two concurrent attempts counts second
  // sees the other's row.
  const { rows: inserted } = await sql.query<{ id: number }>(
    'INSERT INTO sign_in_failures (key_hash) VALUES ($1), ($2) RETURNING id',
    [emailKey.hash, addressKey.hash],
  );
  const [emailRow, addressRow] = inserted;
  if (!emailRow || !addressRow) throw new Error('startSignInAttempt: the failure rows were not written');
  const rowIds: RowIds = [emailRow.id, addressRow.id];
  const retryAfterSeconds = Math.max(
    await secondsUntilFree(sql, emailKey, rowIds),
    await secondsUntilFree(sql, addressKey, rowIds),
  );
  if (retryAfterSeconds > 0) {
    await deleteRows(sql, rowIds);
    return { allowed: false, retryAfterSeconds };
  }
  return { allowed: true, attempt: { email: emailKey, address: addressKey, rowIds } };
}

/** A wrong email or password: the attempt stays counted; rows older than the window are deleted. */
export async function recordSignInFailure(sql: Sql): Promise<void> {
  await sql.query('DELETE FROM sign_in_failures WHERE failed_at < now() - make_interval(mins => $1)', [
    SIGN_IN_WINDOW_MINUTES,
  ]);
}

/** The right password: the email address starts afresh; the network address keeps its other failures. */
export async function recordSignInSuccess(sql: Sql, attempt: SignInAttempt): Promise<void> {
  await sql.query('DELETE FROM sign_in_failures WHERE key_hash = $1 OR id IN ($2, $3)', [
    attempt.email.hash,
    ...attempt.rowIds,
  ]);
}

/** The right password for an account that may not sign in: the attempt is not counted, nothing cleared. */
export async function withdrawSignInAttempt(sql: Sql, attempt: SignInAttempt): Promise<void> {
  await deleteRows(sql, attempt.rowIds);
}

/**
 * 0 when the key has room for this attempt; otherwise the seconds until it has room again, which is
 * when its limit-th most recent other failure leaves the window.
 */
async function secondsUntilFree(sql: Sql, key: LimitedKey, ownRowIds: RowIds): Promise<number> {
  const { rows } = await sql.query<{ seconds: number }>(
    `SELECT greatest(1, ceil(extract(epoch FROM
              failed_at + make_interval(mins => $2) - now())))::int AS seconds
     FROM sign_in_failures
     WHERE key_hash = $1 AND failed_at > now() - make_interval(mins => $2)
       AND id NOT IN ($3, $4)
     ORDER BY failed_at DESC, id DESC
     OFFSET $5 LIMIT 1`,
    [key.hash, SIGN_IN_WINDOW_MINUTES, ...ownRowIds, key.limit - 1],
  );
  return rows[0]?.seconds ?? 0;
}

async function deleteRows(sql: Sql, rowIds: RowIds): Promise<void> {
  await sql.query('DELETE FROM sign_in_failures WHERE id IN ($1, $2)', [...rowIds]);
}

function keyHashOf(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** What a person reads when refused: how long to wait, in whole minutes, and what else they can do. */
export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many wrong attempts. Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}, then try again, or ask your coordinator to reset your password.`;
}

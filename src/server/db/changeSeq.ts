// An organisation's change sequence: every records row written (by a device's push or by the server
// itself) takes the organisation's next number, and a device pulls what changed after the last number
// it saw. The UPDATE locks the organisation's row until the transaction ends, so numbers are handed
// out in commit order within an organisation: a pull never skips a row committed later with a
// smaller number.
import type { Sql } from './database';

/**
 * Takes `count` new sequence numbers for the organisation, inside the caller's transaction, and
 * returns the first of them (the others follow it: first, first + 1, … first + count - 1).
 */
export async function nextChangeSeq(sql: Sql, organisationId: string, count = 1): Promise<number> {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`nextChangeSeq needs a whole count of at least 1, not ${count}`);
  }
  const { rows } = await sql.query<{ change_seq: number }>(
    'UPDATE organisations SET change_seq = change_seq + $2 WHERE id = $1 RETURNING change_seq',
    [organisationId, count],
  );
  const last = rows[0]?.change_seq;
  if (last === undefined) throw new Error('nextChangeSeq: no such organisation');
  return last - count + 1;
}

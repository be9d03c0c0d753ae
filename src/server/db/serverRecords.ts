// Server-owned rows that devices pull like any other record: the organisation, its users (without
// email or password hash) and the document versions. Each write takes the organisation's next change
// sequence number in the caller's transaction, so a pull after it sees the new value.
import { nextChangeSeq } from './changeSeq';
import type { Sql } from './database';

export type ServerRecord = {
  entityType: string;
  entityId: string;
  /** What devices receive: only fields every signed-in user of the organisation may see. */
  data: Record<string, unknown>;
};

/** Inserts or replaces the records, in order, each with a new change sequence number. */
export async function writeServerRecords(
  sql: Sql,
  organisationId: string,
  records: readonly ServerRecord[],
  byUserId: string | null,
): Promise<void> {
  if (records.length === 0) return;
  const first = await nextChangeSeq(sql, organisationId, records.length);
  for (const [index, record] of records.entries()) {
    await sql.query(
      `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq, created_by_user)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6)
       ON CONFLICT (organisation_id, entity_type, entity_id) DO UPDATE
       SET data = excluded.data, change_seq = excluded.change_seq, deleted = false, deleted_hlc = NULL,
           received_at = now()`,
      [
        organisationId,
        record.entityType,
        record.entityId,
        JSON.stringify(record.data),
        first + index,
        byUserId,
      ],
    );
  }
}

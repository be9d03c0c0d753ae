// Erasing what a device holds: every table, drafts, the outbox and the sync state, in one
// transaction. Used when the server says the device was reported lost (after its outbox was pushed)
// and when it is handed back (src/domain/handBack.ts decides first): the callers check, since an
// unsynced change must never be erased unasked.
import type { OutreachDatabase } from './database';
import { installShippedDocuments } from './documents';
import { INITIAL_SYNC_STATE } from './syncState';
import { forgetSealingKey } from './outboxSealing';
import { forgetDataKey } from './vault';

/** Why a device erased its data: reported lost by a coordinator, or handed back on purpose. */
export type ErasureReason = 'reported-lost' | 'handed-back';

/**
 * Erases every table (the data key's wraps with them) and leaves a signed-out sync state that says
 * why and when; this tab forgets the data key, which locks it.
 */
export async function eraseDeviceData(
  db: OutreachDatabase,
  reason: ErasureReason,
  at: string,
): Promise<void> {
  await db.transaction('rw', db.tables, async () => {
    for (const table of db.tables) await table.clear();
    await db.meta.put({ ...INITIAL_SYNC_STATE, erased: { reason, at } });
  });
  forgetDataKey(db);
  forgetSealingKey(db);
  // The texts shipped with the app hold no one's data: the next enrolment needs them.
  await installShippedDocuments(db);
}

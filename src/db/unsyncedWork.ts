// A device's unsynced work, gathered for a sealed file and taken over from one: the outbox batches
// keep their clock stamps, so when this device pushes them the server merges each field exactly as
// it would have from the device that made it. Refused changes are kept for a person to look at.
import type { OutboxBatch } from '../domain/changeLog';
import { UNSYNCED_WORK_FORMAT, UNSYNCED_WORK_VERSION, type UnsyncedWork } from '../domain/unsyncedWork';
import { clockAfterReceiving } from './pulls';
import type { OutreachDatabase, RejectedChange, WriterState } from './database';
import { toStoreError } from './errors';
import { getSyncState } from './syncState';
import { ensureWriterState } from './writes';
import { sealingKeysFor } from './outboxSealing';

/** Everything on the device that has not reached the server, in one consistent read. */
export async function collectUnsyncedWork(db: OutreachDatabase, exportedAt: string): Promise<UnsyncedWork> {
  return db.transaction('r', [db.outbox, db.rejectedChanges, db.meta, db.sealingKeys], async () => {
    const batches = await db.outbox.orderBy('firstMutationId').toArray();
    const refused = await db.rejectedChanges.orderBy('mutationId').toArray();
    const sealingKeys = await sealingKeysFor(db, [...batches.flatMap((batch) => batch.changes), ...refused]);
    const writer = (await db.meta.get('writer')) as WriterState | undefined;
    const { user } = await getSyncState(db);
    return {
      format: UNSYNCED_WORK_FORMAT,
      version: UNSYNCED_WORK_VERSION,
      exportedAt,
      fromDeviceId: writer?.deviceId ?? 'unknown',
      exportedBy: user ? { id: user.id, name: user.name } : null,
      batches,
      refused,
      // The same shape the file's schema checks (a JWK's members are typed loosely by the DOM).
      sealingKeys: sealingKeys as UnsyncedWork['sealingKeys'],
    };
  });
}

/**
 * Takes another device's unsynced work into this one: each batch joins the outbox with this device's
 * next mutation ids and its original stamp (the clock moves past it), and refused changes join the
 * refused list under keys of their own. One transaction: all of it or none.
 */
export async function takeOverUnsyncedWork(
  db: OutreachDatabase,
  work: UnsyncedWork,
): Promise<{ changes: number; refused: number }> {
  try {
    return await db.transaction('rw', [db.outbox, db.rejectedChanges, db.meta, db.sealingKeys], async () => {
      // The sealed changes stay sealed: this device pushes them with the keys they were sealed under.
      await db.sealingKeys.bulkPut(work.sealingKeys);
      let writer = await ensureWriterState(db);
      let clock = writer.clock;
      let next = writer.lastMutationId + 1;
      let changes = 0;
      for (const batch of work.batches) {
        const renumbered: OutboxBatch = {
          ...batch,
          firstMutationId: next,
          lastMutationId: next + batch.changes.length - 1,
          changes: batch.changes.map((change, index) => ({ ...change, mutationId: next + index })),
        };
        await db.outbox.add(renumbered);
        next = renumbered.lastMutationId + 1;
        changes += batch.changes.length;
        clock = clockAfterReceiving(clock, batch.hlc);
      }
      writer = { ...writer, lastMutationId: next - 1, clock };
      await db.meta.put(writer);
      // Refused changes are kept under negative keys, apart from this device's own mutation ids.
      const lowest = (await db.rejectedChanges.orderBy('mutationId').first())?.mutationId ?? 0;
      const refused: RejectedChange[] = work.refused.map((change, index) => ({
        ...change,
        mutationId: Math.min(lowest, 0) - 1 - index,
      }));
      await db.rejectedChanges.bulkAdd(refused);
      return { changes, refused: refused.length };
    });
  } catch (error) {
    throw toStoreError(error);
  }
}

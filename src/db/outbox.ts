// Reading the outbox (the change log): what is waiting to be synced.
import { pendingChangeCount } from '../domain/changeLog';
import type { OutreachDatabase, WriterState } from './database';
import { toStoreError } from './errors';
import { ensureWriterState } from './writes';

export type OutboxSummary = { pendingChanges: number; oldestMadeAt: string | null; lastMutationId: number };

export async function summariseOutbox(db: OutreachDatabase): Promise<OutboxSummary> {
  return db.transaction('r', [db.outbox, db.meta], async () => {
    const oldest = await db.outbox.orderBy('firstMutationId').first();
    const writer = (await db.meta.get('writer')) as WriterState | undefined;
    const lastMutationId = writer?.lastMutationId ?? 0;
    return {
      pendingChanges: pendingChangeCount(oldest, lastMutationId),
      oldestMadeAt: oldest?.madeAt ?? null,
      lastMutationId,
    };
  });
}

export async function outboxBatches(db: OutreachDatabase) {
  return db.outbox.orderBy('firstMutationId').toArray();
}

export async function deviceId(db: OutreachDatabase): Promise<string | null> {
  const writer = (await db.meta.get('writer')) as WriterState | undefined;
  return writer?.deviceId ?? null;
}

/**
 * This device's id, making the writer row if no record has been written yet (records made before
 * their first write, like an enrolment's, need the id the outbox will use).
 */
export async function ensureDeviceId(db: OutreachDatabase): Promise<string> {
  try {
    return await db.transaction('rw', db.meta, async () => (await ensureWriterState(db)).deviceId);
  } catch (error) {
    throw toStoreError(error);
  }
}

// Drafts of half-filled forms, saved as the tutor types so a reload, a crash or an app update
// loses nothing. Drafts are local only: they are never synced.
import type { Draft, OutreachDatabase } from './database';
import { toStoreError } from './errors';

export function enrolmentDraftId(programmeId: string, sessionId?: string): string {
  return sessionId ? `enrolment:${programmeId}:${sessionId}` : `enrolment:${programmeId}`;
}

export async function saveDraft(db: OutreachDatabase, id: string, values: unknown): Promise<void> {
  try {
    await db.drafts.put({ id, values, savedAt: new Date().toISOString() });
  } catch (error) {
    throw toStoreError(error);
  }
}

export async function loadDraft(db: OutreachDatabase, id: string): Promise<Draft | undefined> {
  return db.drafts.get(id);
}

export async function deleteDraft(db: OutreachDatabase, id: string): Promise<void> {
  await db.drafts.delete(id);
}

export async function listDrafts(db: OutreachDatabase): Promise<Draft[]> {
  return db.drafts.toArray();
}

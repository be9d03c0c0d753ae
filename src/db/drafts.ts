// Drafts of half-filled forms, saved as the tutor types so a reload, a crash or an app update
// loses nothing. Drafts are local only: they are never synced.
// What was typed is personal data, so a draft's values are sealed at rest under the data key
// (src/db/vault.ts), sealed before the write and opened after the read.
import { isSealedValue, openValue, sealValue } from '../crypto/dataKey';
import type { Draft, OutreachDatabase } from './database';
import { toStoreError } from './errors';
import { requireDataKeys } from './vault';

const contextOf = (id: string) => `draft/${id}`;

export function enrolmentDraftId(programmeId: string, sessionId?: string): string {
  return sessionId ? `enrolment:${programmeId}:${sessionId}` : `enrolment:${programmeId}`;
}

export async function saveDraft(db: OutreachDatabase, id: string, values: unknown): Promise<void> {
  try {
    const sealed = await sealValue(await requireDataKeys(db), contextOf(id), values);
    await db.drafts.put({ id, values: sealed, savedAt: new Date().toISOString() });
  } catch (error) {
    throw toStoreError(error);
  }
}

async function opened(db: OutreachDatabase, draft: Draft): Promise<Draft> {
  // Drafts from before encryption at rest are read as they are.
  if (!isSealedValue(draft.values)) return draft;
  return { ...draft, values: await openValue(await requireDataKeys(db), contextOf(draft.id), draft.values) };
}

export async function loadDraft(db: OutreachDatabase, id: string): Promise<Draft | undefined> {
  const draft = await db.drafts.get(id);
  return draft ? opened(db, draft) : undefined;
}

export async function deleteDraft(db: OutreachDatabase, id: string): Promise<void> {
  await db.drafts.delete(id);
}

export async function listDrafts(db: OutreachDatabase): Promise<Draft[]> {
  return Promise.all((await db.drafts.toArray()).map((draft) => opened(db, draft)));
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutreachDatabase } from '../../src/db/database';
import { deleteDraft, enrolmentDraftId, listDrafts, loadDraft, saveDraft } from '../../src/db/drafts';
import { StoreError } from '../../src/db/errors';
import { discardTestDatabase, filledEnrolmentForm, openTestDatabase, readWriter } from '../fixtures/db';

let db: OutreachDatabase;

beforeEach(() => {
  db = openTestDatabase();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await discardTestDatabase(db);
});

describe('drafts', () => {
  it('names enrolment drafts by programme, and by session for a walk-in', () => {
    expect(enrolmentDraftId('p1')).toBe('enrolment:p1');
    expect(enrolmentDraftId('p1', 's1')).toBe('enrolment:p1:s1');
  });

  it('saves, loads, overwrites and deletes a draft', async () => {
    const id = enrolmentDraftId('programme-1');
    const values = filledEnrolmentForm({ givenNames: 'Half', familyName: '' });

    await saveDraft(db, id, values);
    const saved = await loadDraft(db, id);
    expect(saved).toEqual({ id, values, savedAt: expect.any(String) });
    expect(Number.isNaN(Date.parse(saved!.savedAt))).toBe(false);

    await saveDraft(db, id, { ...values, familyName: 'Done' });
    expect((await loadDraft(db, id))?.values).toEqual({ ...values, familyName: 'Done' });
    expect(await listDrafts(db)).toHaveLength(1);

    await deleteDraft(db, id);
    expect(await loadDraft(db, id)).toBeUndefined();
    expect(await listDrafts(db)).toEqual([]);
  });

  it('keeps drafts out of the outbox: they are never synced', async () => {
    await saveDraft(db, enrolmentDraftId('programme-1'), filledEnrolmentForm());
    await saveDraft(db, enrolmentDraftId('programme-2', 'session-1'), filledEnrolmentForm());
    await deleteDraft(db, enrolmentDraftId('programme-1'));

    expect(await db.outbox.count()).toBe(0);
    expect(await readWriter(db)).toBeUndefined();
    expect((await listDrafts(db)).map((draft) => draft.id)).toEqual(['enrolment:programme-2:session-1']);
  });

  it('turns a full disk into a StoreError "storage-full"', async () => {
    vi.spyOn(db.drafts, 'put').mockRejectedValue(new DOMException('full', 'QuotaExceededError'));

    await expect(saveDraft(db, 'enrolment:p', {})).rejects.toSatisfy(
      (error: unknown) => error instanceof StoreError && error.code === 'storage-full',
    );
  });
});

import { fieldNamesOf } from '../../src/domain/changeLog';
import { phoneMatchKey } from '../../src/db/sealedRows';
import { requireDataKeys } from '../../src/db/vault';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutreachDatabase } from '../../src/db/database';
import { isStoreError } from '../../src/db/errors';
import { getLearner, saveNewLearners, searchLearners, updateLearnerDetails } from '../../src/db/learners';
import { outboxBatches } from '../../src/db/outbox';
import type { LearnerDetails } from '../../src/domain/forms/learnerDetailsForm';
import type { Learner } from '../../src/domain/records';
import { discardTestDatabase, openTestDatabase, readWriter } from '../fixtures/db';
import { makeLearner } from '../fixtures/records';

let db: OutreachDatabase;

beforeEach(() => {
  db = openTestDatabase();
});

afterEach(async () => {
  await discardTestDatabase(db);
});

function detailsOf(learner: Learner): LearnerDetails {
  return {
    preferredName: learner.preferredName,
    addressLines: learner.addressLines,
    town: learner.town,
    postcode: learner.postcode,
    postcodeUnknown: learner.postcodeUnknown,
    phone: learner.phone,
    email: learner.email,
    needsInterpreter: learner.needsInterpreter,
    adjustments: learner.adjustments,
  };
}

async function storedLearner(): Promise<Learner> {
  const learner = makeLearner();
  await saveNewLearners(db, [learner]);
  return learner;
}

describe('updateLearnerDetails', () => {
  it('stores the new details and logs only the fields that changed, in one batch', async () => {
    const learner = await storedLearner();
    const before = await outboxBatches(db);
    const started = new Date().toISOString();

    const outcome = await updateLearnerDetails(db, learner.id, {
      ...detailsOf(learner),
      phone: '07700 900123',
      town: 'Litherland',
    });

    expect(outcome).toBe('saved');
    const saved = await getLearner(db, learner.id);
    expect(saved).toEqual({
      ...learner,
      phone: '07700 900123',
      town: 'Litherland',
      updatedAt: saved?.updatedAt,
    });
    expect(saved!.updatedAt >= started).toBe(true);
    const batches = await outboxBatches(db);
    expect(batches).toHaveLength(before.length + 1);
    const batch = batches.at(-1)!;
    expect(batch.changes).toEqual([
      {
        mutationId: batch.firstMutationId,
        entityType: 'learner',
        entityId: learner.id,
        op: 'put',
        fields: { phone: '07700 900123', town: 'Litherland', updatedAt: saved!.updatedAt },
      },
    ]);
    expect((await readWriter(db))?.lastMutationId).toBe(batch.lastMutationId);
  });

  it('keeps the search keys up to date (a new phone and postcode find the learner)', async () => {
    const learner = await storedLearner();
    await updateLearnerDetails(db, learner.id, {
      ...detailsOf(learner),
      phone: '07700 900123',
      postcode: 'L40TH',
    });
    expect((await db.learners.get(learner.id))?.phoneKey).toBe(
      await phoneMatchKey(await requireDataKeys(db), '07700 900123'),
    );
    expect((await searchLearners(db, 'L4 0TH')).map((found) => found.id)).toEqual([learner.id]);
    expect(await searchLearners(db, 'L20 3NJ')).toEqual([]);
  });

  it('writes nothing when every field already has the value given', async () => {
    const learner = await storedLearner();
    const before = await outboxBatches(db);

    expect(await updateLearnerDetails(db, learner.id, detailsOf(learner))).toBe('unchanged');

    expect(await outboxBatches(db)).toEqual(before);
    expect(await getLearner(db, learner.id)).toEqual(learner);
  });

  it('refuses a learner who is not on the device, writing nothing', async () => {
    const learner = makeLearner();
    const error = await updateLearnerDetails(db, learner.id, detailsOf(learner)).catch((e: unknown) => e);
    expect(isStoreError(error, 'not-found')).toBe(true);
    expect(await outboxBatches(db)).toEqual([]);
    expect(await db.learners.count()).toBe(0);
  });

  it('changes only the fields given, keeping the others as the device has them now', async () => {
    const learner = await storedLearner();
    // Another tablet's phone arrived by sync after this tutor opened the form.
    await db.learners.update(learner.id, { phone: '07700 900555' });

    expect(await updateLearnerDetails(db, learner.id, { town: 'Seaforth' })).toBe('saved');

    const batch = (await outboxBatches(db)).at(-1)!;
    expect(fieldNamesOf(batch.changes[0]!).sort()).toEqual(['town', 'updatedAt']);
    expect(await getLearner(db, learner.id)).toMatchObject({ phone: '07700 900555', town: 'Seaforth' });
  });

  it('logs nothing for a field given with the value it already has', async () => {
    const learner = await storedLearner();
    await updateLearnerDetails(db, learner.id, { phone: learner.phone, email: 'new@example.org' });
    const batch = (await outboxBatches(db)).at(-1)!;
    expect(fieldNamesOf(batch.changes[0]!).sort()).toEqual(['email', 'updatedAt']);
  });
});

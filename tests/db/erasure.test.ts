// A learner erased on the server, purged from a tablet at its next pull (fake-indexeddb): her rows
// and the rows naming her, the outbox changes that set her personal fields (sealed to the server or
// not yet), the changes the server refused about her, and a half-typed form naming her. Every table
// is read back opened (with the data key, and the outbox with the server's private key), so nothing
// hides behind encryption: none of her personal data is left, and what is not personal still waits.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ServerSealingKeyPair,
  generateServerSealingKeyPair,
  importServerPrivateKey,
  unwrapSealingKey,
} from '../../src/crypto/outboxSeal';
import { openFields } from '../../src/server/sync/openSealedFields';
import { TABLE_OF_ENTITY, type OutreachDatabase } from '../../src/db/database';
import { enrolmentDraftId, listDrafts, saveDraft } from '../../src/db/drafts';
import { erasedLearnerIdsIn, purgeErasedLearners } from '../../src/db/erasure';
import { enrolLearner, getLearner, searchLearners, updateLearnerDetails } from '../../src/db/learners';
import { outboxBatches } from '../../src/db/outbox';
import { rememberServerSealingKey } from '../../src/db/outboxSealing';
import { applyPulledPage } from '../../src/db/pulls';
import { openStoredRows } from '../../src/db/sealedRows';
import { listRejectedChanges } from '../../src/db/syncState';
import { fieldNamesOf } from '../../src/domain/changeLog';
import { eraseRecord } from '../../src/domain/erasure';
import type { EntityType, Session } from '../../src/domain/records';
import type { PulledRecord } from '../../src/domain/sync/protocol';
import { enrolmentRecords, filledEnrolmentForm, useTestDatabaseAt } from '../fixtures/db';
import { makeSession } from '../fixtures/records';

/** Siobhán's personal data as the enrolment form (tests/fixtures/db.ts) and the edits below give it. */
const PERSONAL_TEXTS = [
  'Siobhán',
  "O'Neill",
  'Shiv',
  '1960-03-27',
  '12 Marsh Lane',
  'Bootle',
  'L203NJ',
  '07700 900982',
  '07700 900111',
  'Siobhan.ONeill@Example.com',
  'Large text on screen',
  'Video call my grandchildren',
  'Apply for jobs online',
  'universal-credit',
];

/** Form answers of someone else: nothing in common with hers. */
const SOMEONE_ELSE = {
  preferredName: '',
  dateOfBirth: { day: '2', month: '1', year: '1990' },
  addressLine1: '3 Oak Road',
  town: 'Crosby',
  postcode: 'L23 0QJ',
  email: '',
  phone: '',
  adjustments: '',
  benefits: [],
};

const testDatabase = useTestDatabaseAt(new Date('2026-11-30T10:00:00.000Z'));
let db: OutreachDatabase;

beforeEach(() => {
  db = testDatabase();
});

const programme = { id: '0b9b7a4e-3c1d-4e8f-9a2b-5c6d7e8f9a01', fundingStream: 'asf-tailored' as const };
const session: Session = makeSession({ programmeId: programme.id });

/** Everything the tablet holds, opened: rows with the data key, the outbox with the server's key. */
async function everythingOpened(server: ServerSealingKeyPair | null): Promise<string> {
  const parts: unknown[] = [];
  for (const [entityType, table] of Object.entries(TABLE_OF_ENTITY)) {
    parts.push(await openStoredRows(db, entityType, await db.table(table).toArray()));
  }
  parts.push(await listDrafts(db), await listRejectedChanges(db));
  const privateKey = server ? await importServerPrivateKey(server.privateKey) : null;
  for (const batch of await outboxBatches(db)) {
    for (const change of batch.changes) {
      if (!change.sealed) {
        parts.push(change);
        continue;
      }
      const wrapped = (await db.sealingKeys.get(change.sealed.keyId))!;
      const key = await unwrapSealingKey(privateKey!, wrapped);
      parts.push(openFields(key, change, change.sealed));
    }
  }
  return JSON.stringify(parts);
}

/** Which of her personal texts a dump holds. */
function personalIn(dump: string): string[] {
  return PERSONAL_TEXTS.filter((text) => dump.includes(text));
}

/** Every table as stored, unopened: what a copy of the browser's files shows. */
async function everythingRaw(): Promise<string> {
  const parts: unknown[] = [];
  for (const table of db.tables) parts.push(await table.toArray());
  return JSON.stringify(parts);
}

function pulledPage(records: PulledRecord[]) {
  return { records, cursor: 99, hasMore: false, scope: 'scope-1' };
}

function pulled(entityType: EntityType, data: Record<string, unknown>, changeSeq: number): PulledRecord {
  return {
    entityType,
    entityId: String(data['id']),
    data,
    hlc: '2026-11-30T09:59:00.000Z-0000-5e1f5e1f5e1f5e1f',
    deleted: false,
    changeSeq,
  };
}

/**
 * Siobhán enrolled on this tablet as a walk-in (learner, enrolment, employment, equality answers,
 * consents, goals, a mark), her phone changed since, a refused change about her, and two drafts:
 * one half-typed about her, one about someone else. Tom, enrolled too, is not erased.
 */
async function tabletWithSiobhan() {
  const records = enrolmentRecords(programme);
  await enrolLearner(db, records, { walkIn: { session, markedBy: 'Ann Tutor' } });
  const tom = enrolmentRecords(programme, {
    ...SOMEONE_ELSE,
    givenNames: 'Tom',
    familyName: 'Byrne',
    email: 'tom@example.org',
    phone: '07700 900333',
    goals: [{ text: 'Email my sister', category: 'communication' }],
  });
  await enrolLearner(db, tom);
  expect(await updateLearnerDetails(db, records.learner.id, { phone: '07700 900111' })).toBe('saved');
  await db.rejectedChanges.put({
    mutationId: 9999,
    entityType: 'learner',
    entityId: records.learner.id,
    op: 'put',
    fieldNames: ['phone'],
    fields: { phone: '07700 900982' },
    label: "Siobhán O'Neill",
    reason: 'clock-drift',
    message: 'The tablet clock was wrong.',
    madeAt: null,
    rejectedAt: '2026-11-30T09:00:00.000Z',
  });
  await saveDraft(db, enrolmentDraftId(programme.id, 'again'), filledEnrolmentForm({ email: '', phone: '' }));
  await saveDraft(
    db,
    enrolmentDraftId(programme.id),
    filledEnrolmentForm({ ...SOMEONE_ELSE, givenNames: 'Priya', familyName: 'Shah', goals: [] }),
  );
  return { siobhan: records, tom };
}

/** The erasure as the server sends it: her record and her enrolment, blanked. */
function erasurePage(siobhan: ReturnType<typeof enrolmentRecords>) {
  return pulledPage([
    pulled('learner', eraseRecord('learner', siobhan.learner), 40),
    pulled('enrolment', eraseRecord('enrolment', siobhan.enrolment), 41),
  ]);
}

describe('purging an erased learner at the pull that brings the erasure', () => {
  for (const sealed of [false, true]) {
    it(`leaves nothing of her on the tablet, ${sealed ? 'her changes sealed to the server' : 'her changes not sealed yet'}`, async () => {
      const server = sealed ? await generateServerSealingKeyPair() : null;
      if (server) await rememberServerSealingKey(db, { keyId: server.keyId, publicKey: server.publicKey });
      const { siobhan, tom } = await tabletWithSiobhan();
      const before = await everythingOpened(server);
      // The test can fail: her data is there, opened, before the pull.
      expect(personalIn(before)).toEqual(PERSONAL_TEXTS);
      const mutationIdsBefore = (await outboxBatches(db)).flatMap((batch) =>
        batch.changes.map((change) => [change.mutationId, change.entityType, change.entityId]),
      );

      await applyPulledPage(db, erasurePage(siobhan));

      const after = await everythingOpened(server);
      expect(personalIn(after), 'still on the tablet, opened').toEqual([]);
      expect(personalIn(await everythingRaw()), 'still readable as stored').toEqual([]);
      // Tom is untouched.
      expect(after).toContain('Byrne');
      expect(after).toContain('Email my sister');
      expect((await getLearner(db, tom.learner.id))?.phone).toBe('07700 900333');

      // Every change still waits under its own id (the server expects them all), none naming her data.
      const batches = await outboxBatches(db);
      expect(
        batches.flatMap((batch) =>
          batch.changes.map((change) => [change.mutationId, change.entityType, change.entityId]),
        ),
      ).toEqual(mutationIdsBefore);
      // Her mark, which is not personal, still waits as it was made.
      const mark = batches
        .flatMap((batch) => batch.changes)
        .find((change) => change.entityType === 'attendance' && change.entityId.length > 0)!;
      expect(fieldNamesOf(mark)).toContain('mark');

      // Her record is the erased one; she is found by no search; refused changes and her draft are gone.
      expect(await getLearner(db, siobhan.learner.id)).toMatchObject({
        status: 'erased',
        givenNames: 'Erased',
        phone: '',
      });
      expect(await searchLearners(db, 'Siobhan')).toEqual([]);
      expect(await listRejectedChanges(db)).toEqual([]);
      expect((await listDrafts(db)).map((draft) => draft.id)).toEqual([enrolmentDraftId(programme.id)]);
      // Her other records stay, blanked: her goals are words no more, her employment a tombstone-to-be.
      const goals = await db.learningGoals.where('learnerId').equals(siobhan.learner.id).toArray();
      expect(await openStoredRows(db, 'learningGoal', goals)).toEqual(
        siobhan.learningGoals.map(() => expect.objectContaining({ text: '(erased)' })),
      );
    });
  }

  it('purges once: a page that brings her again changes nothing, and other pages cost nothing', async () => {
    const { siobhan } = await tabletWithSiobhan();
    await applyPulledPage(db, erasurePage(siobhan));
    const once = await everythingOpened(null);
    await applyPulledPage(db, erasurePage(siobhan));
    expect(await everythingOpened(null)).toBe(once);
    expect(erasedLearnerIdsIn([pulled('learner', siobhan.learner, 1)])).toEqual([]);
    expect(erasedLearnerIdsIn(erasurePage(siobhan).records)).toEqual([siobhan.learner.id]);
    // A learner this tablet never held: nothing to do, no error.
    await purgeErasedLearners(db, ['7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d']);
  });
});

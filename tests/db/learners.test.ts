import { fieldNamesOf } from '../../src/domain/changeLog';
import { emailMatchKey, openStoredRows, phoneMatchKey } from '../../src/db/sealedRows';
import { requireDataKeys } from '../../src/db/vault';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordChange } from '../../src/domain/changeLog';
import { attendanceId, equalityId, newId } from '../../src/domain/ids';
import type { Learner, Programme, Session } from '../../src/domain/records';
import { attendanceForSession } from '../../src/db/attendance';
import type { OutreachDatabase } from '../../src/db/database';
import { enrolmentDraftId, listDrafts, loadDraft, saveDraft } from '../../src/db/drafts';
import {
  enrolLearner,
  enrolmentsOfLearner,
  findPossibleDuplicates,
  getLearner,
  learnersOnProgramme,
  saveNewLearners,
  searchLearners,
} from '../../src/db/learners';
import { outboxBatches } from '../../src/db/outbox';
import { getProgramme, saveProgramme } from '../../src/db/programmes';
import { getSession, saveSession } from '../../src/db/sessions';
import { writeChanges } from '../../src/db/writes';
import {
  discardTestDatabase,
  enrolmentRecords,
  filledEnrolmentForm,
  openTestDatabase,
  programmeFields,
  readWriter,
  sessionFields,
} from '../fixtures/db';
import { makeEnrolment, makeLearner } from '../fixtures/records';

let db: OutreachDatabase;

beforeEach(() => {
  db = openTestDatabase();
});

afterEach(async () => {
  await discardTestDatabase(db);
});

const summarise = (changes: RecordChange[]) => changes.map((change) => [change.entityType, change.entityId]);

async function newProgramme(title = 'Getting started with a tablet'): Promise<Programme> {
  const id = await saveProgramme(db, programmeFields({ title }));
  return (await getProgramme(db, id))!;
}

describe('enrolLearner', () => {
  it('writes every record of the form in one outbox batch and discards the draft in the same transaction', async () => {
    const programme = await newProgramme();
    const draftId = enrolmentDraftId(programme.id);
    await saveDraft(db, draftId, filledEnrolmentForm());
    await saveDraft(db, 'enrolment:another-programme', filledEnrolmentForm({ givenNames: 'Other' }));
    const records = enrolmentRecords(programme);
    const learnerId = records.learner.id;
    expect(records.equalityMonitoring).not.toBeNull();
    expect(records.learningGoals).toHaveLength(2);

    await enrolLearner(db, records, { draftId });

    expect(await getLearner(db, learnerId)).toEqual(records.learner);
    expect(await enrolmentsOfLearner(db, learnerId)).toEqual([records.enrolment]);
    const statuses = await db.employmentStatuses.where('learnerId').equals(learnerId).toArray();
    expect(statuses[0]).not.toHaveProperty('benefits');
    expect(await openStoredRows(db, 'employmentStatus', statuses)).toEqual([records.employmentStatus]);
    const storedEquality = (await db.equalityMonitoring.get(equalityId(learnerId)))!;
    expect(storedEquality).not.toHaveProperty('ethnicity');
    expect(await openStoredRows(db, 'equalityMonitoring', [storedEquality])).toEqual([
      records.equalityMonitoring,
    ]);
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(await db.consents.where('learnerId').equals(learnerId).toArray())).toEqual(
      byId(records.consents),
    );
    const goals = await db.learningGoals.where('learnerId').equals(learnerId).toArray();
    expect(byId(await openStoredRows(db, 'learningGoal', goals))).toEqual(byId(records.learningGoals));
    expect(await db.attendance.count()).toBe(0);

    const batches = await outboxBatches(db);
    expect(batches).toHaveLength(2); // the programme's, then the enrolment's
    const enrolmentBatch = batches[1]!;
    expect(summarise(enrolmentBatch.changes)).toEqual([
      ['learner', learnerId],
      ['enrolment', records.enrolment.id],
      ['employmentStatus', records.employmentStatus.id],
      ['equalityMonitoring', equalityId(learnerId)],
      ...records.consents.map((consent) => ['consent', consent.id]),
      ...records.learningGoals.map((goal) => ['learningGoal', goal.id]),
    ]);
    expect(enrolmentBatch.changes).toHaveLength(10);
    expect([enrolmentBatch.firstMutationId, enrolmentBatch.lastMutationId]).toEqual([2, 11]);
    expect(enrolmentBatch.changes.map((change) => change.mutationId)).toEqual([
      2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    // New records log every field; the learner's local search keys are never logged.
    expect(enrolmentBatch.changes[0]?.fields).toEqual(records.learner);
    expect(enrolmentBatch.changes[1]?.fields).toEqual(records.enrolment);

    expect(await loadDraft(db, draftId)).toBeUndefined();
    expect((await listDrafts(db)).map((draft) => draft.id)).toEqual(['enrolment:another-programme']);
  });

  it('stores the learner with search words and match keys', async () => {
    const records = enrolmentRecords(await newProgramme());

    await enrolLearner(db, records);

    const row = await db.learners.get(records.learner.id);
    expect([...(row?.searchTokens ?? [])].sort()).toEqual([
      '1960-03-27',
      'l203nj',
      'oneill',
      'shiv',
      'siobhan',
    ]);
    // Keyed hashes, not the email and phone themselves.
    const keys = await requireDataKeys(db);
    expect(row?.emailKey).toBe(await emailMatchKey(keys, 'Siobhan.ONeill@example.com'));
    expect(row?.phoneKey).toBe(await phoneMatchKey(keys, '07700 900982'));
    expect(JSON.stringify(row)).not.toMatch(/siobhan\.oneill|900982/i);
  });

  it('writes no equality record when none of those questions was answered', async () => {
    const records = enrolmentRecords(await newProgramme(), {
      answersEthnicity: false,
      ethnicity: '',
      sex: '',
    });
    expect(records.equalityMonitoring).toBeNull();

    await enrolLearner(db, records);

    expect(await db.equalityMonitoring.count()).toBe(0);
    const [, batch] = await outboxBatches(db);
    expect(batch?.changes.map((change) => change.entityType)).not.toContain('equalityMonitoring');
    expect(batch?.changes).toHaveLength(9);
  });

  it('marks a walk-in present with the derived attendance id, in the same batch', async () => {
    const programme = await newProgramme();
    const sessionId = await saveSession(
      db,
      sessionFields({
        programmeId: programme.id,
        scheduledStart: '2026-11-30T10:00:00.000Z',
        scheduledEnd: '2026-11-30T12:00:00.000Z',
      }),
    );
    const session = (await getSession(db, sessionId)) as Session;
    const records = enrolmentRecords(programme, {}, { now: '2026-11-30T10:05:00.000Z' });
    const markId = attendanceId(session.id, records.learner.id);

    await enrolLearner(db, records, { walkIn: { session, markedBy: 'Ann Tutor' } });

    expect(await attendanceForSession(db, session.id)).toEqual([
      {
        id: markId,
        createdAt: '2026-11-30T10:05:00.000Z',
        updatedAt: '2026-11-30T10:05:00.000Z',
        deviceId: records.learner.deviceId,
        deleted: false,
        sessionId: session.id,
        learnerId: records.learner.id,
        mark: 'P',
        absenceReason: null,
        minutesAttended: 120,
        markedBy: 'Ann Tutor',
        markedAt: '2026-11-30T10:05:00.000Z',
        markedLate: false,
      },
    ]);
    const batches = await outboxBatches(db);
    expect(batches).toHaveLength(3); // programme, session, enrolment with its mark
    const last = batches[2]!;
    expect(last.changes.at(-1)).toMatchObject({ entityType: 'attendance', entityId: markId, op: 'put' });
  });

  it('changes nothing, and keeps the draft, when one of its writes fails', async () => {
    const programme = await newProgramme();
    const draftId = enrolmentDraftId(programme.id);
    await saveDraft(db, draftId, filledEnrolmentForm());
    const records = enrolmentRecords(programme);
    const brokenGoal = { ...records.learningGoals[0]!, id: undefined as unknown as string };
    const before = { outbox: await db.outbox.toArray(), writer: await readWriter(db) };

    await expect(
      enrolLearner(db, { ...records, learningGoals: [brokenGoal] }, { draftId }),
    ).rejects.toThrow();

    expect(await db.learners.count()).toBe(0);
    expect(await db.enrolments.count()).toBe(0);
    expect(await db.consents.count()).toBe(0);
    expect(await db.employmentStatuses.count()).toBe(0);
    expect({ outbox: await db.outbox.toArray(), writer: await readWriter(db) }).toEqual(before);
    expect((await loadDraft(db, draftId))?.values).toEqual(filledEnrolmentForm());
  });

  it('keeps an existing learner’s id and createdAt when they enrol on another programme', async () => {
    const first = await newProgramme('Getting started with a tablet');
    const second = await newProgramme('Staying safe online');
    const firstRecords = enrolmentRecords(first, {}, { now: '2026-11-30T10:00:00.000Z' });
    await enrolLearner(db, firstRecords);
    const learnerId = firstRecords.learner.id;

    const secondRecords = enrolmentRecords(
      second,
      { phone: '07700 900123', startDate: { day: '11', month: '1', year: '2027' } },
      { now: '2027-01-11T10:00:00.000Z', learnerId },
    );
    await enrolLearner(db, secondRecords);

    expect(await db.learners.count()).toBe(1);
    expect(await getLearner(db, learnerId)).toEqual({
      ...firstRecords.learner,
      phone: '07700 900123',
      updatedAt: '2027-01-11T10:00:00.000Z',
    });
    expect((await db.learners.get(learnerId))?.phoneKey).toBe(
      await phoneMatchKey(await requireDataKeys(db), '07700900123'),
    );
    const learnerChange = (await outboxBatches(db)).at(-1)?.changes[0];
    expect(learnerChange).toMatchObject({ entityType: 'learner', entityId: learnerId });
    expect(learnerChange?.fields).toEqual({ phone: '07700 900123', updatedAt: '2027-01-11T10:00:00.000Z' });
    expect((await enrolmentsOfLearner(db, learnerId)).map((enrolment) => enrolment.programmeId)).toEqual([
      first.id,
      second.id,
    ]);
  });
});

describe('searching and matching learners', () => {
  const ids = {
    siobhan: newId(),
    siobhanSmith: newId(),
    peter: newId(),
    merged: newId(),
    deleted: newId(),
    erased: newId(),
    lewis: newId(),
    amir: newId(),
  };

  function learner(id: string, overrides: Partial<Learner>): Learner {
    return makeLearner({
      id,
      preferredName: '',
      email: '',
      phone: '',
      ...overrides,
    });
  }

  beforeEach(async () => {
    await saveNewLearners(db, [
      learner(ids.siobhan, {
        givenNames: 'Siobhán',
        familyName: "O'Neill",
        preferredName: 'Shiv',
        dateOfBirth: '1960-03-27',
        postcode: 'L203NJ',
        email: 'siobhan@example.com',
        phone: '07700 900982',
      }),
      learner(ids.siobhanSmith, {
        givenNames: 'Siobhan',
        familyName: 'Smith',
        dateOfBirth: '1982-11-02',
        postcode: 'L303AB',
      }),
      learner(ids.peter, {
        givenNames: 'Peter',
        familyName: "O'Neill",
        dateOfBirth: '1960-03-27',
        postcode: 'CH415AA',
      }),
      learner(ids.merged, {
        givenNames: 'Siobhan',
        familyName: "O'Neill",
        dateOfBirth: '1960-03-27',
        postcode: 'L203NJ',
        email: 'siobhan@example.com',
        phone: '07700900982',
        mergedInto: ids.siobhan,
      }),
      learner(ids.deleted, {
        givenNames: 'Siobhan',
        familyName: 'Oakes',
        dateOfBirth: '1960-03-27',
        postcode: 'L201AA',
        email: 'siobhan@example.com',
        deleted: true,
      }),
      learner(ids.erased, {
        givenNames: 'Siobhan',
        familyName: 'Ogden',
        dateOfBirth: '1960-03-27',
        status: 'erased',
      }),
      learner(ids.lewis, {
        givenNames: 'Lewis',
        familyName: 'Evans',
        dateOfBirth: '1990-01-15',
        postcode: 'L201XY',
      }),
      learner(ids.amir, {
        givenNames: 'Amir',
        familyName: 'Khan',
        dateOfBirth: '1971-07-04',
        postcode: 'LE11AA',
      }),
    ]);
  });

  const idsOf = (learners: { id: string }[]) => learners.map((found) => found.id);

  it('saveNewLearners logs the learners in one batch', async () => {
    const [batch] = await outboxBatches(db);
    expect(batch?.changes).toHaveLength(8);
    expect(batch?.changes.every((change) => !fieldNamesOf(change).includes('searchTokens'))).toBe(true);
  });

  it('finds by the start of a name word, ignoring case and accents', async () => {
    expect(idsOf(await searchLearners(db, 'siob'))).toEqual([ids.siobhan, ids.siobhanSmith]);
    expect(idsOf(await searchLearners(db, 'SIOBHÁN'))).toEqual([ids.siobhan, ids.siobhanSmith]);
    expect(idsOf(await searchLearners(db, '  Siobhan '))).toEqual([ids.siobhan, ids.siobhanSmith]);
    // Same family name: then by given names.
    expect(idsOf(await searchLearners(db, 'oneil'))).toEqual([ids.peter, ids.siobhan]);
    expect(idsOf(await searchLearners(db, "o'neill"))).toEqual([ids.peter, ids.siobhan]);
    expect(idsOf(await searchLearners(db, 'shiv'))).toEqual([ids.siobhan]);
    expect(await searchLearners(db, 'hobhan')).toEqual([]);
  });

  it('finds by two words, in either order', async () => {
    expect(idsOf(await searchLearners(db, "siob o'n"))).toEqual([ids.siobhan]);
    expect(idsOf(await searchLearners(db, "O'Neill Siobhán"))).toEqual([ids.siobhan]);
    expect(idsOf(await searchLearners(db, 'siobhan sm'))).toEqual([ids.siobhanSmith]);
    expect(await searchLearners(db, 'peter smith')).toEqual([]);
  });

  it('finds by a postcode or its start, with any case and spacing', async () => {
    expect(idsOf(await searchLearners(db, 'l20'))).toEqual([ids.lewis, ids.siobhan]);
    expect(idsOf(await searchLearners(db, 'L20 3NJ'))).toEqual([ids.siobhan]);
    expect(idsOf(await searchLearners(db, 'l203nj'))).toEqual([ids.siobhan]);
    expect(idsOf(await searchLearners(db, 'CH41 5AA'))).toEqual([ids.peter]);
    expect(await searchLearners(db, 'M1 1AA')).toEqual([]);
  });

  it('finds by a typed date of birth', async () => {
    expect(idsOf(await searchLearners(db, '27/3/1960'))).toEqual([ids.peter, ids.siobhan]);
    expect(idsOf(await searchLearners(db, '27-03-1960'))).toEqual([ids.peter, ids.siobhan]);
    expect(idsOf(await searchLearners(db, '1960-03-27'))).toEqual([ids.peter, ids.siobhan]);
    expect(await searchLearners(db, '28/3/1960')).toEqual([]);
  });

  it('leaves out merged, deleted and erased learners', async () => {
    const all = idsOf(await searchLearners(db, ''));
    expect(all).toHaveLength(5);
    expect(all).not.toContain(ids.merged);
    expect(all).not.toContain(ids.deleted);
    expect(all).not.toContain(ids.erased);
    expect(idsOf(await searchLearners(db, 'siobhan'))).toEqual([ids.siobhan, ids.siobhanSmith]);
    expect(idsOf(await searchLearners(db, 'oakes'))).toEqual([]);
    expect(idsOf(await searchLearners(db, 'l20 1aa'))).toEqual([]);
  });

  it('returns learners without their local search keys', async () => {
    const [found] = await searchLearners(db, 'shiv');
    expect(found).not.toHaveProperty('searchTokens');
    expect(found).not.toHaveProperty('emailKey');
    expect(found).not.toHaveProperty('phoneKey');
    expect(found).toEqual(await getLearner(db, ids.siobhan));
  });

  it('matches a name search against names only, not postcode letters', async () => {
    // A tutor in Leicester typing "Le" for Lewis should not get everyone with an LE postcode.
    expect(idsOf(await searchLearners(db, 'le'))).toEqual([ids.lewis]);
  });

  const blank = { givenNames: 'Nobody', familyName: 'Else', dateOfBirth: '2000-01-01', email: '', phone: '' };

  it('findPossibleDuplicates matches the same name and date of birth, folded', async () => {
    const matches = await findPossibleDuplicates(db, {
      ...blank,
      givenNames: 'SIOBHAN',
      familyName: 'oneill',
      dateOfBirth: '1960-03-27',
    });
    expect(matches).toEqual([
      { learner: await getLearner(db, ids.siobhan), reasons: ['name-and-date-of-birth'] },
    ]);
  });

  it('findPossibleDuplicates matches an email in any case', async () => {
    const matches = await findPossibleDuplicates(db, { ...blank, email: ' SIOBHAN@Example.COM ' });
    expect(matches.map((match) => [match.learner.id, match.reasons])).toEqual([[ids.siobhan, ['email']]]);
  });

  it('findPossibleDuplicates matches a phone written with +44 or 0', async () => {
    const international = await findPossibleDuplicates(db, { ...blank, phone: '+44 7700 900982' });
    expect(international.map((match) => [match.learner.id, match.reasons])).toEqual([
      [ids.siobhan, ['phone']],
    ]);
    const spaced = await findPossibleDuplicates(db, { ...blank, phone: '077009 00982' });
    expect(spaced.map((match) => match.learner.id)).toEqual([ids.siobhan]);
  });

  it('findPossibleDuplicates gives every reason once per learner, and nothing for a stranger', async () => {
    const matches = await findPossibleDuplicates(db, {
      givenNames: 'Siobhán',
      familyName: "O'Neill",
      dateOfBirth: '1960-03-27',
      email: 'siobhan@example.com',
      phone: '07700 900982',
    });
    expect(matches.map((match) => [match.learner.id, [...match.reasons].sort()])).toEqual([
      [ids.siobhan, ['email', 'name-and-date-of-birth', 'phone']],
    ]);
    expect(await findPossibleDuplicates(db, blank)).toEqual([]);
  });

  it('findPossibleDuplicates leaves out the learner being edited', async () => {
    const siobhan = (await getLearner(db, ids.siobhan))!;
    expect((await findPossibleDuplicates(db, siobhan)).map((match) => match.learner.id)).toEqual([
      ids.siobhan,
    ]);
    expect(await findPossibleDuplicates(db, siobhan, ids.siobhan)).toEqual([]);
  });
});

describe('learnersOnProgramme', () => {
  it('lists the learners enrolled on a programme by family name, without deleted enrolments or merged learners', async () => {
    const programmeId = newId();
    const otherProgrammeId = newId();
    const [zara, adam, beth, merged, withdrawnRecord, elsewhere] = [
      newId(),
      newId(),
      newId(),
      newId(),
      newId(),
      newId(),
    ];
    await saveNewLearners(db, [
      makeLearner({ id: zara, givenNames: 'Zara', familyName: 'Young' }),
      makeLearner({ id: adam, givenNames: 'Adam', familyName: 'Byrne' }),
      makeLearner({ id: beth, givenNames: 'Beth', familyName: 'Byrne' }),
      makeLearner({ id: merged, givenNames: 'Adam', familyName: 'Byrne', mergedInto: adam }),
      makeLearner({ id: withdrawnRecord, givenNames: 'Carl', familyName: 'Allen' }),
      makeLearner({ id: elsewhere, givenNames: 'Dina', familyName: 'Allen' }),
    ]);
    const enrolment = (learnerId: string, overrides = {}) =>
      makeEnrolment({ id: newId(), learnerId, programmeId, ...overrides });
    await writeChanges(db, ['enrolments'], (writer) =>
      writer.putNew('enrolment', [
        enrolment(zara),
        enrolment(beth),
        enrolment(adam),
        enrolment(adam), // enrolled twice: listed once
        enrolment(merged),
        enrolment(withdrawnRecord, { deleted: true }),
        enrolment(elsewhere, { programmeId: otherProgrammeId }),
      ]),
    );

    const names = (await learnersOnProgramme(db, programmeId)).map(
      (found) => `${found.givenNames} ${found.familyName}`,
    );
    expect(names).toEqual(['Adam Byrne', 'Beth Byrne', 'Zara Young']);
    expect((await learnersOnProgramme(db, otherProgrammeId)).map((found) => found.id)).toEqual([elsewhere]);
    expect(await learnersOnProgramme(db, newId())).toEqual([]);
  });
});

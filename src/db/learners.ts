// Learners and their enrolments: enrolling writes every record of the form in one transaction.
import { type EqualityAnswered, equalityAnsweredOf } from '../domain/access';
export type { EqualityAnswered } from '../domain/access';
import { attendanceId } from '../domain/ids';
import { changedFields } from '../domain/changeLog';
import type { EnrolmentRecords } from '../domain/forms/enrolmentForm';
import type { LearnerDetails } from '../domain/forms/learnerDetailsForm';
import { defaultMinutesFor, isMarkedLate, sessionMinutes } from '../domain/attendance';
import {
  type DuplicateReason,
  duplicateReasons,
  foldName,
  isChangeableLearner,
  parseLearnerQuery,
} from '../domain/people';
import type { Attendance, Consent, Enrolment, Learner, Session } from '../domain/records';
import { type LearnerRow, type OutreachDatabase, learnerFromRow } from './database';
import { StoreError } from './errors';
import { emailMatchKey, openStoredRows, phoneMatchKey } from './sealedRows';
import { requireDataKeys } from './vault';
import { writeChanges } from './writes';

export type WalkIn = { session: Session; markedBy: string };

/** A row rewritten on re-enrolment keeps the time it was first made. */
function keepCreatedAt<T extends { createdAt: string }>(
  record: T,
  before: { createdAt: string } | undefined,
): T {
  return before ? { ...record, createdAt: before.createdAt } : record;
}

/**
 * Saves an enrolment: learner, enrolment, employment status, equality answers, consents and goals,
 * and (for a walk-in) a present mark, all in one transaction that also discards the form's draft.
 */
export async function enrolLearner(
  db: OutreachDatabase,
  records: EnrolmentRecords,
  options: { draftId?: string; walkIn?: WalkIn } = {},
): Promise<void> {
  await writeChanges(
    db,
    [
      'learners',
      'enrolments',
      'employmentStatuses',
      'equalityMonitoring',
      'consents',
      'learningGoals',
      'attendance',
      'drafts',
    ],
    async (writer) => {
      const existingLearner = await db.learners.get(records.learner.id);
      if (existingLearner) {
        // An existing learner enrolling again: their details are refreshed, their id kept.
        await writer.put(
          'learner',
          { ...records.learner, createdAt: existingLearner.createdAt },
          learnerFromRow(existingLearner),
        );
      } else {
        await writer.put('learner', records.learner);
      }
      await writer.put('enrolment', records.enrolment);
      await writer.put('employmentStatus', records.employmentStatus);
      if (records.equalityMonitoring) {
        const before = await db.equalityMonitoring.get(records.equalityMonitoring.id);
        await writer.put('equalityMonitoring', keepCreatedAt(records.equalityMonitoring, before), before);
      }
      for (const consent of records.consents) {
        const before = await db.consents.get(consent.id);
        await writer.put('consent', keepCreatedAt(consent, before), before);
      }
      if (records.learningGoals.length > 0) await writer.putNew('learningGoal', records.learningGoals);
      if (options.walkIn) {
        const { session, markedBy } = options.walkIn;
        const at = records.enrolment.enrolledAt;
        const mark: Attendance = {
          id: attendanceId(session.id, records.learner.id),
          createdAt: at,
          updatedAt: at,
          deviceId: records.learner.deviceId,
          deleted: false,
          sessionId: session.id,
          learnerId: records.learner.id,
          mark: 'P',
          absenceReason: null,
          minutesAttended: defaultMinutesFor('P', sessionMinutes(session)),
          markedBy,
          markedAt: at,
          markedLate: isMarkedLate(session.scheduledEnd, at),
        };
        await writer.put('attendance', mark, await db.attendance.get(mark.id));
      }
      if (options.draftId) writer.deleteDraft(options.draftId);
    },
  );
}

/** Bulk-saves learners in one transaction (imports and back-fills). */
export async function saveNewLearners(db: OutreachDatabase, learners: Learner[]): Promise<void> {
  await writeChanges(db, ['learners'], (writer) => writer.putNew('learner', learners));
}

/**
 * Saves a tutor's changes to a learner's contact details and needs, in one transaction with its outbox
 * batch. Only the fields given that differ from the device's copy are logged, so a device that changed
 * the phone and one that changed the town, each offline, both keep their change when they sync. Says
 * 'unchanged' (and writes nothing) when every field given already has that value.
 */
export async function updateLearnerDetails(
  db: OutreachDatabase,
  learnerId: string,
  changes: Partial<LearnerDetails>,
): Promise<'saved' | 'unchanged'> {
  // Compared opened (the details are sealed at rest), before the write's own read.
  const current = await getLearner(db, learnerId);
  if (current && Object.keys(changedFields<Record<string, unknown>>(current, { ...changes })).length === 0) {
    return 'unchanged';
  }
  return writeChanges(db, ['learners'], async (writer) => {
    const row = await db.learners.get(learnerId);
    if (!row || row.deleted) {
      throw new StoreError(
        'not-found',
        'This learner is no longer on this device, so the change was not saved.',
      );
    }
    const before = learnerFromRow(row);
    // The changed fields are laid over the stored row; the write opens it to find what changed.
    await writer.put('learner', { ...before, ...changes, updatedAt: new Date().toISOString() }, before);
    return 'saved' as const;
  });
}

/** Learners from their rows, opened (contact details are sealed at rest). */
function openLearners(db: OutreachDatabase, rows: readonly LearnerRow[]): Promise<Learner[]> {
  return openStoredRows(db, 'learner', rows.map(learnerFromRow));
}

export async function getLearner(db: OutreachDatabase, id: string): Promise<Learner | undefined> {
  const row = await db.learners.get(id);
  return row ? (await openLearners(db, [row]))[0] : undefined;
}

const SEARCH_LIMIT = 100;

function visible(learner: Learner): boolean {
  return !learner.deleted && learner.mergedInto === null && learner.status !== 'erased';
}

function byName(a: Learner, b: Learner): number {
  return a.familyName.localeCompare(b.familyName) || a.givenNames.localeCompare(b.givenNames);
}

/** Finds learners by name (word starts), postcode (or its start) or date of birth. */
export async function searchLearners(db: OutreachDatabase, text: string): Promise<Learner[]> {
  const query = parseLearnerQuery(text);
  let rows;
  switch (query.kind) {
    case 'empty':
      rows = await db.learners
        .orderBy('familyName')
        .limit(SEARCH_LIMIT * 2)
        .toArray();
      break;
    case 'date-of-birth':
      rows = await db.learners.where('dateOfBirth').equals(query.value).toArray();
      break;
    case 'postcode':
      rows = await db.learners
        .where('searchTokens')
        .startsWith(query.value)
        .limit(SEARCH_LIMIT * 2)
        .toArray();
      break;
    case 'name': {
      // The index also holds postcodes and dates of birth, so candidates are checked against names only.
      const candidates = await db.learners
        .where('searchTokens')
        .startsWith(query.words[0] ?? '')
        .toArray();
      rows = candidates.filter((row) => {
        const names = foldName(`${row.givenNames} ${row.familyName} ${row.preferredName}`).split(' ');
        return query.words.every((word) => names.some((name) => name.startsWith(word)));
      });
      break;
    }
  }
  const unique = new Map(rows.map((row) => [row.id, learnerFromRow(row)]));
  const found = [...unique.values()].filter(visible).sort(byName).slice(0, SEARCH_LIMIT);
  return openStoredRows(db, 'learner', found);
}

export type DuplicateMatch = { learner: Learner; reasons: DuplicateReason[] };

/** Learners who may be the same person: same name and date of birth, or same email or phone. */
export async function findPossibleDuplicates(
  db: OutreachDatabase,
  candidate: Pick<Learner, 'givenNames' | 'familyName' | 'dateOfBirth' | 'email' | 'phone'>,
  excludeLearnerId?: string,
): Promise<DuplicateMatch[]> {
  // Email and phone are found through keyed hashes: the rows hold no readable copy to search.
  const keys = await requireDataKeys(db);
  const [emailKey, phoneKey] = await Promise.all([
    emailMatchKey(keys, candidate.email),
    phoneMatchKey(keys, candidate.phone),
  ]);
  const [sameBirthday, sameEmail, samePhone] = await Promise.all([
    db.learners.where('dateOfBirth').equals(candidate.dateOfBirth).toArray(),
    emailKey ? db.learners.where('emailKey').equals(emailKey).toArray() : Promise.resolve([]),
    phoneKey ? db.learners.where('phoneKey').equals(phoneKey).toArray() : Promise.resolve([]),
  ]);
  const matches = new Map<string, DuplicateMatch>();
  for (const learner of await openLearners(db, [...sameBirthday, ...sameEmail, ...samePhone])) {
    if (learner.id === excludeLearnerId || !visible(learner) || matches.has(learner.id)) continue;
    const reasons = duplicateReasons(candidate, learner);
    if (reasons.length > 0) matches.set(learner.id, { learner, reasons });
  }
  return [...matches.values()];
}

export async function enrolmentsOfLearner(db: OutreachDatabase, learnerId: string): Promise<Enrolment[]> {
  const enrolments = await db.enrolments.where('learnerId').equals(learnerId).sortBy('enrolledAt');
  return openStoredRows(
    db,
    'enrolment',
    enrolments.filter((enrolment) => !enrolment.deleted),
  );
}

/** Everyone enrolled on a programme, withdrawn learners too (a register can mark them W), by family name. */
export async function learnersOnProgramme(db: OutreachDatabase, programmeId: string): Promise<Learner[]> {
  const enrolments = await db.enrolments.where('programmeId').equals(programmeId).toArray();
  const learnerIds = [...new Set(enrolments.filter((e) => !e.deleted).map((e) => e.learnerId))];
  const rows = await db.learners.bulkGet(learnerIds);
  const learners = rows
    .filter((row) => row !== undefined)
    .map(learnerFromRow)
    .filter(visible)
    .sort(byName);
  return openStoredRows(db, 'learner', learners);
}

/** Which equality questions a learner answered: never the answers, which only some roles may see. */
export async function equalityAnsweredFor(
  db: OutreachDatabase,
  learnerId: string,
): Promise<EqualityAnswered> {
  const rows = await db.equalityMonitoring.where('learnerId').equals(learnerId).toArray();
  const row = rows.find((candidate) => !candidate.deleted);
  if (!row) return { ethnicity: false, sex: false, health: false };
  // A device whose user may not see the answers holds only which were answered (see domain/access).
  const [opened] = await openStoredRows(db, 'equalityMonitoring', [row]);
  return equalityAnsweredOf(opened!);
}

/** A learner's consent rows, one per purpose. */
export async function consentsOfLearner(db: OutreachDatabase, learnerId: string): Promise<Consent[]> {
  const consents = await db.consents.where('learnerId').equals(learnerId).toArray();
  return consents.filter((consent) => !consent.deleted);
}

/**
 * Refuses (StoreError) a new record for a learner this device does not hold, or one erased or joined
 * into another record: it would land on a record no list shows. Call it inside a write's plan, with
 * `learners` among the write's tables.
 */
export async function requireChangeableLearner(db: OutreachDatabase, learnerId: string): Promise<void> {
  const row = await db.learners.get(learnerId);
  if (!row) throw new StoreError('not-found', 'This learner is not on this device, so nothing was saved.');
  if (!isChangeableLearner(row)) {
    throw new StoreError(
      'refused',
      row.mergedInto
        ? 'This record was joined with another one: add this to the record that is kept.'
        : 'This learner’s record is closed, so nothing can be added to it.',
    );
  }
}

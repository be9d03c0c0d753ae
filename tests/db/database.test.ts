// Upgrading a device's store: a database written by schema version 1 (the first offline release), or
// by version 3 (synced, someone signed in), is opened by the current app, and every record and
// change-log entry must still be there, unchanged. A database written by any shipped version ends with
// the same stores and indexes as a new one (the app declares only the versions with upgrade functions).
import { sealLegacyRows } from '../../src/db/sealLegacy';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANGE_LOG_ENTRY_VERSION, type OutboxBatch, type RecordChange } from '../../src/domain/changeLog';
import { CONSENT_STATEMENTS_V1, PRIVACY_NOTICE_V1 } from '../../src/domain/documents';
import { clockNodeFromDeviceId, formatHlc, type HlcState } from '../../src/domain/hlc';
import { attendanceId, consentId, equalityId, newId } from '../../src/domain/ids';
import { RECORD_SCHEMAS, type EntityType, type Learner } from '../../src/domain/records';
import {
  CURRENT_SCHEMA_VERSION,
  type Draft,
  type MetaRow,
  OutreachDatabase,
  SCHEMA_V1,
  SCHEMA_V2,
  SCHEMA_V3,
  SCHEMA_V4,
  SCHEMA_V5,
  SCHEMA_V6,
  type SyncStateRow,
  type WriterState,
  learnerRowFrom,
} from '../../src/db/database';
import { readDeviceLockState } from '../../src/db/deviceLock';
import { getLockAfterMinutes, getTutorName } from '../../src/db/settings';
import { findPossibleDuplicates, searchLearners } from '../../src/db/learners';
import { outboxBatches, summariseOutbox } from '../../src/db/outbox';
import { saveVenue } from '../../src/db/venues';
import { filledEnrolmentForm, readWriter, venueFields } from '../fixtures/db';
import {
  makeAttendance,
  makeConsent,
  makeEmploymentStatus,
  makeEnrolment,
  makeEqualityMonitoring,
  makeLearner,
  makeLearningGoal,
  makeProgramme,
  makeSession,
  makeVenue,
} from '../fixtures/records';

/** Version 1's stores exactly as shipped; the app's SCHEMA_V1 must never drift from it. */
const SHIPPED_SCHEMA_V1 = {
  venues: 'id, name',
  programmes: 'id, title, status',
  sessions: 'id, date, scheduledStart, programmeId, venueId',
  learners: 'id, familyName, dateOfBirth, postcode',
  enrolments: 'id, learnerId, programmeId, [programmeId+learnerId]',
  attendance: 'id, sessionId, learnerId',
  equalityMonitoring: 'id, learnerId',
  employmentStatuses: 'id, learnerId',
  consents: 'id, learnerId',
  learningGoals: 'id, learnerId, enrolmentId',
  documentVersions: 'id, kind',
  outbox: 'firstMutationId',
  drafts: 'id',
  meta: 'key',
};
type TableName = keyof typeof SHIPPED_SCHEMA_V1;

// ---- What a version 1 device holds: a week of use on one tablet ----

const DEVICE = 'c0ffee00-1234-4abc-8def-0123456789ab';
const NODE = clockNodeFromDeviceId(DEVICE);
const on = (at: string) => ({ createdAt: at, updatedAt: at, deviceId: DEVICE });

const venueIds = [newId(), newId()] as const;
const programmeIds = [newId(), newId()] as const;
const sessionIds = [newId(), newId(), newId()] as const;
const learnerIds = { siobhan: newId(), dafydd: newId(), mergedCopy: newId() };
const enrolmentIds = [newId(), newId()] as const;

const venues = [
  makeVenue({ id: venueIds[0], ...on('2026-11-16T09:00:00.000Z') }),
  makeVenue({
    id: venueIds[1],
    ...on('2026-11-16T09:05:00.000Z'),
    name: 'Netherton Community Centre',
    address: 'Glovers Lane, Netherton',
    postcode: 'L305QR',
    accessibilityFeatures: ['step-free', 'parking'],
    publicWifi: false,
  }),
];

const programmes = [
  makeProgramme({ id: programmeIds[0], defaultVenueId: venueIds[0], ...on('2026-11-16T09:10:00.000Z') }),
  makeProgramme({
    id: programmeIds[1],
    defaultVenueId: null,
    ...on('2026-11-16T09:20:00.000Z'),
    title: 'Job search online',
    type: 'employability',
    level: 'entry',
    fundingStream: 'ukspf',
    capacity: null,
    startDate: null,
    endDate: null,
    status: 'draft',
  }),
];

const sessions = [
  makeSession({
    id: sessionIds[0],
    programmeId: programmeIds[0],
    venueId: venueIds[0],
    ...on('2026-11-16T09:30:00.000Z'),
  }),
  makeSession({
    id: sessionIds[1],
    programmeId: programmeIds[0],
    venueId: venueIds[0],
    ...on('2026-11-16T09:30:01.000Z'),
    date: '2026-12-07',
    scheduledStart: '2026-12-07T10:00:00.000Z',
    scheduledEnd: '2026-12-07T12:00:00.000Z',
  }),
  makeSession({
    id: sessionIds[2],
    programmeId: programmeIds[0],
    venueId: venueIds[1],
    createdAt: '2026-11-16T09:30:02.000Z',
    updatedAt: '2026-11-20T15:00:00.000Z',
    deviceId: DEVICE,
    date: '2026-11-23',
    scheduledStart: '2026-11-23T13:00:00.000Z',
    scheduledEnd: '2026-11-23T15:00:00.000Z',
    actualStart: '2026-11-23T13:10:00.000Z',
    actualEnd: '2026-11-23T15:00:00.000Z',
    status: 'delivered',
    tutorNames: ['Ann Tutor', 'Bob Tutor'],
  }),
];

/** Learners as version 1 stored them: no searchTokens, emailKey or phoneKey. */
const learners: Learner[] = [
  makeLearner({
    id: learnerIds.siobhan,
    ...on('2026-11-20T15:30:00.000Z'),
    email: 'Siobhan.ONeill@Example.com',
    phone: '+44 7700 900982',
  }),
  makeLearner({
    id: learnerIds.dafydd,
    ...on('2026-11-20T15:45:00.000Z'),
    givenNames: 'Dafydd',
    familyName: 'ap Rhys',
    preferredName: '',
    dateOfBirth: '1948-12-01',
    addressLines: [],
    town: '',
    postcode: '',
    postcodeUnknown: true,
    phone: '0151 496 0123',
    email: '',
    preferredLanguage: 'cy',
    needsInterpreter: true,
    adjustments: '',
  }),
  makeLearner({
    id: learnerIds.mergedCopy,
    ...on('2026-11-20T16:00:00.000Z'),
    givenNames: 'Siobhan',
    familyName: 'Oneill',
    preferredName: '',
    phone: '',
    email: '',
    mergedInto: learnerIds.siobhan,
  }),
];

/** The search keys version 2 must add, worked out by hand. */
const EXPECTED_KEYS: Record<string, { searchTokens: string[]; emailKey: string; phoneKey: string }> = {
  [learnerIds.siobhan]: {
    searchTokens: ['siobhan', 'oneill', 'shiv', 'l203nj', '1960-03-27'],
    emailKey: 'siobhan.oneill@example.com',
    phoneKey: '07700900982',
  },
  [learnerIds.dafydd]: {
    searchTokens: ['dafydd', 'ap', 'rhys', '1948-12-01'],
    emailKey: '',
    phoneKey: '01514960123',
  },
  [learnerIds.mergedCopy]: {
    searchTokens: ['siobhan', 'oneill', 'l203nj', '1960-03-27'],
    emailKey: '',
    phoneKey: '',
  },
};

const enrolments = [
  makeEnrolment({
    id: enrolmentIds[0],
    learnerId: learnerIds.siobhan,
    programmeId: programmeIds[0],
    ...on('2026-11-20T15:30:00.000Z'),
    enrolledAt: '2026-11-20T15:30:00.000Z',
    privacyNoticeVersionId: PRIVACY_NOTICE_V1.id,
  }),
  makeEnrolment({
    id: enrolmentIds[1],
    learnerId: learnerIds.dafydd,
    programmeId: programmeIds[0],
    ...on('2026-11-20T15:45:00.000Z'),
    enrolledAt: '2026-11-20T15:45:00.000Z',
    referralSource: null,
    priorAttainment: null,
    priorDigitalSkills: {},
    privacyNoticeVersionId: PRIVACY_NOTICE_V1.id,
  }),
];

const attendance = [
  makeAttendance({
    id: attendanceId(sessionIds[2], learnerIds.siobhan),
    sessionId: sessionIds[2],
    learnerId: learnerIds.siobhan,
    ...on('2026-11-23T13:15:00.000Z'),
    mark: 'P',
    minutesAttended: 110,
    markedAt: '2026-11-23T13:15:00.000Z',
  }),
  makeAttendance({
    id: attendanceId(sessionIds[2], learnerIds.dafydd),
    sessionId: sessionIds[2],
    learnerId: learnerIds.dafydd,
    ...on('2026-11-23T13:15:05.000Z'),
    mark: 'AA',
    absenceReason: 'medical-appointment',
    minutesAttended: 0,
    markedAt: '2026-11-23T13:15:05.000Z',
  }),
  makeAttendance({
    id: attendanceId(sessionIds[0], learnerIds.dafydd),
    sessionId: sessionIds[0],
    learnerId: learnerIds.dafydd,
    createdAt: '2026-11-23T13:16:00.000Z',
    updatedAt: '2026-11-23T13:17:00.000Z',
    deviceId: DEVICE,
    deleted: true, // marked on the wrong session, then cleared
    markedAt: '2026-11-23T13:16:00.000Z',
  }),
];

const equalityMonitoring = [
  makeEqualityMonitoring({
    id: equalityId(learnerIds.siobhan),
    learnerId: learnerIds.siobhan,
    ...on('2026-11-20T15:30:00.000Z'),
    ethnicityAnswerChosenAt: '2026-11-20T15:30:00.000Z',
    healthAnswerChosenAt: '2026-11-20T15:30:00.000Z',
  }),
];

const employmentStatuses = [
  makeEmploymentStatus({ id: newId(), learnerId: learnerIds.siobhan, ...on('2026-11-20T15:30:00.000Z') }),
  makeEmploymentStatus({
    id: newId(),
    learnerId: learnerIds.dafydd,
    ...on('2026-11-20T15:45:00.000Z'),
    status: '12',
    unemploymentLength: '36m-plus',
    benefits: [],
  }),
];

const consents = (['privacy-notice', 'contact-courses', 'contact-surveys', 'photos'] as const).map(
  (purpose) =>
    makeConsent({
      id: consentId(learnerIds.siobhan, purpose),
      learnerId: learnerIds.siobhan,
      ...on('2026-11-20T15:30:00.000Z'),
      purpose,
      granted: purpose !== 'photos',
      channels: purpose === 'contact-courses' || purpose === 'contact-surveys' ? ['email'] : [],
      lawfulBasis: purpose === 'privacy-notice' ? 'public-task' : 'consent',
      documentVersionId: purpose === 'privacy-notice' ? PRIVACY_NOTICE_V1.id : CONSENT_STATEMENTS_V1.id,
      capturedAt: '2026-11-20T15:30:00.000Z',
    }),
);

const learningGoals = [
  makeLearningGoal({
    id: newId(),
    learnerId: learnerIds.siobhan,
    enrolmentId: enrolmentIds[0],
    ...on('2026-11-20T15:30:00.000Z'),
  }),
  makeLearningGoal({
    id: newId(),
    learnerId: learnerIds.siobhan,
    enrolmentId: enrolmentIds[0],
    ...on('2026-11-20T15:30:00.000Z'),
    text: 'Apply for jobs online',
    category: 'employability',
    reviewedOn: '2026-11-23',
  }),
];

const documentVersions = [PRIVACY_NOTICE_V1, CONSENT_STATEMENTS_V1];

const clockAt = (at: string, counter = 0): HlcState => ({ millis: Date.parse(at), counter, node: NODE });

/** Batches still held: mutations 1 to 17 were acknowledged by the server and deleted. */
function batch(
  firstMutationId: number,
  at: string,
  counter: number,
  records: [EntityType, { id: string }, object?][],
): OutboxBatch {
  const changes: RecordChange[] = records.map(([entityType, record, fields], index) => ({
    mutationId: firstMutationId + index,
    entityType,
    entityId: record.id,
    op: 'put',
    fields: { ...(fields ?? record) },
  }));
  return {
    firstMutationId,
    lastMutationId: firstMutationId + changes.length - 1,
    hlc: formatHlc(clockAt(at, counter)),
    madeAt: at,
    changes,
    entryVersion: CHANGE_LOG_ENTRY_VERSION,
  };
}

const outbox: OutboxBatch[] = [
  batch(18, '2026-11-20T15:00:00.000Z', 0, [
    [
      'session',
      sessions[2]!,
      { actualStart: '2026-11-23T13:10:00.000Z', updatedAt: '2026-11-20T15:00:00.000Z' },
    ],
  ]),
  batch(19, '2026-11-20T15:30:00.000Z', 0, [
    ['learner', learners[0]!],
    ['enrolment', enrolments[0]!],
    ['employmentStatus', employmentStatuses[0]!],
    ['equalityMonitoring', equalityMonitoring[0]!],
    ...consents.map((consent): [EntityType, { id: string }] => ['consent', consent]),
    ...learningGoals.map((goal): [EntityType, { id: string }] => ['learningGoal', goal]),
  ]),
  batch(29, '2026-11-23T13:15:00.000Z', 0, [['attendance', attendance[0]!]]),
  batch(30, '2026-11-23T13:15:00.000Z', 1, [['attendance', attendance[1]!]]),
  batch(31, '2026-11-23T13:17:00.000Z', 0, [
    ['attendance', attendance[2]!, { deleted: true, updatedAt: '2026-11-23T13:17:00.000Z' }],
  ]),
];
const LAST_MUTATION_ID = 31;

const drafts: Draft[] = [
  {
    id: `enrolment:${programmeIds[0]}`,
    values: filledEnrolmentForm({ givenNames: 'Maria', familyName: '', email: '' }),
    savedAt: '2026-11-23T13:40:00.000Z',
  },
];

const writer: WriterState = {
  key: 'writer',
  deviceId: DEVICE,
  lastMutationId: LAST_MUTATION_ID,
  clock: clockAt('2026-11-23T13:17:00.000Z'),
};
const meta: MetaRow[] = [
  writer,
  { key: 'settings', tutorName: 'Ann Tutor' },
  { key: 'storage', persistRequestedAt: '2026-11-16T09:00:01.000Z', persisted: true },
];

const V1_ROWS: Record<TableName, object[]> = {
  venues,
  programmes,
  sessions,
  learners,
  enrolments,
  attendance,
  equalityMonitoring,
  employmentStatuses,
  consents,
  learningGoals,
  documentVersions,
  outbox,
  drafts,
  meta,
};

const SYNCED_TABLES: [TableName, EntityType][] = [
  ['venues', 'venue'],
  ['programmes', 'programme'],
  ['sessions', 'session'],
  ['learners', 'learner'],
  ['enrolments', 'enrolment'],
  ['attendance', 'attendance'],
  ['equalityMonitoring', 'equalityMonitoring'],
  ['employmentStatuses', 'employmentStatus'],
  ['consents', 'consent'],
  ['learningGoals', 'learningGoal'],
];

/** Rows in primary-key order, as IndexedDB returns them. */
function inKeyOrder(table: TableName, rows: object[]): object[] {
  const keyPath = SHIPPED_SCHEMA_V1[table].split(',')[0]!.trim();
  const keyOf = (row: object) => (row as Record<string, string | number>)[keyPath]!;
  return [...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

/** A learner row with its tokens sorted, so the comparison does not depend on their order. */
function withSortedTokens(row: object): object {
  const tokens = (row as { searchTokens?: string[] }).searchTokens;
  return tokens ? { ...row, searchTokens: [...tokens].sort() } : row;
}

async function writeVersion1Database(name: string): Promise<void> {
  const legacy = new Dexie(name);
  legacy.version(1).stores(SHIPPED_SCHEMA_V1);
  await legacy.open();
  await legacy.transaction('rw', legacy.tables, async () => {
    for (const [table, rows] of Object.entries(V1_ROWS)) await legacy.table(table).bulkAdd(rows);
  });
  expect(legacy.verno).toBe(1);
  legacy.close();
}

const opened: Dexie[] = [];
let databaseName = '';

afterEach(async () => {
  for (const db of opened.splice(0)) db.close();
  await Dexie.delete(databaseName);
});

async function upgradedDatabase(): Promise<OutreachDatabase> {
  databaseName = `test-${crypto.randomUUID()}`;
  await writeVersion1Database(databaseName);
  const db = new OutreachDatabase(databaseName);
  opened.push(db);
  await db.open();
  return db;
}

/** Tables version 6 added for the learner journey. */
const JOURNEY_TABLES = ['skillsAssessments', 'passportAwards', 'outcomes', 'loanDevices', 'sims', 'loans'];

describe('upgrading a database written by schema version 1', () => {
  it('starts from the version 1 stores as shipped, and realistic records', () => {
    expect(SCHEMA_V1).toEqual(SHIPPED_SCHEMA_V1);
    for (const [table, entityType] of SYNCED_TABLES) {
      for (const row of V1_ROWS[table])
        expect(RECORD_SCHEMAS[entityType].safeParse(row).error).toBeUndefined();
    }
    for (const [previous, next] of outbox.slice(0, -1).map((entry, i) => [entry, outbox[i + 1]!] as const)) {
      expect(next.firstMutationId).toBe(previous.lastMutationId + 1);
      expect(next.hlc > previous.hlc).toBe(true);
    }
  });

  it('opens at the current version with every row of every table intact, learners with their new keys', async () => {
    const db = await upgradedDatabase();

    expect(db.verno).toBe(CURRENT_SCHEMA_VERSION);
    // Version 3 added the sync tables, version 4 the PINs, version 5 the sealing keys and version 6 the
    // learner journey's tables, all empty after the upgrade.
    const SYNC_TABLES = ['organisations', 'rejectedChanges', 'users'];
    const LOCK_TABLES = ['devicePins', 'sealingKeys'];
    const NEW_TABLES = [...SYNC_TABLES, ...LOCK_TABLES, ...JOURNEY_TABLES];
    expect(db.tables.map((table) => table.name).sort()).toEqual(
      [...Object.keys(SHIPPED_SCHEMA_V1), ...NEW_TABLES].sort(),
    );
    for (const table of NEW_TABLES) expect(await db.table(table).count()).toBe(0);
    for (const table of Object.keys(SHIPPED_SCHEMA_V1) as TableName[]) {
      const expected =
        table === 'learners'
          ? learners.map((learner) => ({ ...learner, ...EXPECTED_KEYS[learner.id] }))
          : V1_ROWS[table];
      const actual = await db.table(table).toArray();
      expect({ table, rows: actual.map(withSortedTokens) }).toEqual({
        table,
        rows: inKeyOrder(table, expected).map(withSortedTokens),
      });
    }
  });

  it('keeps the change log in order and counts it as pending', async () => {
    const db = await upgradedDatabase();

    expect(await outboxBatches(db)).toEqual(outbox);
    const pending = outbox.reduce((sum, entry) => sum + entry.changes.length, 0);
    expect(pending).toBe(LAST_MUTATION_ID - 18 + 1);
    expect(await summariseOutbox(db)).toEqual({
      pendingChanges: pending,
      oldestMadeAt: '2026-11-20T15:00:00.000Z',
      lastMutationId: LAST_MUTATION_ID,
    });
  });

  it('finds migrated learners through the new indexes', async () => {
    const db = await upgradedDatabase();
    const ids = (found: { id: string }[]) => found.map((learner) => learner.id);

    expect(ids(await searchLearners(db, 'siob'))).toEqual([learnerIds.siobhan]);
    expect(ids(await searchLearners(db, 'Siobhán O’Neill'))).toEqual([learnerIds.siobhan]);
    expect(ids(await searchLearners(db, 'L20 3NJ'))).toEqual([learnerIds.siobhan]);
    expect(ids(await searchLearners(db, 'l20'))).toEqual([learnerIds.siobhan]);
    expect(ids(await searchLearners(db, 'rhys'))).toEqual([learnerIds.dafydd]);
    expect(ids(await searchLearners(db, '1/12/1948'))).toEqual([learnerIds.dafydd]);
    expect(await db.learners.where('emailKey').equals('siobhan.oneill@example.com').primaryKeys()).toEqual([
      learnerIds.siobhan,
    ]);

    // Once the tab holds the data key, the old rows are sealed and their match keys become keyed hashes.
    expect(await sealLegacyRows(db)).toBeGreaterThanOrEqual(learners.length);
    const [siobhan] = await db.learners.where('id').equals(learnerIds.siobhan).toArray();
    expect(JSON.stringify(siobhan)).not.toMatch(/siobhan\.oneill@|900982/i);
    expect(await sealLegacyRows(db)).toBe(0);

    const byPhone = await findPossibleDuplicates(db, {
      givenNames: 'S',
      familyName: 'O',
      dateOfBirth: '2000-01-01',
      email: 'SIOBHAN.ONEILL@example.com',
      phone: '07700 900982',
    });
    expect(byPhone.map((match) => [match.learner.id, [...match.reasons].sort()])).toEqual([
      [learnerIds.siobhan, ['email', 'phone']],
    ]);
  });

  it('continues the mutation ids and the clock of the version 1 writer', async () => {
    const db = await upgradedDatabase();

    const venueId = await saveVenue(db, venueFields({ name: 'Crosby Library' }));

    const batches = await outboxBatches(db);
    expect(batches.slice(0, -1)).toEqual(outbox);
    const added = batches.at(-1)!;
    expect([added.firstMutationId, added.lastMutationId]).toEqual([
      LAST_MUTATION_ID + 1,
      LAST_MUTATION_ID + 1,
    ]);
    expect(added.changes).toMatchObject([
      { mutationId: LAST_MUTATION_ID + 1, entityType: 'venue', entityId: venueId },
    ]);
    expect(added.hlc > outbox.at(-1)!.hlc).toBe(true);
    expect(added.hlc.endsWith(`-${NODE}`)).toBe(true);
    expect((await db.venues.get(venueId))?.deviceId).toBe(DEVICE);
    expect(await readWriter(db)).toMatchObject({ deviceId: DEVICE, lastMutationId: LAST_MUTATION_ID + 1 });
    expect((await summariseOutbox(db)).pendingChanges).toBe(LAST_MUTATION_ID + 1 - 18 + 1);
  });

  it('stays intact when the upgraded database is opened again', async () => {
    const first = await upgradedDatabase();
    const learnerRows = await first.learners.toArray();
    first.close();

    const again = new OutreachDatabase(databaseName);
    opened.push(again);
    await again.open();

    expect(again.verno).toBe(CURRENT_SCHEMA_VERSION);
    expect(await again.learners.toArray()).toEqual(learnerRows);
    expect(await outboxBatches(again)).toEqual(outbox);
  });
});

// ---- What a version 3 device holds: the same week, synced, with a tutor signed in ----

/** Version 3's stores exactly as shipped (version 2's learner indexes, the sync tables). */
const SHIPPED_SCHEMA_V3 = {
  ...SHIPPED_SCHEMA_V1,
  learners: 'id, familyName, dateOfBirth, postcode, *searchTokens, emailKey, phoneKey',
  organisations: 'id',
  users: 'id',
  rejectedChanges: 'mutationId, rejectedAt',
};
type V3TableName = keyof typeof SHIPPED_SCHEMA_V3;

const SIGNED_IN: SyncStateRow = {
  key: 'sync',
  status: 'up-to-date',
  serverDeviceId: 'server-device-1',
  deviceOrganisationId: 'org-1',
  cursor: 42,
  scope: 'tutor:user-ann',
  erased: null,
  lastSuccessAt: '2026-11-23T13:20:00.000Z',
  lastFailure: null,
  user: {
    id: 'user-ann',
    name: 'Ann Tutor',
    email: 'ann@example.org',
    role: 'tutor',
    organisationId: 'org-1',
    organisationName: 'Sefton Digital Inclusion',
  },
};

const V3_ROWS: Record<V3TableName, object[]> = {
  ...V1_ROWS,
  learners: learners.map(learnerRowFrom),
  organisations: [{ id: 'org-1', name: 'Sefton Digital Inclusion' }],
  users: [{ id: 'user-ann', name: 'Ann Tutor', role: 'tutor', organisationId: 'org-1' }],
  rejectedChanges: [
    {
      mutationId: 12,
      entityType: 'venue',
      entityId: venueIds[1],
      op: 'put',
      fields: { name: 'Netherton Community Centre' },
      reason: 'outside-scope',
      message: 'Only a coordinator can change venues.',
      madeAt: '2026-11-16T09:05:00.000Z',
      rejectedAt: '2026-11-20T15:00:00.000Z',
    },
  ],
  meta: [...meta, SIGNED_IN],
};

async function version3Database(): Promise<OutreachDatabase> {
  databaseName = `test-${crypto.randomUUID()}`;
  const legacy = new Dexie(databaseName);
  legacy.version(3).stores(SHIPPED_SCHEMA_V3);
  await legacy.open();
  await legacy.transaction('rw', legacy.tables, async () => {
    for (const [table, rows] of Object.entries(V3_ROWS)) await legacy.table(table).bulkAdd(rows);
  });
  expect(legacy.verno).toBe(3);
  legacy.close();
  const db = new OutreachDatabase(databaseName);
  opened.push(db);
  await db.open();
  return db;
}

describe('upgrading a database written by schema version 3', () => {
  it('starts from the version 3 stores as shipped', () => {
    expect(SCHEMA_V3).toEqual(SHIPPED_SCHEMA_V3);
  });

  it('opens at the current version with every row intact, an empty PIN table and the signed-in tutor asked for a PIN', async () => {
    const db = await version3Database();

    expect(db.verno).toBe(CURRENT_SCHEMA_VERSION);
    expect(db.tables.map((table) => table.name).sort()).toEqual(
      [...Object.keys(SHIPPED_SCHEMA_V3), 'devicePins', 'sealingKeys', ...JOURNEY_TABLES].sort(),
    );
    for (const [table, rows] of Object.entries(V3_ROWS)) {
      const keyPath = SHIPPED_SCHEMA_V3[table as V3TableName].split(',')[0]!.trim();
      const keyOf = (row: object) => (row as Record<string, string | number>)[keyPath]!;
      const expected = [...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
      expect({ table, rows: await db.table(table).toArray() }).toEqual({ table, rows: expected });
    }
    expect(await db.devicePins.count()).toBe(0);

    // The settings row has no lock time yet: the default applies, and the name is kept.
    expect(await getLockAfterMinutes(db)).toBe(5);
    expect(await getTutorName(db)).toBe('Ann Tutor');
    // Still signed in, with no PIN on this device: the app asks her to choose one.
    expect(await readDeviceLockState(db)).toEqual({
      user: SIGNED_IN.user,
      pinSet: false,
      lockedOut: false,
      failedAttempts: 0,
    });
    expect(await outboxBatches(db)).toEqual(outbox);
  });
});

// ---- Every shipped version: the app declares only version 2 (its upgrade function) and the current
// one, so a device on any other version is upgraded from the stores it actually has ----

const SHIPPED_SCHEMAS = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5, SCHEMA_V6];

type StoreShape = {
  keyPath: string | string[] | null;
  indexes: { name: string; keyPath: string | string[]; multiEntry: boolean; unique: boolean }[];
};

/** The stores and indexes IndexedDB itself holds (not what Dexie was told), by store name. */
function installedStores(db: OutreachDatabase): Record<string, StoreShape> {
  const idb = db.backendDB();
  const names = [...idb.objectStoreNames];
  const transaction = idb.transaction(names, 'readonly');
  return Object.fromEntries(
    names.map((name) => {
      const store = transaction.objectStore(name);
      const indexes = [...store.indexNames].map((indexName) => {
        const index = store.index(indexName);
        return {
          name: indexName,
          keyPath: index.keyPath,
          multiEntry: index.multiEntry,
          unique: index.unique,
        };
      });
      return [name, { keyPath: store.keyPath, indexes }];
    }),
  );
}

describe('upgrading a database written by any shipped schema version', () => {
  it('declares one schema per shipped version, the last being the current one', () => {
    expect(SHIPPED_SCHEMAS).toHaveLength(CURRENT_SCHEMA_VERSION);
  });

  it.each(SHIPPED_SCHEMAS.map((schema, index) => [index + 1, schema] as const))(
    'from version %i: the same stores and indexes as a new database, and its rows kept',
    async (version, schema) => {
      databaseName = `test-${crypto.randomUUID()}`;
      const legacy = new Dexie(databaseName);
      legacy.version(version).stores(schema);
      await legacy.open();
      await legacy.table('venues').add(venues[0]);
      legacy.close();

      const upgraded = new OutreachDatabase(databaseName);
      opened.push(upgraded);
      await upgraded.open();
      const fresh = new OutreachDatabase(`test-${crypto.randomUUID()}`);
      opened.push(fresh);
      await fresh.open();
      try {
        expect(upgraded.verno).toBe(CURRENT_SCHEMA_VERSION);
        expect(installedStores(upgraded)).toEqual(installedStores(fresh));
        expect(await upgraded.venues.toArray()).toEqual([venues[0]]);
      } finally {
        fresh.close();
        await Dexie.delete(fresh.name);
      }
    },
  );
});

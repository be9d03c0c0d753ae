// Duplicate learners through the server, on PGlite and PostgreSQL: a coordinator's tablet and a
// tutor's each enrol the same person offline and push; the pair is listed; merging moves every record
// of the other learner to the one kept (a session marked on both keeps the kept learner's mark, the
// other's in the history), devices pull the result, and a late push for the merged learner is moved
// too. A merge across organisations is "not found" and changes nothing; a tutor may not merge.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeEach, expect, it } from 'vitest';
import { duplicatesAnswerSchema } from '../../src/domain/duplicates';
import { attendanceId, consentId, equalityId, passportAwardId } from '../../src/domain/ids';
import { learnerMergeAnswerSchema } from '../../src/domain/learnerMerge';
import type { PulledRecord, SyncedEntityType } from '../../src/domain/sync/protocol';
import {
  makeAttendance,
  makeConsent,
  makeEmploymentStatus,
  makeEnrolment,
  makeEqualityMonitoring,
  makeLearner,
  makeLearningGoal,
  makeLoan,
  makeLoanDevice,
  makeOutcome,
  makePassportAward,
  makeProgramme,
  makeSession,
  makeSkillsAssessment,
  makeVenue,
} from '../fixtures/records';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { SERVER_NOW } from '../helpers/syncFixtures';
import { type SyncAccount, outcomesOf, syncClient } from './syncClient';
import { addOrganisation, buildTestApp, inviteAndAccept, setUpOrganisation, withSession } from './testApp';

describeEachBackend('duplicate learners and merging', (context) => {
  let app: FastifyInstance;
  let tabletA: SyncAccount;
  let tabletB: SyncAccount;
  const client = syncClient(() => app);
  const { account, push } = client;

  const ids = {
    venue: randomUUID(),
    programme: randomUUID(),
    sessions: [randomUUID(), randomUUID(), randomUUID(), randomUUID()] as const,
    loanDevice: randomUUID(),
    /** Enrolled on the coordinator's tablet: the record kept. */
    kept: randomUUID(),
    /** The same person enrolled on the tutor's tablet: merged into the kept one. */
    other: randomUUID(),
    /** The other learner's records with made-up ids. */
    enrolment: randomUUID(),
    employmentStatus: randomUUID(),
    learningGoal: randomUUID(),
    skillsAssessment: randomUUID(),
    outcome: randomUUID(),
    loan: randomUUID(),
  };
  const [session1, session2, session3, session4] = ids.sessions;

  const grace = (id: string, overrides = {}) =>
    makeLearner({
      id,
      givenNames: 'Grace',
      familyName: 'Adeyemi',
      preferredName: '',
      dateOfBirth: '1958-04-12',
      postcode: 'L203NJ',
      ...overrides,
    });

  /** What the coordinator's tablet enrolled: the kept learner, marked at sessions 1 and 2. */
  const keptRecords = (): [SyncedEntityType, Record<string, unknown>][] => [
    ['learner', grace(ids.kept, { phone: '07700 900111' })],
    ['enrolment', makeEnrolment({ id: randomUUID(), learnerId: ids.kept, programmeId: ids.programme })],
    [
      'consent',
      makeConsent({ id: consentId(ids.kept, 'contact-courses'), learnerId: ids.kept, channels: ['email'] }),
    ],
    [
      'passportAward',
      makePassportAward({ id: passportAwardId(ids.kept, 'bronze', 1), learnerId: ids.kept, level: 'bronze' }),
    ],
    ['attendance', mark(session1, ids.kept, 'P')],
    ['attendance', mark(session2, ids.kept, 'P')],
  ];

  /** What the tutor's tablet enrolled: the same person again, with a record of every type. */
  const otherRecords = (): [SyncedEntityType, Record<string, unknown>][] => [
    ['learner', grace(ids.other, { familyName: 'ADEYEMI', phone: '07700 900222' })],
    ['enrolment', makeEnrolment({ id: ids.enrolment, learnerId: ids.other, programmeId: ids.programme })],
    ['employmentStatus', makeEmploymentStatus({ id: ids.employmentStatus, learnerId: ids.other })],
    ['equalityMonitoring', makeEqualityMonitoring({ id: equalityId(ids.other), learnerId: ids.other })],
    [
      'consent',
      makeConsent({ id: consentId(ids.other, 'contact-courses'), learnerId: ids.other, channels: ['phone'] }),
    ],
    [
      'consent',
      makeConsent({ id: consentId(ids.other, 'device-loan'), learnerId: ids.other, purpose: 'device-loan' }),
    ],
    ['learningGoal', makeLearningGoal({ id: ids.learningGoal, learnerId: ids.other })],
    ['skillsAssessment', makeSkillsAssessment({ id: ids.skillsAssessment, learnerId: ids.other })],
    [
      'passportAward',
      makePassportAward({
        id: passportAwardId(ids.other, 'silver', 1),
        learnerId: ids.other,
        level: 'silver',
      }),
    ],
    ['outcome', makeOutcome({ id: ids.outcome, learnerId: ids.other })],
    [
      'loan',
      makeLoan({
        id: ids.loan,
        learnerId: ids.other,
        loanDeviceId: ids.loanDevice,
        simId: null,
        venueId: ids.venue,
        agreementConsentId: consentId(ids.other, 'device-loan'),
      }),
    ],
    // Session 1 was marked on both tablets; session 3 only on this one.
    ['attendance', mark(session1, ids.other, 'L')],
    ['attendance', mark(session3, ids.other, 'P')],
  ];

  function mark(sessionId: string, learnerId: string, code: 'P' | 'L') {
    return makeAttendance({ id: attendanceId(sessionId, learnerId), sessionId, learnerId, mark: code });
  }

  const latest = (records: PulledRecord[]) => {
    const byKey = new Map<string, PulledRecord>();
    for (const record of records) byKey.set(`${record.entityType}/${record.entityId}`, record);
    return byKey;
  };

  const pullEverything = async (who: SyncAccount) =>
    latest((await client.pullAll(who, { limit: 200 })).records);

  const merge = (token: string, survivorId: string, otherLearnerId: string) =>
    app.inject({
      method: 'POST',
      url: `/api/learners/${survivorId}/merge`,
      payload: { otherLearnerId },
      ...withSession(token),
    });

  const listDuplicates = (token: string) =>
    app.inject({ method: 'GET', url: '/api/duplicates', ...withSession(token) });

  const changeSeq = async () =>
    Number(
      (
        await context
          .db()
          .transaction((sql) =>
            sql.query<{ change_seq: string }>('SELECT max(change_seq) AS change_seq FROM records'),
          )
      ).rows[0]?.change_seq,
    );

  beforeEach(async () => {
    await resetDatabase(context.db());
    app = await buildTestApp(context.db(), { now: () => SERVER_NOW });
    tabletA = await account(await setUpOrganisation(app), 'tablet-a');
    tabletB = await account(
      await inviteAndAccept(app, tabletA.token, { email: 'tutor@example.org', name: 'Tutor' }),
      'tablet-b',
    );
    const setUp = await push(tabletA, [
      ['venue', makeVenue({ id: ids.venue })],
      ['programme', makeProgramme({ id: ids.programme })],
      ...ids.sessions.map((id, index): [SyncedEntityType, Record<string, unknown>] => [
        'session',
        makeSession({
          id,
          programmeId: ids.programme,
          venueId: ids.venue,
          tutorIds: [tabletB.user.id],
          date: `2026-11-0${index + 2}`,
        }),
      ]),
      ['loanDevice', makeLoanDevice({ id: ids.loanDevice, venueId: ids.venue })],
    ]);
    expect(outcomesOf(setUp).every((outcome) => outcome === 'applied')).toBe(true);
    // Both tablets were offline: each enrolled the person, then pushed.
    expect(outcomesOf(await push(tabletA, keptRecords())).every((outcome) => outcome === 'applied')).toBe(
      true,
    );
    expect(outcomesOf(await push(tabletB, otherRecords())).every((outcome) => outcome === 'applied')).toBe(
      true,
    );
  });

  it('lists the pair with what the coordinator needs to decide, and no contact or equality data', async () => {
    const response = await listDuplicates(tabletA.token);
    expect(response.statusCode, response.body).toBe(200);
    const answer = duplicatesAnswerSchema.parse(response.json());
    expect(answer.truncated).toBe(false);
    expect(answer.pairs).toHaveLength(1);
    const [pair] = answer.pairs;
    expect(pair!.reasons.map((reason) => reason.text)).toEqual([
      'Same name and the same date of birth',
      'Same name and the same postcode',
    ]);
    const byId = new Map(pair!.learners.map((learner) => [learner.id, learner]));
    expect(byId.get(ids.kept)).toMatchObject({
      givenNames: 'Grace',
      familyName: 'Adeyemi',
      dateOfBirth: '1958-04-12',
      postcode: 'L203NJ',
      enrolmentCount: 1,
      sessionsAttended: 2,
      programmeTitles: [makeProgramme().title],
    });
    expect(byId.get(ids.other)).toMatchObject({
      familyName: 'ADEYEMI',
      enrolmentCount: 1,
      sessionsAttended: 2,
    });
    for (const hidden of ['phone', 'email', 'ethnicity', 'sex', 'lldd', '07700']) {
      expect(response.body).not.toContain(hidden);
    }
  });

  it('moves every record of the other learner to the one kept, and the other tablet pulls the result', async () => {
    const tutorBefore = await client.pullAll(tabletB, { limit: 200 });
    const response = await merge(tabletA.token, ids.kept, ids.other);
    expect(response.statusCode, response.body).toBe(200);
    expect(learnerMergeAnswerSchema.parse(response.json())).toEqual({
      survivorId: ids.kept,
      mergedId: ids.other,
      moved: {
        enrolment: 1,
        employmentStatus: 1,
        equalityMonitoring: 1,
        consent: 1,
        learningGoal: 1,
        skillsAssessment: 1,
        passportAward: 1,
        outcome: 1,
        loan: 1,
        attendance: 1,
      },
      superseded: { consent: 1, attendance: 1 },
    });

    const held = await pullEverything(tabletA);
    const live = (entityType: string, entityId: string) => {
      const record = held.get(`${entityType}/${entityId}`);
      expect(record?.deleted, `${entityType}/${entityId}`).toBe(false);
      return record!.data;
    };
    const tombstone = (entityType: string, entityId: string) =>
      expect(held.get(`${entityType}/${entityId}`)?.deleted, `${entityType}/${entityId}`).toBe(true);

    expect(live('learner', ids.other)).toMatchObject({ mergedInto: ids.kept, status: 'archived' });
    expect(live('learner', ids.kept)).toMatchObject({
      mergedInto: null,
      status: 'active',
      phone: '07700 900111',
    });
    // Made-up ids: the same record, now the kept learner's.
    for (const [entityType, id] of [
      ['enrolment', ids.enrolment],
      ['employmentStatus', ids.employmentStatus],
      ['learningGoal', ids.learningGoal],
      ['skillsAssessment', ids.skillsAssessment],
      ['outcome', ids.outcome],
      ['loan', ids.loan],
    ] as const) {
      expect(live(entityType, id)['learnerId'], entityType).toBe(ids.kept);
    }
    expect(live('loan', ids.loan)['agreementConsentId']).toBe(consentId(ids.kept, 'device-loan'));
    // Derived ids: written under the kept learner's id with the other's values, the other's a tombstone.
    expect(live('equalityMonitoring', equalityId(ids.kept))).toMatchObject({
      learnerId: ids.kept,
      ethnicity: makeEqualityMonitoring().ethnicity,
    });
    tombstone('equalityMonitoring', equalityId(ids.other));
    expect(live('consent', consentId(ids.kept, 'device-loan'))).toMatchObject({ learnerId: ids.kept });
    tombstone('consent', consentId(ids.other, 'device-loan'));
    expect(live('passportAward', passportAwardId(ids.kept, 'silver', 1))).toMatchObject({ level: 'silver' });
    expect(live('passportAward', passportAwardId(ids.kept, 'bronze', 1))).toMatchObject({ level: 'bronze' });
    tombstone('passportAward', passportAwardId(ids.other, 'silver', 1));
    // Both had a contact consent: the kept learner's stays as it was.
    expect(live('consent', consentId(ids.kept, 'contact-courses'))['channels']).toEqual(['email']);
    tombstone('consent', consentId(ids.other, 'contact-courses'));

    // One mark per session, all the kept learner's: session 1's is the kept learner's own (P).
    const marks = [...held.values()].filter(
      (record) => record.entityType === 'attendance' && !record.deleted,
    );
    expect(
      marks.map((record) => [record.data['sessionId'], record.data['learnerId'], record.data['mark']]).sort(),
    ).toEqual(
      [
        [session1, ids.kept, 'P'],
        [session2, ids.kept, 'P'],
        [session3, ids.kept, 'P'],
      ].sort(),
    );
    tombstone('attendance', attendanceId(session1, ids.other));
    tombstone('attendance', attendanceId(session3, ids.other));

    // The other learner's mark for session 1 is in the history, and the merge is recorded as the
    // coordinator's change with no device.
    const history = await context.db().transaction((sql) =>
      sql.query<{
        field: string;
        new_value: unknown;
        outcome: string;
        user_id: string | null;
        device_id: string | null;
      }>(
        `SELECT field, new_value, outcome, user_id, device_id FROM change_history
         WHERE entity_type = 'attendance' AND entity_id = $1 ORDER BY id`,
        [attendanceId(session1, ids.other)],
      ),
    );
    expect(history.rows[0]).toMatchObject({ field: '*', outcome: 'created', new_value: { mark: 'L' } });
    expect(history.rows).toContainEqual({
      field: 'deleted',
      new_value: true,
      outcome: 'applied',
      user_id: tabletA.user.id,
      device_id: null,
    });
    const merges = await context
      .db()
      .transaction((sql) =>
        sql.query<{ survivor_id: string; merged_id: string; merged_by: string }>(
          'SELECT survivor_id, merged_id, merged_by FROM learner_merges',
        ),
      );
    expect(merges.rows).toEqual([
      { survivor_id: ids.kept, merged_id: ids.other, merged_by: tabletA.user.id },
    ]);

    // The kept learner's history shows what moved to them.
    const keptHistory = await app.inject({
      method: 'GET',
      url: `/api/learners/${ids.kept}/history`,
      ...withSession(tabletA.token),
    });
    expect(keptHistory.statusCode).toBe(200);
    expect(
      keptHistory.json<{ changes: { entityId: string; field: string; oldValue: unknown }[] }>().changes,
    ).toContainEqual(
      expect.objectContaining({ entityId: ids.enrolment, field: 'learnerId', oldValue: ids.other }),
    );

    // The tutor's tablet pulls from where it was and sees the same.
    const tutorAfter = latest(
      (await client.pullAll(tabletB, { cursor: tutorBefore.cursor, limit: 200 })).records,
    );
    expect(tutorAfter.get(`learner/${ids.other}`)?.data).toMatchObject({ mergedInto: ids.kept });
    expect(tutorAfter.get(`enrolment/${ids.enrolment}`)?.data['learnerId']).toBe(ids.kept);
    expect(tutorAfter.get(`attendance/${attendanceId(session3, ids.kept)}`)?.data).toMatchObject({
      learnerId: ids.kept,
      mark: 'P',
    });
    expect(tutorAfter.get(`attendance/${attendanceId(session1, ids.other)}`)?.deleted).toBe(true);
    // Redacted for the tutor, as every equality record is.
    expect(tutorAfter.get(`equalityMonitoring/${equalityId(ids.kept)}`)?.data).not.toHaveProperty(
      'ethnicity',
    );

    // Nothing left to list.
    expect(duplicatesAnswerSchema.parse((await listDuplicates(tabletA.token)).json()).pairs).toEqual([]);
  });

  it('moves records a tablet pushes for the merged learner after the merge, once', async () => {
    expect((await merge(tabletA.token, ids.kept, ids.other)).statusCode).toBe(200);
    const cursor = (await client.pullAll(tabletA, { limit: 200 })).cursor;
    // The tutor's tablet has not pulled since: it marks the merged learner at sessions 2 (the kept
    // learner has a mark there) and 4 (none), and sets a goal.
    const lateGoal = randomUUID();
    const late = await push(tabletB, [
      ['attendance', mark(session2, ids.other, 'L')],
      ['attendance', mark(session4, ids.other, 'L')],
      [
        'learningGoal',
        makeLearningGoal({ id: lateGoal, learnerId: ids.other, text: 'Book a GP appointment online' }),
      ],
    ]);
    expect(outcomesOf(late)).toEqual(['applied', 'applied', 'applied']);

    const changed = latest((await client.pullAll(tabletA, { cursor, limit: 200 })).records);
    expect(changed.get(`learningGoal/${lateGoal}`)?.data['learnerId']).toBe(ids.kept);
    expect(changed.get(`attendance/${attendanceId(session2, ids.other)}`)?.deleted).toBe(true);
    expect(changed.get(`attendance/${attendanceId(session4, ids.other)}`)?.deleted).toBe(true);
    expect(changed.get(`attendance/${attendanceId(session4, ids.kept)}`)?.data).toMatchObject({
      learnerId: ids.kept,
      mark: 'L',
    });
    // The kept learner's own mark for session 2 stands.
    const all = await pullEverything(tabletA);
    expect(all.get(`attendance/${attendanceId(session2, ids.kept)}`)?.data['mark']).toBe('P');

    // Moved records are not moved again: a later edit of the goal changes only what it says.
    const seqBefore = await changeSeq();
    expect(
      outcomesOf(
        await push(tabletB, [
          [
            'learningGoal',
            {
              ...makeLearningGoal({ id: lateGoal, learnerId: ids.kept }),
              text: 'Order repeat prescriptions',
            },
          ],
        ]),
      ),
    ).toEqual(['applied']);
    expect(await changeSeq()).toBe(seqBefore + 1);
  });

  it('keeps a learner merged away in the scope of a tutor who sees the one kept, so their late marks move', async () => {
    // This time the tutor's record is kept: the coordinator's (which the tutor saw only through its
    // enrolment on their programme, now moved) is merged into it.
    expect((await merge(tabletA.token, ids.other, ids.kept)).statusCode).toBe(200);
    const lateGoal = randomUUID();
    const late = await push(tabletB, [
      ['learningGoal', makeLearningGoal({ id: lateGoal, learnerId: ids.kept, text: 'Use the library app' })],
    ]);
    expect(outcomesOf(late)).toEqual(['applied']);
    const held = await pullEverything(tabletA);
    expect(held.get(`learningGoal/${lateGoal}`)?.data['learnerId']).toBe(ids.other);
  });

  it('carries a consent withdrawal a tablet recorded offline on the merged record to the one kept', async () => {
    expect((await merge(tabletA.token, ids.kept, ids.other)).statusCode).toBe(200);
    // After both records' consent was captured (10:00), before the merge.
    const withdrawnAt = '2026-11-23T11:00:00.000Z';
    const late = await push(tabletB, [
      [
        'consent',
        makeConsent({
          id: consentId(ids.other, 'contact-courses'),
          learnerId: ids.other,
          channels: ['phone'],
          withdrawnAt,
        }),
      ],
    ]);
    expect(outcomesOf(late)).toEqual(['applied']);
    const held = await pullEverything(tabletA);
    const kept = held.get(`consent/${consentId(ids.kept, 'contact-courses')}`);
    expect(kept?.deleted).toBe(false);
    expect(kept?.data).toMatchObject({ learnerId: ids.kept, withdrawnAt });
  });

  it('moves nothing onto a kept learner erased since the merge', async () => {
    expect((await merge(tabletA.token, ids.kept, ids.other)).statusCode).toBe(200);
    expect(outcomesOf(await push(tabletA, [['learner', grace(ids.kept, { status: 'erased' })]]))).toEqual([
      'applied',
    ]);
    const lateGoal = randomUUID();
    expect(
      outcomesOf(
        await push(tabletB, [['learningGoal', makeLearningGoal({ id: lateGoal, learnerId: ids.other })]]),
      ),
    ).toEqual(['applied']);
    const held = await pullEverything(tabletA);
    expect(held.get(`learningGoal/${lateGoal}`)?.data['learnerId']).toBe(ids.other);
  });

  it('refuses to merge a learner already merged (409), either way round', async () => {
    expect((await merge(tabletA.token, ids.kept, ids.other)).statusCode).toBe(200);
    const seq = await changeSeq();
    for (const [survivor, other] of [
      [ids.kept, ids.other],
      [ids.other, ids.kept],
    ] as const) {
      const response = await merge(tabletA.token, survivor, other);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: { reason: 'already-merged' } });
    }
    expect(await changeSeq()).toBe(seq);
  });

  it('refuses a tutor (403), a learner merged into itself (400) and a body without the other learner (400)', async () => {
    expect((await listDuplicates(tabletB.token)).json()).toMatchObject({
      error: { reason: 'coordinator-only' },
    });
    const byTutor = await merge(tabletB.token, ids.kept, ids.other);
    expect(byTutor.statusCode).toBe(403);
    expect(byTutor.json()).toMatchObject({ error: { reason: 'coordinator-only' } });
    const itself = await merge(tabletA.token, ids.kept, ids.kept);
    expect([itself.statusCode, itself.json().error.reason]).toEqual([400, 'same-learner']);
    const noBody = await app.inject({
      method: 'POST',
      url: `/api/learners/${ids.kept}/merge`,
      payload: { otherLearnerId: 'not-an-id' },
      ...withSession(tabletA.token),
    });
    expect([noBody.statusCode, noBody.json().error.reason]).toEqual([400, 'invalid-request']);
    const unknown = await merge(tabletA.token, ids.kept, randomUUID());
    expect([unknown.statusCode, unknown.json().error.reason]).toEqual([404, 'learner-not-found']);
  });

  it('cannot merge records of two organisations: not found, and nothing changes', async () => {
    const elsewhere = await addOrganisation(app, context.db(), {
      organisationName: 'Wirral Digital',
      name: 'Other Coordinator',
      email: 'coordinator@wirral.example',
    });
    const theirTablet = await account(elsewhere, 'wirral-tablet');
    const theirLearner = randomUUID();
    expect(outcomesOf(await push(theirTablet, [['learner', grace(theirLearner)]]))).toEqual(['applied']);
    const seq = await changeSeq();

    for (const [token, survivor, other] of [
      // Their coordinator, our learners.
      [elsewhere.token, ids.kept, ids.other],
      // Their coordinator, their learner kept, ours merged in.
      [elsewhere.token, theirLearner, ids.other],
      // Our coordinator, our learner kept, theirs merged in.
      [tabletA.token, ids.kept, theirLearner],
    ] as const) {
      const response = await merge(token, survivor, other);
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json()).toEqual({
        error: {
          reason: 'learner-not-found',
          message: 'There is no such learner in your organisation.',
          details: {},
        },
      });
    }
    expect(await changeSeq()).toBe(seq);
    const held = await pullEverything(tabletA);
    expect(held.get(`learner/${ids.other}`)?.data['mergedInto']).toBeNull();
    // Their list holds only their own learners: no pair across organisations.
    expect(duplicatesAnswerSchema.parse((await listDuplicates(elsewhere.token)).json()).pairs).toEqual([]);
  });

  it('stops listing a pair the coordinator says are two people', async () => {
    const dismiss = (token: string, learnerIds: string[]) =>
      app.inject({
        method: 'POST',
        url: '/api/duplicates/dismissals',
        payload: { learnerIds },
        ...withSession(token),
      });
    expect((await dismiss(tabletA.token, [ids.other, ids.kept])).statusCode).toBe(204);
    // Saying it twice is fine.
    expect((await dismiss(tabletA.token, [ids.kept, ids.other])).statusCode).toBe(204);
    expect(duplicatesAnswerSchema.parse((await listDuplicates(tabletA.token)).json()).pairs).toEqual([]);
    expect((await dismiss(tabletA.token, [ids.kept, randomUUID()])).statusCode).toBe(404);
    expect((await dismiss(tabletA.token, [ids.kept, ids.kept])).statusCode).toBe(400);
    expect((await dismiss(tabletB.token, [ids.kept, ids.other])).statusCode).toBe(403);
  });
});

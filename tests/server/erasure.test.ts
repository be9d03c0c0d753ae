// Erasure on request through the server, on PGlite and PostgreSQL (docs/sync-protocol.md, "Data
// protection"): a learner with a record of every type, changed and refused along the way, is erased
// by a coordinator. Nothing of their personal data is left in `records` or in `change_history`; the
// tutor's tablet pulls the blanked records; the dashboard still counts them, anonymously, on both
// sides alike; and a tablet that was offline cannot bring anything back by pushing later.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import { ERASED_DATE_OF_BIRTH, erasureAnswerSchema } from '../../src/domain/erasure';
import { attendanceId, consentId, equalityId, passportAwardId } from '../../src/domain/ids';
import { type EntityType, RECORD_SCHEMAS } from '../../src/domain/records';
import { computeDashboard, type DashboardFigures } from '../../src/domain/reports/dashboard';
import {
  type Mutation,
  type PulledRecord,
  type PushResponse,
  type SyncedEntityType,
} from '../../src/domain/sync/protocol';
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
import { HEALTHY, SERVER_NOW, putMutation, stampAt } from '../helpers/syncFixtures';
import { type SyncAccount, outcomesOf, syncClient } from './syncClient';
import { addOrganisation, buildTestApp, inviteAndAccept, setUpOrganisation, withSession } from './testApp';

/** Everything personal about the learner below: none of it may be found anywhere after erasure. */
const PERSONAL_TEXTS = [
  'Grace',
  'Adeyemi',
  'Gracie',
  '1958-04-12',
  '7 Marsh Lane',
  'Netherton',
  'L305QP',
  '07700 900111',
  '07700 900999',
  'grace.adeyemi@example.org',
  'Needs large print',
  'Kofi Adeyemi',
  '07700 900555',
  'Video call my grandchildren',
  'Joined the library Wi-Fi after two tries',
  'Part-time at the garden centre',
  'Charger was frayed',
  'Broke her wrist',
];

describeEachBackend('erasure on request', (context) => {
  let app: FastifyInstance;
  let coordinator: SyncAccount;
  let tutor: SyncAccount;
  const client = syncClient(() => app);
  const { account, push } = client;

  const ids = {
    venue: randomUUID(),
    programme: randomUUID(),
    sessions: [randomUUID(), randomUUID()] as const,
    loanDevice: randomUUID(),
    learner: randomUUID(),
    /** Someone else on the same course: nothing of theirs changes. */
    neighbour: randomUUID(),
    enrolment: randomUUID(),
    employmentStatus: randomUUID(),
    learningGoal: randomUUID(),
    skillsAssessment: randomUUID(),
    outcome: randomUUID(),
    loan: randomUUID(),
    deletedGoal: randomUUID(),
  };
  const [session1, session2] = ids.sessions;

  const grace = () =>
    makeLearner({
      id: ids.learner,
      givenNames: 'Grace',
      familyName: 'Adeyemi',
      preferredName: 'Gracie',
      dateOfBirth: '1958-04-12',
      addressLines: ['7 Marsh Lane'],
      town: 'Netherton',
      postcode: 'L305QP',
      phone: '07700 900111',
      email: 'grace.adeyemi@example.org',
      preferredLanguage: 'yo',
      needsInterpreter: true,
      adjustments: 'Needs large print',
      emergencyContactName: 'Kofi Adeyemi',
      emergencyContactPhone: '07700 900555',
    });

  const graceRecords = (): [SyncedEntityType, Record<string, unknown>][] => [
    ['learner', grace()],
    [
      'enrolment',
      makeEnrolment({
        id: ids.enrolment,
        learnerId: ids.learner,
        programmeId: ids.programme,
        startDate: '2026-09-07',
        referralSource: 'gp-social-prescriber',
      }),
    ],
    ['employmentStatus', makeEmploymentStatus({ id: ids.employmentStatus, learnerId: ids.learner })],
    [
      'equalityMonitoring',
      makeEqualityMonitoring({ id: equalityId(ids.learner), learnerId: ids.learner, ethnicity: '44' }),
    ],
    [
      'consent',
      makeConsent({ id: consentId(ids.learner, 'contact-courses'), learnerId: ids.learner, language: 'yo' }),
    ],
    [
      'consent',
      makeConsent({
        id: consentId(ids.learner, 'device-loan'),
        learnerId: ids.learner,
        purpose: 'device-loan',
      }),
    ],
    [
      'learningGoal',
      makeLearningGoal({ id: ids.learningGoal, learnerId: ids.learner, enrolmentId: ids.enrolment }),
    ],
    [
      'skillsAssessment',
      makeSkillsAssessment({
        id: ids.skillsAssessment,
        learnerId: ids.learner,
        enrolmentId: ids.enrolment,
        evidence: 'Joined the library Wi-Fi after two tries',
      }),
    ],
    [
      'passportAward',
      makePassportAward({ id: passportAwardId(ids.learner, 'bronze', 1), learnerId: ids.learner }),
    ],
    [
      'outcome',
      makeOutcome({
        id: ids.outcome,
        learnerId: ids.learner,
        enrolmentId: ids.enrolment,
        collectedOn: '2026-11-02',
        startDate: '2026-11-01',
      }),
    ],
    [
      'loan',
      makeLoan({
        id: ids.loan,
        learnerId: ids.learner,
        loanDeviceId: ids.loanDevice,
        simId: null,
        venueId: ids.venue,
        agreementConsentId: consentId(ids.learner, 'device-loan'),
        notes: 'Charger was frayed',
      }),
    ],
    ['attendance', mark(session1, ids.learner, 'P')],
    ['attendance', { ...mark(session2, ids.learner, 'AA'), absenceReason: 'illness' }],
    // A goal set and deleted again: its tombstone still held her words.
    ['learningGoal', makeLearningGoal({ id: ids.deletedGoal, learnerId: ids.learner, enrolmentId: null })],
  ];

  function mark(sessionId: string, learnerId: string, code: 'P' | 'AA') {
    return makeAttendance({
      id: attendanceId(sessionId, learnerId),
      sessionId,
      learnerId,
      mark: code,
      minutesAttended: code === 'P' ? 120 : 0,
    });
  }

  /** Pushes plain changes stamped after the erasure (minutes after the server's now, within the drift allowed). */
  let lateCounter = 0;
  async function pushLate(
    who: SyncAccount,
    changes: [SyncedEntityType, string, Record<string, unknown>][],
  ): Promise<PushResponse['results']> {
    const mutations: Mutation[] = changes.map(([entityType, entityId, fields]) =>
      putMutation(
        who.nextMutation++,
        entityType,
        entityId,
        fields,
        stampAt(2, 'bbbbbbbbbbbbbbbb', lateCounter++),
      ),
    );
    const response = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      payload: { mutations, health: HEALTHY },
      headers: client.headers(who),
      ...withSession(who.token),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<PushResponse>().results;
  }

  const erase = (token: string, learnerId: string, confirmation: unknown = 'ERASE') =>
    app.inject({
      method: 'POST',
      url: `/api/learners/${learnerId}/erase`,
      payload: { confirmation },
      ...withSession(token),
    });

  const query = <T>(text: string, params: unknown[] = []) =>
    context.db().transaction(async (sql) => (await sql.query<T>(text, params)).rows);

  /** Every records row of the learner (and of records naming them), as stored. */
  const learnerRows = () =>
    query<{ entity_type: string; entity_id: string; data: Record<string, unknown>; deleted: boolean }>(
      `SELECT entity_type, entity_id, data, deleted FROM records
       WHERE entity_id = $1 OR data->>'learnerId' = $2`,
      [ids.learner, ids.learner],
    );

  const expectNoPersonalText = (where: string, text: string) => {
    for (const personal of PERSONAL_TEXTS)
      expect(text, `${where} holds "${personal}"`).not.toContain(personal);
  };

  const dashboard = async (token: string) => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/reports/dashboard?from=2026-09-01&to=2026-12-31',
      ...withSession(token),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<DashboardFigures>();
  };

  const latest = (records: PulledRecord[]) => {
    const byKey = new Map<string, PulledRecord>();
    for (const record of records) byKey.set(`${record.entityType}/${record.entityId}`, record);
    return [...byKey.values()];
  };

  beforeEach(async () => {
    await resetDatabase(context.db());
    app = await buildTestApp(context.db(), { now: () => SERVER_NOW });
    coordinator = await account(await setUpOrganisation(app), 'tablet-coordinator');
    tutor = await account(
      await inviteAndAccept(app, coordinator.token, { email: 'tutor@example.org', name: 'Ann Tutor' }),
      'tablet-tutor',
    );
    const setUp = await push(coordinator, [
      ['venue', makeVenue({ id: ids.venue })],
      ['programme', makeProgramme({ id: ids.programme })],
      ...ids.sessions.map((id, index): [SyncedEntityType, Record<string, unknown>] => [
        'session',
        makeSession({
          id,
          programmeId: ids.programme,
          venueId: ids.venue,
          tutorIds: [tutor.user.id],
          date: `2026-10-0${index + 5}`,
          status: 'delivered',
        }),
      ]),
      ['loanDevice', makeLoanDevice({ id: ids.loanDevice, venueId: ids.venue })],
    ]);
    expect(outcomesOf(setUp).every((outcome) => outcome === 'applied')).toBe(true);
    const enrolled = await push(tutor, [
      ...graceRecords(),
      [
        'learner',
        makeLearner({ id: ids.neighbour, givenNames: 'Tom', familyName: 'Byrne', dateOfBirth: '1990-01-02' }),
      ],
      [
        'enrolment',
        makeEnrolment({
          id: randomUUID(),
          learnerId: ids.neighbour,
          programmeId: ids.programme,
          startDate: '2026-09-07',
        }),
      ],
      ['attendance', mark(session1, ids.neighbour, 'P')],
    ]);
    expect(
      outcomesOf(enrolled).every((outcome) => outcome === 'applied'),
      JSON.stringify(enrolled),
    ).toBe(true);
    // Her phone changed (the old number is in the history now), the enrolment was withdrawn with a
    // reason, a goal deleted, and an outcome refused as a new record (kept in the history only).
    const changed = await push(tutor, [
      ['learner', { ...grace(), phone: '07700 900999' }],
      [
        'enrolment',
        {
          ...graceRecords()[1]![1],
          completionStatus: '3',
          actualEndDate: '2026-12-01',
          withdrawalReason: '3',
        },
      ],
      ['learningGoal', { ...graceRecords().at(-1)![1], deleted: true }],
      [
        'outcome',
        {
          ...makeOutcome({ id: randomUUID(), learnerId: ids.learner }),
          notes: 'Broke her wrist',
          collectedOn: 'x',
        },
      ],
    ]);
    expect(outcomesOf(changed)).toEqual(['applied', 'applied', 'applied', 'invalid-record']);
  });

  it('leaves no personal field in the records, their history or what a tablet pulls', async () => {
    const before = await dashboard(coordinator.token);
    const response = await erase(coordinator.token, ids.learner);
    expect(response.statusCode, response.body).toBe(200);
    const answer = erasureAnswerSchema.parse(response.json());
    expect(answer).toMatchObject({
      learnerId: ids.learner,
      erasedAt: new Date(SERVER_NOW).toISOString(),
      records: {
        learner: 1,
        enrolment: 1,
        employmentStatus: 1,
        equalityMonitoring: 1,
        consent: 2,
        learningGoal: 2,
        skillsAssessment: 1,
        passportAward: 1,
        outcome: 1,
        loan: 1,
        attendance: 2,
      },
    });
    expect(answer.historyRowsPurged).toBeGreaterThan(10);

    // The records: every one still there, its personal fields blanked.
    const rows = await learnerRows();
    expect(rows).toHaveLength(14);
    expectNoPersonalText('records', JSON.stringify(rows));
    const byType = (type: string) => rows.filter((row) => row.entity_type === type);
    expect(byType('learner')[0]!.data).toMatchObject({
      givenNames: 'Erased',
      familyName: 'learner',
      preferredName: '',
      dateOfBirth: ERASED_DATE_OF_BIRTH,
      addressLines: [],
      postcode: '',
      phone: '',
      email: '',
      preferredLanguage: 'und',
      needsInterpreter: false,
      status: 'erased',
    });
    expect(byType('equalityMonitoring')[0]!.data).toMatchObject({
      ethnicity: null,
      sex: null,
      lldd: null,
      disabilityCategories: [],
      healthAnswerChosenAt: null,
    });
    expect(byType('employmentStatus')[0]).toMatchObject({
      deleted: true,
      data: { status: '98', benefits: [] },
    });
    // What counts stays: the enrolment's dates and codes, the marks, the outcome's code, the award.
    expect(byType('enrolment')[0]!.data).toMatchObject({
      startDate: '2026-09-07',
      completionStatus: '3',
      actualEndDate: '2026-12-01',
      fundingStream: 'asf-tailored',
      withdrawalReason: null,
      referralSource: null,
    });
    expect(
      byType('attendance')
        .map((row) => [row.data['mark'], row.data['absenceReason']])
        .sort(),
    ).toEqual([
      ['AA', 'other'],
      ['P', null],
    ]);
    expect(byType('outcome')[0]!.data).toMatchObject({ code: 'EMP2', notes: '' });
    expect(byType('passportAward')[0]!.data).toMatchObject({ level: 'bronze', basis: [] });
    // Every record, blanked, is still a valid record of its type.
    for (const row of rows) {
      const parsed = RECORD_SCHEMAS[row.entity_type as EntityType].safeParse(row.data);
      expect(parsed.success, `${row.entity_type}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }

    // The history: not one value of hers in the whole table, yet each change is still listed.
    const history = await query<{
      entity_type: string;
      field: string | null;
      old_value: unknown;
      new_value: unknown;
    }>('SELECT entity_type, field, old_value, new_value FROM change_history');
    expectNoPersonalText('change_history', JSON.stringify(history));
    expect(history.some((row) => row.entity_type === 'learner' && row.field === 'phone')).toBe(true);
    expect(
      history.some((row) => row.entity_type === 'outcome' && row.field === '*' && row.new_value !== null),
    ).toBe(true);
    // The neighbour's history is untouched.
    expect(JSON.stringify(history)).toContain('Byrne');

    // The tutor's tablet pulls the erased records, all blanked.
    const pulled = latest((await client.pullAll(tutor, { limit: 200 })).records);
    expectNoPersonalText('a pull', JSON.stringify(pulled));
    expect(pulled.find((record) => record.entityId === ids.learner)?.data['status']).toBe('erased');

    // The erasure is logged with ids and counts only.
    const log = await query<{ learner_id: string; reason: string; erased_by: string }>(
      'SELECT learner_id, reason, erased_by FROM learner_erasures',
    );
    expect(log).toEqual([{ learner_id: ids.learner, reason: 'request', erased_by: coordinator.user.id }]);

    // The dashboard's summaries (built by the dashboard read before the erasure) lost what they held
    // of her at the erasure itself, not at the next dashboard read.
    const summaryTables = [
      'dashboard_learners',
      'dashboard_enrolments',
      'dashboard_employment',
      'dashboard_learner_places',
      'dashboard_passports',
      'dashboard_outcomes',
    ];
    for (const table of summaryTables) {
      expect(await query(`SELECT * FROM ${table} WHERE learner_id = $1`, [ids.learner]), table).toEqual([]);
    }

    // Anonymous counts: she is still counted, her age, sex and ethnicity no longer known.
    const after = await dashboard(coordinator.token);
    for (const table of summaryTables) {
      expectNoPersonalText(table, JSON.stringify(await query(`SELECT * FROM ${table}`)));
    }
    expect(
      await query('SELECT date_of_birth FROM dashboard_learners WHERE learner_id = $1', [ids.learner]),
    ).toEqual([{ date_of_birth: null }]);
    expect(after.learnersSupported).toBe(before.learnersSupported);
    expect(after.learnersSupported).toBe(2);
    expect(after.sessionsDelivered).toBe(before.sessionsDelivered);
    expect(after.guidedLearningHours).toBe(before.guidedLearningHours);
    expect(after.outcomes).toEqual(before.outcomes);
    const rowsOf = (figures: DashboardFigures, key: string) =>
      Object.fromEntries(
        figures.breakdowns
          .find((breakdown) => breakdown.key === key)!
          .rows.map((row) => [row.code, row.learners]),
      );
    expect(rowsOf(before, 'ageBand')['65-plus']).toBe(1);
    expect(rowsOf(after, 'ageBand')).toMatchObject({ '65-plus': 0, 'not-known': 1, '35-49': 1 });
    expect(rowsOf(after, 'sex')).toMatchObject({ F: 0, 'not-provided': 2 });
    expect(rowsOf(after, 'employment')['98']).toBe(2);

    // Both sides count the same: the device's own count over what the coordinator's tablet pulls.
    const everything = latest((await client.pullAll(coordinator, { limit: 500 })).records);
    const of = (type: SyncedEntityType) =>
      everything.filter((record) => record.entityType === type).map((record) => record.data as never);
    const onDevice = computeDashboard(
      {
        learners: of('learner'),
        enrolments: of('enrolment'),
        sessions: of('session'),
        attendance: of('attendance'),
        equalityMonitoring: of('equalityMonitoring'),
        employmentStatuses: of('employmentStatus'),
        passportAwards: of('passportAward'),
        outcomes: of('outcome'),
        venues: of('venue'),
        programmes: of('programme'),
        priorityAreas: new Map(),
      },
      { from: '2026-09-01', to: '2026-12-31' },
    );
    expect({ ...onDevice, source: 'server' }).toEqual(after);
  });

  it('is final: a tablet offline at the erasure pushes her details later and nothing comes back', async () => {
    expect((await erase(coordinator.token, ids.learner)).statusCode).toBe(200);
    const recordsBefore = JSON.stringify(await learnerRows());
    const newOutcome = randomUUID();
    const results = await pushLate(tutor, [
      // Only personal fields: refused, and not kept anywhere.
      ['learner', ids.learner, { phone: '07700 900999', updatedAt: '2026-11-23T12:01:00.000Z' }],
      ['learner', ids.learner, { status: 'active', givenNames: 'Grace' }],
      [
        'equalityMonitoring',
        equalityId(ids.learner),
        { ethnicity: '44', ethnicityAnswerChosenAt: '2026-11-23T12:00:00.000Z' },
      ],
      // A mix: the completion status applies, the reason (health) does not.
      ['enrolment', ids.enrolment, { completionStatus: '2', withdrawalReason: '3' }],
      // Non-personal: a mark still counts.
      [
        'attendance',
        attendanceId(session2, ids.learner),
        { mark: 'L', absenceReason: null, minutesAttended: 90 },
      ],
      // A new record for her: kept, its free text blanked.
      [
        'outcome',
        newOutcome,
        makeOutcome({
          id: newOutcome,
          learnerId: ids.learner,
          enrolmentId: null,
          notes: 'Part-time at the garden centre',
        }),
      ],
    ]);
    expect(outcomesOf(results)).toEqual([
      'learner-erased',
      'learner-erased',
      'learner-erased',
      'applied',
      'applied',
      'applied',
    ]);
    expect(results[0]).toMatchObject({ message: expect.stringContaining('erased') });

    const rows = await learnerRows();
    expectNoPersonalText('records', JSON.stringify(rows));
    const learner = rows.find((row) => row.entity_type === 'learner')!;
    expect(learner.data).toMatchObject({ status: 'erased', phone: '', givenNames: 'Erased' });
    expect(JSON.stringify(rows.filter((row) => row.entity_type === 'learner'))).toBe(
      JSON.stringify(
        JSON.parse(recordsBefore).filter((row: { entity_type: string }) => row.entity_type === 'learner'),
      ),
    );
    expect(rows.find((row) => row.entity_type === 'enrolment')!.data).toMatchObject({
      completionStatus: '2',
      withdrawalReason: null,
    });
    expect(rows.find((row) => row.entity_id === attendanceId(session2, ids.learner))!.data).toMatchObject({
      mark: 'L',
      absenceReason: null,
    });
    expect(rows.find((row) => row.entity_id === newOutcome)!.data).toMatchObject({ code: 'EMP2', notes: '' });

    const history = await query<{ outcome: string; new_value: unknown }>(
      'SELECT outcome, new_value FROM change_history',
    );
    expectNoPersonalText('change_history', JSON.stringify(history));
    // The refusals are in the history, without the values refused.
    expect(history.filter((row) => row.outcome === 'rejected:learner-erased')).toHaveLength(3);
  });

  it('refuses what it must, and changes nothing when it does', async () => {
    const snapshot = async () => JSON.stringify(await learnerRows());
    const untouched = await snapshot();
    // A tutor may not erase.
    const byTutor = await erase(tutor.token, ids.learner);
    expect(byTutor.statusCode).toBe(403);
    expect(byTutor.json()).toMatchObject({ error: { reason: 'coordinator-only' } });
    // Without the typed confirmation.
    for (const confirmation of ['', 'yes', null]) {
      const unconfirmed = await erase(coordinator.token, ids.learner, confirmation);
      expect(unconfirmed.statusCode, String(confirmation)).toBe(400);
      expect(unconfirmed.json()).toMatchObject({ error: { reason: 'confirmation-required' } });
    }
    // Another organisation's coordinator: not found, whatever they type.
    const other = await addOrganisation(app, context.db(), {
      organisationName: 'Elsewhere',
      name: 'Other Coordinator',
      email: 'other@example.org',
    });
    const elsewhere = await erase(other.token, ids.learner);
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ error: { reason: 'learner-not-found' } });
    expect((await erase(coordinator.token, randomUUID())).statusCode).toBe(404);
    expect((await erase(coordinator.token, 'not-an-id')).statusCode).toBe(404);
    expect(await snapshot()).toBe(untouched);
    // Once erased, again is a conflict (any case of the word confirms).
    expect((await erase(coordinator.token, ids.learner, ' erase ')).statusCode).toBe(200);
    const again = await erase(coordinator.token, ids.learner);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { reason: 'already-erased' } });
  });

  describe('a person enrolled twice and merged', () => {
    it('erases the record merged into the one kept with it, and refuses the merged one on its own', async () => {
      const twin = randomUUID();
      const enrolledTwice = await push(coordinator, [
        ['learner', { ...grace(), id: twin, phone: '07700 900999' }],
        ['equalityMonitoring', makeEqualityMonitoring({ id: equalityId(twin), learnerId: twin })],
      ]);
      expect(outcomesOf(enrolledTwice)).toEqual(['applied', 'applied']);
      const merged = await app.inject({
        method: 'POST',
        url: `/api/learners/${ids.learner}/merge`,
        payload: { otherLearnerId: twin },
        ...withSession(coordinator.token),
      });
      expect(merged.statusCode, merged.body).toBe(200);
      const direct = await erase(coordinator.token, twin);
      expect(direct.statusCode).toBe(409);
      expect(direct.json()).toMatchObject({
        error: { reason: 'learner-merged', details: { keptId: ids.learner } },
      });

      expect((await erase(coordinator.token, ids.learner)).statusCode).toBe(200);
      const twinRows = await query<{ data: unknown }>(
        `SELECT data FROM records WHERE entity_id IN ($1, $2) OR data->>'learnerId' = $3`,
        [twin, equalityId(twin), twin],
      );
      expect(twinRows.length).toBeGreaterThan(0);
      expectNoPersonalText('the merged record', JSON.stringify(twinRows));
      const history = await query<unknown>('SELECT old_value, new_value FROM change_history');
      expectNoPersonalText('change_history', JSON.stringify(history));
    });
  });
});

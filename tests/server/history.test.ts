// A learner's history for coordinators (GET /api/learners/:id/history), over HTTP as the app calls
// it: who changed the learner and their records, from which device, newest first; equality answers
// only for a coordinator allowed to see them, and that viewing logged; pulls that carry the answers
// to a device logged, redacted pulls not; tutors refused, other organisations told nothing.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { attendanceId, equalityId } from '../../src/domain/ids';
import { HIDDEN_VALUE, type LearnerHistory } from '../../src/domain/history';
import { SYNC_HEADERS, type SyncedEntityType } from '../../src/domain/sync/protocol';
import {
  makeAttendance,
  makeEnrolment,
  makeEqualityMonitoring,
  makeLearner,
  makeProgramme,
  makeSession,
  makeVenue,
} from '../fixtures/records';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { SERVER_NOW } from '../helpers/syncFixtures';
import { type SyncAccount, type SyncClient, outcomesOf, syncClient } from './syncClient';
import { addOrganisation, buildTestApp, inviteAndAccept, setUpOrganisation, withSession } from './testApp';

describeEachBackend('learner history', (context) => {
  let app: FastifyInstance;
  let coordinator: SyncAccount;
  let tutor: SyncAccount;
  let otherTutor: SyncAccount;

  const ids = {
    venue: randomUUID(),
    programme: randomUUID(),
    otherProgramme: randomUUID(),
    session: randomUUID(),
    otherSession: randomUUID(),
    learner: randomUUID(),
    otherLearner: randomUUID(),
    enrolment: randomUUID(),
  };

  const client = syncClient(() => app);
  const { account } = client;
  const push = async (who: SyncAccount, changes: Parameters<SyncClient['push']>[1]) =>
    outcomesOf(await client.push(who, changes));
  const pullAll = async (who: SyncAccount, entityType?: SyncedEntityType) =>
    (await client.pullAll(who, { limit: 4, ...(entityType ? { entityType } : {}) })).records;

  const readHistory = (token: string, learnerId: string, deviceId?: string) =>
    app.inject({
      method: 'GET',
      url: `/api/learners/${learnerId}/history`,
      headers: deviceId ? { [SYNC_HEADERS.deviceId]: deviceId } : {},
      ...withSession(token),
    });

  async function historyOf(token: string, learnerId: string, deviceId?: string): Promise<LearnerHistory> {
    const response = await readHistory(token, learnerId, deviceId);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<LearnerHistory>();
  }

  async function accessRows() {
    const { rows } = await context.db().query<{
      learner_id: string;
      user_id: string;
      device_id: string | null;
      action: string;
    }>('SELECT learner_id, user_id, device_id, action FROM special_category_access ORDER BY id');
    return rows;
  }

  const equality = (learnerId: string, ethnicity: '39' | '44') =>
    makeEqualityMonitoring({ id: equalityId(learnerId), learnerId, ethnicity, sex: 'F' });

  beforeEach(async () => {
    await resetDatabase(context.db());
    app = await buildTestApp(context.db(), { now: () => SERVER_NOW });
    coordinator = await account(await setUpOrganisation(app), 'coordinator-laptop');
    tutor = await account(
      await inviteAndAccept(app, coordinator.token, { email: 'tutor@example.org', name: 'Tom Tutor' }),
      'tablet-1',
    );
    otherTutor = await account(
      await inviteAndAccept(app, coordinator.token, { email: 'other@example.org', name: 'Olu Other' }),
      'tablet-2',
    );
    expect(
      await push(coordinator, [
        ['venue', makeVenue({ id: ids.venue })],
        ['programme', makeProgramme({ id: ids.programme, defaultVenueId: ids.venue })],
        ['programme', makeProgramme({ id: ids.otherProgramme, defaultVenueId: ids.venue })],
        [
          'session',
          makeSession({
            id: ids.session,
            programmeId: ids.programme,
            venueId: ids.venue,
            tutorIds: [tutor.user.id],
          }),
        ],
        [
          'session',
          makeSession({
            id: ids.otherSession,
            programmeId: ids.otherProgramme,
            venueId: ids.venue,
            tutorIds: [otherTutor.user.id],
          }),
        ],
        ['learner', makeLearner({ id: ids.learner, givenNames: 'Ada', phone: '07700 900001' })],
        ['learner', makeLearner({ id: ids.otherLearner, givenNames: 'Bea' })],
        [
          'enrolment',
          makeEnrolment({ id: ids.enrolment, learnerId: ids.learner, programmeId: ids.programme }),
        ],
        [
          'enrolment',
          makeEnrolment({ id: randomUUID(), learnerId: ids.otherLearner, programmeId: ids.otherProgramme }),
        ],
        ['equalityMonitoring', equality(ids.learner, '39')],
        ['equalityMonitoring', equality(ids.otherLearner, '44')],
      ]),
    ).toEqual(Array(11).fill('applied'));
  });
  afterEach(async () => {
    await app.close();
  });

  it('lists a coordinator\u2019s and a tutor\u2019s changes to the learner and their records, newest first, with names and devices', async () => {
    expect(
      await push(tutor, [
        ['learner', { id: ids.learner, phone: '07700 900002' }],
        [
          'attendance',
          makeAttendance({
            id: attendanceId(ids.session, ids.learner),
            sessionId: ids.session,
            learnerId: ids.learner,
          }),
        ],
      ]),
    ).toEqual(['applied', 'applied']);
    // Outside the other tutor's scope: refused, and still in the history.
    expect(await push(otherTutor, [['learner', { id: ids.learner, givenNames: 'Changed' }]])).toEqual([
      'outside-scope',
    ]);
    expect(
      await push(otherTutor, [
        [
          'enrolment',
          makeEnrolment({ id: randomUUID(), learnerId: ids.learner, programmeId: ids.otherProgramme }),
        ],
      ]),
    ).toEqual(['outside-scope']);
    expect(await push(coordinator, [['learner', { id: ids.learner, phone: '07700 900003' }]])).toEqual([
      'applied',
    ]);

    const history = await historyOf(coordinator.token, ids.learner);
    const line = (change: LearnerHistory['changes'][number]) =>
      [change.userName, change.deviceId, change.entityType, change.field, change.outcome].join(' | ');
    const coordinatorName = coordinator.user.name;
    expect(history.changes.map(line)).toEqual([
      `${coordinatorName} | ${coordinator.deviceId} | learner | phone | applied`,
      `Olu Other | ${otherTutor.deviceId} | enrolment | * | rejected:outside-scope`,
      `Olu Other | ${otherTutor.deviceId} | learner | * | rejected:outside-scope`,
      `Tom Tutor | ${tutor.deviceId} | attendance | * | created`,
      `Tom Tutor | ${tutor.deviceId} | learner | phone | applied`,
      `${coordinatorName} | ${coordinator.deviceId} | equalityMonitoring | * | created`,
      `${coordinatorName} | ${coordinator.deviceId} | enrolment | * | created`,
      `${coordinatorName} | ${coordinator.deviceId} | learner | * | created`,
    ]);
    expect(history.changes[0]).toMatchObject({
      entityId: ids.learner,
      oldValue: '07700 900002',
      newValue: '07700 900003',
      deviceLabel: `Device ${coordinator.deviceId.slice(0, 8)}, registered by ${coordinatorName}`,
    });
    expect(history.changes[4]).toMatchObject({ oldValue: '07700 900001', newValue: '07700 900002' });
    expect(history.truncated).toBe(false);
    const times = history.changes.map((change) => Date.parse(change.at));
    expect(times.every((time, index) => index === 0 || time <= times[index - 1]!)).toBe(true);
    // Nothing of the other learner.
    expect(JSON.stringify(history)).not.toContain('Bea');
    expect(JSON.stringify(history)).not.toContain('"44"');
  });

  it('answers a tutor 403 coordinator-only, even for a learner they teach', async () => {
    const response = await readHistory(tutor.token, ids.learner);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.reason).toBe('coordinator-only');
  });

  it('answers another organisation\u2019s coordinator 404, and an unknown or malformed id the same', async () => {
    const other = await addOrganisation(app, context.db(), {
      organisationName: 'Knowsley Digital',
      name: 'Other Coordinator',
      email: 'other@knowsley.example',
    });
    for (const [token, learnerId] of [
      [other.token, ids.learner],
      [coordinator.token, randomUUID()],
      [coordinator.token, 'not-an-id'],
    ] as const) {
      const response = await readHistory(token, learnerId);
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json().error.reason).toBe('learner-not-found');
      expect(response.body).not.toContain('Ada');
    }
    expect(await accessRows()).toEqual([]);
  });

  it('hides equality answers from a coordinator without the permission, and shows and logs them with it', async () => {
    expect(
      await push(coordinator, [['equalityMonitoring', { id: equalityId(ids.learner), ethnicity: '41' }]]),
    ).toEqual(['applied']);
    const deputy = await account(
      await inviteAndAccept(app, coordinator.token, {
        email: 'deputy@example.org',
        name: 'Dee Deputy',
        role: 'coordinator',
      }),
      'deputy-laptop',
    );

    const hidden = await readHistory(deputy.token, ids.learner, deputy.deviceId);
    expect(hidden.statusCode, hidden.body).toBe(200);
    expect(hidden.body).not.toContain('"39"');
    expect(hidden.body).not.toContain('"41"');
    const hiddenChanges = hidden
      .json<LearnerHistory>()
      .changes.filter((change) => change.entityType === 'equalityMonitoring');
    expect(hiddenChanges.map((change) => [change.field, change.oldValue, change.newValue])).toEqual([
      ['ethnicity', HIDDEN_VALUE, HIDDEN_VALUE],
      ['*', null, HIDDEN_VALUE],
    ]);
    expect(await accessRows()).toEqual([]);

    const shown = await historyOf(coordinator.token, ids.learner, coordinator.deviceId);
    const shownChanges = shown.changes.filter((change) => change.entityType === 'equalityMonitoring');
    expect(shownChanges.map((change) => [change.field, change.oldValue, change.newValue])).toEqual([
      ['ethnicity', '39', '41'],
      ['*', null, expect.objectContaining({ ethnicity: '39', sex: 'F' })],
    ]);
    expect(await accessRows()).toEqual([
      {
        learner_id: ids.learner,
        user_id: coordinator.user.id,
        device_id: coordinator.deviceId,
        action: 'viewed',
      },
    ]);
    // The viewing is in the answer that made it, and in what the deputy reads next.
    expect(shown.specialCategoryAccess).toEqual([
      expect.objectContaining({
        userName: coordinator.user.name,
        deviceId: coordinator.deviceId,
        action: 'viewed',
      }),
    ]);
    expect((await historyOf(deputy.token, ids.learner)).specialCategoryAccess).toHaveLength(1);

    // A learner with no equality history shows no answers, so nothing is logged for them.
    const learnerWithout = randomUUID();
    await push(coordinator, [['learner', makeLearner({ id: learnerWithout })]]);
    await historyOf(coordinator.token, learnerWithout);
    expect(await accessRows()).toHaveLength(1);
  });

  it('logs each equality record a permitted user\u2019s pull carries to their device, and nothing for redacted pulls', async () => {
    await pullAll(tutor);
    await pullAll(otherTutor);
    expect(await accessRows()).toEqual([]);

    const records = await pullAll(coordinator);
    expect(records.filter((record) => record.entityType === 'equalityMonitoring')).toHaveLength(2);
    const received = (learnerId: string) => ({
      learner_id: learnerId,
      user_id: coordinator.user.id,
      device_id: coordinator.deviceId,
      action: 'received-on-device',
    });
    expect(await accessRows()).toEqual([received(ids.learner), received(ids.otherLearner)]);

    // A repair pull of the table is a pull too.
    await pullAll(coordinator, 'equalityMonitoring');
    expect(await accessRows()).toHaveLength(4);

    // The coordinator sees who received the answers, on which device.
    const history = await historyOf(coordinator.token, ids.learner, coordinator.deviceId);
    expect(
      history.specialCategoryAccess.map((access) => [access.userName, access.deviceId, access.action]),
    ).toEqual([
      [coordinator.user.name, coordinator.deviceId, 'viewed'],
      [coordinator.user.name, coordinator.deviceId, 'received-on-device'],
      [coordinator.user.name, coordinator.deviceId, 'received-on-device'],
    ]);

    // A pull naming a device of no organisation's is still logged, without the device.
    const stranger = { ...coordinator, deviceId: randomUUID() };
    await pullAll(stranger, 'equalityMonitoring');
    expect((await accessRows()).slice(-2).map((row) => row.device_id)).toEqual([null, null]);
  });

  it('sends the newest 500 changes and says there were more', async () => {
    await context.db().query(
      `INSERT INTO change_history (organisation_id, entity_type, entity_id, field, old_value, new_value,
                                   outcome, user_id, device_id)
       SELECT $1, 'learner', $2, 'phone', to_jsonb(n - 1), to_jsonb(n), 'applied', $3, $4
       FROM generate_series(1, 510) AS n`,
      [coordinator.user.organisationId, ids.learner, tutor.user.id, tutor.deviceId],
    );
    const history = await historyOf(coordinator.token, ids.learner);
    expect(history.changes).toHaveLength(500);
    expect(history.truncated).toBe(true);
    expect(history.changes[0]).toMatchObject({ userName: 'Tom Tutor', oldValue: 509, newValue: 510 });
  });
});

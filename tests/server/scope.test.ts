// Who sees and changes what, over HTTP as devices do it: two organisations on one server, a
// coordinator and two tutors. A tutor pulls only their sessions and the learners on those sessions'
// programmes, with equality answers reduced to "answered"; pushes outside that scope are refused with
// a reason; a change of scope changes the fingerprint, and what entered or left it shows in the
// checksums and a repair pull. Nothing of one organisation is read or changed through any route by
// the other.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { isVisible } from '../../src/domain/access';
import { attendanceId, equalityId } from '../../src/domain/ids';
import { createTableChecksum } from '../../src/domain/sync/checksum';
import { SYNC_HEADERS, type PulledRecord, type SyncedEntityType } from '../../src/domain/sync/protocol';
import { listRoutes } from '../../src/server/app';
import { isPublicApiRoute } from '../../src/server/auth/guard';
import { loadViewScope, scopeCondition } from '../../src/server/db/scope';
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
import { type SyncAccount, syncClient } from './syncClient';
import {
  addOrganisation,
  buildTestApp,
  inviteAndAccept,
  TEST_PASSWORD,
  sessionCookieOf,
  setUpOrganisation,
  signIn,
  withSession,
} from './testApp';

describeEachBackend('scope', (context) => {
  let app: FastifyInstance;
  let coordinator: SyncAccount;
  let tutor1: SyncAccount;
  let tutor2: SyncAccount;

  const ids = {
    venue: randomUUID(),
    programme1: randomUUID(),
    programme2: randomUUID(),
    session1: randomUUID(),
    session2: randomUUID(),
    learner1: randomUUID(),
    learner2: randomUUID(),
    learner3: randomUUID(),
  };

  const client = syncClient(() => app);
  const { account, headers, push, checksums } = client;
  const pullAll = (who: SyncAccount, cursor = 0, entityType?: SyncedEntityType) =>
    client.pullAll(who, { cursor, ...(entityType ? { entityType } : {}) });

  const idsOf = (records: PulledRecord[], entityType: SyncedEntityType) =>
    records
      .filter((record) => record.entityType === entityType)
      .map((record) => record.entityId)
      .sort();

  beforeEach(async () => {
    await resetDatabase(context.db());
    app = await buildTestApp(context.db(), { now: () => SERVER_NOW });
    coordinator = await account(await setUpOrganisation(app), 'coordinator-laptop');
    tutor1 = await account(
      await inviteAndAccept(app, coordinator.token, { email: 'tutor1@example.org', name: 'Tutor One' }),
      'tablet-1',
    );
    tutor2 = await account(
      await inviteAndAccept(app, coordinator.token, { email: 'tutor2@example.org', name: 'Tutor Two' }),
      'tablet-2',
    );
    const enrol = (learnerId: string, programmeId: string) =>
      makeEnrolment({ id: randomUUID(), learnerId, programmeId });
    const results = await push(coordinator, [
      ['venue', makeVenue({ id: ids.venue })],
      ['programme', makeProgramme({ id: ids.programme1, defaultVenueId: ids.venue })],
      [
        'programme',
        makeProgramme({ id: ids.programme2, title: 'Online job search', defaultVenueId: ids.venue }),
      ],
      [
        'session',
        makeSession({
          id: ids.session1,
          programmeId: ids.programme1,
          venueId: ids.venue,
          tutorIds: [tutor1.user.id],
        }),
      ],
      [
        'session',
        makeSession({
          id: ids.session2,
          programmeId: ids.programme2,
          venueId: ids.venue,
          tutorIds: [tutor2.user.id],
        }),
      ],
      ['learner', makeLearner({ id: ids.learner1, givenNames: 'Ada' })],
      ['learner', makeLearner({ id: ids.learner2, givenNames: 'Bea' })],
      ['learner', makeLearner({ id: ids.learner3, givenNames: 'Cai' })],
      ['enrolment', enrol(ids.learner1, ids.programme1)],
      ['enrolment', enrol(ids.learner2, ids.programme2)],
      ['enrolment', enrol(ids.learner3, ids.programme1)],
      ['enrolment', enrol(ids.learner3, ids.programme2)],
      [
        'equalityMonitoring',
        makeEqualityMonitoring({
          id: equalityId(ids.learner1),
          learnerId: ids.learner1,
          ethnicity: '39',
          ethnicityAnswerChosenAt: '2026-11-20T10:00:00.000Z',
          sex: null,
          lldd: null,
          disabilityCategories: [],
          primaryDisabilityCategory: null,
          healthAnswerChosenAt: null,
        }),
      ],
      [
        'attendance',
        makeAttendance({
          id: attendanceId(ids.session1, ids.learner1),
          sessionId: ids.session1,
          learnerId: ids.learner1,
        }),
      ],
      [
        'attendance',
        makeAttendance({
          id: attendanceId(ids.session2, ids.learner2),
          sessionId: ids.session2,
          learnerId: ids.learner2,
        }),
      ],
    ]);
    expect(results.filter((result) => result.status !== 'applied')).toEqual([]);
  });
  afterEach(async () => {
    await app.close();
  });

  it('gives a tutor their sessions, the learners on those programmes, and only whether equality was answered', async () => {
    const { records } = await pullAll(tutor1);
    expect(idsOf(records, 'session')).toEqual([ids.session1]);
    expect(idsOf(records, 'learner')).toEqual([ids.learner1, ids.learner3].sort());
    expect(idsOf(records, 'attendance')).toEqual([attendanceId(ids.session1, ids.learner1)]);
    // Organisation-wide records: what sessions and enrolments refer to.
    expect(idsOf(records, 'venue')).toEqual([ids.venue]);
    expect(idsOf(records, 'programme')).toEqual([ids.programme1, ids.programme2].sort());
    expect(idsOf(records, 'user')).toHaveLength(3);
    // A learner's enrolments come with the learner, including one on another tutor's programme.
    expect(records.filter((record) => record.entityType === 'enrolment')).toHaveLength(3);

    const equality = records.find((record) => record.entityType === 'equalityMonitoring');
    expect(equality?.data).toMatchObject({
      learnerId: ids.learner1,
      answered: { ethnicity: true, sex: false, health: false },
    });
    expect(JSON.stringify(equality?.data)).not.toContain('"39"');
    expect(equality?.data).not.toHaveProperty('ethnicity');

    // The coordinator (who set the organisation up) sees the answers.
    const all = await pullAll(coordinator);
    expect(all.records.find((record) => record.entityType === 'equalityMonitoring')?.data).toMatchObject({
      ethnicity: '39',
    });
    expect(idsOf(all.records, 'learner')).toHaveLength(3);
  });

  it('gives a tutor checksums over exactly what they pulled, so their device verifies', async () => {
    const { records, cursor } = await pullAll(tutor1);
    const server = await checksums(tutor1);
    expect(server.cursor).toBe(cursor);
    for (const entityType of [
      'learner',
      'session',
      'attendance',
      'equalityMonitoring',
      'enrolment',
    ] as const) {
      const local = createTableChecksum();
      for (const record of records
        .filter((item) => item.entityType === entityType)
        .sort((a, b) => (a.entityId < b.entityId ? -1 : 1))) {
        local.add(record.entityId, record.data);
      }
      expect(server.tables[entityType], entityType).toEqual(local.result());
    }
  });

  it('refuses a tutor\u2019s changes outside their scope with a reason, and applies the rest', async () => {
    const newLearner = makeLearner({ id: randomUUID(), givenNames: 'Dara' });
    const newSession = makeSession({
      id: randomUUID(),
      programmeId: ids.programme1,
      venueId: ids.venue,
      tutorIds: [tutor1.user.id],
    });
    const results = await push(tutor1, [
      ['learner', makeLearner({ id: ids.learner2, givenNames: 'Changed' })],
      [
        'attendance',
        makeAttendance({
          id: attendanceId(ids.session2, ids.learner3),
          sessionId: ids.session2,
          learnerId: ids.learner3,
        }),
      ],
      ['venue', makeVenue({ id: ids.venue, name: 'Renamed by a tutor' })],
      [
        'session',
        makeSession({
          id: ids.session2,
          programmeId: ids.programme2,
          venueId: ids.venue,
          tutorIds: [tutor1.user.id],
        }),
      ],
      [
        'session',
        makeSession({
          id: randomUUID(),
          programmeId: ids.programme1,
          venueId: ids.venue,
          tutorIds: [tutor2.user.id],
        }),
      ],
      [
        'enrolment',
        makeEnrolment({ id: randomUUID(), learnerId: ids.learner2, programmeId: ids.programme1 }),
      ],
      // A walk-in: a new learner, enrolled, marked present on the tutor's session, then a new session.
      ['learner', newLearner],
      [
        'enrolment',
        makeEnrolment({ id: randomUUID(), learnerId: newLearner.id, programmeId: ids.programme1 }),
      ],
      [
        'attendance',
        makeAttendance({
          id: attendanceId(ids.session1, newLearner.id),
          sessionId: ids.session1,
          learnerId: newLearner.id,
        }),
      ],
      ['session', newSession],
      [
        'attendance',
        makeAttendance({
          id: attendanceId(newSession.id, ids.learner3),
          sessionId: newSession.id,
          learnerId: ids.learner3,
        }),
      ],
    ]);
    expect(results.map((result) => (result.status === 'rejected' ? result.reason : 'applied'))).toEqual([
      'outside-scope',
      'outside-scope',
      'coordinator-only',
      'outside-scope',
      'outside-scope',
      'outside-scope',
      'applied',
      'applied',
      'applied',
      'applied',
      'applied',
    ]);
    const { rows } = await context
      .db()
      .query<{ given: string }>(
        "SELECT data->>'givenNames' AS given FROM records WHERE entity_type = 'learner' AND entity_id = $1",
        [ids.learner2],
      );
    expect(rows[0]?.given).toBe('Bea');
    // The other tutor never receives the walk-in or the new session.
    const other = await pullAll(tutor2);
    expect(idsOf(other.records, 'learner')).toEqual([ids.learner2, ids.learner3].sort());
    expect(idsOf(other.records, 'session')).toEqual([ids.session2]);
  });

  it('changes the fingerprint when scope changes; checksums and a repair pull bring in and take out', async () => {
    const before = await pullAll(tutor1);
    const oldLearners = (await checksums(tutor1)).tables.learner;

    // The coordinator adds the tutor to the other session: its learners enter the tutor's scope.
    expect(
      await push(coordinator, [
        ['session', { id: ids.session2, tutorIds: [tutor2.user.id, tutor1.user.id] }],
      ]),
    ).toEqual([expect.objectContaining({ status: 'applied' })]);
    const widened = await pullAll(tutor1, before.cursor);
    expect(widened.scope).not.toBe(before.scope);
    expect(idsOf(widened.records, 'session')).toEqual([ids.session2]);
    // Learner 2 did not change, so an incremental pull does not bring it: the checksum shows it.
    expect(idsOf(widened.records, 'learner')).toEqual([]);
    expect((await checksums(tutor1)).tables.learner).not.toEqual(oldLearners);
    expect(idsOf((await pullAll(tutor1, 0, 'learner')).records, 'learner')).toEqual(
      [ids.learner1, ids.learner2, ids.learner3].sort(),
    );

    // Taken off it again: the session is not sent, the fingerprint changes back, learner 2 leaves.
    await push(coordinator, [['session', { id: ids.session2, tutorIds: [tutor2.user.id] }]]);
    const narrowed = await pullAll(tutor1, widened.cursor);
    expect(narrowed.scope).toBe(before.scope);
    expect(narrowed.records).toEqual([]);
    expect(narrowed.cursor).toBeGreaterThan(widened.cursor);
    expect((await checksums(tutor1)).tables.learner).toEqual(oldLearners);
    expect(idsOf((await pullAll(tutor1, 0, 'learner')).records, 'learner')).toEqual(
      [ids.learner1, ids.learner3].sort(),
    );
  });

  it('keeps the scope condition in SQL and the rule in the domain in agreement', async () => {
    const db = context.db();
    const viewer = { userId: tutor1.user.id, role: 'tutor' as const, maySeeSpecialCategory: false };
    const organisationId = tutor1.user.organisationId;
    const scope = await db.transaction((sql) => loadViewScope(sql, organisationId, viewer));
    const inScope = scopeCondition(scope, 2);
    const all = await db.query<{ entity_type: string; entity_id: string; data: Record<string, unknown> }>(
      'SELECT entity_type, entity_id, data FROM records WHERE organisation_id = $1',
      [organisationId],
    );
    const selected = await db.query<{ entity_type: string; entity_id: string }>(
      `SELECT entity_type, entity_id FROM records WHERE organisation_id = $1 AND ${inScope.condition}`,
      [organisationId, ...inScope.params],
    );
    const key = (row: { entity_type: string; entity_id: string }) => `${row.entity_type}/${row.entity_id}`;
    expect(selected.rows.map(key).sort()).toEqual(
      all.rows
        .filter((row) => isVisible(scope, row.entity_type, row.entity_id, row.data))
        .map(key)
        .sort(),
    );
    expect(selected.rows.length).toBeLessThan(all.rows.length);
  });

  it('shows another organisation nothing and lets it change nothing, through any route', async () => {
    const other = await addOrganisation(app, context.db(), {
      organisationName: 'Knowsley Digital',
      name: 'Other Coordinator',
      email: 'other@knowsley.example',
    });
    const otherAccount = await account(other, 'knowsley-tablet');
    const invited = await app.inject({
      method: 'POST',
      url: '/api/invitations',
      payload: { email: 'pending@example.org' },
      ...withSession(coordinator.token),
    });
    const invitationId = invited.json<{ invitation: { id: string } }>().invitation.id;

    const snapshot = async () =>
      (
        await context.db().query<{ state: string }>(
          `SELECT md5(string_agg(t.row, '|' ORDER BY t.row)) AS state FROM (
             SELECT entity_type || entity_id || data::text AS row FROM records WHERE organisation_id = $1
             UNION ALL SELECT id || status || role || may_view_special_category FROM users WHERE organisation_id = $1
             UNION ALL SELECT id || coalesce(revoked_at::text, '') FROM invitations WHERE organisation_id = $1
             UNION ALL SELECT id::text || last_mutation_id FROM devices WHERE organisation_id = $1
           ) t`,
          [coordinator.user.organisationId],
        )
      ).rows[0]!.state;
    const before = await snapshot();
    const secrets = [ids.learner1, ids.session1, coordinator.user.id, tutor1.user.id, invitationId, 'Ada'];

    // Every /api route that needs a session, called by the other organisation with this one's ids.
    const routes = listRoutes(app).filter(
      (route) =>
        route.url.startsWith('/api/') &&
        route.method !== 'HEAD' &&
        !isPublicApiRoute(route.method, route.url),
    );
    expect(routes.length).toBeGreaterThan(8);
    for (const route of routes) {
      const url = route.url
        .replace(':id', route.url.includes('invitations') ? invitationId : tutor1.user.id)
        .replace('/api/sync/pull', '/api/sync/pull?cursor=0');
      const response = await app.inject({
        method: route.method as 'GET',
        url,
        headers: { ...headers(otherAccount), [SYNC_HEADERS.deviceId]: coordinator.deviceId },
        payload:
          route.method === 'GET' || route.method === 'DELETE'
            ? undefined
            : { status: 'suspended', mutations: [] },
        ...withSession(other.token),
      });
      for (const secret of secrets) {
        expect(response.body, `${route.method} ${route.url}`).not.toContain(secret);
      }
    }
    // A push naming this organisation's records from the other organisation's own device lands in
    // the other organisation only (signed in again: the loop called sign-out).
    otherAccount.token = sessionCookieOf(await signIn(app, 'other@knowsley.example', TEST_PASSWORD))!;
    const results = await push(otherAccount, [
      ['learner', makeLearner({ id: ids.learner1, givenNames: 'Intruder' })],
    ]);
    expect(results[0]?.status).toBe('applied');
    expect(await snapshot()).toBe(before);
    const theirs = await pullAll(otherAccount);
    expect(
      theirs.records.filter(
        (record) => !['user', 'organisation', 'documentVersion'].includes(record.entityType),
      ),
    ).toHaveLength(1);
    expect(JSON.stringify(theirs.records)).not.toContain('"Ada"');
  });
});

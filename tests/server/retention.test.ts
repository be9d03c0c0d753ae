// Retention through the server, on PGlite and PostgreSQL (docs/sync-protocol.md, "Data protection"):
// a coordinator sees the period of each funding stream (the defaults at first) and how many learners
// are due, changes a period, and runs it. Every learner whose last activity is older than the period
// of all their streams is anonymised by the erasure path: nothing personal left in `records` or in
// `change_history`, devices told at their next pull, the anonymous counts kept. Others are untouched.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeEach, expect, it } from 'vitest';
import { attendanceId } from '../../src/domain/ids';
import {
  type RetentionSummary,
  retentionRunAnswerSchema,
  retentionSummarySchema,
} from '../../src/domain/retention';
import type { DashboardFigures } from '../../src/domain/reports/dashboard';
import type { SyncedEntityType } from '../../src/domain/sync/protocol';
import {
  makeAttendance,
  makeEnrolment,
  makeLearner,
  makeProgramme,
  makeSession,
  makeVenue,
} from '../fixtures/records';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { SERVER_NOW } from '../helpers/syncFixtures';
import { type SyncAccount, outcomesOf, syncClient } from './syncClient';
import { buildTestApp, inviteAndAccept, setUpOrganisation, withSession } from './testApp';

describeEachBackend('retention', (context) => {
  let app: FastifyInstance;
  let coordinator: SyncAccount;
  const client = syncClient(() => app);
  const { account, push } = client;

  const ids = {
    venue: randomUUID(),
    /** Adult Skills Fund (six years by default) and an unfunded drop-in (three). */
    funded: randomUUID(),
    unfunded: randomUUID(),
    oldSession: randomUUID(),
    /** Unfunded, last seen in March 2020: due (2023). */
    oldDropIn: randomUUID(),
    /** Funded, finished in June 2022: kept until 2028. */
    funded2022: randomUUID(),
    /** Both: unfunded in 2019, funded to June 2021: kept until 2027 by default, mid-2026 at five years. */
    both: randomUUID(),
    /** Unfunded, this year: kept. */
    recent: randomUUID(),
    /** Recorded in January 2021 and never enrolled: due (2024). */
    neverEnrolled: randomUUID(),
  };

  const old = (day: string) => `${day}T10:00:00.000Z`;
  /** A learner first recorded on `day`, with the words that must go when they are anonymised. */
  const learner = (id: string, givenNames: string, day: string) =>
    makeLearner({
      id,
      givenNames,
      familyName: `Retained-${givenNames}`,
      createdAt: old(day),
      updatedAt: old(day),
      phone: '07700 900321',
    });
  const enrolment = (
    learnerId: string,
    programmeId: string,
    startDate: string,
    actualEndDate: string | null,
  ) =>
    makeEnrolment({
      id: randomUUID(),
      learnerId,
      programmeId,
      startDate,
      plannedEndDate: null,
      actualEndDate,
      completionStatus: actualEndDate ? '2' : '1',
      enrolledAt: old(startDate),
      fundingStream: programmeId === ids.funded ? 'asf-tailored' : 'unfunded',
    });

  const summary = async (token: string) => {
    const response = await app.inject({ method: 'GET', url: '/api/retention', ...withSession(token) });
    expect(response.statusCode, response.body).toBe(200);
    return retentionSummarySchema.parse(response.json());
  };
  const years = (answer: RetentionSummary, stream: string) =>
    answer.periods.find((period) => period.fundingStream === stream)?.years;
  const run = (token: string) =>
    app.inject({ method: 'POST', url: '/api/retention/run', ...withSession(token) });

  const query = <T>(text: string, params: unknown[] = []) =>
    context.db().transaction(async (sql) => (await sql.query<T>(text, params)).rows);

  beforeEach(async () => {
    await resetDatabase(context.db());
    app = await buildTestApp(context.db(), { now: () => SERVER_NOW });
    coordinator = await account(await setUpOrganisation(app), 'tablet-coordinator');
    const records: [SyncedEntityType, Record<string, unknown>][] = [
      ['venue', makeVenue({ id: ids.venue })],
      ['programme', makeProgramme({ id: ids.funded, title: 'Funded course', fundingStream: 'asf-tailored' })],
      ['programme', makeProgramme({ id: ids.unfunded, title: 'Drop-in', fundingStream: 'unfunded' })],
      [
        'session',
        makeSession({
          id: ids.oldSession,
          programmeId: ids.unfunded,
          venueId: ids.venue,
          date: '2020-03-02',
        }),
      ],
      ['learner', learner(ids.oldDropIn, 'Olwen', '2020-01-06')],
      ['enrolment', enrolment(ids.oldDropIn, ids.unfunded, '2020-01-06', '2020-03-01')],
      [
        'attendance',
        makeAttendance({
          id: attendanceId(ids.oldSession, ids.oldDropIn),
          sessionId: ids.oldSession,
          learnerId: ids.oldDropIn,
          markedAt: old('2020-03-02'),
        }),
      ],
      ['learner', learner(ids.funded2022, 'Fenella', '2021-09-06')],
      ['enrolment', enrolment(ids.funded2022, ids.funded, '2021-09-06', '2022-06-30')],
      ['learner', learner(ids.both, 'Bartholomew', '2019-02-04')],
      ['enrolment', enrolment(ids.both, ids.unfunded, '2019-02-04', '2019-05-01')],
      ['enrolment', enrolment(ids.both, ids.funded, '2020-01-06', '2021-06-30')],
      ['learner', learner(ids.recent, 'Rhiannon', '2026-09-07')],
      ['enrolment', enrolment(ids.recent, ids.unfunded, '2026-09-07', null)],
      ['learner', learner(ids.neverEnrolled, 'Ninian', '2021-01-11')],
    ];
    expect(outcomesOf(await push(coordinator, records)).every((outcome) => outcome === 'applied')).toBe(true);
  });

  it('shows each stream’s period (the defaults at first) and how many learners are due', async () => {
    const answer = await summary(coordinator.token);
    expect(answer.asOf).toBe('2026-11-23');
    expect(years(answer, 'asf-tailored')).toBe(6);
    expect(years(answer, 'unfunded')).toBe(3);
    expect(
      answer.periods.every((period) => period.years === period.defaultYears && period.updatedAt === null),
    ).toBe(true);
    // Olwen (unfunded, 2020) and Ninian (never enrolled, 2021).
    expect(answer.dueCount).toBe(2);
    expect(answer.runs).toEqual([]);
  });

  it('saves a period, which changes who is due; refuses one that is not a whole number of years', async () => {
    const saved = await app.inject({
      method: 'PUT',
      url: '/api/retention',
      payload: { periods: { 'asf-tailored': 5 } },
      ...withSession(coordinator.token),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const answer = retentionSummarySchema.parse(saved.json());
    expect(years(answer, 'asf-tailored')).toBe(5);
    expect(answer.periods.find((period) => period.fundingStream === 'asf-tailored')).toMatchObject({
      defaultYears: 6,
      updatedByName: coordinator.user.name,
    });
    // Bartholomew's funded course ended in June 2021: five years have passed (not Fenella's, 2022).
    expect(answer.dueCount).toBe(3);

    for (const periods of [{ unfunded: 0 }, { unfunded: 2.5 }, { 'no-such-stream': 3 }]) {
      const refused = await app.inject({
        method: 'PUT',
        url: '/api/retention',
        payload: { periods },
        ...withSession(coordinator.token),
      });
      expect(refused.statusCode, JSON.stringify(periods)).toBe(400);
      expect(refused.json()).toMatchObject({ error: { reason: 'invalid-retention' } });
    }
    expect(years(await summary(coordinator.token), 'unfunded')).toBe(3);
  });

  it('anonymises exactly the learners due, by erasure: nothing personal left, the counts kept', async () => {
    const dashboardOf = async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/api/reports/dashboard?from=2019-01-01&to=2026-12-31',
        ...withSession(coordinator.token),
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<DashboardFigures>();
    };
    const before = await dashboardOf();
    const { cursor } = await client.pullAll(coordinator, { limit: 200 });

    const response = await run(coordinator.token);
    expect(response.statusCode, response.body).toBe(200);
    expect(retentionRunAnswerSchema.parse(response.json())).toEqual({
      asOf: '2026-11-23',
      learnersAnonymised: 2,
    });

    const learners = await query<{ entity_id: string; data: Record<string, unknown> }>(
      `SELECT entity_id, data FROM records WHERE entity_type = 'learner'`,
    );
    const statusOf = (id: string) => learners.find((row) => row.entity_id === id)?.data['status'];
    expect(statusOf(ids.oldDropIn)).toBe('erased');
    expect(statusOf(ids.neverEnrolled)).toBe('erased');
    for (const kept of [ids.funded2022, ids.both, ids.recent]) expect(statusOf(kept)).toBe('active');
    const everything = JSON.stringify(await query('SELECT data FROM records'));
    for (const gone of ['Olwen', 'Ninian']) expect(everything).not.toContain(gone);
    for (const kept of ['Fenella', 'Bartholomew', 'Rhiannon']) expect(everything).toContain(kept);
    const history = JSON.stringify(await query('SELECT old_value, new_value FROM change_history'));
    for (const gone of ['Olwen', 'Ninian']) expect(history).not.toContain(gone);
    expect(history).toContain('Fenella');

    // Logged: each anonymising as an erasure for retention, and the run.
    expect(
      (await query<{ learner_id: string; reason: string }>('SELECT learner_id, reason FROM learner_erasures'))
        .map((row) => [row.learner_id, row.reason])
        .sort(),
    ).toEqual(
      [
        [ids.neverEnrolled, 'retention'],
        [ids.oldDropIn, 'retention'],
      ].sort(),
    );
    const after = await summary(coordinator.token);
    expect(after.dueCount).toBe(0);
    expect(after.runs).toEqual([
      {
        runAt: expect.any(String),
        runByName: coordinator.user.name,
        asOf: '2026-11-23',
        learnersAnonymised: 2,
      },
    ]);

    // Devices learn it at their next pull, as after any erasure.
    const pulled = await client.pullAll(coordinator, { cursor, limit: 200 });
    expect(
      pulled.records
        .filter((record) => record.entityType === 'learner')
        .map((record) => [record.entityId, record.data['status']])
        .sort(),
    ).toEqual(
      [
        [ids.neverEnrolled, 'erased'],
        [ids.oldDropIn, 'erased'],
      ].sort(),
    );

    // Still counted, anonymously.
    const counted = await dashboardOf();
    expect(counted.learnersSupported).toBe(before.learnersSupported);
    expect(counted.sessionsDelivered).toBe(before.sessionsDelivered);

    // Nothing more to do: a second run anonymises no one.
    expect((await run(coordinator.token)).json()).toEqual({ asOf: '2026-11-23', learnersAnonymised: 0 });
  });

  it('answers a tutor 403 on every retention route', async () => {
    const tutor = await inviteAndAccept(app, coordinator.token, {
      email: 'tutor@example.org',
      name: 'Tutor',
    });
    for (const [method, url] of [
      ['GET', '/api/retention'],
      ['PUT', '/api/retention'],
      ['POST', '/api/retention/run'],
    ] as const) {
      const response = await app.inject({
        method,
        url,
        ...(method === 'GET' ? {} : { payload: { periods: {} } }),
        ...withSession(tutor.token),
      });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
    expect(await query('SELECT * FROM retention_runs')).toEqual([]);
  });
});

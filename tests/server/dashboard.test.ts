// The dashboard route on PGlite and PostgreSQL: the fixed data set pushed through the sync API by a
// coordinator's device, priority areas decided for some learners, and the route's answer checked
// against the figures worked out by hand (the same ones computeDashboard must give). Only
// coordinators may read it; a bad period is a 400; another organisation's records never count.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeEach, expect, it } from 'vitest';
import {
  type DashboardFigures,
  computeDashboard,
  dashboardFiguresSchema,
} from '../../src/domain/reports/dashboard';
import type { Database } from '../../src/server/db/database';
import { refreshDashboardSummaries } from '../../src/server/db/dashboardSummaries';
import {
  DASHBOARD_IDS,
  DASHBOARD_PERIOD,
  DASHBOARD_PRIORITY_AREAS,
  EXPECTED_DASHBOARD,
  compactFigures,
  dashboardChanges,
  makeDashboardData,
} from '../fixtures/dashboardData';
import { makeEnrolment, makeLearner, makeVenue } from '../fixtures/records';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { SERVER_NOW } from '../helpers/syncFixtures';
import { type SyncAccount, outcomesOf, syncClient } from './syncClient';
import { addOrganisation, buildTestApp, inviteAndAccept, setUpOrganisation, withSession } from './testApp';

const DASHBOARD_URL = `/api/reports/dashboard?from=${DASHBOARD_PERIOD.from}&to=${DASHBOARD_PERIOD.to}`;

describeEachBackend('the dashboard route', (context) => {
  let app: FastifyInstance;
  let coordinator: SyncAccount;
  const client = syncClient(() => app);

  async function pushDataSet(who: SyncAccount, extra: Parameters<typeof client.push>[1] = []) {
    const results = await client.push(who, [...dashboardChanges(makeDashboardData()), ...extra]);
    expect(outcomesOf(results).filter((outcome) => outcome !== 'applied')).toEqual([]);
  }

  async function decidePriorityAreas(
    db: Database,
    organisationId: string,
    areas: { learnerId: string; inPriorityArea: boolean; areaName: string | null }[],
  ) {
    for (const area of areas) {
      await db.query(
        `INSERT INTO learner_priority_areas (organisation_id, learner_id, in_priority_area, area_name)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (organisation_id, learner_id)
         DO UPDATE SET in_priority_area = excluded.in_priority_area, area_name = excluded.area_name`,
        [organisationId, area.learnerId, area.inPriorityArea, area.areaName],
      );
    }
  }

  async function readDashboard(token: string, url = DASHBOARD_URL) {
    return app.inject({ method: 'GET', url, ...withSession(token) });
  }

  async function figuresFor(token: string): Promise<DashboardFigures> {
    const response = await readDashboard(token);
    expect(response.statusCode, response.body).toBe(200);
    return dashboardFiguresSchema.parse(response.json());
  }

  beforeEach(async () => {
    await resetDatabase(context.db());
    app = await buildTestApp(context.db(), { now: () => SERVER_NOW });
    coordinator = await client.account(await setUpOrganisation(app), 'coordinator-laptop');
    await pushDataSet(coordinator);
    await decidePriorityAreas(context.db(), coordinator.user.organisationId, DASHBOARD_PRIORITY_AREAS);
  });

  it('answers the figures worked out by hand, from the server', async () => {
    const figures = await figuresFor(coordinator.token);
    expect(figures.source).toBe('server');
    expect(figures.period).toEqual(DASHBOARD_PERIOD);
    expect(compactFigures(figures)).toEqual(EXPECTED_DASHBOARD);
  });

  it('answers exactly what computeDashboard counts over the same records, zero rows and labels included', async () => {
    const figures = await figuresFor(coordinator.token);
    const priorityAreas = new Map(DASHBOARD_PRIORITY_AREAS.map((area) => [area.learnerId, area] as const));
    expect({ ...figures, source: 'device' }).toEqual(
      computeDashboard({ ...makeDashboardData(), priorityAreas }, DASHBOARD_PERIOD),
    );
  });

  it('keeps its summaries current: after each round of changes it answers what computeDashboard counts', async () => {
    const priorityAreas = new Map(DASHBOARD_PRIORITY_AREAS.map((area) => [area.learnerId, area] as const));
    const periods = [DASHBOARD_PERIOD, { from: '2025-01-01', to: '2026-12-31' }];
    async function expectFiguresOf(data: ReturnType<typeof makeDashboardData>) {
      for (const period of periods) {
        const response = await readDashboard(
          coordinator.token,
          `/api/reports/dashboard?from=${period.from}&to=${period.to}`,
        );
        expect(response.statusCode, response.body).toBe(200);
        expect({ ...dashboardFiguresSchema.parse(response.json()), source: 'device' }).toEqual(
          computeDashboard({ ...data, priorityAreas }, period),
        );
      }
    }
    const data = makeDashboardData();
    await expectFiguresOf(data);

    // A session moves venue and changes tutors, another is cancelled, a mark becomes an absence, a
    // learner's date of birth and equality answers change, one learner is deleted, an employment
    // status and an award are added, an enrolment ends.
    const [first, second] = data.sessions;
    const [mark] = data.attendance;
    const [learner, , deletedLearner] = data.learners;
    const [equality] = data.equalityMonitoring;
    const [award] = data.passportAwards;
    const [enrolment] = data.enrolments;
    const [status] = data.employmentStatuses;
    if (
      !first ||
      !second ||
      !mark ||
      !learner ||
      !deletedLearner ||
      !equality ||
      !award ||
      !enrolment ||
      !status
    ) {
      throw new Error(
        'The fixture has changed: this test needs two sessions, three learners and one of each record',
      );
    }
    const changed: Parameters<typeof client.push>[1] = [];
    const change = <T extends { id: string }>(
      type: Parameters<typeof client.push>[1][number][0],
      list: T[],
      record: T,
      fields: Partial<T>,
    ) => {
      const updated = { ...record, ...fields };
      list.splice(list.indexOf(record), 1, updated);
      changed.push([type, updated as unknown as Record<string, unknown>]);
    };
    change('session', data.sessions, first, {
      venueId: DASHBOARD_IDS.venue3,
      tutorNames: ['Another Tutor', 'Another Tutor'],
    });
    change('session', data.sessions, second, { status: 'cancelled' });
    change('attendance', data.attendance, mark, { mark: 'U', minutesAttended: 0 });
    change('learner', data.learners, learner, { dateOfBirth: '2008-10-01' });
    change('learner', data.learners, deletedLearner, { deleted: true });
    change('equalityMonitoring', data.equalityMonitoring, equality, { sex: 'M', lldd: '1' });
    change('enrolment', data.enrolments, enrolment, { actualEndDate: '2026-09-02' });
    const addedStatus = {
      ...status,
      id: randomUUID(),
      learnerId: learner.id,
      appliesOn: '2026-01-01',
      status: '10' as const,
      benefits: ['jsa' as const],
    };
    data.employmentStatuses.push(addedStatus);
    changed.push(['employmentStatus', addedStatus]);
    const addedAward = {
      ...award,
      id: randomUUID(),
      learnerId: learner.id,
      level: 'gold' as const,
      awardedOn: '2026-12-01',
    };
    data.passportAwards.push(addedAward);
    changed.push(['passportAward', addedAward]);

    const results = await client.push(coordinator, changed);
    expect(outcomesOf(results).filter((outcome) => outcome !== 'applied')).toEqual([]);
    await expectFiguresOf(data);
  });

  it('builds the same summaries reading whole tables (a first build) as looking each learner up', async () => {
    const organisationId = coordinator.user.organisationId;
    await context.db().query(
      `INSERT INTO dashboard_stale (organisation_id, kind, id)
       SELECT organisation_id, CASE WHEN entity_type = 'learner' THEN 'learner' ELSE 'session' END, entity_id::text
       FROM records WHERE organisation_id = $1 AND entity_type IN ('learner', 'session')
       ON CONFLICT DO NOTHING`,
      [organisationId],
    );
    const rebuilt = await context
      .db()
      .transaction((sql) => refreshDashboardSummaries(sql, organisationId, 0));
    expect(rebuilt.learners).toBe(makeDashboardData().learners.length);
    const figures = await figuresFor(coordinator.token);
    const priorityAreas = new Map(DASHBOARD_PRIORITY_AREAS.map((area) => [area.learnerId, area] as const));
    expect({ ...figures, source: 'device' }).toEqual(
      computeDashboard({ ...makeDashboardData(), priorityAreas }, DASHBOARD_PERIOD),
    );
  });

  it("never counts another organisation's records, even under the same ids", async () => {
    const other = await client.account(
      await addOrganisation(app, context.db(), {
        organisationName: 'Seaforth Community Learning',
        name: 'Other Coordinator',
        email: 'other.coordinator@seaforth.example',
      }),
      'other-laptop',
    );
    const extraLearner = randomUUID();
    await pushDataSet(other, [
      // Their venue of the same id has another name: ours must keep its own.
      ['venue', makeVenue({ id: DASHBOARD_IDS.venue1, name: 'Seaforth Library' })],
      ['learner', makeLearner({ id: extraLearner, givenNames: 'Omar' })],
      [
        'enrolment',
        makeEnrolment({
          id: randomUUID(),
          learnerId: extraLearner,
          programmeId: DASHBOARD_IDS.programme1,
          startDate: '2026-10-01',
        }),
      ],
    ]);
    await decidePriorityAreas(
      context.db(),
      other.user.organisationId,
      [
        ...DASHBOARD_PRIORITY_AREAS,
        { learnerId: DASHBOARD_IDS.l4, inPriorityArea: true, areaName: null },
      ].map((area) => ({ ...area, inPriorityArea: true, areaName: 'Seaforth' })),
    );

    expect(compactFigures(await figuresFor(coordinator.token))).toEqual(EXPECTED_DASHBOARD);
    const theirs = await figuresFor(other.token);
    expect(theirs.learnersSupported).toBe(12);
    expect(theirs.breakdowns.find((breakdown) => breakdown.key === 'priorityAreaName')?.rows).toEqual([
      // Their rows for L1–L7, L10 and L11 (L8 is not supported, L13 is merged), none of ours.
      { code: 'Seaforth', label: 'Seaforth', learners: 9 },
    ]);
  });

  it('answers 401 to a request without a session', async () => {
    const response = await app.inject({ method: 'GET', url: DASHBOARD_URL });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.reason).toBe('not-signed-in');
  });

  it('answers 403 to a tutor', async () => {
    const tutor = await inviteAndAccept(app, coordinator.token, {
      email: 'tutor@example.org',
      name: 'Tutor One',
    });
    const response = await readDashboard(tutor.token);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.reason).toBe('coordinator-only');
  });

  it('leaves out the sex, ethnicity and disability breakdowns for a coordinator not allowed equality answers', async () => {
    const other = await inviteAndAccept(app, coordinator.token, {
      email: 'second.coordinator@example.org',
      name: 'Second Coordinator',
      role: 'coordinator',
    });
    const allowed = await figuresFor(coordinator.token);
    const notAllowed = await figuresFor(other.token);
    expect(allowed.equalityHidden).toBe(false);
    expect(notAllowed.equalityHidden).toBe(true);
    const keys = (figures: DashboardFigures) => figures.breakdowns.map((breakdown) => breakdown.key);
    expect(keys(allowed)).toEqual(expect.arrayContaining(['sex', 'ethnicity', 'disability']));
    expect(keys(notAllowed)).toEqual(
      keys(allowed).filter((key) => !['sex', 'ethnicity', 'disability'].includes(key)),
    );
    // Everything else is the same figures.
    expect({ ...notAllowed, equalityHidden: false, breakdowns: [] }).toEqual({ ...allowed, breakdowns: [] });
  });

  it('answers 400 invalid-period, saying what is wrong, for a missing, unreal, reversed or too long period', async () => {
    const refusals: [string, string][] = [
      ['', 'Give the first day of the period as from=YYYY-MM-DD'],
      ['?from=2026-09-01', 'Give the last day of the period as to=YYYY-MM-DD'],
      ['?from=2026-02-30&to=2026-12-31', 'The first day of the period must be a real date as YYYY-MM-DD'],
      ['?from=2026-09-01&to=31-12-2026', 'The last day of the period must be a real date as YYYY-MM-DD'],
      ['?from=2026-12-31&to=2026-09-01', 'The period must end on or after the day it starts'],
      ['?from=1990-01-01&to=2026-12-31', 'The period can be at most 10 years long'],
      [
        '?from=2026-09-01&from=2026-10-01&to=2026-12-31',
        'The first day of the period must be a date as YYYY-MM-DD',
      ],
    ];
    for (const [query, message] of refusals) {
      const response = await readDashboard(coordinator.token, `/api/reports/dashboard${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error, query).toMatchObject({ reason: 'invalid-period', message });
    }
  });

  it('answers zeros for a period with nothing in it', async () => {
    const response = await readDashboard(
      coordinator.token,
      '/api/reports/dashboard?from=2020-01-01&to=2020-12-31',
    );
    expect(response.statusCode, response.body).toBe(200);
    const figures = dashboardFiguresSchema.parse(response.json());
    expect(figures.learnersSupported).toBe(0);
    expect(figures.attendance.rate).toBeNull();
    expect(figures.breakdowns.find((breakdown) => breakdown.key === 'venue')?.rows).toEqual([]);
  });
});

// npm run demo's loader (scripts/demo.ts) on both backends: what it loads, that the sync rules accept
// every record of it, that it loads once, and that it never touches a database with a real organisation.
import { beforeAll, expect, it } from 'vitest';
import { loanClashes, overdueLoans } from '../../src/domain/journey';
import {
  DEMO_ACCOUNTS,
  DEMO_ORGANISATION_NAME,
  DEMO_PASSWORD,
  loadDemo,
  type DemoOutcome,
} from '../../scripts/demo';
import {
  RECORD_SCHEMAS,
  type EntityType,
  type Loan,
  type Session,
  type SkillsAssessment,
} from '../../src/domain/records';
import { createOrganisation } from '../../src/server/auth/accounts';
import { verifyPassword } from '../../src/server/auth/password';
import { loadViewScope } from '../../src/server/db/scope';
import { OPEN_TIMEOUT_MS, describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { TEST_SCRYPT_COST } from './testApp';

/** A Wednesday afternoon in November (GMT, so London's date is the UTC one). */
const NOW = new Date('2026-11-25T14:00:00.000Z');
const TODAY = '2026-11-25';

type UserRow = { id: string; email: string; name: string; role: string; may_view_special_category: boolean };
type RecordRow = { entity_type: string; data: Record<string, unknown>; created_by_device: string };

describeEachBackend('the demo organisation', ({ db }) => {
  let outcome: DemoOutcome;

  beforeAll(async () => {
    outcome = await loadDemo(db(), { now: NOW, scryptCost: TEST_SCRYPT_COST });
  }, OPEN_TIMEOUT_MS);

  const recordsOf = async (entityType: EntityType): Promise<RecordRow[]> =>
    (
      await db().query<RecordRow>(
        'SELECT entity_type, data, created_by_device FROM records WHERE entity_type = $1',
        [entityType],
      )
    ).rows;
  const users = async (): Promise<UserRow[]> =>
    (
      await db().query<UserRow>(
        'SELECT id, email, name, role, may_view_special_category FROM users ORDER BY email',
      )
    ).rows;

  it('loads one council organisation with its summary', async () => {
    expect(outcome.kind).toBe('loaded');
    const { rows } = await db().query<{ name: string; type: string }>('SELECT name, type FROM organisations');
    expect(rows).toEqual([{ name: DEMO_ORGANISATION_NAME, type: 'council' }]);
    if (outcome.kind !== 'loaded') return;
    expect(outcome.summary).toMatchObject({ venues: 4, programmes: 4, sessions: 48, learners: 40 });
    expect(outcome.summary.enrolments).toBeGreaterThan(40);
    expect(outcome.summary.attendance).toBe((await recordsOf('attendance')).length);
  });

  it('makes a coordinator who sees special category answers and three tutors, all on the demo password', async () => {
    const rows = await users();
    expect(rows.map((row) => [row.email, row.role, row.may_view_special_category])).toEqual([
      ['coordinator@demo.outreach.test', 'coordinator', true],
      ['tutor1@demo.outreach.test', 'tutor', false],
      ['tutor2@demo.outreach.test', 'tutor', false],
      ['tutor3@demo.outreach.test', 'tutor', false],
    ]);
    expect(DEMO_ACCOUNTS.map((account) => account.email).sort()).toEqual(rows.map((row) => row.email));
    const { rows: hashes } = await db().query<{ password_hash: string }>('SELECT password_hash FROM users');
    for (const { password_hash } of hashes)
      expect(await verifyPassword(DEMO_PASSWORD, password_hash)).toBe(true);
  });

  it('stores records that all pass their schemas, with nothing refused', async () => {
    const { rows } = await db().query<RecordRow>(
      `SELECT entity_type, data, created_by_device FROM records
       WHERE entity_type NOT IN ('organisation', 'user', 'documentVersion')`,
    );
    expect(rows.length).toBeGreaterThan(500);
    for (const row of rows) {
      const parsed = RECORD_SCHEMAS[row.entity_type as EntityType].safeParse(row.data);
      expect(parsed.success, `${row.entity_type} ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    const refused = await db().query(
      `SELECT 1 FROM mutation_results WHERE status = 'rejected'
       UNION ALL SELECT 1 FROM change_history WHERE outcome LIKE 'rejected%'`,
    );
    expect(refused.rows).toEqual([]);
  });

  it('shows the learner journey: assessments, loans (one overdue) and the leaver’s job', async () => {
    const assessments = (await recordsOf('skillsAssessment')).map((row) => row.data as SkillsAssessment);
    expect(new Set(assessments.map((assessment) => assessment.type))).toEqual(
      new Set(['initial', 'progress']),
    );
    expect(assessments.every((assessment) => assessment.assessedOn < TODAY)).toBe(true);
    const loans = (await recordsOf('loan')).map((row) => row.data as Loan);
    expect(loans.length).toBeGreaterThanOrEqual(3);
    expect(overdueLoans(loans, TODAY)).toHaveLength(1);
    expect(loanClashes(loans)).toEqual([]);
    expect((await recordsOf('outcome')).map((row) => row.data['code'])).toEqual(['EMP1']);
  });

  it('gives every session one tutor, and every tutor a session today and sessions to come', async () => {
    const tutors = (await users()).filter((user) => user.role === 'tutor');
    const sessions = (await recordsOf('session')).map((row) => row.data as Session);
    for (const session of sessions) {
      expect(session.tutorIds).toHaveLength(1);
      const tutor = tutors.find((candidate) => candidate.id === session.tutorIds[0]);
      expect(tutor).toBeDefined();
      expect(session.tutorNames).toEqual([tutor?.name]);
    }
    for (const tutor of tutors) {
      const theirs = sessions.filter((session) => session.tutorIds.includes(tutor.id));
      expect(theirs.some((session) => session.date === TODAY)).toBe(true);
      expect(theirs.some((session) => session.date > TODAY)).toBe(true);
    }
  });

  it('has registers for the sessions taught, marked on their tutors’ devices, and none for the rest', async () => {
    const sessions = new Map(
      (await recordsOf('session')).map((row) => [String(row.data['id']), row.data as Session]),
    );
    const marks = await recordsOf('attendance');
    const devices = await db().query<{ id: string; registered_by: string }>(
      'SELECT id, registered_by FROM devices',
    );
    const deviceOwner = new Map(devices.rows.map((row) => [row.id, row.registered_by]));
    for (const mark of marks) {
      const session = sessions.get(String(mark.data['sessionId']));
      expect(session?.status).toBe('delivered');
      expect(session!.date < TODAY).toBe(true);
      expect(Date.parse(String(mark.data['markedAt']))).toBeLessThanOrEqual(NOW.getTime());
      expect(session!.tutorIds).toContain(deviceOwner.get(mark.created_by_device));
    }
    const marked = new Set(marks.map((mark) => String(mark.data['sessionId'])));
    for (const session of sessions.values()) {
      expect(marked.has(session.id)).toBe(session.status === 'delivered');
      expect(session.status === 'scheduled').toBe(session.date >= TODAY);
    }
    expect(new Set(marks.map((mark) => mark.data['mark']))).toEqual(new Set(['P', 'L', 'LE', 'AA', 'U']));
  });

  it('puts each tutor’s learners in their scope', async () => {
    const { rows } = await db().query<{ id: string; organisation_id: string }>(
      "SELECT id, organisation_id FROM users WHERE role = 'tutor'",
    );
    for (const tutor of rows) {
      const scope = await loadViewScope(db(), tutor.organisation_id, {
        userId: tutor.id,
        role: 'tutor',
        maySeeSpecialCategory: false,
      });
      if (scope.kind !== 'tutor') throw new Error('A tutor has a tutor scope');
      expect(scope.sessionIds.size).toBeGreaterThanOrEqual(12);
      expect(scope.learnerIds.size).toBeGreaterThanOrEqual(8);
    }
  });

  it('loads nothing a second time', async () => {
    const count = async () =>
      (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM records')).rows[0]?.n;
    const before = await count();
    expect(await loadDemo(db(), { now: NOW, scryptCost: TEST_SCRYPT_COST })).toEqual({
      kind: 'already-loaded',
    });
    expect(await count()).toBe(before);
  });

  it('refuses a database that holds another organisation, changing nothing', async () => {
    await resetDatabase(db());
    await db().transaction((sql) =>
      createOrganisation(sql, {
        name: 'Bootle Digital Inclusion Partnership',
        type: 'voluntary-community-group',
      }),
    );
    expect(await loadDemo(db(), { now: NOW, scryptCost: TEST_SCRYPT_COST })).toEqual({
      kind: 'refused',
      organisationNames: ['Bootle Digital Inclusion Partnership'],
    });
    const { rows } = await db().query<{ organisations: number; users: number; devices: number }>(
      `SELECT (SELECT count(*)::int FROM organisations) AS organisations,
              (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM devices) AS devices`,
    );
    expect(rows[0]).toEqual({ organisations: 1, users: 0, devices: 0 });
  });
});

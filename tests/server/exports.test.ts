// The CSV exports over HTTP, on PGlite and PostgreSQL: a small organisation pushed through sync is
// downloaded as learners, enrolments, attendance and outcomes, parsed back and compared cell by cell;
// formulas come back defused, contact details only with consent, equality answers only for a
// coordinator allowed them (and logged), other organisations' rows never; tutors are refused; each
// download is recorded; an export of several pages comes back whole and in order, and one whose page
// fails mid-way is cut off rather than delivered short.
import { randomUUID } from 'node:crypto';
import { get } from 'node:http';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attendanceId, consentId, equalityId } from '../../src/domain/ids';
import type { LearnerHistory } from '../../src/domain/history';
import { EXPORT_PAGE_SIZE, type ExportRecord } from '../../src/domain/reports/exports';
import type { SyncedEntityType } from '../../src/domain/sync/protocol';
import { SESSION_COOKIE } from '../../src/server/auth/sessions';
import type { Database } from '../../src/server/db/database';
import {
  makeAttendance,
  makeConsent,
  makeEnrolment,
  makeEqualityMonitoring,
  makeLearner,
  makeOutcome,
  makeProgramme,
  makeSession,
  makeVenue,
} from '../fixtures/records';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { SERVER_NOW } from '../helpers/syncFixtures';
import { type SyncAccount, outcomesOf, syncClient } from './syncClient';
import { addOrganisation, buildTestApp, inviteAndAccept, setUpOrganisation, withSession } from './testApp';

type Row = Record<string, string>;

/** The CSV as a real parser reads it: the byte-order mark dropped, one object per row by header. */
function rowsOf(response: LightMyRequestResponse): Row[] {
  return parse(response.rawPayload, { bom: true, columns: true }) as Row[];
}

function headerOf(response: LightMyRequestResponse): string[] {
  return (parse(response.rawPayload, { bom: true, toLine: 1 }) as string[][])[0] ?? [];
}

const ids = {
  venue: randomUUID(),
  programme: randomUUID(),
  otherProgramme: randomUUID(),
  session1: randomUUID(),
  session2: randomUUID(),
  siobhan: randomUUID(),
  formula: randomUUID(),
  noConsent: randomUUID(),
  erased: randomUUID(),
  merged: randomUUID(),
  deleted: randomUUID(),
  enrolmentSiobhan: randomUUID(),
  enrolmentFormula: randomUUID(),
  enrolmentNoConsent: randomUUID(),
  enrolmentErased: randomUUID(),
  outcomeSiobhan: randomUUID(),
  outcomeErased: randomUUID(),
  otherOrgLearner: randomUUID(),
};

const FORMULA_NAME = '=HYPERLINK("http://evil.example","Click me")';
const SEALED_NOTE = 'Part-time at the garden centre on Marsh Lane';

/** The organisation's records as a coordinator's laptop pushes them. */
function organisationRecords(): [SyncedEntityType, Record<string, unknown>][] {
  return [
    ['venue', makeVenue({ id: ids.venue, name: 'Bootle Library, Stanley Road' })],
    ['programme', makeProgramme({ id: ids.programme, title: 'Getting started with a tablet' })],
    [
      'programme',
      makeProgramme({ id: ids.otherProgramme, title: 'Online job search', fundingStream: 'ukspf' }),
    ],
    [
      'session',
      makeSession({ id: ids.session1, programmeId: ids.programme, venueId: ids.venue, date: '2026-11-30' }),
    ],
    [
      'session',
      makeSession({
        id: ids.session2,
        programmeId: ids.otherProgramme,
        venueId: ids.venue,
        date: '2027-01-11',
        scheduledStart: '2027-01-11T10:00:00.000Z',
        scheduledEnd: '2027-01-11T12:00:00.000Z',
      }),
    ],
    ['learner', makeLearner({ id: ids.siobhan })],
    [
      'learner',
      makeLearner({
        id: ids.formula,
        givenNames: FORMULA_NAME,
        familyName: '-Smith',
        dateOfBirth: '2001-07-04',
        postcode: 'PR82AB',
        town: 'Southport',
        phone: '+44 7700 900111',
        email: 'formula@example.com',
      }),
    ],
    [
      'learner',
      makeLearner({
        id: ids.noConsent,
        givenNames: 'Grace',
        familyName: 'Adeyemi',
        dateOfBirth: '1958-12-01',
        postcode: '',
        postcodeUnknown: true,
        town: '',
        phone: '07700 900333',
        email: 'grace@example.com',
      }),
    ],
    ['learner', makeLearner({ id: ids.erased, givenNames: 'Erased', status: 'erased' })],
    ['learner', makeLearner({ id: ids.merged, givenNames: 'Merged', mergedInto: ids.siobhan })],
    ['learner', makeLearner({ id: ids.deleted, givenNames: 'Deleted', deleted: true })],
    // Siobhán may be contacted by email and phone; the formula learner withdrew; Grace never agreed.
    ['consent', makeConsent({ id: consentId(ids.siobhan, 'contact-courses'), learnerId: ids.siobhan })],
    [
      'consent',
      makeConsent({
        id: consentId(ids.formula, 'contact-courses'),
        learnerId: ids.formula,
        withdrawnAt: '2026-11-20T09:00:00.000Z',
      }),
    ],
    [
      'consent',
      makeConsent({
        id: consentId(ids.noConsent, 'contact-courses'),
        learnerId: ids.noConsent,
        granted: false,
        channels: [],
      }),
    ],
    // Agreeing to surveys is not agreeing to be contacted about courses.
    [
      'consent',
      makeConsent({
        id: consentId(ids.noConsent, 'contact-surveys'),
        learnerId: ids.noConsent,
        purpose: 'contact-surveys',
      }),
    ],
    ['equalityMonitoring', makeEqualityMonitoring({ id: equalityId(ids.siobhan), learnerId: ids.siobhan })],
    [
      'equalityMonitoring',
      makeEqualityMonitoring({
        id: equalityId(ids.noConsent),
        learnerId: ids.noConsent,
        ethnicity: 'prefer-not-to-say',
        sex: null,
        lldd: null,
        disabilityCategories: [],
        primaryDisabilityCategory: null,
        healthAnswerChosenAt: null,
      }),
    ],
    [
      'enrolment',
      makeEnrolment({ id: ids.enrolmentSiobhan, learnerId: ids.siobhan, programmeId: ids.programme }),
    ],
    [
      'enrolment',
      makeEnrolment({
        id: ids.enrolmentFormula,
        learnerId: ids.formula,
        programmeId: ids.otherProgramme,
        fundingStream: 'ukspf',
        startDate: '2027-01-04',
        plannedEndDate: null,
        completionStatus: '2',
        actualEndDate: '2027-02-01',
        outcome: '1',
      }),
    ],
    [
      'enrolment',
      makeEnrolment({
        id: ids.enrolmentNoConsent,
        learnerId: ids.noConsent,
        programmeId: ids.programme,
        startDate: '2026-09-01',
        completionStatus: '3',
        actualEndDate: '2026-10-15',
        outcome: '3',
        withdrawalReason: '44',
      }),
    ],
    [
      'enrolment',
      makeEnrolment({ id: ids.enrolmentErased, learnerId: ids.erased, programmeId: ids.programme }),
    ],
    [
      'attendance',
      makeAttendance({
        id: attendanceId(ids.session1, ids.siobhan),
        sessionId: ids.session1,
        learnerId: ids.siobhan,
      }),
    ],
    [
      'attendance',
      makeAttendance({
        id: attendanceId(ids.session2, ids.formula),
        sessionId: ids.session2,
        learnerId: ids.formula,
        mark: 'AA',
        absenceReason: 'illness',
        minutesAttended: 0,
        markedLate: true,
      }),
    ],
    [
      'attendance',
      makeAttendance({
        id: attendanceId(ids.session1, ids.erased),
        sessionId: ids.session1,
        learnerId: ids.erased,
      }),
    ],
    [
      'outcome',
      makeOutcome({
        id: ids.outcomeSiobhan,
        learnerId: ids.siobhan,
        enrolmentId: ids.enrolmentSiobhan,
        notes: SEALED_NOTE,
      }),
    ],
    [
      'outcome',
      makeOutcome({ id: ids.outcomeErased, learnerId: ids.erased, enrolmentId: ids.enrolmentErased }),
    ],
  ];
}

const EXPECTED_LEARNERS: Row[] = [
  {
    'Learner ID': ids.siobhan,
    'Given names': 'Siobhán',
    'Family name': "O'Neill",
    'Date of birth': '1960-03-27',
    Postcode: 'L20 3NJ',
    Town: 'Bootle',
    'In a priority area': 'Yes',
    'Priority area': 'L20 3',
    Enrolments: '1',
    Phone: '07700 900982',
    Email: 'siobhan@example.com',
  },
  {
    'Learner ID': ids.formula,
    'Given names': `'${FORMULA_NAME}`,
    'Family name': "'-Smith",
    'Date of birth': '2001-07-04',
    Postcode: 'PR8 2AB',
    Town: 'Southport',
    'In a priority area': 'No',
    'Priority area': '',
    Enrolments: '1',
    Phone: '',
    Email: '',
  },
  {
    'Learner ID': ids.noConsent,
    'Given names': 'Grace',
    'Family name': 'Adeyemi',
    'Date of birth': '1958-12-01',
    Postcode: '',
    Town: '',
    'In a priority area': 'Not known',
    'Priority area': '',
    Enrolments: '1',
    Phone: '',
    Email: '',
  },
];

const EQUALITY_BY_LEARNER: Record<string, Row> = {
  [ids.siobhan]: {
    Sex: 'Female',
    Ethnicity: 'White: Irish',
    'Ethnicity (ILR code)': '32',
    'Learning difficulty, disability or health problem': 'Yes',
    'Main disability or difficulty': 'Visual impairment',
  },
  [ids.formula]: {
    Sex: '',
    Ethnicity: '',
    'Ethnicity (ILR code)': '99',
    'Learning difficulty, disability or health problem': '',
    'Main disability or difficulty': '',
  },
  [ids.noConsent]: {
    Sex: '',
    Ethnicity: 'Prefer not to say',
    'Ethnicity (ILR code)': '99',
    'Learning difficulty, disability or health problem': '',
    'Main disability or difficulty': '',
  },
};

const byId = (key: string) => (a: Row, b: Row) => ((a[key] ?? '') < (b[key] ?? '') ? -1 : 1);

describeEachBackend('CSV exports', (context) => {
  let app: FastifyInstance;
  let coordinator: SyncAccount;
  let tutor: SyncAccount;
  const client = syncClient(() => app);

  const download = (token: string, path: string) =>
    app.inject({ method: 'GET', url: path, ...withSession(token) });

  const listExports = async (token: string): Promise<ExportRecord[]> => {
    const response = await download(token, '/api/exports');
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ exports: ExportRecord[] }>().exports;
  };

  beforeEach(async () => {
    await resetDatabase(context.db());
    app = await buildTestApp(context.db(), { now: () => SERVER_NOW });
    coordinator = await client.account(await setUpOrganisation(app), 'coordinator-laptop');
    tutor = await client.account(
      await inviteAndAccept(app, coordinator.token, { email: 'tutor@example.org', name: 'Tess Tutor' }),
      'tablet-1',
    );
    const results = await client.push(coordinator, organisationRecords());
    expect(
      outcomesOf(results).every((outcome) => outcome === 'applied'),
      JSON.stringify(results),
    ).toBe(true);
    // The priority-areas store decides these flags; here they are written as it would.
    await context.db().query(
      `INSERT INTO learner_priority_areas (organisation_id, learner_id, in_priority_area, area_name)
       VALUES ($1, $2, true, 'L20 3'), ($1, $3, false, NULL)`,
      [coordinator.user.organisationId, ids.siobhan, ids.formula],
    );
  });
  afterEach(() => app.close());

  it('streams learners as CSV with a byte-order mark, a dated name, defused formulas and consented contact details', async () => {
    const response = await download(coordinator.token, '/api/exports/learners.csv');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="outreach-learners-taken-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(response.headers['cache-control']).toBe('no-store');
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(response.body).toContain('\r\n');
    expect(response.body.replace(/\r\n/g, '')).not.toMatch(/\n/);

    // The set-up coordinator may see equality answers: their columns follow the others.
    const expected = EXPECTED_LEARNERS.map((row) => ({
      ...row,
      ...EQUALITY_BY_LEARNER[row['Learner ID']!],
    })).sort(byId('Learner ID'));
    expect(rowsOf(response)).toEqual(expected);
    // Erased, merged and deleted learners are not exported.
    for (const name of ['Erased', 'Merged', 'Deleted']) expect(response.body).not.toContain(name);
  });

  it('leaves the equality breakdowns out of the summary for a coordinator not allowed equality answers', async () => {
    const plainCoordinator = await inviteAndAccept(app, coordinator.token, {
      email: 'third.coordinator@example.org',
      name: 'Third Coordinator',
      role: 'coordinator',
    });
    const url = '/api/exports/summary.csv?from=2026-09-01&to=2027-03-31';
    const sections = async (token: string) =>
      new Set(
        (parse((await download(token, url)).rawPayload, { bom: true }) as string[][]).map((row) => row[0]),
      );
    const allowed = await sections(coordinator.token);
    const notAllowed = await sections(plainCoordinator.token);
    for (const section of ['Learners: Sex', 'Learners: Ethnicity']) {
      expect(allowed.has(section), section).toBe(true);
      expect(notAllowed.has(section), section).toBe(false);
    }
    expect(notAllowed.has('Learners: Age band')).toBe(true);
  });

  it('leaves equality answers out for a coordinator not allowed to see them, and logs those it exports', async () => {
    const plainCoordinator = await client.account(
      await inviteAndAccept(app, coordinator.token, {
        email: 'second.coordinator@example.org',
        name: 'Second Coordinator',
        role: 'coordinator',
      }),
      'coordinator-2',
    );
    const plain = await download(plainCoordinator.token, '/api/exports/learners.csv');
    expect(plain.statusCode, plain.body).toBe(200);
    expect(headerOf(plain)).toEqual(Object.keys(EXPECTED_LEARNERS[0]!));
    expect(rowsOf(plain)).toEqual([...EXPECTED_LEARNERS].sort(byId('Learner ID')));
    expect(plain.body).not.toContain('White: Irish');

    const full = await download(coordinator.token, '/api/exports/learners.csv');
    expect(headerOf(full)).toEqual([
      ...Object.keys(EXPECTED_LEARNERS[0]!),
      ...Object.keys(EQUALITY_BY_LEARNER[ids.siobhan]!),
    ]);

    // Each learner whose answers left in the export is logged once as 'exported'; one with no
    // equality record is not.
    const accessOf = async (learnerId: string) => {
      const response = await download(coordinator.token, `/api/learners/${learnerId}/history`);
      expect(response.statusCode, response.body).toBe(200);
      return response
        .json<LearnerHistory>()
        .specialCategoryAccess.filter((access) => access.action === 'exported')
        .map((access) => access.userName);
    };
    expect(await accessOf(ids.siobhan)).toEqual([coordinator.user.name]);
    expect(await accessOf(ids.noConsent)).toEqual([coordinator.user.name]);
    expect(await accessOf(ids.formula)).toEqual([]);

    const recorded = await listExports(coordinator.token);
    expect(recorded.map((entry) => [entry.userName, entry.specialCategoryIncluded])).toEqual([
      [coordinator.user.name, true],
      ['Second Coordinator', false],
    ]);
  });

  it('exports enrolments, attendance and outcomes with labels for codes, and never an outcome’s notes', async () => {
    const enrolments = await download(coordinator.token, '/api/exports/enrolments.csv');
    expect(enrolments.statusCode, enrolments.body).toBe(200);
    expect(rowsOf(enrolments)).toEqual(
      [
        {
          'Enrolment ID': ids.enrolmentSiobhan,
          'Learner ID': ids.siobhan,
          Programme: 'Getting started with a tablet',
          'Funding stream': 'Adult Skills Fund tailored learning',
          'Start date': '2026-11-30',
          'Planned end date': '2027-01-11',
          'Actual end date': '',
          'Completion status': 'Continuing',
          Outcome: 'Not yet known',
          'Withdrawal reason': '',
        },
        {
          'Enrolment ID': ids.enrolmentFormula,
          'Learner ID': ids.formula,
          Programme: 'Online job search',
          'Funding stream': 'UK Shared Prosperity Fund',
          'Start date': '2027-01-04',
          'Planned end date': '',
          'Actual end date': '2027-02-01',
          'Completion status': 'Completed',
          Outcome: 'Achieved',
          'Withdrawal reason': '',
        },
        {
          'Enrolment ID': ids.enrolmentNoConsent,
          'Learner ID': ids.noConsent,
          Programme: 'Getting started with a tablet',
          'Funding stream': 'Adult Skills Fund tailored learning',
          'Start date': '2026-09-01',
          'Planned end date': '2027-01-11',
          'Actual end date': '2026-10-15',
          'Completion status': 'Withdrawn',
          Outcome: 'Not achieved',
          'Withdrawal reason': 'Other personal reasons',
        },
      ].sort(byId('Enrolment ID')),
    );

    const attendance = await download(coordinator.token, '/api/exports/attendance.csv');
    expect(attendance.statusCode, attendance.body).toBe(200);
    const marks = [
      {
        id: attendanceId(ids.session1, ids.siobhan),
        row: {
          'Session date': '2026-11-30',
          Programme: 'Getting started with a tablet',
          Venue: 'Bootle Library, Stanley Road',
          'Learner ID': ids.siobhan,
          Mark: 'Present',
          'Absence reason': '',
          'Minutes attended': '120',
          'Marked late': 'No',
        },
      },
      {
        id: attendanceId(ids.session2, ids.formula),
        row: {
          'Session date': '2027-01-11',
          Programme: 'Online job search',
          Venue: 'Bootle Library, Stanley Road',
          'Learner ID': ids.formula,
          Mark: 'Authorised absence',
          'Absence reason': 'Illness',
          'Minutes attended': '0',
          'Marked late': 'Yes',
        },
      },
    ];
    // Rows come in the order of the marks' ids (the keyset the pages follow).
    expect(rowsOf(attendance)).toEqual(marks.sort((a, b) => (a.id < b.id ? -1 : 1)).map((mark) => mark.row));

    const outcomes = await download(coordinator.token, '/api/exports/outcomes.csv');
    expect(outcomes.statusCode, outcomes.body).toBe(200);
    expect(rowsOf(outcomes)).toEqual([
      {
        'Learner ID': ids.siobhan,
        'Outcome code': 'EMP2',
        Outcome: 'Paid work, under 16 hours a week',
        'Start date': '2027-02-01',
        'End date': '',
        'Collected on': '2027-02-08',
        'Time point': 'Within 4 weeks of leaving',
        Evidence: 'Learner told us (self-declaration)',
      },
    ]);
    expect(outcomes.body).not.toContain('garden centre');
  });

  it('filters each export by its period', async () => {
    const idsIn = async (path: string, column: string) => {
      const response = await download(coordinator.token, path);
      expect(response.statusCode, response.body).toBe(200);
      return rowsOf(response)
        .map((row) => row[column])
        .sort();
    };
    // Enrolments overlapping November and December 2026: Siobhán's (continuing); Grace's ended in
    // October and the formula learner's starts in January.
    const autumn = 'from=2026-11-01&to=2026-12-31';
    expect(await idsIn(`/api/exports/enrolments.csv?${autumn}`, 'Enrolment ID')).toEqual([
      ids.enrolmentSiobhan,
    ]);
    expect(await idsIn(`/api/exports/learners.csv?${autumn}`, 'Learner ID')).toEqual([ids.siobhan]);
    expect(await idsIn(`/api/exports/attendance.csv?${autumn}`, 'Learner ID')).toEqual([ids.siobhan]);
    expect(await idsIn(`/api/exports/outcomes.csv?${autumn}`, 'Learner ID')).toEqual([]);
    expect(await idsIn('/api/exports/outcomes.csv?from=2027-02-08&to=2027-02-08', 'Learner ID')).toEqual([
      ids.siobhan,
    ]);
    expect(await idsIn('/api/exports/attendance.csv?from=2027-01-11&to=2027-01-11', 'Learner ID')).toEqual([
      ids.formula,
    ]);
    expect(await idsIn('/api/exports/enrolments.csv?from=2026-09-01&to=2027-03-01', 'Enrolment ID')).toEqual(
      [ids.enrolmentSiobhan, ids.enrolmentFormula, ids.enrolmentNoConsent].sort(),
    );

    const named = await download(coordinator.token, `/api/exports/attendance.csv?${autumn}`);
    expect(named.headers['content-disposition']).toMatch(
      /filename="outreach-attendance-2026-11-01-to-2026-12-31-taken-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect((await listExports(coordinator.token))[0]).toMatchObject({
      kind: 'attendance',
      from: '2026-11-01',
      to: '2026-12-31',
      rowCount: 1,
      status: 'completed',
    });
  });

  it('refuses a tutor, an unknown kind and a bad period, and records nothing for them', async () => {
    for (const path of ['/api/exports/learners.csv', '/api/exports/attendance.csv', '/api/exports']) {
      const refused = await download(tutor.token, path);
      expect(refused.statusCode, path).toBe(403);
      expect(refused.json().error.reason).toBe('coordinator-only');
    }
    const unknown = await download(coordinator.token, '/api/exports/devices.csv');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.reason).toBe('unknown-export');
    for (const query of [
      'from=2026-11-01',
      'to=2026-11-01',
      'from=2026-02-30&to=2026-03-01',
      'from=yesterday&to=today',
      'from=2026-12-01&to=2026-11-01',
      'from=2026-11-01&from=2026-11-02&to=2026-12-01',
    ]) {
      const response = await download(coordinator.token, `/api/exports/enrolments.csv?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.reason, query).toBe('invalid-period');
    }
    expect(await listExports(coordinator.token)).toEqual([]);
  });

  it("never shows another organisation's rows, and lists each organisation's exports apart", async () => {
    const other = await client.account(
      await addOrganisation(app, context.db(), {
        organisationName: 'Southport Library Service',
        name: 'Other Coordinator',
        email: 'other@southport.example',
      }),
      'other-laptop',
    );
    const otherResults = await client.push(other, [
      ['learner', makeLearner({ id: ids.otherOrgLearner, givenNames: 'Otto', familyName: 'Elsewhere' })],
      [
        'enrolment',
        makeEnrolment({ id: randomUUID(), learnerId: ids.otherOrgLearner, programmeId: randomUUID() }),
      ],
    ]);
    expect(outcomesOf(otherResults)).toEqual(['applied', 'applied']);

    for (const kind of ['learners', 'enrolments', 'attendance', 'outcomes']) {
      const ours = await download(coordinator.token, `/api/exports/${kind}.csv`);
      expect(ours.body).not.toContain(ids.otherOrgLearner);
      expect(ours.body).not.toContain('Elsewhere');
    }
    const theirs = await download(other.token, '/api/exports/learners.csv');
    expect(rowsOf(theirs).map((row) => row['Learner ID'])).toEqual([ids.otherOrgLearner]);
    const theirEnrolments = await download(other.token, '/api/exports/enrolments.csv');
    expect(rowsOf(theirEnrolments).map((row) => row['Learner ID'])).toEqual([ids.otherOrgLearner]);

    expect((await listExports(coordinator.token)).map((entry) => entry.kind)).toEqual([
      'outcomes',
      'attendance',
      'enrolments',
      'learners',
    ]);
    expect((await listExports(other.token)).map((entry) => entry.kind)).toEqual(['enrolments', 'learners']);
  });

  it('records each export with who took it, its period and row count, newest first', async () => {
    const started = Date.now();
    await download(coordinator.token, '/api/exports/learners.csv');
    await download(coordinator.token, '/api/exports/outcomes.csv?from=2027-01-01&to=2027-03-31');
    const recorded = await listExports(coordinator.token);
    expect(recorded).toEqual([
      {
        id: expect.any(String),
        kind: 'outcomes',
        from: '2027-01-01',
        to: '2027-03-31',
        rowCount: 1,
        specialCategoryIncluded: false,
        status: 'completed',
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
        userName: coordinator.user.name,
      },
      {
        id: expect.any(String),
        kind: 'learners',
        from: null,
        to: null,
        rowCount: 3,
        specialCategoryIncluded: true,
        status: 'completed',
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
        userName: coordinator.user.name,
      },
    ]);
    for (const entry of recorded) {
      expect(Date.parse(entry.startedAt)).toBeGreaterThanOrEqual(started - 1000);
      expect(Date.parse(entry.finishedAt)).toBeGreaterThanOrEqual(Date.parse(entry.startedAt));
    }
  });

  it('returns the dashboard figures for a period as a summary, every count under 5 suppressed', async () => {
    // Six more learners aged 50 to 64 on a programme that starts in October, none answering equality.
    const extra = Array.from({ length: 6 }, () => randomUUID());
    const pushed = await client.push(
      coordinator,
      extra.flatMap((learnerId): [SyncedEntityType, Record<string, unknown>][] => [
        ['learner', makeLearner({ id: learnerId, givenNames: 'Extra', dateOfBirth: '1970-01-01' })],
        [
          'enrolment',
          makeEnrolment({
            id: randomUUID(),
            learnerId,
            programmeId: ids.otherProgramme,
            startDate: '2026-10-01',
          }),
        ],
      ]),
    );
    expect(outcomesOf(pushed).every((outcome) => outcome === 'applied')).toBe(true);

    const response = await download(
      coordinator.token,
      '/api/exports/summary.csv?from=2026-09-01&to=2027-03-31',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="outreach-summary-2026-09-01-to-2027-03-31-taken-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(response.rawPayload, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['Section', 'Measure', 'Value']);
    const value = (section: string, measure: string) => {
      const found = rows.filter((row) => row[0] === section && row[1] === measure);
      expect(found, `${section} / ${measure}`).toHaveLength(1);
      return found[0]![2];
    };
    expect(value('Period', 'First day')).toBe('2026-09-01');
    expect(value('Period', 'Last day')).toBe('2027-03-31');
    // Siobhán, the formula learner, Grace, the six and the erased learner (counted, anonymously).
    expect(value('Headline figures', 'Learners supported')).toBe('10');
    expect(value('Headline figures', 'New learners')).toBe('10');
    // Only session 1 had someone attend (Siobhán and the erased learner); 2 attended of 3 expected.
    expect(value('Headline figures', 'Sessions delivered')).toBe('<5');
    expect(value('Headline figures', 'Attendances (present, late, left early or remote)')).toBe('<5');
    expect(value('Headline figures', 'Attendance rate (%)')).toBe('*');
    expect(value('Headline figures', 'Guided learning hours')).toBe('4');
    // Ages: 25 to 34 one, 50 to 64 six, 65 and over two. 50 and over would give the two away.
    expect(value('Learners: Age band', '25 to 34')).toBe('<5');
    expect(value('Learners: Age band', '50 to 64')).toBe('6');
    expect(value('Learners: Age band', '65 and over')).toBe('<5');
    expect(value('Headline figures', 'Learners aged 50 and over')).toBe('*');
    expect(value('Headline figures', 'Learners aged 16 to 24')).toBe('0');
    // One woman: hidden, and the next smallest cell with her so the total cannot reveal her.
    expect(value('Learners: Sex', 'Female')).toBe('<5');
    expect(value('Learners: Sex', 'Male')).toBe('0');
    expect(value('Learners: Sex', 'Not provided or prefer not to say')).toBe('*');
    expect(value('Outcomes collected', 'Paid work, under 16 hours a week')).toBe('<5');
    expect(value('Outcomes collected', 'Volunteering')).toBe('0');
    // No count anywhere is shown as 1 to 4.
    const counts = rows
      .slice(1)
      .filter(([section]) => section !== 'Period' && section !== 'Notes' && !section?.startsWith('Guided'))
      .filter(([, measure]) => measure !== 'Guided learning hours' && measure !== 'Attendance rate (%)');
    expect(counts.length).toBeGreaterThan(40);
    for (const [section, measure, shown] of counts) {
      expect(shown, `${section} / ${measure}`).toMatch(/^(0|[5-9]|[1-9][0-9]+|<5|\*)$/);
    }

    expect((await listExports(coordinator.token))[0]).toMatchObject({
      kind: 'summary',
      from: '2026-09-01',
      to: '2027-03-31',
      rowCount: rows.length - 1,
      specialCategoryIncluded: false,
      status: 'completed',
    });

    for (const query of [
      '',
      '?from=2026-09-01',
      '?from=2026-09-01&to=2026-08-01',
      '?from=2000-01-01&to=2026-01-01',
    ]) {
      const refused = await download(coordinator.token, `/api/exports/summary.csv${query}`);
      expect(refused.statusCode, query).toBe(400);
      expect(refused.json().error.reason, query).toBe('invalid-period');
    }
    const tutorRefused = await download(
      tutor.token,
      '/api/exports/summary.csv?from=2026-09-01&to=2027-03-31',
    );
    expect(tutorRefused.statusCode).toBe(403);
  });
});

/** Deterministic ids whose text order is their number's order, so the expected order is known. */
const numberedId = (prefix: string, n: number) =>
  `00000000-0000-4000-8000-${prefix}${String(n).padStart(11 - prefix.length + 1, '0')}`;

describeEachBackend('CSV exports larger than a page', (context) => {
  let app: FastifyInstance;
  let coordinator: { token: string; user: { id: string; organisationId: string; name: string } };
  const SESSIONS = 50;
  const LEARNERS = 50;
  const MARKS = SESSIONS * LEARNERS;

  const learnerId = (n: number) => numberedId('1', n);
  const sessionId = (n: number) => numberedId('2', n);
  const markId = (n: number) => numberedId('3', n);
  const sessionDate = (n: number) => new Date(Date.UTC(2026, 0, n)).toISOString().slice(0, 10);

  /** 2,500 marks written straight to the records table: 50 learners at each of 50 sessions. */
  async function insertMarks(db: Database, organisationId: string): Promise<void> {
    await db.transaction(async (sql) => {
      const insert = (type: string, id: string, data: Record<string, unknown>, seq: number) =>
        sql.query(
          `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
           VALUES ($1, $2, $3, $4, $5)`,
          [organisationId, type, id, JSON.stringify({ id, ...data }), seq],
        );
      await insert('venue', ids.venue, { name: 'Netherton Hub' }, 1);
      await insert('programme', ids.programme, { title: 'Getting online' }, 2);
      for (let n = 1; n <= LEARNERS; n++) {
        await insert(
          'learner',
          learnerId(n),
          { givenNames: `Learner ${n}`, status: 'active', mergedInto: null },
          2 + n,
        );
      }
      for (let n = 1; n <= SESSIONS; n++) {
        await insert(
          'session',
          sessionId(n),
          { programmeId: ids.programme, venueId: ids.venue, date: sessionDate(n) },
          100 + n,
        );
      }
      // One statement for the marks: mark number (s - 1) * 50 + l is learner l at session s.
      await sql.query(
        `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
         SELECT $1, 'attendance', m.id::uuid,
                jsonb_build_object('id', m.id, 'sessionId', m.session_id, 'learnerId', m.learner_id,
                                   'mark', 'P', 'minutesAttended', 60, 'markedLate', false),
                1000 + m.n
         FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS m(id, session_id, learner_id, n)`,
        [
          organisationId,
          Array.from({ length: MARKS }, (_, i) => markId(i + 1)),
          Array.from({ length: MARKS }, (_, i) => sessionId(Math.floor(i / LEARNERS) + 1)),
          Array.from({ length: MARKS }, (_, i) => learnerId((i % LEARNERS) + 1)),
          Array.from({ length: MARKS }, (_, i) => i + 1),
        ],
      );
    });
  }

  /** The database, with a switch that makes the nth transaction from now fail. */
  function faultyDatabase(db: Database) {
    let countdown: number | null = null;
    const database: Database = {
      kind: db.kind,
      query: (text, params) => db.query(text, params),
      close: () => db.close(),
      transaction: (fn) => {
        if (countdown !== null && --countdown === 0) {
          countdown = null;
          return Promise.reject(new Error('the disk is on fire'));
        }
        return db.transaction(fn);
      },
    };
    return { database, failTransaction: (nth: number) => (countdown = nth) };
  }

  let faults: ReturnType<typeof faultyDatabase>;

  beforeEach(async () => {
    await resetDatabase(context.db());
    faults = faultyDatabase(context.db());
    app = await buildTestApp(faults.database, { now: () => SERVER_NOW });
    coordinator = await setUpOrganisation(app);
    await insertMarks(context.db(), coordinator.user.organisationId);
  });
  afterEach(() => app.close());

  it('streams every mark across pages, in id order, and records the count', async () => {
    expect(MARKS).toBeGreaterThan(2 * EXPORT_PAGE_SIZE);
    const response = await app.inject({
      method: 'GET',
      url: '/api/exports/attendance.csv',
      ...withSession(coordinator.token),
    });
    expect(response.statusCode).toBe(200);
    const rows = rowsOf(response);
    expect(rows).toHaveLength(MARKS);
    rows.forEach((row, i) => {
      expect(row).toEqual({
        'Session date': sessionDate(Math.floor(i / LEARNERS) + 1),
        Programme: 'Getting online',
        Venue: 'Netherton Hub',
        'Learner ID': learnerId((i % LEARNERS) + 1),
        Mark: 'Present',
        'Absence reason': '',
        'Minutes attended': '60',
        'Marked late': 'No',
      });
    });
    // One header, written once, however many pages.
    expect(response.body.match(/Session date/g)).toHaveLength(1);

    const listed = await app.inject({
      method: 'GET',
      url: '/api/exports',
      ...withSession(coordinator.token),
    });
    expect(listed.json<{ exports: ExportRecord[] }>().exports[0]).toMatchObject({
      kind: 'attendance',
      rowCount: MARKS,
      status: 'completed',
    });
  });

  it('filters a many-page export by its period, past pages with nothing in it, and ends a file of exactly one full page', async () => {
    const download = async (from: number, to: number) => {
      const response = await app.inject({
        method: 'GET',
        url: `/api/exports/attendance.csv?from=${sessionDate(from)}&to=${sessionDate(to)}`,
        ...withSession(coordinator.token),
      });
      expect(response.statusCode).toBe(200);
      return rowsOf(response);
    };
    const rows = await download(10, 34);
    expect(rows).toHaveLength(25 * LEARNERS);
    expect(new Set(rows.map((row) => row['Session date'])).size).toBe(25);
    expect(rows[0]?.['Session date']).toBe(sessionDate(10));
    expect(rows.at(-1)?.['Session date']).toBe(sessionDate(34));

    // 20 sessions of 50: one full page, then an empty one that ends the file.
    const onePage = await download(1, 20);
    expect(onePage).toHaveLength(EXPORT_PAGE_SIZE);
    expect(onePage.at(-1)?.['Session date']).toBe(sessionDate(20));

    // The first two pages of marks (sessions 1 to 40) hold none of these: the export goes on past them.
    const lastTen = await download(41, 50);
    expect(lastTen).toHaveLength(10 * LEARNERS);
    expect(lastTen[0]?.['Session date']).toBe(sessionDate(41));
  });

  describe('when a page fails', () => {
    it('answers a failure at the first page with an error, before any byte of CSV', async () => {
      faults.failTransaction(1);
      const response = await app.inject({
        method: 'GET',
        url: '/api/exports/attendance.csv',
        ...withSession(coordinator.token),
      });
      expect(response.statusCode).toBe(500);
      expect(response.json().error.reason).toBe('internal-error');
      expect(response.body).not.toContain('disk');
    });

    it('breaks the download off after a later page fails, never ending a short file, and records it as incomplete', async () => {
      // The first page goes out, then the second cannot be read.
      faults.failTransaction(2);
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const received = await new Promise<{ status: number; bytes: number; complete: boolean }>(
        (resolve, reject) => {
          const request = get(
            `${address}/api/exports/attendance.csv`,
            { headers: { cookie: `${SESSION_COOKIE}=${coordinator.token}` } },
            (response) => {
              let bytes = 0;
              response.on('data', (chunk: Buffer) => (bytes += chunk.length));
              response.on('error', () => {});
              response.on('close', () =>
                resolve({ status: response.statusCode ?? 0, bytes, complete: response.complete }),
              );
            },
          );
          request.on('error', reject);
        },
      );
      expect(received.status).toBe(200);
      expect(received.bytes).toBeGreaterThan(0);
      // The response never ended properly: the client knows its file is broken.
      expect(received.complete).toBe(false);

      const listed = await app.inject({
        method: 'GET',
        url: '/api/exports',
        ...withSession(coordinator.token),
      });
      expect(listed.json<{ exports: ExportRecord[] }>().exports).toMatchObject([
        { kind: 'attendance', status: 'incomplete', rowCount: EXPORT_PAGE_SIZE },
      ]);
    });

    it('is refused whole by inject too: the response is destroyed', async () => {
      faults.failTransaction(3);
      await expect(
        app.inject({ method: 'GET', url: '/api/exports/attendance.csv', ...withSession(coordinator.token) }),
      ).rejects.toThrow(/destroyed/);
    });
  });
});

// A subject access request through the server, on PGlite and PostgreSQL (docs/sync-protocol.md, "Data
// protection"): a coordinator downloads everything held on one learner as a JSON file: their details
// and records of every type with labels beside codes, the documents they were shown with their text,
// their change history, and who received, exported or viewed their equality answers. Taking it is
// logged; equality answers are hidden from a coordinator not allowed to see them; another
// organisation's learner is not found, and a tutor may not take it.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeEach, expect, it } from 'vitest';
import { CONSENT_STATEMENTS_V1, LOAN_TERMS_V1, PRIVACY_NOTICE_V1 } from '../../src/domain/documents';
import { attendanceId, consentId, equalityId } from '../../src/domain/ids';
import type { SyncedEntityType } from '../../src/domain/sync/protocol';
import {
  makeAttendance,
  makeConsent,
  makeEnrolment,
  makeEqualityMonitoring,
  makeLearner,
  makeLearningGoal,
  makeLoan,
  makeLoanDevice,
  makeOutcome,
  makeProgramme,
  makeSession,
  makeVenue,
} from '../fixtures/records';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { SERVER_NOW } from '../helpers/syncFixtures';
import { type SyncAccount, outcomesOf, syncClient } from './syncClient';
import { addOrganisation, buildTestApp, inviteAndAccept, setUpOrganisation, withSession } from './testApp';

type SubjectAccessFile = Record<string, unknown> & {
  'Personal details': Record<string, unknown>;
  'Change history': { field: string; from: unknown; to: unknown; outcome: string; by: string | null }[];
  'Who received, exported or viewed the equality answers': { what: string; by: string | null }[];
  'Documents shown to the learner': { id: string; text: string; title: string }[];
  'Earlier subject access files': { at: string; by: string | null }[];
};

describeEachBackend('subject access request', (context) => {
  let app: FastifyInstance;
  let coordinator: SyncAccount;
  let tutor: SyncAccount;
  const client = syncClient(() => app);
  const { account, push } = client;

  const ids = {
    venue: randomUUID(),
    programme: randomUUID(),
    session: randomUUID(),
    loanDevice: randomUUID(),
    learner: randomUUID(),
    neighbour: randomUUID(),
    enrolment: randomUUID(),
    goal: randomUUID(),
    outcome: randomUUID(),
    loan: randomUUID(),
  };

  const grace = () =>
    makeLearner({
      id: ids.learner,
      givenNames: 'Grace',
      familyName: 'Adeyemi',
      preferredLanguage: 'yo',
      phone: '07700 900111',
      email: 'grace@example.org',
    });

  const take = (token: string, learnerId: string = ids.learner) =>
    app.inject({ method: 'GET', url: `/api/learners/${learnerId}/subject-access`, ...withSession(token) });

  const taken = async (token: string) => {
    const response = await take(token);
    expect(response.statusCode, response.body).toBe(200);
    return { response, file: JSON.parse(response.body) as SubjectAccessFile };
  };

  const query = <T>(text: string, params: unknown[] = []) =>
    context.db().transaction(async (sql) => (await sql.query<T>(text, params)).rows);

  beforeEach(async () => {
    await resetDatabase(context.db());
    app = await buildTestApp(context.db(), { now: () => SERVER_NOW });
    coordinator = await account(await setUpOrganisation(app), 'tablet-coordinator');
    tutor = await account(
      await inviteAndAccept(app, coordinator.token, { email: 'tutor@example.org', name: 'Ann Tutor' }),
      'tablet-tutor',
    );
    const organisation: [SyncedEntityType, Record<string, unknown>][] = [
      ['venue', makeVenue({ id: ids.venue, name: 'Bootle Library' })],
      ['programme', makeProgramme({ id: ids.programme, title: 'Getting started with a tablet' })],
      [
        'session',
        makeSession({
          id: ids.session,
          programmeId: ids.programme,
          venueId: ids.venue,
          tutorIds: [tutor.user.id],
          date: '2026-11-16',
        }),
      ],
      ['loanDevice', makeLoanDevice({ id: ids.loanDevice, assetTag: 'SEF-T-0042', venueId: ids.venue })],
    ];
    expect(outcomesOf(await push(coordinator, organisation)).every((outcome) => outcome === 'applied')).toBe(
      true,
    );
    const records: [SyncedEntityType, Record<string, unknown>][] = [
      ['learner', grace()],
      [
        'enrolment',
        makeEnrolment({
          id: ids.enrolment,
          learnerId: ids.learner,
          programmeId: ids.programme,
          privacyNoticeVersionId: PRIVACY_NOTICE_V1.id,
        }),
      ],
      [
        'equalityMonitoring',
        makeEqualityMonitoring({ id: equalityId(ids.learner), learnerId: ids.learner, ethnicity: '44' }),
      ],
      [
        'consent',
        makeConsent({
          id: consentId(ids.learner, 'contact-courses'),
          learnerId: ids.learner,
          documentVersionId: CONSENT_STATEMENTS_V1.id,
        }),
      ],
      [
        'consent',
        makeConsent({
          id: consentId(ids.learner, 'device-loan'),
          learnerId: ids.learner,
          purpose: 'device-loan',
          documentVersionId: LOAN_TERMS_V1.id,
        }),
      ],
      [
        'learningGoal',
        makeLearningGoal({ id: ids.goal, learnerId: ids.learner, enrolmentId: ids.enrolment }),
      ],
      ['outcome', makeOutcome({ id: ids.outcome, learnerId: ids.learner, enrolmentId: ids.enrolment })],
      [
        'loan',
        makeLoan({
          id: ids.loan,
          learnerId: ids.learner,
          loanDeviceId: ids.loanDevice,
          simId: null,
          venueId: ids.venue,
          agreementConsentId: consentId(ids.learner, 'device-loan'),
          termsVersionId: LOAN_TERMS_V1.id,
        }),
      ],
      [
        'attendance',
        makeAttendance({
          id: attendanceId(ids.session, ids.learner),
          sessionId: ids.session,
          learnerId: ids.learner,
          mark: 'P',
        }),
      ],
      ['learner', makeLearner({ id: ids.neighbour, givenNames: 'Tom', familyName: 'Byrne' })],
    ];
    expect(outcomesOf(await push(tutor, records)).every((outcome) => outcome === 'applied')).toBe(true);
    expect(outcomesOf(await push(tutor, [['learner', { ...grace(), phone: '07700 900999' }]]))).toEqual([
      'applied',
    ]);
    // The coordinator's tablet receives her equality answers (logged as received on a device).
    await client.pullAll(coordinator, { limit: 200 });
  });

  it('answers a JSON file of everything held on her, in plain words, and logs it', async () => {
    const { response, file } = await taken(coordinator.token);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="subject-access-${ids.learner}-2026-11-23.json"`,
    );
    expect(file).toMatchObject({
      formatVersion: 1,
      organisation: 'Bootle Digital Inclusion Partnership',
      learnerId: ids.learner,
      exportedAt: new Date(SERVER_NOW).toISOString(),
      exportedBy: coordinator.user.name,
      'Personal details': {
        givenNames: 'Grace',
        familyName: 'Adeyemi',
        phone: '07700 900999',
        email: 'grace@example.org',
        preferredLanguage: 'yo',
        preferredLanguageLabel: expect.any(String),
      },
    });
    expect(file).not.toHaveProperty('note');
    const section = (title: string) => file[title] as Record<string, unknown>[];
    expect(section('Enrolments')).toEqual([
      expect.objectContaining({
        id: ids.enrolment,
        programmeTitle: 'Getting started with a tablet',
        fundingStream: 'asf-tailored',
        fundingStreamLabel: 'Adult Skills Fund tailored learning',
        privacyNoticeVersionTitle: `${PRIVACY_NOTICE_V1.title} (version ${PRIVACY_NOTICE_V1.version})`,
      }),
    ]);
    expect(section('Attendance')).toEqual([
      expect.objectContaining({
        mark: 'P',
        markLabel: 'Present',
        session: {
          date: '2026-11-16',
          programmeTitle: 'Getting started with a tablet',
          venueName: 'Bootle Library',
        },
      }),
    ]);
    expect(section('Equality monitoring')).toEqual([
      expect.objectContaining({
        ethnicity: '44',
        ethnicityLabel: expect.stringContaining('African'),
        sex: 'F',
      }),
    ]);
    expect(section('Consents').map((consent) => consent['purposeLabel'])).toHaveLength(2);
    expect(section('Learning goals')[0]).toMatchObject({ text: 'Video call my grandchildren' });
    expect(section('Outcomes')[0]).toMatchObject({ code: 'EMP2', notes: 'Part-time at the garden centre' });
    expect(section('Device loans')[0]).toMatchObject({ loanDeviceAssetTag: 'SEF-T-0042' });
    // The documents she was shown, whole.
    expect(
      file['Documents shown to the learner'].map((document) => [document.id, document.text]).sort(),
    ).toEqual(
      [PRIVACY_NOTICE_V1, CONSENT_STATEMENTS_V1, LOAN_TERMS_V1]
        .map((document) => [document.id, document.text])
        .sort(),
    );
    // Her change history, every change, with the phone number that was changed.
    const phoneChange = file['Change history'].find((change) => change.field === 'phone');
    expect(phoneChange).toMatchObject({
      from: '07700 900111',
      to: '07700 900999',
      outcome: 'changed',
      by: 'Ann Tutor',
    });
    expect(file['Change history'].filter((change) => change.field === 'whole record')).toHaveLength(9);
    // Who had her equality answers: the coordinator's tablet, and this file.
    expect(
      file['Who received, exported or viewed the equality answers'].map((access) => access.what),
    ).toEqual(['received on a device', 'exported']);
    // Nothing of anyone else.
    expect(JSON.stringify(file)).not.toContain('Byrne');

    const logged = await query<{ learner_id: string; exported_by: string }>(
      'SELECT learner_id, exported_by FROM subject_access_exports',
    );
    expect(logged).toEqual([{ learner_id: ids.learner, exported_by: coordinator.user.id }]);
    const again = (await taken(coordinator.token)).file;
    expect(again['Earlier subject access files']).toEqual([
      { at: new Date(SERVER_NOW).toISOString(), by: coordinator.user.name },
    ]);
  });

  it('hides equality answers from a coordinator not allowed to see them, and logs no export of them', async () => {
    const second = await inviteAndAccept(app, coordinator.token, {
      email: 'second@example.org',
      name: 'Second Coordinator',
      role: 'coordinator',
    });
    const { file } = await taken(second.token);
    expect(file['note']).toEqual(expect.stringContaining('hidden'));
    const equality = (file['Equality monitoring'] as Record<string, unknown>[])[0]!;
    expect(equality).toMatchObject({ ethnicity: '(hidden)', sex: '(hidden)' });
    expect(equality).not.toHaveProperty('ethnicityLabel');
    const equalityChanges = file['Change history'].filter((change) =>
      JSON.stringify(change).includes('"44"'),
    );
    expect(equalityChanges).toEqual([]);
    const exported = await query<{ action: string }>(
      `SELECT action FROM special_category_access WHERE action = 'exported'`,
    );
    expect(exported).toEqual([]);
  });

  it('answers 404 for another organisation’s learner or none, and 403 to a tutor', async () => {
    const other = await addOrganisation(app, context.db(), {
      organisationName: 'Elsewhere',
      name: 'Other Coordinator',
      email: 'other@example.org',
    });
    const elsewhere = await take(other.token);
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ error: { reason: 'learner-not-found' } });
    expect((await take(coordinator.token, randomUUID())).statusCode).toBe(404);
    expect((await take(coordinator.token, 'not-an-id')).statusCode).toBe(404);
    const byTutor = await take(tutor.token);
    expect(byTutor.statusCode).toBe(403);
    expect(byTutor.json()).toMatchObject({ error: { reason: 'coordinator-only' } });
    expect(await query('SELECT * FROM subject_access_exports')).toEqual([]);
  });

  it('after an erasure, says so and holds nothing personal', async () => {
    const erased = await app.inject({
      method: 'POST',
      url: `/api/learners/${ids.learner}/erase`,
      payload: { confirmation: 'ERASE' },
      ...withSession(coordinator.token),
    });
    expect(erased.statusCode, erased.body).toBe(200);
    const { file } = await taken(coordinator.token);
    expect(file['erasure']).toEqual({
      at: new Date(SERVER_NOW).toISOString(),
      reason: 'Erased at the learner’s request',
    });
    const text = JSON.stringify(file);
    for (const personal of [
      'Grace',
      'Adeyemi',
      '07700',
      'grace@example.org',
      'grandchildren',
      'garden centre',
    ]) {
      expect(text, personal).not.toContain(personal);
    }
  });
});

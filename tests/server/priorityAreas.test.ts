// Priority areas through the server, on PGlite and PostgreSQL: a coordinator saves districts and sectors
// and imports postcodes with deciles (a bad file refused whole, with its lines, changing nothing); a
// learner's flag is decided when the server first holds their postcode under a rule, and then kept.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeEach, expect, it } from 'vitest';
import type { PriorityAreasSummary } from '../../src/domain/priorityAreas';
import { makeLearner } from '../fixtures/records';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { SERVER_NOW } from '../helpers/syncFixtures';
import { type SyncAccount, outcomesOf, syncClient } from './syncClient';
import {
  COORDINATOR,
  addOrganisation,
  buildTestApp,
  inviteAndAccept,
  setUpOrganisation,
  withSession,
} from './testApp';

const GOOD_CSV = [
  'Postcode,Area name,IMD decile',
  'M1 1AE,Ancoats,1',
  'M1 2AB,Ancoats,2',
  'M4 5AB,Ancoats North,3',
  'PR9 0AA,Southport Central,9',
].join('\n');

type Flag = {
  learner_id: string;
  in_priority_area: boolean;
  area_name: string | null;
  decile: number | null;
};

describeEachBackend('priority areas', (context) => {
  let app: FastifyInstance;
  let coordinator: SyncAccount;
  let tutor: SyncAccount;
  const client = syncClient(() => app);

  beforeEach(async () => {
    await resetDatabase(context.db());
    app = await buildTestApp(context.db(), { now: () => SERVER_NOW });
    coordinator = await client.account(await setUpOrganisation(app), 'coordinator-laptop');
    tutor = await client.account(
      await inviteAndAccept(app, coordinator.token, { email: 'tutor@example.org', name: 'Tutor One' }),
      'tablet-1',
    );
  });

  const read = (token: string) =>
    app.inject({ method: 'GET', url: '/api/priority-areas', ...withSession(token) });
  const summaryOf = async (token: string) => {
    const response = await read(token);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<PriorityAreasSummary>();
  };
  const save = (token: string, payload: unknown) =>
    app.inject({
      method: 'PUT',
      url: '/api/priority-areas',
      payload: payload as object,
      ...withSession(token),
    });
  const importCsv = (token: string, csv: string, edition = '2019', contentType = 'text/csv') =>
    app.inject({
      method: 'POST',
      url: `/api/priority-areas/postcodes?edition=${edition}`,
      headers: { 'content-type': contentType },
      payload: csv,
      ...withSession(token),
    });
  const removeImported = (token: string) =>
    app.inject({ method: 'DELETE', url: '/api/priority-areas/postcodes', ...withSession(token) });

  const flags = async (organisationId = coordinator.user.organisationId): Promise<Flag[]> =>
    (
      await context.db().query<Flag>(
        `SELECT learner_id, in_priority_area, area_name, decile FROM learner_priority_areas
           WHERE organisation_id = $1 ORDER BY area_name NULLS LAST, learner_id`,
        [organisationId],
      )
    ).rows;
  const flagOf = async (learnerId: string) => (await flags()).find((flag) => flag.learner_id === learnerId);

  const pushLearner = async (who: SyncAccount, id: string, postcode: string, postcodeUnknown = false) =>
    expect(
      outcomesOf(await client.push(who, [['learner', makeLearner({ id, postcode, postcodeUnknown })]])),
    ).toEqual(['applied']);

  it('saves districts and sectors typed in any case and spacing, with the threshold', async () => {
    expect(await summaryOf(coordinator.token)).toEqual({
      rule: { areas: [], decileThreshold: 2, updatedAt: null, updatedByName: null },
      imported: null,
      learners: { inPriorityArea: 0, notInPriorityArea: 0, notKnown: 0 },
    });
    const saved = await save(coordinator.token, { areas: ['l20', ' PR8   4', 'L20'], decileThreshold: 3 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      rule: { areas: ['L20', 'PR8 4'], decileThreshold: 3 },
      newlyDecided: 0,
    });
    const summary = await summaryOf(coordinator.token);
    expect(summary.rule).toMatchObject({
      areas: ['L20', 'PR8 4'],
      decileThreshold: 3,
      updatedByName: COORDINATOR.name,
    });
    expect(Date.parse(summary.rule.updatedAt ?? '')).not.toBeNaN();
  });

  it('refuses a list with bad entries, naming each, and saves nothing', async () => {
    expect((await save(coordinator.token, { areas: ['L20'], decileThreshold: 2 })).statusCode).toBe(200);
    const refused = await save(coordinator.token, { areas: ['L21', 'L2O', 'L20 3NJ'], decileThreshold: 4 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toEqual({
      reason: 'invalid-priority-areas',
      message:
        'Nothing was saved. "L2O" is not a postcode district or sector: did you mean L20?; "L20 3NJ" is a full postcode: enter its district L20 or its sector L20 3.',
      details: {
        problems: [
          { entry: 'L2O', message: '"L2O" is not a postcode district or sector: did you mean L20?' },
          {
            entry: 'L20 3NJ',
            message: '"L20 3NJ" is a full postcode: enter its district L20 or its sector L20 3',
          },
        ],
      },
    });
    expect((await summaryOf(coordinator.token)).rule).toMatchObject({ areas: ['L20'], decileThreshold: 2 });
  });

  it.each([0, 11, 2.5, '2', null])('refuses the threshold %j with 400', async (decileThreshold) => {
    const refused = await save(coordinator.token, { areas: [], decileThreshold });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error.reason).toBe('invalid-request');
  });

  it('imports postcodes with their areas and deciles, and summarises them', async () => {
    const imported = await importCsv(coordinator.token, GOOD_CSV, '2025');
    expect(imported.statusCode, imported.body).toBe(200);
    const summary = await summaryOf(coordinator.token);
    expect(summary.imported).toMatchObject({
      imdEdition: 2025,
      importedByName: COORDINATOR.name,
      postcodeCount: 4,
      priorityPostcodeCount: 2,
      areaCount: 3,
      areas: [
        { name: 'Ancoats', postcodes: 2, lowestDecile: 1 },
        { name: 'Ancoats North', postcodes: 1, lowestDecile: 3 },
        { name: 'Southport Central', postcodes: 1, lowestDecile: 9 },
      ],
    });
    // The threshold decides what counts, and changes the count when it changes.
    await save(coordinator.token, { areas: [], decileThreshold: 3 });
    expect((await summaryOf(coordinator.token)).imported?.priorityPostcodeCount).toBe(3);
    // A new import replaces the old one entirely.
    expect((await importCsv(coordinator.token, 'postcode,area,decile\nL20 3NJ,Bootle,1')).statusCode).toBe(
      200,
    );
    expect((await summaryOf(coordinator.token)).imported).toMatchObject({
      imdEdition: 2019,
      postcodeCount: 1,
      areas: [{ name: 'Bootle', postcodes: 1, lowestDecile: 1 }],
    });
  });

  it('refuses a malformed file with the line and reason of each problem, and changes nothing', async () => {
    expect((await importCsv(coordinator.token, GOOD_CSV)).statusCode).toBe(200);
    const before = await summaryOf(coordinator.token);
    const bad = [
      'postcode,area name,decile',
      'L20 3NJ,Bootle,1',
      'XX1,Bootle,1',
      'L20 4AB,,2',
      'L20 5AB,Bootle,two',
    ];
    const refused = await importCsv(coordinator.token, bad.join('\n'));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toEqual({
      reason: 'postcode-file-refused',
      message: 'The file was not imported, and nothing was changed: it has 3 problems.',
      details: {
        problems: [
          { line: 3, message: 'Line 3: "XX1" is not a valid postcode' },
          { line: 4, message: 'Line 4: the area name is empty' },
          { line: 5, message: 'Line 5: the decile "two" is not a whole number from 1 to 10' },
        ],
        moreProblems: 0,
      },
    });
    expect(await summaryOf(coordinator.token)).toEqual(before);
  });

  it('asks for the edition, CSV text, and a file within the size limit', async () => {
    const noEdition = await importCsv(coordinator.token, GOOD_CSV, '2020');
    expect(noEdition.statusCode).toBe(400);
    expect(noEdition.json().error.reason).toBe('edition-required');

    const json = await app.inject({
      method: 'POST',
      url: '/api/priority-areas/postcodes?edition=2019',
      payload: { csv: GOOD_CSV },
      ...withSession(coordinator.token),
    });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.reason).toBe('csv-required');

    const withCharset = await importCsv(coordinator.token, GOOD_CSV, '2019', 'text/csv; charset=utf-8');
    expect(withCharset.statusCode, withCharset.body).toBe(200);
    const asPlainText = await importCsv(coordinator.token, GOOD_CSV, '2019', 'text/plain');
    expect(asPlainText.statusCode, asPlainText.body).toBe(200);

    const tooLarge = await importCsv(
      coordinator.token,
      `postcode,area,decile\n${'x'.repeat(11 * 1024 * 1024)}`,
    );
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error).toMatchObject({
      reason: 'file-too-large',
      message: expect.stringContaining('the largest accepted is 10 MB'),
    });
    expect((await summaryOf(coordinator.token)).imported?.postcodeCount).toBe(4);
  });

  it('decides a learner’s flag when the server first receives them, and keeps it when the rule changes', async () => {
    await save(coordinator.token, { areas: ['L20'], decileThreshold: 2 });
    const [inL20, elsewhere, unknown] = [randomUUID(), randomUUID(), randomUUID()];
    await pushLearner(tutor, inL20, 'L203NJ');
    await pushLearner(tutor, elsewhere, 'PR84AB');
    await pushLearner(tutor, unknown, '', true);
    expect(await flagOf(inL20)).toMatchObject({ in_priority_area: true, area_name: 'L20', decile: null });
    expect(await flagOf(elsewhere)).toMatchObject({ in_priority_area: false, area_name: null });
    expect(await flagOf(unknown)).toBeUndefined();

    // The rule changes: flags already decided stay as they were.
    const saved = await save(coordinator.token, { areas: ['PR8'], decileThreshold: 2 });
    expect(saved.json().newlyDecided).toBe(0);
    expect(await flagOf(inL20)).toMatchObject({ in_priority_area: true, area_name: 'L20' });
    expect(await flagOf(elsewhere)).toMatchObject({ in_priority_area: false });
    // The learner moves: the flag computed at enrolment is kept.
    await pushLearner(tutor, inL20, 'PR84AB');
    expect(await flagOf(inL20)).toMatchObject({ in_priority_area: true, area_name: 'L20' });
    // A learner whose postcode was unknown is decided when it arrives, against the rule of then.
    await pushLearner(tutor, unknown, 'PR81AA');
    expect(await flagOf(unknown)).toMatchObject({ in_priority_area: true, area_name: 'PR8' });

    expect((await summaryOf(coordinator.token)).learners).toEqual({
      inPriorityArea: 2,
      notInPriorityArea: 1,
      notKnown: 0,
    });
  });

  const pushFourLearners = async () => {
    const ids = {
      bootle: randomUUID(),
      ancoats: randomUUID(),
      southport: randomUUID(),
      noPostcode: randomUUID(),
    };
    await pushLearner(coordinator, ids.bootle, 'L203NJ');
    await pushLearner(coordinator, ids.ancoats, 'M11AE');
    await pushLearner(coordinator, ids.southport, 'PR90AA');
    await pushLearner(coordinator, ids.noPostcode, '', true);
    expect(await flags()).toEqual([]);
    return ids;
  };

  it('decides the learners pushed before any rule when the rule is saved, and only those after', async () => {
    const ids = await pushFourLearners();
    expect((await summaryOf(coordinator.token)).learners).toEqual({
      inPriorityArea: 0,
      notInPriorityArea: 0,
      notKnown: 4,
    });
    const saved = await save(coordinator.token, { areas: ['L20 3'], decileThreshold: 2 });
    expect(saved.json()).toMatchObject({
      newlyDecided: 3,
      learners: { inPriorityArea: 1, notInPriorityArea: 2, notKnown: 1 },
    });
    expect(await flagOf(ids.bootle)).toMatchObject({ in_priority_area: true, area_name: 'L20 3' });
    expect(await flagOf(ids.ancoats)).toMatchObject({ in_priority_area: false, area_name: null });
    expect(await flagOf(ids.noPostcode)).toBeUndefined();

    // Postcodes imported later decide no one already decided: Ancoats keeps "not in".
    const imported = await importCsv(coordinator.token, GOOD_CSV);
    expect(imported.json().newlyDecided).toBe(0);
    expect(await flagOf(ids.ancoats)).toMatchObject({
      in_priority_area: false,
      area_name: null,
      decile: null,
    });
  });

  it('decides the learners pushed before any rule when postcodes are imported, by decile', async () => {
    const ids = await pushFourLearners();
    const imported = await importCsv(coordinator.token, GOOD_CSV, '2025');
    expect(imported.json().newlyDecided).toBe(3);
    expect(await flagOf(ids.ancoats)).toMatchObject({
      in_priority_area: true,
      area_name: 'Ancoats',
      decile: 1,
    });
    expect(await flagOf(ids.southport)).toMatchObject({
      in_priority_area: false,
      area_name: null,
      decile: 9,
    });
    expect(await flagOf(ids.bootle)).toMatchObject({
      in_priority_area: false,
      area_name: null,
      decile: null,
    });
    const edition = await context
      .db()
      .query<{ learner_id: string; imd_edition: number | null }>(
        'SELECT learner_id, imd_edition FROM learner_priority_areas WHERE organisation_id = $1',
        [coordinator.user.organisationId],
      );
    expect(Object.fromEntries(edition.rows.map((row) => [row.learner_id, row.imd_edition]))).toEqual({
      [ids.ancoats]: 2025,
      [ids.southport]: 2025,
      [ids.bootle]: null,
    });
  });

  it('removes the imported postcodes and keeps the flags they decided', async () => {
    const learner = randomUUID();
    await importCsv(coordinator.token, GOOD_CSV);
    await pushLearner(coordinator, learner, 'M11AE');
    expect(await flagOf(learner)).toMatchObject({ in_priority_area: true, area_name: 'Ancoats' });
    const removed = await removeImported(coordinator.token);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json<PriorityAreasSummary>().imported).toBeNull();
    expect(await flagOf(learner)).toMatchObject({ in_priority_area: true, area_name: 'Ancoats' });
    // With no areas and no postcodes there is no rule: a new learner is not known.
    const next = randomUUID();
    await pushLearner(coordinator, next, 'M11AE');
    expect(await flagOf(next)).toBeUndefined();
  });

  it('leaves another organisation’s rule, postcodes and learners alone', async () => {
    const other = await client.account(
      await addOrganisation(app, context.db(), {
        organisationName: 'Knowsley Digital',
        name: 'Other Coordinator',
        email: 'other@knowsley.example',
      }),
      'other-laptop',
    );
    const theirLearner = randomUUID();
    await pushLearner(other, theirLearner, 'L203NJ');
    await save(coordinator.token, { areas: ['L20'], decileThreshold: 5 });
    await importCsv(coordinator.token, GOOD_CSV);
    expect(await flags(other.user.organisationId)).toEqual([]);
    expect(await summaryOf(other.token)).toEqual({
      rule: { areas: [], decileThreshold: 2, updatedAt: null, updatedByName: null },
      imported: null,
      learners: { inPriorityArea: 0, notInPriorityArea: 0, notKnown: 1 },
    });

    // Their import and removal touch only their own postcodes.
    expect((await importCsv(other.token, 'postcode,area,decile\nL20 3NJ,Bootle,1')).statusCode).toBe(200);
    expect(await flags(other.user.organisationId)).toMatchObject([
      { learner_id: theirLearner, area_name: 'Bootle' },
    ]);
    expect((await removeImported(other.token)).statusCode).toBe(200);
    expect((await summaryOf(coordinator.token)).imported?.postcodeCount).toBe(4);
    expect((await summaryOf(coordinator.token)).learners.notKnown).toBe(0);
  });

  it('answers a tutor 403 coordinator-only on every route, and changes nothing', async () => {
    const responses = await Promise.all([
      read(tutor.token),
      save(tutor.token, { areas: ['L20'], decileThreshold: 2 }),
      importCsv(tutor.token, GOOD_CSV),
      removeImported(tutor.token),
    ]);
    for (const response of responses) {
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().error.reason).toBe('coordinator-only');
    }
    expect((await summaryOf(coordinator.token)).rule.areas).toEqual([]);
    expect((await summaryOf(coordinator.token)).imported).toBeNull();
  });

  it('answers 401 when nobody is signed in', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/priority-areas' });
    expect(response.statusCode).toBe(401);
  });
});

// The learner journey's records through the sync server, on PGlite and PostgreSQL: a tutor's
// assessments, goals, awards, outcomes and loans stay within their scope; every tutor receives the
// organisation's loan devices and SIMs; a device lent twice by two tablets offline is kept twice
// (flagged for a coordinator, never dropped); an impossible record is refused with its reason.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeEach, expect, it } from 'vitest';
import { passportAwardId } from '../../src/domain/ids';
import { loanClashes } from '../../src/domain/journey';
import type { Loan } from '../../src/domain/records';
import type { PulledRecord, SyncedEntityType } from '../../src/domain/sync/protocol';
import {
  makeEnrolment,
  makeLearner,
  makeLearningGoal,
  makeLoan,
  makeLoanDevice,
  makeOutcome,
  makePassportAward,
  makeProgramme,
  makeSession,
  makeSim,
  makeSkillsAssessment,
  makeVenue,
} from '../fixtures/records';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { SERVER_NOW } from '../helpers/syncFixtures';
import { type SyncAccount, outcomesOf, syncClient } from './syncClient';
import { buildTestApp, inviteAndAccept, setUpOrganisation } from './testApp';

describeEachBackend('learner journey records', (context) => {
  let app: FastifyInstance;
  let coordinator: SyncAccount;
  let tutor1: SyncAccount;
  let tutor2: SyncAccount;
  const client = syncClient(() => app);
  const { account, push } = client;

  const ids = {
    venue: randomUUID(),
    programme1: randomUUID(),
    programme2: randomUUID(),
    learner1: randomUUID(),
    learner2: randomUUID(),
    loanDevice: randomUUID(),
    sim: randomUUID(),
  };

  const recordsOf = (records: PulledRecord[], entityType: SyncedEntityType) =>
    records.filter((record) => record.entityType === entityType && !record.deleted);

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
    const results = await push(coordinator, [
      ['venue', makeVenue({ id: ids.venue })],
      ['programme', makeProgramme({ id: ids.programme1 })],
      ['programme', makeProgramme({ id: ids.programme2, title: 'Online job search' })],
      [
        'session',
        makeSession({
          id: randomUUID(),
          programmeId: ids.programme1,
          venueId: ids.venue,
          tutorIds: [tutor1.user.id],
        }),
      ],
      [
        'session',
        makeSession({
          id: randomUUID(),
          programmeId: ids.programme2,
          venueId: ids.venue,
          tutorIds: [tutor2.user.id],
        }),
      ],
      ['learner', makeLearner({ id: ids.learner1, givenNames: 'Ada' })],
      ['learner', makeLearner({ id: ids.learner2, givenNames: 'Bea' })],
      [
        'enrolment',
        makeEnrolment({ id: randomUUID(), learnerId: ids.learner1, programmeId: ids.programme1 }),
      ],
      [
        'enrolment',
        makeEnrolment({ id: randomUUID(), learnerId: ids.learner2, programmeId: ids.programme2 }),
      ],
      ['loanDevice', makeLoanDevice({ id: ids.loanDevice, venueId: ids.venue })],
      ['sim', makeSim({ id: ids.sim })],
    ]);
    expect(outcomesOf(results).every((outcome) => outcome === 'applied')).toBe(true);
  });

  const journeyOf = (learnerId: string) =>
    [
      ['skillsAssessment', makeSkillsAssessment({ id: randomUUID(), learnerId })],
      ['learningGoal', makeLearningGoal({ id: randomUUID(), learnerId })],
      ['outcome', makeOutcome({ id: randomUUID(), learnerId })],
      ['passportAward', makePassportAward({ id: passportAwardId(learnerId, 'bronze', 1), learnerId })],
    ] as [SyncedEntityType, Record<string, unknown>][];

  it("applies a tutor's journey records for their learners, refuses them for others, and pulls them only within scope", async () => {
    expect(outcomesOf(await push(tutor1, journeyOf(ids.learner1)))).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
    ]);
    expect(outcomesOf(await push(tutor1, journeyOf(ids.learner2)))).toEqual([
      'outside-scope',
      'outside-scope',
      'outside-scope',
      'outside-scope',
    ]);

    const seenBy = async (who: SyncAccount) => (await client.pullAll(who, { limit: 50 })).records;
    const tutor2Sees = await seenBy(tutor2);
    for (const type of ['skillsAssessment', 'learningGoal', 'outcome', 'passportAward'] as const) {
      expect(recordsOf(await seenBy(coordinator), type).map((record) => record.data['learnerId'])).toEqual([
        ids.learner1,
      ]);
      expect(recordsOf(tutor2Sees, type)).toEqual([]);
    }
    // Every tutor receives the organisation's loan devices and SIMs: any of them may lend one.
    expect(recordsOf(tutor2Sees, 'loanDevice').map((record) => record.entityId)).toEqual([ids.loanDevice]);
    expect(recordsOf(tutor2Sees, 'sim').map((record) => record.entityId)).toEqual([ids.sim]);
  });

  it('keeps both loans when two tablets lent one device offline, so a coordinator sees the clash', async () => {
    const loan = (learnerId: string) =>
      makeLoan({
        id: randomUUID(),
        learnerId,
        loanDeviceId: ids.loanDevice,
        simId: null,
        venueId: ids.venue,
        agreementConsentId: randomUUID(),
      });
    expect(
      outcomesOf(
        await push(tutor1, [
          ['loan', loan(ids.learner1)],
          [
            'loanDevice',
            { ...makeLoanDevice({ id: ids.loanDevice, venueId: ids.venue }), status: 'on-loan' },
          ],
        ]),
      ),
    ).toEqual(['applied', 'applied']);
    expect(outcomesOf(await push(tutor2, [['loan', loan(ids.learner2)]]))).toEqual(['applied']);

    const loans = recordsOf((await client.pullAll(coordinator, { limit: 50 })).records, 'loan').map(
      (record) => record.data as unknown as Loan,
    );
    expect(loans.map((held) => held.learnerId).sort()).toEqual([ids.learner1, ids.learner2].sort());
    expect(loanClashes(loans)).toEqual([{ loanDeviceId: ids.loanDevice, loans: expect.any(Array) }]);
    expect(loanClashes(loans)[0]!.loans).toHaveLength(2);
  });

  it('lets only a coordinator cancel a loan (how a clash is settled)', async () => {
    const loan = makeLoan({
      id: randomUUID(),
      learnerId: ids.learner1,
      loanDeviceId: ids.loanDevice,
      simId: null,
      venueId: ids.venue,
    });
    expect(outcomesOf(await push(tutor1, [['loan', loan]]))).toEqual(['applied']);
    expect(outcomesOf(await push(tutor1, [['loan', { ...loan, deleted: true }]]))).toEqual([
      'coordinator-only',
    ]);
    expect(outcomesOf(await push(coordinator, [['loan', { ...loan, deleted: true }]]))).toEqual(['applied']);
  });

  it('makes one award of a level when two tablets award it (the id derives from learner, level and rules)', async () => {
    const award = (awardedBy: string) =>
      makePassportAward({
        id: passportAwardId(ids.learner1, 'silver', 1),
        learnerId: ids.learner1,
        level: 'silver',
        awardedBy,
      });
    expect(outcomesOf(await push(tutor1, [['passportAward', award('Tutor One')]]))).toEqual(['applied']);
    expect(outcomesOf(await push(coordinator, [['passportAward', award('Coordinator')]]))).toEqual([
      'applied',
    ]);
    const awards = recordsOf((await client.pullAll(coordinator, { limit: 50 })).records, 'passportAward');
    expect(awards.map((record) => [record.entityId, record.data['awardedBy']])).toEqual([
      [passportAwardId(ids.learner1, 'silver', 1), 'Coordinator'],
    ]);
  });

  it('refuses impossible records with the field and the reason, and applies the rest of the push', async () => {
    const results = await push(tutor1, [
      [
        'loan',
        makeLoan({
          id: randomUUID(),
          learnerId: ids.learner1,
          loanDeviceId: ids.loanDevice,
          issuedOn: '2027-01-10',
          returnedOn: '2027-01-09',
          outcome: 'returned',
        }),
      ],
      [
        'skillsAssessment',
        makeSkillsAssessment({ id: randomUUID(), learnerId: ids.learner1, framework: 'nseds-2019' }),
      ],
      [
        'outcome',
        makeOutcome({
          id: randomUUID(),
          learnerId: ids.learner1,
          startDate: '2027-02-01',
          endDate: '2027-01-01',
        }),
      ],
      ['learningGoal', makeLearningGoal({ id: randomUUID(), learnerId: ids.learner1 })],
    ]);
    expect(outcomesOf(results)).toEqual(['invalid-record', 'invalid-record', 'invalid-record', 'applied']);
    const messages = results.map((result) => (result.status === 'rejected' ? result.message : ''));
    expect(messages[0]).toBe('loan.returnedOn: The return date must be on or after the day it was lent');
    expect(messages[1]).toContain('skillsAssessment.itemResults.foundation.turn-on');
    expect(messages[2]).toBe('outcome.endDate: The end date must be on or after the start date');
  });
});

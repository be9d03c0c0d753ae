// The learner journey's writes on the device: each is one transaction with its outbox batch, a rule
// refusal writes nothing at all, and free text about the learner is sealed at rest.
import { beforeEach, describe, expect, it } from 'vitest';
import { learnerRowFrom } from '../../src/db/database';
import {
  addGoal,
  assessmentsOfLearner,
  awardPassport,
  awardsOfLearner,
  followUpsDue,
  goalsOfLearner,
  outcomesOfLearner,
  passportEvidenceOf,
  recordAssessment,
  recordOutcome,
  updateGoalDates,
} from '../../src/db/journey';
import {
  allLoans,
  cancelLoan,
  closeLoan,
  lendDevice,
  listLoanDevices,
  recordDeviceWipe,
  recordWipe,
  saveLoanDevice,
  type LoanRequest,
} from '../../src/db/loans';
import { isStoreError } from '../../src/db/errors';
import { LOAN_TERMS_V1 } from '../../src/domain/documents';
import { consentId, newId, passportAwardId } from '../../src/domain/ids';
import { bronzeStanding } from '../../src/domain/passport';
import { EDS_2018_ITEMS } from '../../src/domain/skillsFrameworks';
import { loanClashes } from '../../src/domain/journey';
import { allChanges, useTestDatabaseAt } from '../fixtures/db';
import {
  makeAttendance,
  makeEnrolment,
  makeLearner,
  makeLoan,
  makeLoanDevice,
  makeOutcome,
  makeSession,
  makeSkillsAssessment,
  withoutBase,
} from '../fixtures/records';

const db = useTestDatabaseAt(new Date('2027-01-11T10:00:00.000Z'));
const LEARNER = newId();

beforeEach(async () => {
  // Stored as a pull would store it, so it adds nothing to the outbox the tests read.
  await db().learners.put(learnerRowFrom(makeLearner({ id: LEARNER })));
});

/** A second learner on the device, stored as a pull would store it. */
async function anotherLearner(): Promise<string> {
  const id = newId();
  await db().learners.put(learnerRowFrom(makeLearner({ id, givenNames: 'Bea' })));
  return id;
}

async function refusal(write: Promise<unknown>): Promise<string> {
  try {
    await write;
  } catch (error) {
    if (isStoreError(error, 'refused')) return error.message;
    throw error;
  }
  throw new Error('The write was not refused');
}

const FOUNDATION = EDS_2018_ITEMS.filter((item) => item.context === 'foundation').map((item) => item.code);

describe('skills assessments', () => {
  it('saves an assessment with its evidence sealed at rest, readable through the store, and logs it', async () => {
    const fields = withoutBase(
      makeSkillsAssessment({ learnerId: LEARNER, evidence: 'Joined the Wi-Fi unaided' }),
    );
    const id = await recordAssessment(db(), fields);

    const stored = (await db().skillsAssessments.get(id)) as unknown as Record<string, unknown>;
    expect(stored['evidence']).toBeUndefined();
    expect(JSON.stringify(stored)).not.toContain('Wi-Fi unaided');
    expect(await assessmentsOfLearner(db(), LEARNER)).toEqual([
      expect.objectContaining({ id, evidence: 'Joined the Wi-Fi unaided' }),
    ]);
    expect((await allChanges(db())).map((change) => [change.entityType, change.entityId])).toEqual([
      ['skillsAssessment', id],
    ]);
  });
});

describe('learners whose record is closed', () => {
  it('refuses new journey records for a learner joined into another record, writing nothing', async () => {
    const joined = newId();
    await db().learners.put(learnerRowFrom(makeLearner({ id: joined, mergedInto: LEARNER })));
    const message = await refusal(
      recordAssessment(db(), withoutBase(makeSkillsAssessment({ learnerId: joined }))),
    );
    expect(message).toBe('This record was joined with another one: add this to the record that is kept.');
    expect(await refusal(recordOutcome(db(), withoutBase(makeOutcome({ learnerId: joined }))))).toBe(message);
    expect(await allChanges(db())).toEqual([]);
  });
});

describe('learning goals', () => {
  it('keeps goals as separate records and logs only the date changed when one is achieved', async () => {
    const first = await addGoal(db(), {
      learnerId: LEARNER,
      enrolmentId: null,
      text: 'Email my GP',
      category: 'communication',
      setOn: '2027-01-04',
      reviewedOn: null,
      achievedOn: null,
    });
    await addGoal(db(), {
      learnerId: LEARNER,
      enrolmentId: null,
      text: 'Write a CV',
      category: 'employability',
      setOn: '2027-01-04',
      reviewedOn: null,
      achievedOn: null,
    });
    await updateGoalDates(db(), first, { achievedOn: '2027-01-11' });

    expect((await goalsOfLearner(db(), LEARNER)).map((goal) => [goal.text, goal.achievedOn]).sort()).toEqual([
      ['Email my GP', '2027-01-11'],
      ['Write a CV', null],
    ]);
    const last = (await allChanges(db())).at(-1)!;
    const logged = last.fieldNames ?? Object.keys(last.fields ?? {});
    expect(logged).toContain('achievedOn');
    expect(logged).not.toContain('text');
    expect(logged).not.toContain('setOn');
  });

  it('refuses a goal achieved before it was set, writing nothing', async () => {
    const goal = await addGoal(db(), {
      learnerId: LEARNER,
      enrolmentId: null,
      text: 'Email my GP',
      category: 'communication',
      setOn: '2027-01-04',
      reviewedOn: null,
      achievedOn: null,
    });
    const before = (await allChanges(db())).length;
    expect(await refusal(updateGoalDates(db(), goal, { achievedOn: '2027-01-03' }))).toBe(
      'A goal cannot be achieved before it was set (2027-01-04).',
    );
    expect((await allChanges(db())).length).toBe(before);
  });
});

describe('passport awards', () => {
  async function bronzeEvidence() {
    await recordAssessment(
      db(),
      withoutBase(
        makeSkillsAssessment({
          learnerId: LEARNER,
          itemResults: Object.fromEntries(FOUNDATION.map((code) => [code, 'independent'])),
        }),
      ),
    );
    const goal = await addGoal(db(), {
      learnerId: LEARNER,
      enrolmentId: null,
      text: 'Video call',
      category: 'communication',
      setOn: '2027-01-04',
      reviewedOn: null,
      achievedOn: null,
    });
    await updateGoalDates(db(), goal, { achievedOn: '2027-01-10' });
    return bronzeStanding(await passportEvidenceOf(db(), LEARNER));
  }

  it('awards a level the rules allow, under the id derived from learner, level and rule version, once', async () => {
    const standing = await bronzeEvidence();
    expect(standing.eligible).toBe(true);
    await awardPassport(db(), LEARNER, standing, { awardedOn: '2027-01-11', awardedBy: 'Ann Tutor' });
    const changes = (await allChanges(db())).length;
    await awardPassport(db(), LEARNER, standing, { awardedOn: '2027-01-12', awardedBy: 'Bea Tutor' });

    expect(await awardsOfLearner(db(), LEARNER)).toEqual([
      expect.objectContaining({
        id: passportAwardId(LEARNER, 'bronze', 1),
        level: 'bronze',
        ruleVersion: 1,
        awardedOn: '2027-01-11',
      }),
    ]);
    expect((await allChanges(db())).length).toBe(changes);
  });

  it('refuses a level the rules do not allow yet', async () => {
    const standing = bronzeStanding(await passportEvidenceOf(db(), LEARNER));
    expect(
      await refusal(awardPassport(db(), LEARNER, standing, { awardedOn: '2027-01-11', awardedBy: 'Ann' })),
    ).toBe('The learner does not yet meet every bronze requirement.');
    expect(await awardsOfLearner(db(), LEARNER)).toEqual([]);
  });
});

describe('outcomes and follow-ups', () => {
  it('refuses an outcome before the learner enrolled, writing nothing; saves a possible one sealed', async () => {
    await db().enrolments.put(makeEnrolment({ learnerId: LEARNER, startDate: '2026-11-30' }));
    expect(
      await refusal(
        recordOutcome(db(), withoutBase(makeOutcome({ learnerId: LEARNER, startDate: '2026-11-01' }))),
      ),
    ).toContain('cannot start before the learner enrolled (2026-11-30)');
    expect(await db().outcomes.count()).toBe(0);
    expect(await allChanges(db())).toEqual([]);

    const id = await recordOutcome(
      db(),
      withoutBase(makeOutcome({ learnerId: LEARNER, notes: 'Garden centre' })),
    );
    expect(JSON.stringify(await db().outcomes.get(id))).not.toContain('Garden centre');
    expect((await outcomesOfLearner(db(), LEARNER))[0]).toMatchObject({
      id,
      code: 'EMP2',
      notes: 'Garden centre',
    });
  });

  it('lists a learner whose last session was over three months ago until an outcome is collected', async () => {
    const session = makeSession({ id: newId(), date: '2026-10-01' });
    await db().sessions.put(session);
    await db().attendance.put(
      makeAttendance({ id: newId(), sessionId: session.id, learnerId: LEARNER, mark: 'P' }),
    );
    expect(await followUpsDue(db(), '2027-01-11')).toEqual([
      expect.objectContaining({ learnerId: LEARNER, check: '3-months', dueOn: '2027-01-01', overdue: true }),
    ]);
    await db().outcomes.put(makeOutcome({ learnerId: LEARNER, collectedOn: '2027-01-11' }));
    expect(await followUpsDue(db(), '2027-01-11')).toEqual([]);
  });
});

describe('loans', () => {
  const request = (loanDeviceId: string, learnerId = LEARNER): LoanRequest => ({
    learnerId,
    loanDeviceId,
    simId: null,
    issuedOn: '2027-01-11',
    issuedBy: 'Ann Tutor',
    venueId: null,
    dueBack: '2027-03-01',
    notes: '',
    agreement: {
      method: 'learner-tablet',
      documentVersionId: LOAN_TERMS_V1.id,
      language: 'en',
      capturedBy: 'Ann Tutor',
    },
  });

  it('lends a device with the agreement as a device-loan consent, and refuses lending it again', async () => {
    const device = await saveLoanDevice(db(), withoutBase(makeLoanDevice()));
    const loanId = await lendDevice(db(), request(device));

    const consent = await db().consents.get(consentId(LEARNER, 'device-loan'));
    expect(consent).toMatchObject({
      purpose: 'device-loan',
      granted: true,
      documentVersionId: LOAN_TERMS_V1.id,
      lawfulBasis: 'contract',
    });
    expect((await allLoans(db()))[0]).toMatchObject({ id: loanId, agreementConsentId: consent!.id });
    expect((await listLoanDevices(db()))[0]!.status).toBe('on-loan');

    const changes = (await allChanges(db())).length;
    expect(await refusal(lendDevice(db(), request(device, await anotherLearner())))).toBe(
      'Device SEF-T-0042 is already on loan. Record its return before lending it again.',
    );
    expect((await allChanges(db())).length).toBe(changes);
    expect(await db().loans.count()).toBe(1);
  });

  it('refuses a return before the loan; after a return it needs a wipe before lending again', async () => {
    const device = await saveLoanDevice(db(), withoutBase(makeLoanDevice()));
    const loanId = await lendDevice(db(), request(device));
    const back = {
      returnedOn: '2027-01-10',
      returnCondition: 'good',
      wipedAfterReturn: false,
      notes: '',
      outcome: 'returned',
    } as const;
    expect(await refusal(closeLoan(db(), loanId, back))).toBe(
      'The return date cannot be before the device was lent (2027-01-11).',
    );

    await closeLoan(db(), loanId, { ...back, returnedOn: '2027-02-20' });
    expect((await listLoanDevices(db()))[0]).toMatchObject({ status: 'in-stock' });
    expect(await refusal(lendDevice(db(), request(device, await anotherLearner())))).toContain(
      'has not been wiped since its last loan',
    );
    await recordWipe(db(), loanId, '2027-02-21');
    expect((await listLoanDevices(db()))[0]!.wipedOn).toBe('2027-02-21');
    await lendDevice(db(), { ...request(device, await anotherLearner()), issuedOn: '2027-02-22' });
    expect(await db().loans.count()).toBe(2);
  });

  it('saves only the fields changed on the device form, and keeps status in step with loans', async () => {
    const device = await saveLoanDevice(db(), withoutBase(makeLoanDevice()));
    const { needsWipe: _needsWipe, ...shown } = withoutBase(makeLoanDevice());
    // A loan synced in while the form was open sets the status; the form still shows "in stock".
    await lendDevice(db(), request(device));
    await saveLoanDevice(db(), { ...shown, makeModel: 'Lenovo Tab M11' }, device, shown);
    expect((await listLoanDevices(db()))[0]).toMatchObject({
      makeModel: 'Lenovo Tab M11',
      status: 'on-loan',
    });

    expect(await refusal(saveLoanDevice(db(), { ...shown, status: 'in-repair' }, device, shown))).toBe(
      'Device SEF-T-0042 is on loan. Record its return before changing its status.',
    );
    const other = await saveLoanDevice(db(), { ...shown, assetTag: 'SEF-T-0043' });
    expect(
      await refusal(saveLoanDevice(db(), { ...shown, assetTag: 'SEF-T-0043', status: 'on-loan' }, other)),
    ).toBe("A device goes on loan when it is lent from a learner's page.");
  });

  it('lets a tutor who cannot see the loan clear a returned device by wiping the device', async () => {
    const device = await saveLoanDevice(db(), withoutBase(makeLoanDevice()));
    const loanId = await lendDevice(db(), request(device));
    await closeLoan(db(), loanId, {
      returnedOn: '2027-02-20',
      returnCondition: 'good',
      wipedAfterReturn: false,
      notes: '',
      outcome: 'returned',
    });
    expect((await listLoanDevices(db()))[0]).toMatchObject({ status: 'in-stock', needsWipe: true });
    await recordDeviceWipe(db(), device, '2027-02-21');
    expect((await listLoanDevices(db()))[0]).toMatchObject({ needsWipe: false, wipedOn: '2027-02-21' });
    expect((await allLoans(db()))[0]!.wipedAfterReturn).toBe(true);
  });

  it('refuses a second device with the same asset tag', async () => {
    await saveLoanDevice(db(), withoutBase(makeLoanDevice()));
    expect(await refusal(saveLoanDevice(db(), withoutBase(makeLoanDevice())))).toBe(
      'Another device already has asset tag SEF-T-0042.',
    );
  });

  it('settles a clash made by sync by cancelling the loan recorded in error', async () => {
    const device = await saveLoanDevice(db(), withoutBase(makeLoanDevice()));
    const kept = await lendDevice(db(), request(device));
    // The other tablet's loan, as a pull would store it.
    const pulled = makeLoan({
      id: newId(),
      learnerId: newId(),
      loanDeviceId: device,
      issuedOn: '2027-01-11',
    });
    await db().loans.put(pulled);
    expect(loanClashes(await allLoans(db()))).toHaveLength(1);

    await cancelLoan(db(), pulled.id);
    expect(loanClashes(await allLoans(db()))).toEqual([]);
    expect((await db().loans.get(pulled.id))!.deleted).toBe(true);
    expect((await allLoans(db())).map((loan) => loan.id)).toEqual([kept]);
    // The kept loan is still open, so the device stays on loan.
    expect((await listLoanDevices(db()))[0]!.status).toBe('on-loan');
  });
});

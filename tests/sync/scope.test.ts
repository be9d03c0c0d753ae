// A tutor's tablet follows their scope: it receives a session, and the learners on its programme,
// when the coordinator adds them to it, and removes both when they are taken off it; equality
// answers reach it only as "answered". The engine against the real server app in-process.
import { openStoredRows } from '../../src/db/sealedRows';
import { expect, it, vi } from 'vitest';
import { enrolLearner, equalityAnsweredFor } from '../../src/db/learners';
import { saveProgramme } from '../../src/db/programmes';
import { saveSession } from '../../src/db/sessions';
import { saveVenue } from '../../src/db/venues';
import { TEST_PASSWORD, inviteAndAccept, signIn, sessionCookieOf } from '../server/testApp';
import { enrolmentRecords, programmeFields, sessionFields, venueFields } from '../fixtures/db';
import { COORDINATOR } from '../server/testApp';
import { type TestDevice, useServerAndDevices } from './harness';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const { server: currentServer, device } = useServerAndDevices();

async function synced(target: TestDevice) {
  const outcome = await target.sync();
  if (outcome.kind !== 'synced') throw new Error(`expected a sync, got ${JSON.stringify(outcome)}`);
  return outcome.summary;
}

it('adds and removes a session and its learners on a tutor\u2019s tablet as the coordinator assigns them', async () => {
  const office = device();
  await office.setUp();
  await saveVenue(office.db, venueFields({ name: 'Bootle Library' }));
  const programme = programmeFields();
  const programmeId = await saveProgramme(office.db, programme);
  await enrolLearner(
    office.db,
    enrolmentRecords({ id: programmeId, fundingStream: programme.fundingStream }),
  );
  const venue = (await office.db.venues.toArray())[0]!;
  const sessionId = await saveSession(
    office.db,
    sessionFields({ programmeId, venueId: venue.id, tutorIds: [] }),
  );
  await synced(office);

  const coordinatorToken = sessionCookieOf(
    await signIn(currentServer().app, COORDINATOR.email, COORDINATOR.password),
  )!;
  const { user: tutor } = await inviteAndAccept(currentServer().app, coordinatorToken, {
    email: 'tutor@example.org',
    name: 'Tom Tutor',
  });
  const tablet = device();
  await tablet.signIn('tutor@example.org', TEST_PASSWORD);
  await synced(tablet);
  expect(await tablet.db.sessions.count()).toBe(0);
  expect(await tablet.db.learners.count()).toBe(0);
  expect(await tablet.db.programmes.count()).toBe(1);

  await saveSession(
    office.db,
    { ...sessionFields({ programmeId, venueId: venue.id }), tutorIds: [tutor.id] },
    sessionId,
  );
  await synced(office);
  const widened = await synced(tablet);
  expect(widened.scopeChanged).toBe(true);
  expect(widened.repaired).toContain('learner');
  expect((await tablet.db.sessions.toArray()).map((session) => session.id)).toEqual([sessionId]);
  const learners = await tablet.db.learners.toArray();
  expect(learners).toHaveLength(1);

  // The enrolment's equality answers reach the tablet only as whether each was answered.
  const [equality] = await openStoredRows(
    tablet.db,
    'equalityMonitoring',
    await tablet.db.equalityMonitoring.toArray(),
  );
  expect(equality).toBeDefined();
  expect(equality).not.toHaveProperty('ethnicity');
  expect(await equalityAnsweredFor(tablet.db, learners[0]!.id)).toEqual(
    await equalityAnsweredFor(office.db, learners[0]!.id),
  );
  const [officeEquality] = await openStoredRows(
    office.db,
    'equalityMonitoring',
    await office.db.equalityMonitoring.toArray(),
  );
  expect(officeEquality).toHaveProperty('ethnicity');

  await saveSession(
    office.db,
    { ...sessionFields({ programmeId, venueId: venue.id }), tutorIds: [] },
    sessionId,
  );
  await synced(office);
  const narrowed = await synced(tablet);
  expect(narrowed.scopeChanged).toBe(true);
  expect(await tablet.db.sessions.count()).toBe(0);
  expect(await tablet.db.learners.count()).toBe(0);
  expect(await tablet.db.equalityMonitoring.count()).toBe(0);
  expect(await tablet.db.programmes.count()).toBe(1);

  // Nothing changes: a quiet sync neither repairs nor reports a new scope.
  const quiet = await tablet.sync({ verify: false });
  expect(quiet.kind === 'synced' && quiet.summary).toMatchObject({
    scopeChanged: false,
    pulled: 0,
    repaired: [],
  });
});

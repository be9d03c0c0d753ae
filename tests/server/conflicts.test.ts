// Conflicts through the server, on PGlite and PostgreSQL (docs/sync-protocol.md, "Conflicts"): two
// devices change one learner's phone without seeing each other's change, and the value that lost is
// listed for a coordinator whichever arrives first; an edit made after pulling the other is not; a
// restore reaches every device's pull; keeping the current value takes it off the list; the clashes
// sync flags are listed too; and only the organisation's coordinators see any of it, equality answers
// only when they may.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeEach, expect, it } from 'vitest';
import type { ConflictsAnswer } from '../../src/domain/conflicts';
import type {
  Mutation,
  MutationResult,
  PushResponse,
  SyncedEntityType,
} from '../../src/domain/sync/protocol';
import {
  makeAttendance,
  makeEqualityMonitoring,
  makeLearner,
  makeLoan,
  makeLoanDevice,
} from '../fixtures/records';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { HEALTHY, SERVER_NOW, putMutation, stampAt } from '../helpers/syncFixtures';
import { type SyncAccount, outcomesOf, syncClient } from './syncClient';
import { addOrganisation, buildTestApp, inviteAndAccept, setUpOrganisation, withSession } from './testApp';

const PHONE_FROM_A = '07700 900111';
const PHONE_FROM_B = '07700 900222';
const NODE_A = 'aaaaaaaaaaaaaaa1';
const NODE_B = 'bbbbbbbbbbbbbbb2';

describeEachBackend('conflicts', (context) => {
  let app: FastifyInstance;
  /** The first coordinator (may see equality answers) on the office laptop, which made the records. */
  let office: SyncAccount;
  /** The same coordinator's tablet, and a second coordinator's (who may not see equality answers). */
  let tabletA: SyncAccount;
  let tabletB: SyncAccount;
  let tutor: SyncAccount;
  const client = syncClient(() => app);
  const learnerId = randomUUID();

  beforeEach(async () => {
    await resetDatabase(context.db());
    app = await buildTestApp(context.db(), { now: () => SERVER_NOW });
    const first = await setUpOrganisation(app);
    office = await client.account(first, 'office-laptop');
    tabletA = await client.account(first, 'tablet-a');
    tabletB = await client.account(
      await inviteAndAccept(app, first.token, {
        email: 'sam.okafor@example.org',
        name: 'Sam Okafor',
        role: 'coordinator',
      }),
      'tablet-b',
    );
    tutor = await client.account(
      await inviteAndAccept(app, first.token, { email: 'tutor@example.org', name: 'Tess Tutor' }),
      'tablet-t',
    );
    const created = await client.push(office, [
      ['learner', makeLearner({ id: learnerId, givenNames: 'Grace', familyName: 'Adeyemi' })],
    ]);
    expect(outcomesOf(created)).toEqual(['applied']);
    await client.pullAll(tabletA);
    await client.pullAll(tabletB);
  });

  /** Pushes changed fields of one record from a device, every field stamped `stamp`. */
  async function pushFields(
    who: SyncAccount,
    entityType: SyncedEntityType,
    entityId: string,
    fields: Record<string, unknown>,
    stamp: string,
  ): Promise<MutationResult[]> {
    const mutations: Mutation[] = [putMutation(who.nextMutation++, entityType, entityId, fields, stamp)];
    const response = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      payload: { mutations, health: HEALTHY },
      headers: client.headers(who),
      ...withSession(who.token),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<PushResponse>().results;
  }

  /** A phone change as a device makes it: the field and the display time beside it. */
  const phoneChange = (phone: string) => ({ phone, updatedAt: '2026-11-23T11:00:00.000Z' });

  async function listConflicts(who: { token: string }): Promise<ConflictsAnswer> {
    const response = await app.inject({ method: 'GET', url: '/api/conflicts', ...withSession(who.token) });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ConflictsAnswer>();
  }

  async function resolve(who: { token: string }, historyId: string, decision: string) {
    return app.inject({
      method: 'POST',
      url: `/api/conflicts/${historyId}/resolve`,
      payload: { decision },
      ...withSession(who.token),
    });
  }

  /** Both tablets change the phone offline (B's change is the later); they push in the given order. */
  async function changePhoneOnBoth(order: 'A first' | 'B first'): Promise<void> {
    const fromA = () =>
      pushFields(tabletA, 'learner', learnerId, phoneChange(PHONE_FROM_A), stampAt(0, NODE_A));
    const fromB = () =>
      pushFields(tabletB, 'learner', learnerId, phoneChange(PHONE_FROM_B), stampAt(1, NODE_B));
    const results = order === 'A first' ? [await fromA(), await fromB()] : [await fromB(), await fromA()];
    expect(results.flatMap(outcomesOf)).toEqual(['applied', 'applied']);
  }

  async function phoneHeldBy(who: SyncAccount): Promise<unknown> {
    const { records } = await client.pullAll(who);
    return records.find((record) => record.entityType === 'learner' && record.entityId === learnerId)?.data[
      'phone'
    ];
  }

  it.each(['A first', 'B first'] as const)(
    'lists the value that lost when both tablets changed the phone offline (%s to arrive)',
    async (order) => {
      await changePhoneOnBoth(order);
      const answer = await listConflicts(office);
      expect(answer.truncated).toBe(false);
      expect(answer.loanClashes).toEqual([]);
      expect(answer.records).toHaveLength(1);
      const [record] = answer.records;
      expect(record).toMatchObject({
        entityType: 'learner',
        entityLabel: 'Learner details',
        entityId: learnerId,
        learnerId,
        learnerName: 'Grace Adeyemi',
        deleted: false,
      });
      // The phone only: updatedAt changed on both too, but it is bookkeeping.
      expect(record?.conflicts).toHaveLength(1);
      expect(record?.conflicts[0]).toMatchObject({
        kind: 'concurrent-edit',
        field: 'phone',
        current: { value: PHONE_FROM_B, userName: 'Sam Okafor', deviceId: tabletB.deviceId },
        other: { value: PHONE_FROM_A, userName: office.user.name, deviceId: tabletA.deviceId },
        canRestore: true,
        hidden: false,
      });
      expect(record?.conflicts[0]?.current.at).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(record?.conflicts[0]?.other.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    },
  );

  it('does not list an edit made after pulling the other, edits to different fields, or a device overwriting its own value', async () => {
    // A's change reaches B before B changes the phone again: B saw it, so nothing was lost.
    await pushFields(tabletA, 'learner', learnerId, phoneChange(PHONE_FROM_A), stampAt(0, NODE_A));
    await client.pullAll(tabletB);
    await pushFields(tabletB, 'learner', learnerId, phoneChange(PHONE_FROM_B), stampAt(1, NODE_B));
    // Offline on both: A changes the town, B the email; both are kept.
    await pushFields(tabletA, 'learner', learnerId, { town: 'Litherland' }, stampAt(2, NODE_A));
    await pushFields(tabletB, 'learner', learnerId, { email: 'grace@example.org' }, stampAt(3, NODE_B));
    // B changes the phone twice in two pushes without pulling in between: its own value, seen.
    await pushFields(tabletB, 'learner', learnerId, phoneChange('07700 900333'), stampAt(3, NODE_B, 1));
    expect(await listConflicts(office)).toEqual({ records: [], truncated: false, loanClashes: [] });
    expect(await phoneHeldBy(office)).toBe('07700 900333');
  });

  it('restores the other value: the server and every device pull it, and it leaves the list', async () => {
    await changePhoneOnBoth('A first');
    const conflict = (await listConflicts(office)).records[0]?.conflicts[0];
    expect(conflict?.other.value).toBe(PHONE_FROM_A);

    const restored = await resolve(office, conflict!.historyId, 'restore');
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({ historyId: conflict!.historyId, decision: 'restore' });

    // A third device that has never seen the learner, and both tablets, pull the restored value.
    const third = await client.account({ user: office.user, token: office.token }, 'tablet-c');
    expect(await phoneHeldBy(third)).toBe(PHONE_FROM_A);
    expect(await phoneHeldBy(tabletA)).toBe(PHONE_FROM_A);
    expect(await phoneHeldBy(tabletB)).toBe(PHONE_FROM_A);
    expect((await listConflicts(office)).records).toEqual([]);

    // Decided once: the second answer says so and changes nothing.
    const again = await resolve(office, conflict!.historyId, 'keep-current');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { reason: 'already-resolved' } });

    // The restore is an ordinary later change: B pulled it, so B's next edit wins over it and is not a
    // conflict, even with another field of the learner changed since B's pull.
    await pushFields(office, 'learner', learnerId, { town: 'Litherland' }, stampAt(3, 'cccccccccccccccc'));
    await pushFields(tabletB, 'learner', learnerId, phoneChange('07700 900444'), stampAt(4, NODE_B));
    expect(await phoneHeldBy(third)).toBe('07700 900444');
    expect((await listConflicts(office)).records).toEqual([]);
  });

  it('keeps the current value: nothing changes and the conflict leaves the list', async () => {
    await changePhoneOnBoth('B first');
    const conflict = (await listConflicts(office)).records[0]?.conflicts[0];
    const kept = await resolve(tabletB, conflict!.historyId, 'keep-current');
    expect(kept.statusCode, kept.body).toBe(200);
    expect((await listConflicts(office)).records).toEqual([]);
    expect(await phoneHeldBy(office)).toBe(PHONE_FROM_B);
  });

  it("answers 404 for another organisation's conflict, 403 to a tutor and 400 for a decision it does not know", async () => {
    await changePhoneOnBoth('A first');
    const conflict = (await listConflicts(office)).records[0]?.conflicts[0];
    const other = await addOrganisation(app, context.db(), {
      organisationName: 'Another Partnership',
      name: 'Olu Other',
      email: 'olu@another.example',
    });
    expect((await listConflicts(other)).records).toEqual([]);
    const foreign = await resolve(other, conflict!.historyId, 'restore');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ error: { reason: 'conflict-not-found' } });
    expect((await resolve(office, '999999999', 'keep-current')).statusCode).toBe(404);
    expect((await resolve(office, 'not-a-number', 'keep-current')).statusCode).toBe(404);

    const tutorList = await app.inject({ method: 'GET', url: '/api/conflicts', ...withSession(tutor.token) });
    expect(tutorList.statusCode).toBe(403);
    expect(tutorList.json()).toMatchObject({ error: { reason: 'coordinator-only' } });
    expect((await resolve(tutor, conflict!.historyId, 'keep-current')).statusCode).toBe(403);

    const bad = await resolve(office, conflict!.historyId, 'undo');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { reason: 'invalid-request' } });
    // Still open: none of these decided it.
    expect((await listConflicts(office)).records[0]?.conflicts[0]?.historyId).toBe(conflict!.historyId);
  });

  it('hides equality answers from a coordinator who may not see them, and logs their viewing by one who may', async () => {
    const equalityId = randomUUID();
    await client.push(office, [
      ['equalityMonitoring', makeEqualityMonitoring({ id: equalityId, learnerId })],
    ]);
    await client.pullAll(tabletA);
    await client.pullAll(tabletB);
    await pushFields(tabletA, 'equalityMonitoring', equalityId, { ethnicity: '39' }, stampAt(0, NODE_A));
    await pushFields(tabletB, 'equalityMonitoring', equalityId, { ethnicity: '41' }, stampAt(1, NODE_B));

    // Sam may not see equality answers.
    const samsView = (await listConflicts(tabletB)).records[0];
    expect(samsView).toMatchObject({ entityType: 'equalityMonitoring', learnerName: 'Grace Adeyemi' });
    expect(samsView?.conflicts[0]).toMatchObject({
      field: 'ethnicity',
      current: { value: '(hidden)' },
      other: { value: '(hidden)' },
      hidden: true,
      canRestore: false,
    });
    expect(JSON.stringify(samsView)).not.toMatch(/"(39|41)"/);
    const refused = await resolve(tabletB, samsView!.conflicts[0]!.historyId, 'restore');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { reason: 'special-category-hidden' } });

    const viewedBefore = await viewedCount();
    const officeView = (await listConflicts(office)).records[0];
    expect(officeView?.conflicts[0]).toMatchObject({
      current: { value: '41' },
      other: { value: '39' },
      hidden: false,
      canRestore: true,
    });
    expect(await viewedCount()).toBe(viewedBefore + 1);
  });

  async function viewedCount(): Promise<number> {
    const { rows } = await context
      .db()
      .query<{ count: number }>(
        `SELECT count(*)::int AS count FROM special_category_access WHERE learner_id = $1 AND action = 'viewed'`,
        [learnerId],
      );
    return rows[0]?.count ?? 0;
  }

  it('lists a change made after a deletion (kept deleted, never restored) and a second attendance mark (restored into the first)', async () => {
    // The office deletes the learner; tablet A, offline, had changed the phone after.
    const deleted = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      payload: {
        mutations: [
          {
            mutationId: office.nextMutation++,
            entityType: 'learner',
            entityId: learnerId,
            op: 'delete',
            fields: { deleted: true },
            hlc: { deleted: stampAt(0, 'cccccccccccccccc') },
          },
        ],
        health: HEALTHY,
      },
      headers: client.headers(office),
      ...withSession(office.token),
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(
      outcomesOf(
        await pushFields(tabletA, 'learner', learnerId, phoneChange(PHONE_FROM_A), stampAt(1, NODE_A)),
      ),
    ).toEqual(['record-deleted']);

    // Two attendance records for one session and learner: only a faulty client makes the second.
    const sessionId = randomUUID();
    const otherLearnerId = randomUUID();
    await client.push(office, [
      ['learner', makeLearner({ id: otherLearnerId, givenNames: 'Kwame', familyName: 'Mensah' })],
    ]);
    const firstMark = makeAttendance({ id: randomUUID(), sessionId, learnerId: otherLearnerId, mark: 'P' });
    expect(outcomesOf(await client.push(office, [['attendance', firstMark]]))).toEqual(['applied']);
    const secondMark = makeAttendance({ id: randomUUID(), sessionId, learnerId: otherLearnerId, mark: 'L' });
    expect(outcomesOf(await client.push(tabletA, [['attendance', secondMark]]))).toEqual([
      'duplicate-attendance',
    ]);

    const answer = await listConflicts(office);
    const deletedLearner = answer.records.find((record) => record.entityType === 'learner');
    expect(deletedLearner).toMatchObject({
      entityId: learnerId,
      deleted: true,
      learnerName: 'Grace Adeyemi',
    });
    expect(deletedLearner?.conflicts).toEqual([
      expect.objectContaining({
        kind: 'after-delete',
        field: 'phone',
        current: expect.objectContaining({ value: null, deviceId: office.deviceId }),
        other: expect.objectContaining({ value: PHONE_FROM_A, deviceId: tabletA.deviceId }),
        canRestore: false,
      }),
    ]);
    const attendance = answer.records.find((record) => record.entityType === 'attendance');
    expect(attendance).toMatchObject({ entityId: firstMark.id, learnerName: 'Kwame Mensah' });
    expect(attendance?.conflicts).toEqual([
      expect.objectContaining({
        kind: 'duplicate-attendance',
        field: 'mark',
        current: expect.objectContaining({ value: 'P', deviceId: office.deviceId }),
        other: expect.objectContaining({ value: 'L', deviceId: tabletA.deviceId }),
        canRestore: true,
      }),
    ]);

    const afterDelete = deletedLearner!.conflicts[0]!.historyId;
    const notRestored = await resolve(office, afterDelete, 'restore');
    expect(notRestored.statusCode).toBe(409);
    expect(notRestored.json()).toMatchObject({ error: { reason: 'cannot-restore' } });
    expect((await resolve(office, afterDelete, 'keep-current')).statusCode).toBe(200);

    expect((await resolve(office, attendance!.conflicts[0]!.historyId, 'restore')).statusCode).toBe(200);
    const { records } = await client.pullAll(tabletB);
    const marks = records.filter((record) => record.entityType === 'attendance');
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({
      entityId: firstMark.id,
      data: { mark: 'L', learnerId: otherLearnerId },
    });
    expect((await listConflicts(office)).records).toEqual([]);
  });

  it('lists a device lent twice by two tablets, with the learners, until a loan is cancelled', async () => {
    const loanDeviceId = randomUUID();
    const otherLearnerId = randomUUID();
    await client.push(office, [
      ['learner', makeLearner({ id: otherLearnerId, givenNames: 'Kwame', familyName: 'Mensah' })],
      ['loanDevice', makeLoanDevice({ id: loanDeviceId, assetTag: 'TAB-007' })],
    ]);
    const loanA = makeLoan({ id: randomUUID(), learnerId, loanDeviceId, issuedOn: '2026-11-20' });
    const loanB = makeLoan({
      id: randomUUID(),
      learnerId: otherLearnerId,
      loanDeviceId,
      issuedOn: '2026-11-21',
    });
    expect(outcomesOf(await client.push(tabletA, [['loan', loanA]]))).toEqual(['applied']);
    expect(outcomesOf(await client.push(tabletB, [['loan', loanB]]))).toEqual(['applied']);

    const answer = await listConflicts(office);
    expect(answer.records).toEqual([]);
    expect(answer.loanClashes).toEqual([
      {
        loanDeviceId,
        assetTag: 'TAB-007',
        loans: [
          expect.objectContaining({
            loanId: loanA.id,
            learnerId,
            learnerName: 'Grace Adeyemi',
            issuedOn: '2026-11-20',
          }),
          expect.objectContaining({ loanId: loanB.id, learnerName: 'Kwame Mensah', issuedOn: '2026-11-21' }),
        ],
      },
    ]);
    await client.push(office, [['loan', { ...loanB, deleted: true }]]);
    expect((await listConflicts(office)).loanClashes).toEqual([]);
  });
});

// The push and pull rules of docs/sync-protocol.md, at the store: one transaction per push, exactly
// once, rejections that do not block, per-field merge, tombstones, pages, checksums.
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/db/database';
import { type PlainMutation, PushRefusal, applyPush } from '../../src/server/db/syncStore';
import { createTableChecksum } from '../../src/domain/sync/checksum';
import type { PulledRecord } from '../../src/domain/sync/protocol';
import { attendanceId } from '../../src/domain/ids';
import { FIXTURE_IDS, makeAttendance, makeLearner, makeVenue } from '../fixtures/records';
import {
  HEALTHY,
  SERVER_NOW,
  checksumsAsCoordinator,
  coordinatorViewer,
  pullAsCoordinator,
  type SeededOrganisation,
  deleteMutation,
  putMutation,
  seedOrganisation,
  stampAt,
} from '../helpers/syncFixtures';
import { describeEachBackend } from '../helpers/serverDb';

const NODE_A = 'aaaaaaaaaaaaaaaa';
const NODE_B = 'bbbbbbbbbbbbbbbb';

describeEachBackend('sync store', (context) => {
  let db: Database;
  let org: SeededOrganisation;

  beforeEach(async () => {
    db = context.db();
    org = await seedOrganisation(db);
  });

  const contextOf = (deviceId: string, nowMillis = SERVER_NOW) => ({
    organisationId: org.organisationId,
    userId: org.userId,
    viewer: coordinatorViewer(org.userId),
    deviceId,
    appVersion: '0.1.0',
    nowMillis,
  });
  const push = (mutations: PlainMutation[], device = 0, nowMillis = SERVER_NOW) =>
    db.transaction((sql) => applyPush(sql, contextOf(org.deviceIds[device]!, nowMillis), mutations, HEALTHY));
  const record = async (entityType: string, entityId: string) =>
    (
      await db.query<{ data: Record<string, unknown>; deleted: boolean; change_seq: number }>(
        'SELECT data, deleted, change_seq FROM records WHERE organisation_id = $1 AND entity_type = $2 AND entity_id = $3',
        [org.organisationId, entityType, entityId],
      )
    ).rows[0];
  const history = async (entityId: string) =>
    (
      await db.query<{
        field: string;
        outcome: string;
        old_value: unknown;
        new_value: unknown;
        user_id: string;
        device_id: string;
      }>(
        'SELECT field, outcome, old_value, new_value, user_id, device_id FROM change_history WHERE organisation_id = $1 AND entity_id = $2 ORDER BY id',
        [org.organisationId, entityId],
      )
    ).rows;
  const devicePosition = async (device = 0) =>
    (
      await db.query<{ last_mutation_id: number; health: unknown; app_version: string }>(
        'SELECT last_mutation_id, health, app_version FROM devices WHERE id = $1',
        [org.deviceIds[device]],
      )
    ).rows[0];

  describe('push', () => {
    it('applies a new record, stamps it with the organisation, the user and the device, and records history', async () => {
      const venue = makeVenue();
      const answer = await push([putMutation(1, 'venue', venue.id, venue, stampAt(-1))]);
      expect(answer).toEqual({ results: [{ mutationId: 1, status: 'applied' }], lastMutationId: 1 });
      expect((await record('venue', venue.id))?.data).toEqual(venue);
      const rows = await db.query<{ created_by_user: string; created_by_device: string; change_seq: number }>(
        'SELECT created_by_user, created_by_device, change_seq FROM records WHERE entity_id = $1 AND organisation_id = $2',
        [venue.id, org.organisationId],
      );
      expect(rows.rows[0]).toEqual({
        created_by_user: org.userId,
        created_by_device: org.deviceIds[0],
        change_seq: 1,
      });
      expect(await history(venue.id)).toEqual([
        {
          field: '*',
          outcome: 'created',
          old_value: null,
          new_value: venue,
          user_id: org.userId,
          device_id: org.deviceIds[0],
        },
      ]);
      expect(await devicePosition()).toEqual({ last_mutation_id: 1, health: HEALTHY, app_version: '0.1.0' });
    });

    it('applies the same push twice only once: a lost answer can be retried as it is', async () => {
      const venue = makeVenue();
      const mutations = [
        putMutation(1, 'venue', venue.id, venue, stampAt(-2)),
        putMutation(2, 'venue', venue.id, { name: 'Bootle Central Library' }, stampAt(-1)),
      ];
      const first = await push(mutations);
      const historyAfterFirst = await history(venue.id);
      const second = await push(mutations);
      expect(second).toEqual(first);
      expect(await history(venue.id)).toEqual(historyAfterFirst);
      expect((await record('venue', venue.id))?.change_seq).toBe(2);
    });

    it('skips the already applied part of a push that overlaps the last one', async () => {
      const venue = makeVenue();
      await push([putMutation(1, 'venue', venue.id, venue, stampAt(-3))]);
      const answer = await push([
        putMutation(1, 'venue', venue.id, venue, stampAt(-3)),
        putMutation(2, 'venue', venue.id, { name: 'Second' }, stampAt(-2)),
      ]);
      expect(answer.results.map((result) => result.status)).toEqual(['applied', 'applied']);
      expect(answer.lastMutationId).toBe(2);
      expect((await record('venue', venue.id))?.data['name']).toBe('Second');
    });

    it('refuses a push that starts beyond the next expected id, applying nothing', async () => {
      const venue = makeVenue();
      await expect(push([putMutation(3, 'venue', venue.id, venue, stampAt(-1))])).rejects.toMatchObject({
        reason: 'mutation-gap',
        details: { expectedMutationId: 1 },
      });
      expect(await record('venue', venue.id)).toBeUndefined();
      expect((await devicePosition())?.last_mutation_id).toBe(0);
    });

    it('refuses a device of another organisation', async () => {
      const other = await seedOrganisation(db, 1);
      const venue = makeVenue();
      const attempt = db.transaction((sql) =>
        applyPush(
          sql,
          contextOf(other.deviceIds[0]!),
          [putMutation(1, 'venue', venue.id, venue, stampAt(-1))],
          HEALTHY,
        ),
      );
      await expect(attempt).rejects.toBeInstanceOf(PushRefusal);
      await expect(attempt).rejects.toMatchObject({ reason: 'device-unknown' });
    });

    it('records a change that breaks a rule as rejected, with its reason, and applies the ones after it', async () => {
      const venue = makeVenue();
      const learner = makeLearner();
      const answer = await push([
        putMutation(1, 'venue', venue.id, venue, stampAt(-3)),
        putMutation(2, 'learner', learner.id, { ...learner, dateOfBirth: '1950-02-30' }, stampAt(-2)),
        putMutation(3, 'venue', venue.id, { name: 'After the rejection' }, stampAt(-1)),
      ]);
      expect(answer.lastMutationId).toBe(3);
      expect(answer.results[0]).toEqual({ mutationId: 1, status: 'applied' });
      expect(answer.results[1]).toMatchObject({
        mutationId: 2,
        status: 'rejected',
        reason: 'invalid-record',
      });
      expect(answer.results[1]?.status === 'rejected' && answer.results[1].message).toContain(
        'learner.dateOfBirth',
      );
      expect(answer.results[2]).toEqual({ mutationId: 3, status: 'applied' });
      expect(await record('learner', learner.id)).toBeUndefined();
      expect((await record('venue', venue.id))?.data['name']).toBe('After the rejection');
      // The refused change is history too, and a replay answers the stored rejection.
      expect((await history(learner.id)).map((line) => line.outcome)).toEqual(['rejected:invalid-record']);
      const replay = await push([putMutation(2, 'learner', learner.id, learner, stampAt(-2))]);
      expect(replay.results[0]).toEqual(answer.results[1]);
    });

    it('rolls the whole push back when the database fails mid-batch', async () => {
      const venue = makeVenue();
      const failing = db.transaction(async (sql) => {
        await applyPush(
          sql,
          contextOf(org.deviceIds[0]!),
          [putMutation(1, 'venue', venue.id, venue, stampAt(-1))],
          HEALTHY,
        );
        throw new Error('connection lost after the writes');
      });
      await expect(failing).rejects.toThrow('connection lost');
      expect(await record('venue', venue.id)).toBeUndefined();
      expect((await devicePosition())?.last_mutation_id).toBe(0);
      expect((await push([putMutation(1, 'venue', venue.id, venue, stampAt(-1))])).results[0]?.status).toBe(
        'applied',
      );
    });

    it('refuses server-owned records and stamps far in the future, without blocking later changes', async () => {
      const venue = makeVenue();
      const answer = await push([
        putMutation(1, 'user', randomUUID(), { name: 'Me', role: 'coordinator' }, stampAt(-1)),
        putMutation(2, 'venue', venue.id, venue, stampAt(30)),
        putMutation(3, 'venue', venue.id, venue, stampAt(-1)),
      ]);
      expect(
        answer.results.map((result) => (result.status === 'rejected' ? result.reason : result.status)),
      ).toEqual(['server-owned', 'clock-drift', 'applied']);
      const stamps = await db.query<{ field_hlcs: Record<string, string> }>(
        'SELECT field_hlcs FROM records WHERE entity_id = $1 AND organisation_id = $2',
        [venue.id, org.organisationId],
      );
      expect(stamps.rows[0]?.field_hlcs['name']).toBe(stampAt(-1));
    });
  });

  describe('conflicts', () => {
    it('keeps both devices\u2019 edits to different fields of one learner', async () => {
      const learner = makeLearner();
      await push([putMutation(1, 'learner', learner.id, learner, stampAt(-10))]);
      await push([putMutation(1, 'learner', learner.id, { phone: '07700 900111' }, stampAt(-3, NODE_B))], 1);
      await push(
        [putMutation(2, 'learner', learner.id, { email: 'new@example.org' }, stampAt(-4, NODE_A))],
        0,
      );
      expect((await record('learner', learner.id))?.data).toMatchObject({
        phone: '07700 900111',
        email: 'new@example.org',
      });
    });

    it('lets the later stamp win a field and keeps the overwritten values in history', async () => {
      const learner = makeLearner();
      await push([putMutation(1, 'learner', learner.id, learner, stampAt(-10))]);
      await push([putMutation(1, 'learner', learner.id, { phone: 'later' }, stampAt(-2, NODE_B))], 1);
      await push([putMutation(2, 'learner', learner.id, { phone: 'earlier' }, stampAt(-3, NODE_A))], 0);
      expect((await record('learner', learner.id))?.data['phone']).toBe('later');
      const phoneLines = (await history(learner.id)).filter((line) => line.field === 'phone');
      expect(phoneLines.map((line) => [line.outcome, line.old_value, line.new_value])).toEqual([
        ['applied', learner.phone, 'later'],
        ['stale', 'later', 'earlier'],
      ]);
      expect(phoneLines[1]?.device_id).toBe(org.deviceIds[0]);
    });

    it('makes one attendance record when two devices mark the same learner in the same session', async () => {
      const id = attendanceId(FIXTURE_IDS.session, FIXTURE_IDS.learner);
      await push(
        [putMutation(1, 'attendance', id, makeAttendance({ id, mark: 'P' }), stampAt(-5, NODE_A))],
        0,
      );
      await push(
        [putMutation(1, 'attendance', id, makeAttendance({ id, mark: 'L' }), stampAt(-4, NODE_B))],
        1,
      );
      const rows = await db.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM records WHERE organisation_id = $1 AND entity_type = 'attendance'",
        [org.organisationId],
      );
      expect(rows.rows[0]?.count).toBe(1);
      expect((await record('attendance', id))?.data['mark']).toBe('L');
    });

    it('refuses a second attendance row for the same session and learner under another id', async () => {
      const id = attendanceId(FIXTURE_IDS.session, FIXTURE_IDS.learner);
      await push([putMutation(1, 'attendance', id, makeAttendance({ id }), stampAt(-5))]);
      const wrongId = randomUUID();
      const answer = await push([
        putMutation(2, 'attendance', wrongId, makeAttendance({ id: wrongId }), stampAt(-4)),
      ]);
      expect(answer.results[0]).toMatchObject({ status: 'rejected', reason: 'duplicate-attendance' });
    });

    it('a delete is a tombstone; a later edit is refused, kept in history flagged, and nothing is resurrected', async () => {
      const venue = makeVenue();
      await push([putMutation(1, 'venue', venue.id, venue, stampAt(-10))]);
      await push([deleteMutation(2, 'venue', venue.id, stampAt(-5))]);
      const answer = await push(
        [putMutation(1, 'venue', venue.id, { name: 'Renamed later' }, stampAt(-1, NODE_B))],
        1,
      );
      expect(answer.results[0]).toMatchObject({ status: 'rejected', reason: 'record-deleted' });
      const held = await record('venue', venue.id);
      expect(held).toMatchObject({ deleted: true, data: { name: venue.name, deleted: true } });
      expect((await history(venue.id)).at(-1)).toMatchObject({
        field: 'name',
        outcome: 'after-delete',
        new_value: 'Renamed later',
      });
    });

    it('a delete beats edits with earlier stamps and flags edits with later ones', async () => {
      const venue = makeVenue();
      await push([putMutation(1, 'venue', venue.id, venue, stampAt(-10))]);
      await push(
        [putMutation(1, 'venue', venue.id, { name: 'Edited after the delete' }, stampAt(-1, NODE_B))],
        1,
      );
      await push([deleteMutation(2, 'venue', venue.id, stampAt(-5, NODE_A))], 0);
      expect((await record('venue', venue.id))?.deleted).toBe(true);
      const outcomes = (await history(venue.id)).map((line) => `${line.field}:${line.outcome}`);
      expect(outcomes.slice(-2)).toEqual(['deleted:deleted', 'name:after-delete']);
    });
  });

  describe('pull', () => {
    it("sends each record with the latest of its fields' stamps, a later change to one field included", async () => {
      const venues = [makeVenue({ id: randomUUID() }), makeVenue({ id: randomUUID() })];
      await push(
        venues.map((venue, index) => putMutation(index + 1, 'venue', venue.id, venue, stampAt(-20))),
      );
      // A later stamp on one field; an older one, which loses, leaves the latest where it was.
      await push([putMutation(3, 'venue', venues[0]!.id, { name: 'Renamed' }, stampAt(-10))]);
      await push([putMutation(4, 'venue', venues[1]!.id, { name: 'Older' }, stampAt(-30))]);

      const page = await db.transaction((sql) => pullAsCoordinator(sql, org, 0, 10));
      const stampOf = (id: string) => page.records.find((item) => item.entityId === id)?.hlc;
      expect(stampOf(venues[0]!.id)).toBe(stampAt(-10));
      expect(stampOf(venues[1]!.id)).toBe(stampAt(-20));
    });

    it('pages through every change in sequence order, each record once at its latest state, tombstones included', async () => {
      const venues = Array.from({ length: 25 }, (_, index) =>
        makeVenue({ id: randomUUID(), name: `Venue ${index}` }),
      );
      await push(
        venues.map((venue, index) => putMutation(index + 1, 'venue', venue.id, venue, stampAt(-20))),
      );
      await push([putMutation(26, 'venue', venues[0]!.id, { name: 'Renamed' }, stampAt(-10))]);
      await push([deleteMutation(27, 'venue', venues[1]!.id, stampAt(-5))]);

      const seen: PulledRecord[] = [];
      let cursor = 0;
      let pages = 0;
      for (;;) {
        const page = await db.transaction((sql) => pullAsCoordinator(sql, org, cursor, 10));
        pages += 1;
        seen.push(...page.records);
        expect(page.cursor).toBeGreaterThanOrEqual(cursor);
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      expect(pages).toBe(3);
      expect(seen.length).toBe(25);
      expect(new Set(seen.map((item) => item.entityId)).size).toBe(25);
      expect(seen.map((item) => item.changeSeq)).toEqual(
        [...seen.map((item) => item.changeSeq)].sort((a, b) => a - b),
      );
      expect(seen.find((item) => item.entityId === venues[0]!.id)?.data['name']).toBe('Renamed');
      expect(seen.find((item) => item.entityId === venues[1]!.id)?.deleted).toBe(true);
      expect(seen.at(-1)?.entityId).toBe(venues[1]!.id);
      // Up to date: an empty page that keeps the cursor.
      expect(await db.transaction((sql) => pullAsCoordinator(sql, org, cursor, 10))).toEqual({
        records: [],
        cursor,
        hasMore: false,
        scope: 'organisation',
      });
    });

    it('never shows another organisation\u2019s records', async () => {
      const other = await seedOrganisation(db, 1);
      await push([putMutation(1, 'venue', randomUUID(), makeVenue({ id: randomUUID() }), stampAt(-1))]);
      const page = await db.transaction((sql) => pullAsCoordinator(sql, other, 0, 100));
      expect(page.records.filter((item) => item.entityType === 'venue')).toEqual([]);
    });

    it('limits a pull to one table when asked (repair)', async () => {
      const venue = makeVenue();
      const learner = makeLearner();
      await push([
        putMutation(1, 'venue', venue.id, venue, stampAt(-2)),
        putMutation(2, 'learner', learner.id, learner, stampAt(-2)),
      ]);
      const page = await db.transaction((sql) => pullAsCoordinator(sql, org, 0, 100, 'learner'));
      expect(page.records.map((item) => item.entityId)).toEqual([learner.id]);
    });
  });

  describe('checksums', () => {
    it('match a checksum computed the same way over the pulled records, and change with any record', async () => {
      const venues = Array.from({ length: 5 }, () => makeVenue({ id: randomUUID() }));
      await push(venues.map((venue, index) => putMutation(index + 1, 'venue', venue.id, venue, stampAt(-2))));
      const server = await db.transaction((sql) => checksumsAsCoordinator(sql, org));
      const page = await db.transaction((sql) => pullAsCoordinator(sql, org, 0, 100, 'venue'));
      const local = createTableChecksum();
      for (const item of [...page.records].sort((a, b) => (a.entityId < b.entityId ? -1 : 1)))
        local.add(item.entityId, item.data);
      expect(server.tables.venue).toEqual(local.result());
      expect(server.cursor).toBe(5);
      await push([putMutation(6, 'venue', venues[0]!.id, { name: 'Changed' }, stampAt(-1))]);
      const after = await db.transaction((sql) => checksumsAsCoordinator(sql, org));
      expect(after.tables.venue?.sha256).not.toBe(server.tables.venue?.sha256);
      expect(after.cursor).toBe(6);
    });
  });
});

// Two server instances on one PostgreSQL database, as behind a load balancer: devices pushing and
// pulling through both at once end with the same data as through one, and no pull skips a change.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/server/db/database';
import {
  RECORD_SCHEMA_VERSION,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  type Mutation,
  type PullResponse,
  type PushResponse,
} from '../../src/domain/sync/protocol';
import { makeLearner, makeVenue } from '../fixtures/records';
import { OPEN_TIMEOUT_MS, createThrowawayDatabase } from '../helpers/serverDb';
import { HEALTHY, SERVER_NOW, putMutation, stampAt } from '../helpers/syncFixtures';
import { buildTestApp, registerDevice, setUpOrganisation, withSession } from './testApp';
import { seededRandom } from '../helpers/seededRandom';

const DEVICES = 6;
const ROUNDS = 8;
const SHARED_LEARNERS = 4;

type Held = Map<string, { data: Record<string, unknown>; deleted: boolean }>;

describe('two server instances on one PostgreSQL', () => {
  let throwaway: Awaited<ReturnType<typeof createThrowawayDatabase>>;
  let databases: Database[];
  let apps: FastifyInstance[];

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase();
    // Both instances start (and migrate) at once, as two processes would.
    databases = await Promise.all([
      openDatabase({ databaseUrl: throwaway.url }),
      openDatabase({ databaseUrl: throwaway.url }),
    ]);
    apps = await Promise.all(databases.map((db) => buildTestApp(db, { now: () => SERVER_NOW })));
  }, OPEN_TIMEOUT_MS);

  afterAll(async () => {
    for (const app of apps ?? []) await app.close();
    for (const db of databases ?? []) await db.close();
    await throwaway?.drop();
  }, OPEN_TIMEOUT_MS);

  it('converges every device on the server\u2019s data while pushes and pulls go through both at once', async () => {
    const { token } = await setUpOrganisation(apps[0]!);
    const random = seededRandom(20261123);
    const learners = Array.from({ length: SHARED_LEARNERS }, (_, index) =>
      makeLearner({ id: `00000000-0000-4000-8000-00000000000${index}`, givenNames: `Learner${index}` }),
    );
    const devices = await Promise.all(
      Array.from({ length: DEVICES }, async (_, index) => ({
        index,
        id: await registerDevice(apps[index % 2]!, token, `tablet-${index}`),
        node: index.toString(16).padStart(16, 'c'),
        nextMutationId: 1,
        outbox: [] as Mutation[],
        cursor: 0,
        held: new Map() as Held,
      })),
    );
    const headersOf = (deviceId: string) => ({
      [SYNC_HEADERS.protocolVersion]: String(SYNC_PROTOCOL_VERSION),
      [SYNC_HEADERS.schemaVersion]: String(RECORD_SCHEMA_VERSION),
      [SYNC_HEADERS.appVersion]: '0.1.0',
      [SYNC_HEADERS.deviceId]: deviceId,
    });

    const sync = async (device: (typeof devices)[number], app: FastifyInstance) => {
      if (device.outbox.length > 0) {
        const response = await app.inject({
          method: 'POST',
          url: '/api/sync/push',
          headers: headersOf(device.id),
          payload: { mutations: device.outbox, health: HEALTHY },
          ...withSession(token),
        });
        expect(response.statusCode, response.body).toBe(200);
        const answer = response.json<PushResponse>();
        expect(answer.results.filter((result) => result.status !== 'applied')).toEqual([]);
        device.outbox = device.outbox.filter((mutation) => mutation.mutationId > answer.lastMutationId);
      }
      for (let page = 0; page < 100; page += 1) {
        const response = await app.inject({
          method: 'GET',
          url: `/api/sync/pull?cursor=${device.cursor}&limit=7`,
          headers: headersOf(device.id),
          ...withSession(token),
        });
        expect(response.statusCode, response.body).toBe(200);
        const body = response.json<PullResponse>();
        for (const record of body.records) {
          device.held.set(`${record.entityType}/${record.entityId}`, {
            data: record.data,
            deleted: record.deleted,
          });
        }
        device.cursor = body.cursor;
        if (!body.hasMore) break;
      }
    };

    // The first device enrols the shared learners; everyone else edits them from then on.
    const first = devices[0]!;
    for (const learner of learners) {
      first.outbox.push(
        putMutation(first.nextMutationId++, 'learner', learner.id, learner, stampAt(-60, first.node)),
      );
    }
    await sync(first, apps[0]!);
    for (const device of devices.slice(1)) await sync(device, apps[1]!);

    for (let round = 0; round < ROUNDS; round += 1) {
      for (const device of devices) {
        // Each device makes a venue of its own and edits shared learners' fields.
        const venue = makeVenue({ id: crypto.randomUUID(), name: `Venue ${device.index}.${round}` });
        const stamp = stampAt(-30 + round, device.node, device.index);
        device.outbox.push(putMutation(device.nextMutationId++, 'venue', venue.id, venue, stamp));
        const learner = learners[Math.floor(random() * learners.length)]!;
        const fields =
          random() < 0.5
            ? { phone: `0770090${device.index}${round}` }
            : { town: `Town ${device.index}.${round}` };
        device.outbox.push(putMutation(device.nextMutationId++, 'learner', learner.id, fields, stamp));
      }
      // Every device syncs at once, half through each instance, alternating by round.
      await Promise.all(devices.map((device) => sync(device, apps[(device.index + round) % 2]!)));
    }
    // A last quiet round brings every device up to date.
    for (const device of devices) await sync(device, apps[device.index % 2]!);

    const server = await databases[0]!.query<{
      entity_type: string;
      entity_id: string;
      data: Record<string, unknown>;
      deleted: boolean;
      change_seq: number;
    }>('SELECT entity_type, entity_id, data, deleted, change_seq FROM records ORDER BY change_seq');
    const expected: Held = new Map(
      server.rows.map((row) => [
        `${row.entity_type}/${row.entity_id}`,
        { data: row.data, deleted: row.deleted },
      ]),
    );
    // Change sequence numbers are unique: one commit order across both instances.
    expect(new Set(server.rows.map((row) => row.change_seq)).size).toBe(server.rows.length);
    expect(server.rows.filter((row) => row.entity_type === 'venue').length).toBe(DEVICES * ROUNDS);
    for (const device of devices) {
      expect(device.outbox).toEqual([]);
      expect(device.held).toEqual(expected);
    }
    // The same pushes through one instance, in one order, give the same live data (last writer wins
    // by clock, not by arrival).
    const learnerRows = server.rows.filter((row) => row.entity_type === 'learner');
    for (const row of learnerRows) {
      const history = await databases[1]!.query<{
        field: string;
        new_value: unknown;
        hlc: string;
        outcome: string;
      }>(
        "SELECT field, new_value, hlc, outcome FROM change_history WHERE entity_id = $1 AND outcome IN ('applied', 'stale')",
        [row.entity_id],
      );
      for (const field of ['phone', 'town']) {
        const candidates = history.rows.filter((line) => line.field === field);
        const newest = candidates.reduce((best, line) => (line.hlc > best.hlc ? line : best), candidates[0]!);
        expect(row.data[field]).toEqual(newest.new_value);
      }
    }
  }, 120_000);
});

// Sealed changes (docs/sync-protocol.md, "Sealed changes"): the public sealing key route, pushes whose
// changes are sealed to it (alone, mixed with plain ones, altered, without their key, for another
// server), and the key pair kept across restarts and shared by servers starting together.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSyncApi } from '../../src/api/syncApi';
import {
  type SealingKey,
  type ServerSealingKey,
  type WrappedSealingKey,
  createSealingKey,
  generateServerSealingKeyPair,
  sealFields,
} from '../../src/crypto/outboxSeal';
import { type Mutation, type PushResponse, serverSealingKeySchema } from '../../src/domain/sync/protocol';
import { openDatabase } from '../../src/server/db/database';
import { makeLearner, makeVenue } from '../fixtures/records';
import {
  OPEN_TIMEOUT_MS,
  createThrowawayDatabase,
  describeEachBackend,
  resetDatabase,
} from '../helpers/serverDb';
import { HEALTHY, SERVER_NOW, putMutation, stampAt } from '../helpers/syncFixtures';
import { syncClient, type SyncAccount } from './syncClient';
import { buildTestApp, setUpOrganisation, withSession } from './testApp';

/** The sealing key as a device with no session and no sync headers gets it, through the app's API client. */
async function fetchSealingKey(app: FastifyInstance): Promise<ServerSealingKey> {
  const api = createSyncApi({
    appVersion: '0.1.0',
    transport: async (input, init) => {
      const response = await app.inject({ method: init.method as 'GET', url: input });
      return new Response(response.body, { status: response.statusCode });
    },
  });
  const answer = await api.sealingKey();
  if (!answer.ok) throw new Error(`GET /api/sync/sealing-key failed: ${answer.failure.message}`);
  return answer.value;
}

/** A put whose fields are sealed with `sealing`: only the field names show, in hlc. */
async function sealedPut(
  sealing: SealingKey,
  mutationId: number,
  entityType: Mutation['entityType'],
  fields: Record<string, unknown> & { id: string },
  stamp: string,
): Promise<Mutation> {
  const { fields: clear, ...header } = putMutation(mutationId, entityType, fields.id, fields, stamp);
  return { ...header, sealed: await sealFields(sealing, header, clear) };
}

describeEachBackend('sealed pushes', ({ db }) => {
  let app: FastifyInstance;
  let account: SyncAccount;
  let serverKey: ServerSealingKey;
  let sealing: SealingKey;
  const { headers, pullAll } = syncClient(() => app);

  beforeEach(async () => {
    await resetDatabase(db());
    app = await buildTestApp(db(), { now: () => SERVER_NOW });
    account = await syncClient(() => app).account(await setUpOrganisation(app), 'tablet-sealed');
    serverKey = await fetchSealingKey(app);
    sealing = await createSealingKey(serverKey);
  });
  afterEach(async () => {
    await app.close();
  });

  const push = (mutations: Mutation[], sealingKeys: WrappedSealingKey[] = [sealing.wrapped]) =>
    app.inject({
      method: 'POST',
      url: '/api/sync/push',
      payload: { mutations, sealingKeys, health: HEALTHY },
      headers: headers(account),
      ...withSession(account.token),
    });
  const lastMutationIdHeld = async () =>
    (
      await db().query<{ last_mutation_id: number }>('SELECT last_mutation_id FROM devices WHERE id = $1', [
        account.deviceId,
      ])
    ).rows[0]?.last_mutation_id;
  const pulledData = async () =>
    new Map(
      (await pullAll(account, { limit: 1000 })).records.map((record) => [record.entityId, record.data]),
    );

  it('serves the public key without a session or sync headers, and never its private half', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/sync/sealing-key' });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<ServerSealingKey>();
    expect(serverSealingKeySchema.safeParse(body).success).toBe(true);
    expect(Object.keys(body).sort()).toEqual(['keyId', 'publicKey']);
    expect(Object.keys(body.publicKey).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(body).toEqual(serverKey);
    // The stored pair does hold a private key: the route leaves it out.
    const { rows } = await db().query<{ id: string; private_key: JsonWebKey }>(
      'SELECT id, private_key FROM sealing_keys',
    );
    expect(rows.map((row) => row.id)).toEqual([body.keyId]);
    expect(typeof rows[0]?.private_key.d).toBe('string');
    expect(response.body).not.toContain(rows[0]!.private_key.d!);
  });

  it('opens a sealed push and applies it: a pull gives the fields in the clear', async () => {
    const learner = makeLearner({ id: randomUUID(), givenNames: 'Gráinne', phone: '07700 900456' });
    const mutation = await sealedPut(sealing, 1, 'learner', learner, stampAt(-1));
    expect(JSON.stringify(mutation)).not.toContain('Gráinne');

    const response = await push([mutation]);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<PushResponse>()).toEqual({
      results: [{ mutationId: 1, status: 'applied' }],
      lastMutationId: 1,
    });
    expect((await pulledData()).get(learner.id)).toEqual(learner);
  });

  it('applies plain and sealed changes mixed in one push, in their order', async () => {
    const venue = makeVenue({ id: randomUUID(), name: 'Bootle Library' });
    const learner = makeLearner({ id: randomUUID() });
    const response = await push([
      putMutation(1, 'venue', venue.id, venue, stampAt(-3)),
      await sealedPut(sealing, 2, 'learner', learner, stampAt(-2)),
      putMutation(3, 'venue', venue.id, { name: 'Bootle Central Library' }, stampAt(-1)),
    ]);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<PushResponse>().results.map((result) => result.status)).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
    const data = await pulledData();
    expect(data.get(venue.id)).toEqual({ ...venue, name: 'Bootle Central Library' });
    expect(data.get(learner.id)).toEqual(learner);
  });

  it('refuses an altered sealed change, or one whose key was altered, as unreadable and applies the rest', async () => {
    const [first, altered, third] = [1, 2, 3].map(() => makeLearner({ id: randomUUID() }));
    const sealedSecond = await sealedPut(sealing, 2, 'learner', altered!, stampAt(-2));
    const data = sealedSecond.sealed!.data;
    sealedSecond.sealed = { ...sealedSecond.sealed!, data: `${data[0] === 'A' ? 'B' : 'A'}${data.slice(1)}` };
    // A second key whose wrapped bytes were altered: nothing it seals opens.
    const damaged = await createSealingKey(serverKey);
    const wrapped = damaged.wrapped.wrappedKey;
    const damagedWrapped = {
      ...damaged.wrapped,
      wrappedKey: `${wrapped[0] === 'A' ? 'B' : 'A'}${wrapped.slice(1)}`,
    };
    const mutations = [
      await sealedPut(sealing, 1, 'learner', first!, stampAt(-3)),
      sealedSecond,
      await sealedPut(damaged, 3, 'learner', third!, stampAt(-2)),
      await sealedPut(sealing, 4, 'learner', third!, stampAt(-1)),
    ];

    const response = await push(mutations, [sealing.wrapped, damagedWrapped]);
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json<PushResponse>();
    const unreadable = {
      status: 'rejected',
      reason: 'unreadable',
      message: expect.stringContaining('could not open this sealed change') as string,
    };
    expect(answer).toEqual({
      results: [
        { mutationId: 1, status: 'applied' },
        { mutationId: 2, ...unreadable },
        { mutationId: 3, ...unreadable },
        { mutationId: 4, status: 'applied' },
      ],
      lastMutationId: 4,
    });
    const pulled = await pulledData();
    expect(pulled.get(first!.id)).toEqual(first);
    expect(pulled.has(altered!.id)).toBe(false);
    expect(pulled.get(third!.id)).toEqual(third);
    // Kept in the history as refused, what it set unknown; and a retry is answered the same.
    const history = await db().query<{ mutation_id: number; outcome: string; new_value: unknown }>(
      "SELECT mutation_id, outcome, new_value FROM change_history WHERE outcome = 'rejected:unreadable' ORDER BY mutation_id",
    );
    expect(history.rows).toEqual([
      { mutation_id: 2, outcome: 'rejected:unreadable', new_value: null },
      { mutation_id: 3, outcome: 'rejected:unreadable', new_value: null },
    ]);
    const retried = await push(mutations, [sealing.wrapped, damagedWrapped]);
    expect(retried.json<PushResponse>()).toEqual(answer);
  });

  it('answers 400 and applies nothing when a sealed change names a key the push does not carry', async () => {
    const venue = makeVenue({ id: randomUUID() });
    const response = await push(
      [
        putMutation(1, 'venue', venue.id, venue, stampAt(-2)),
        await sealedPut(sealing, 2, 'learner', makeLearner({ id: randomUUID() }), stampAt(-1)),
      ],
      [],
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({
      error: {
        reason: 'invalid-request',
        message: expect.stringContaining('sealingKeys') as string,
        details: { mutationId: 2, keyId: sealing.wrapped.id },
      },
    });
    expect(await lastMutationIdHeld()).toBe(0);
    expect((await pulledData()).has(venue.id)).toBe(false);
  });

  it("answers 409 sealing-key-unknown and applies nothing for changes sealed to another server's key", async () => {
    const otherServer = await generateServerSealingKeyPair();
    const elsewhere = await createSealingKey(otherServer);
    const venue = makeVenue({ id: randomUUID() });
    const response = await push(
      [
        putMutation(1, 'venue', venue.id, venue, stampAt(-2)),
        await sealedPut(elsewhere, 2, 'learner', makeLearner({ id: randomUUID() }), stampAt(-1)),
      ],
      [elsewhere.wrapped],
    );
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json()).toMatchObject({
      error: {
        reason: 'sealing-key-unknown',
        message: expect.stringContaining('kept on this device') as string,
        details: { serverKeyId: otherServer.keyId },
      },
    });
    expect(await lastMutationIdHeld()).toBe(0);
    expect((await pulledData()).has(venue.id)).toBe(false);
  });

  it('answers 400 and applies nothing when a sealed change opens to fields without their stamps', async () => {
    const venue = makeVenue({ id: randomUUID() });
    // `id` is sealed with no stamp of its own in hlc.
    const change = { mutationId: 1, entityType: 'venue', entityId: venue.id, op: 'put' } as const;
    const mutation: Mutation = {
      ...change,
      hlc: { name: stampAt(-1) },
      sealed: await sealFields(sealing, change, { name: 'Unstamped', id: venue.id }),
    };
    const response = await push([mutation]);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({
      error: { reason: 'invalid-request', message: expect.stringContaining('mutations.0.hlc') as string },
    });
    expect(await lastMutationIdHeld()).toBe(0);
  });

  it('answers 400 when a sealed change opens to a key the JSON body parser would refuse', async () => {
    const venue = makeVenue({ id: randomUUID() });
    const change = { mutationId: 1, entityType: 'venue', entityId: venue.id, op: 'put' } as const;
    const poisoned = JSON.parse(`{"name":"Bootle","__proto__":{"isAdmin":true}}`) as Record<string, unknown>;
    const response = await push([
      {
        ...change,
        hlc: { name: stampAt(-1) },
        sealed: await sealFields(sealing, change, poisoned),
      },
    ]);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ error: { reason: 'invalid-request' } });
    expect(await lastMutationIdHeld()).toBe(0);
  });

  it('serves the same key after a restart on the same database, and opens what was sealed before it', async () => {
    const learner = makeLearner({ id: randomUUID() });
    const sealedBefore = await sealedPut(sealing, 1, 'learner', learner, stampAt(-1));
    await app.close();
    app = await buildTestApp(db(), { now: () => SERVER_NOW });

    expect(await fetchSealingKey(app)).toEqual(serverKey);
    const response = await push([sealedBefore]);
    expect(response.json<PushResponse>().results).toEqual([{ mutationId: 1, status: 'applied' }]);
    expect((await pulledData()).get(learner.id)).toEqual(learner);
  });
});

describe('sealing keys of servers starting together on one PostgreSQL', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }, OPEN_TIMEOUT_MS);

  it(
    'make one key pair between them, which every one of them publishes',
    async () => {
      const throwaway = await createThrowawayDatabase();
      cleanups.push(() => throwaway.drop());
      const databases = await Promise.all(
        Array.from({ length: 3 }, () => openDatabase({ databaseUrl: throwaway.url })),
      );
      cleanups.push(async () => {
        for (const database of databases) await database.close();
      });
      const apps = await Promise.all(databases.map((database) => buildTestApp(database)));
      cleanups.push(async () => {
        for (const started of apps) await started.close();
      });

      const keys = await Promise.all(apps.map(fetchSealingKey));
      expect(new Set(keys.map((key) => key.keyId)).size).toBe(1);
      const { rows } = await databases[0]!.query<{ id: string }>('SELECT id FROM sealing_keys');
      expect(rows).toEqual([{ id: keys[0]!.keyId }]);
    },
    OPEN_TIMEOUT_MS,
  );
});

// The sync routes over HTTP, as docs/sync-protocol.md describes them: headers and versions, malformed
// and oversized pushes, device ownership, a push then a pull and checksums, records made before sign-in.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  MAX_MUTATIONS_PER_PUSH,
  RECORD_SCHEMA_VERSION,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  type ChecksumsResponse,
  type PullResponse,
  type PushResponse,
} from '../../src/domain/sync/protocol';
import { makeLearner, makeVenue } from '../fixtures/records';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { HEALTHY, SERVER_NOW, putMutation, stampAt } from '../helpers/syncFixtures';
import { buildTestApp, registerDevice, setUpOrganisation, withSession } from './testApp';

describeEachBackend('sync routes', (context) => {
  let app: FastifyInstance;
  let token: string;
  let deviceId: string;

  beforeEach(async () => {
    await resetDatabase(context.db());
    app = await buildTestApp(context.db(), { now: () => SERVER_NOW });
    ({ token } = await setUpOrganisation(app));
    deviceId = await registerDevice(app, token);
  });
  afterEach(async () => {
    await app.close();
  });

  const headers = (overrides: Record<string, string> = {}) => ({
    [SYNC_HEADERS.protocolVersion]: String(SYNC_PROTOCOL_VERSION),
    [SYNC_HEADERS.schemaVersion]: String(RECORD_SCHEMA_VERSION),
    [SYNC_HEADERS.appVersion]: '0.1.0',
    [SYNC_HEADERS.deviceId]: deviceId,
    ...overrides,
  });
  const push = (payload: unknown, extraHeaders: Record<string, string> = {}, session = token) =>
    app.inject({
      method: 'POST',
      url: '/api/sync/push',
      payload: payload as object,
      headers: headers(extraHeaders),
      ...withSession(session),
    });
  const pull = (query: string, extraHeaders: Record<string, string> = {}) =>
    app.inject({
      method: 'GET',
      url: `/api/sync/pull?${query}`,
      headers: headers(extraHeaders),
      ...withSession(token),
    });

  it('pushes, then pulls the records with the server-owned ones, and checksums agree with the pulled data', async () => {
    const venue = makeVenue({ id: randomUUID() });
    const response = await push({
      mutations: [putMutation(1, 'venue', venue.id, venue, stampAt(-1))],
      health: HEALTHY,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<PushResponse>()).toEqual({
      results: [{ mutationId: 1, status: 'applied' }],
      lastMutationId: 1,
    });

    const page = (await pull('cursor=0&limit=1000')).json<PullResponse>();
    const types = page.records.map((record) => record.entityType);
    expect(types).toEqual(expect.arrayContaining(['organisation', 'user', 'documentVersion', 'venue']));
    expect(page.records.find((record) => record.entityId === venue.id)?.data).toEqual(venue);
    // A user's email and password hash never travel in a pull.
    const user = page.records.find((record) => record.entityType === 'user');
    expect(Object.keys(user?.data ?? {}).sort()).toEqual(['id', 'name', 'role', 'status']);

    const checksums = await app.inject({
      method: 'GET',
      url: '/api/sync/checksums',
      headers: headers(),
      ...withSession(token),
    });
    const body = checksums.json<ChecksumsResponse>();
    expect(body.cursor).toBe(page.cursor);
    expect(body.tables.venue?.count).toBe(1);
  });

  it('answers 401 without a session on every sync route', async () => {
    for (const [method, url] of [
      ['POST', '/api/sync/push'],
      ['GET', '/api/sync/pull?cursor=0'],
      ['GET', '/api/sync/checksums'],
    ] as const) {
      const response = await app.inject({
        method,
        url,
        headers: headers(),
        payload: method === 'POST' ? {} : undefined,
      });
      expect(response.statusCode, url).toBe(401);
      expect(response.json().error.reason).toBe('not-signed-in');
    }
  });

  it('tells an older app to update (426) and a newer one that the server is out of date (409), applying nothing', async () => {
    const venue = makeVenue({ id: randomUUID() });
    const body = { mutations: [putMutation(1, 'venue', venue.id, venue, stampAt(-1))], health: HEALTHY };
    const old = await push(body, { [SYNC_HEADERS.schemaVersion]: String(RECORD_SCHEMA_VERSION - 2) });
    expect(old.statusCode).toBe(426);
    expect(old.json().error).toMatchObject({ reason: 'update-required' });
    expect(old.json().error.message).toMatch(/out of date/);
    const newer = await push(body, { [SYNC_HEADERS.protocolVersion]: String(SYNC_PROTOCOL_VERSION + 1) });
    expect(newer.statusCode).toBe(409);
    expect(newer.json().error.reason).toBe('server-outdated');
    expect((await pull('cursor=0', { [SYNC_HEADERS.schemaVersion]: '0' })).statusCode).toBe(426);
    const missing = await app.inject({
      method: 'GET',
      url: '/api/sync/pull?cursor=0',
      ...withSession(token),
    });
    expect(missing.statusCode).toBe(400);
    // The previous schema version is still accepted.
    const previous = await push(body, { [SYNC_HEADERS.schemaVersion]: String(RECORD_SCHEMA_VERSION - 1) });
    expect(previous.statusCode, previous.body).toBe(200);
  });

  it('answers 400 with what is wrong for malformed pushes, and applies nothing', async () => {
    const venue = makeVenue({ id: randomUUID() });
    const good = putMutation(1, 'venue', venue.id, venue, stampAt(-1));
    const cases: [unknown, RegExp][] = [
      [{ mutations: [good] }, /health/],
      [{ mutations: [{ ...good, entityId: 'not-a-uuid' }], health: HEALTHY }, /entityId/],
      [{ mutations: [{ ...good, entityType: 'password' }], health: HEALTHY }, /entityType/],
      [{ mutations: [good, { ...good, mutationId: 3 }], health: HEALTHY }, /consecutive/],
      [{ mutations: [{ ...good, hlc: {} }], health: HEALTHY }, /clock stamp/],
      [
        {
          mutations: Array.from({ length: MAX_MUTATIONS_PER_PUSH + 1 }, (_, i) => ({
            ...good,
            mutationId: i + 1,
          })),
          health: HEALTHY,
        },
        /mutations/,
      ],
    ];
    for (const [payload, message] of cases) {
      const response = await push(payload);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.reason).toBe('invalid-request');
      expect(response.json().error.message).toMatch(message);
    }
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      payload: '{"mutations": [',
      headers: { ...headers(), 'content-type': 'application/json' },
      ...withSession(token),
    });
    expect(notJson.statusCode).toBe(400);
    const page = (await pull('cursor=0&limit=1000')).json<PullResponse>();
    expect(page.records.some((record) => record.entityType === 'venue')).toBe(false);
  });

  it('answers 400 for a push larger than 8 MB, and applies nothing', async () => {
    const learner = makeLearner({ id: randomUUID(), adjustments: 'x'.repeat(9 * 1024 * 1024) });
    const response = await push({
      mutations: [putMutation(1, 'learner', learner.id, learner, stampAt(-1))],
      health: HEALTHY,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.reason).toBe('payload-too-large');
    expect(response.json().error.message).toMatch(/8 MB/);
  });

  it('refuses a push without a device id, or with one that is not the organisation\u2019s', async () => {
    const venue = makeVenue({ id: randomUUID() });
    const body = { mutations: [putMutation(1, 'venue', venue.id, venue, stampAt(-1))], health: HEALTHY };
    const unknown = await push(body, { [SYNC_HEADERS.deviceId]: randomUUID() });
    expect(unknown.statusCode).toBe(403);
    expect(unknown.json().error.reason).toBe('device-unknown');
    const gap = await push({ ...body, mutations: [{ ...body.mutations[0], mutationId: 5 }] });
    expect(gap.statusCode).toBe(409);
    expect(gap.json().error).toMatchObject({ reason: 'mutation-gap', details: { expectedMutationId: 1 } });
  });

  it("applies a device's later push that starts first once its earlier push is in, as two pushes in flight may", async () => {
    const venues = Array.from({ length: 40 }, (_, index) =>
      makeVenue({ id: randomUUID(), name: `Hall ${index}` }),
    );
    const mutations = venues.map((venue, index) =>
      putMutation(index + 1, 'venue', venue.id, venue, stampAt(-1)),
    );
    // The later push is sent first and is small, so it reaches the database before the earlier one.
    const later = push({ mutations: mutations.slice(39), health: HEALTHY });
    const earlier = push({ mutations: mutations.slice(0, 39), health: HEALTHY });
    const [laterAnswer, earlierAnswer] = await Promise.all([later, earlier]);
    expect(earlierAnswer.statusCode, earlierAnswer.body).toBe(200);
    expect(laterAnswer.statusCode, laterAnswer.body).toBe(200);
    expect(laterAnswer.json<PushResponse>()).toEqual({
      results: [{ mutationId: 40, status: 'applied' }],
      lastMutationId: 40,
    });
    const page = (await pull('cursor=0&limit=1000')).json<PullResponse>();
    expect(page.records.filter((record) => record.entityType === 'venue')).toHaveLength(40);
    // A gap with no earlier push in hand is still refused at once.
    const gap = await push({ mutations: [{ ...mutations[0]!, mutationId: 42 }], health: HEALTHY });
    expect(gap.statusCode).toBe(409);
    expect(gap.json().error).toMatchObject({ reason: 'mutation-gap', details: { expectedMutationId: 41 } });
  });

  it('answers 400 for a bad cursor or page size', async () => {
    for (const query of [
      'cursor=-1',
      'cursor=abc',
      '',
      'cursor=0&limit=100000',
      'cursor=0&entityType=password',
    ]) {
      const response = await pull(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.reason).toBe('invalid-request');
    }
  });
});

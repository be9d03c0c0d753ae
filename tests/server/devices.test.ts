// Devices: a new id for every registration, in the signed-in user's organisation; a coordinator's
// list; a device marked lost pushes, then is refused pulls and reports its erasure.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RECORD_SCHEMA_VERSION, SYNC_HEADERS, SYNC_PROTOCOL_VERSION } from '../../src/domain/sync/protocol';
import { makeLearner } from '../fixtures/records';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { HEALTHY, SERVER_NOW, putMutation, stampAt } from '../helpers/syncFixtures';
import {
  addOrganisation,
  buildTestApp,
  inviteAndAccept,
  registerDevice,
  setUpOrganisation,
  type TestUser,
  withSession,
} from './testApp';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describeEachBackend('device registration', ({ db }) => {
  let app: FastifyInstance;
  let token: string;
  let user: TestUser;

  beforeAll(async () => {
    await resetDatabase(db());
    app = await buildTestApp(db());
    ({ token, user } = await setUpOrganisation(app));
  });
  afterAll(() => app.close());

  it("registers a device in the user's organisation", async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/devices',
      payload: { clientDeviceId: 'library-tablet-3', appVersion: '0.1.0' },
      ...withSession(token),
    });
    expect(response.statusCode).toBe(201);
    const { deviceId } = response.json<{ deviceId: string }>();
    expect(deviceId).toMatch(UUID);
    const { rows } = await db().query(
      `SELECT organisation_id, client_device_id, registered_by, app_version, last_mutation_id,
              last_seen_at IS NOT NULL AS seen
       FROM devices WHERE id = $1`,
      [deviceId],
    );
    expect(rows).toEqual([
      {
        organisation_id: user.organisationId,
        client_device_id: 'library-tablet-3',
        registered_by: user.id,
        app_version: '0.1.0',
        last_mutation_id: 0,
        seen: true,
      },
    ]);
  });

  it('never reuses an id, even for the same device registering again', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await registerDevice(app, token, 'wiped-and-reinstalled'));
    expect(new Set(ids).size).toBe(5);
    const { rows } = await db().query<{ n: number }>(
      "SELECT count(*) AS n FROM devices WHERE client_device_id = 'wiped-and-reinstalled'",
    );
    expect(rows[0]?.n).toBe(5);
  });

  it.each([
    [{ appVersion: '0.1.0' }, 'clientDeviceId'],
    [{ clientDeviceId: '', appVersion: '0.1.0' }, 'clientDeviceId'],
    [{ clientDeviceId: 'tablet' }, 'appVersion'],
    [{ clientDeviceId: 7, appVersion: '0.1.0' }, 'clientDeviceId'],
  ])('answers 400 for %j, naming %s', async (payload, field) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/devices',
      payload,
      ...withSession(token),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues).toEqual([{ path: field, message: expect.any(String) }]);
  });

  it('refuses an anonymous registration', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/devices',
      payload: { clientDeviceId: 'x', appVersion: '0.1.0' },
    });
    expect(response.statusCode).toBe(401);
  });
});

describeEachBackend('lost devices', ({ db }) => {
  let app: FastifyInstance;
  let coordinator: { user: TestUser; token: string };

  beforeAll(async () => {
    await resetDatabase(db());
    app = await buildTestApp(db(), { now: () => SERVER_NOW });
    coordinator = await setUpOrganisation(app);
  });
  afterAll(() => app.close());

  const syncHeaders = (deviceId: string) => ({
    [SYNC_HEADERS.protocolVersion]: String(SYNC_PROTOCOL_VERSION),
    [SYNC_HEADERS.schemaVersion]: String(RECORD_SCHEMA_VERSION),
    [SYNC_HEADERS.appVersion]: '0.1.0',
    [SYNC_HEADERS.deviceId]: deviceId,
  });

  it('lists the devices for a coordinator; a lost one still pushes, then receives nothing and reports its erasure', async () => {
    const tutor = await inviteAndAccept(app, coordinator.token, {
      email: 'tutor@example.org',
      name: 'Tom Tutor',
    });
    const tabletId = await registerDevice(app, tutor.token, 'tablet-left-on-the-bus');

    const listed = await app.inject({
      method: 'GET',
      url: '/api/devices',
      ...withSession(coordinator.token),
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().devices).toEqual([
      expect.objectContaining({ id: tabletId, registeredByName: 'Tom Tutor', lostAt: null, erasedAt: null }),
    ]);
    const byTutor = await app.inject({
      method: 'POST',
      url: `/api/devices/${tabletId}/lost`,
      ...withSession(tutor.token),
    });
    expect(byTutor.statusCode).toBe(403);

    const marked = await app.inject({
      method: 'POST',
      url: `/api/devices/${tabletId}/lost`,
      ...withSession(coordinator.token),
    });
    expect(marked.statusCode).toBe(204);

    const learner = makeLearner({ id: randomUUID() });
    const pushed = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: syncHeaders(tabletId),
      payload: { mutations: [putMutation(1, 'learner', learner.id, learner, stampAt(-1))], health: HEALTHY },
      ...withSession(tutor.token),
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect(pushed.json().results).toEqual([{ mutationId: 1, status: 'applied' }]);

    for (const url of ['/api/sync/pull?cursor=0', '/api/sync/checksums']) {
      const refused = await app.inject({
        method: 'GET',
        url,
        headers: syncHeaders(tabletId),
        ...withSession(tutor.token),
      });
      expect(refused.statusCode, url).toBe(410);
      expect(refused.json().error.reason).toBe('device-lost');
    }

    const erased = await app.inject({
      method: 'POST',
      url: `/api/devices/${tabletId}/erased`,
      ...withSession(tutor.token),
    });
    expect(erased.statusCode).toBe(204);
    // The session the erased device used is over.
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', ...withSession(tutor.token) });
    expect(me.statusCode).toBe(401);
    const after = await app.inject({ method: 'GET', url: '/api/devices', ...withSession(coordinator.token) });
    expect(after.json().devices[0]).toMatchObject({
      lostAt: expect.any(String),
      erasedAt: expect.any(String),
    });
  });

  it('says nothing about another organisation\u2019s devices', async () => {
    const other = await addOrganisation(app, db(), {
      organisationName: 'Other Council',
      name: 'Other Coordinator',
      email: 'other@example.org',
    });
    const theirs = await registerDevice(app, other.token, 'their-tablet');
    for (const path of [
      `/api/devices/${theirs}/lost`,
      `/api/devices/${theirs}/erased`,
      '/api/devices/not-an-id/lost',
    ]) {
      const response = await app.inject({ method: 'POST', url: path, ...withSession(coordinator.token) });
      expect(response.statusCode, path).toBe(404);
    }
    const mine = await app.inject({ method: 'GET', url: '/api/devices', ...withSession(coordinator.token) });
    expect(mine.body).not.toContain(theirs);
  });
});

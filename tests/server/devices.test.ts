// POST /api/devices: a new id for every registration, in the signed-in user's organisation.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { buildTestApp, registerDevice, setUpOrganisation, type TestUser, withSession } from './testApp';

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

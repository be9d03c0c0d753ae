// A device's secret (the key its data key is wrapped under): released to anyone signed in to the
// device's organisation, the same each time and different per device; refused to another
// organisation, to no one signed in, and for a device marked lost; never cached, never logged.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import {
  type TestUser,
  addOrganisation,
  buildTestApp,
  inviteAndAccept,
  registerDevice,
  setUpOrganisation,
  withSession,
} from './testApp';

const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;

describeEachBackend('device secrets', ({ db }) => {
  let app: FastifyInstance;
  let coordinator: { user: TestUser; token: string };
  let tutor: { user: TestUser; token: string };
  const lines: string[] = [];

  beforeAll(async () => {
    await resetDatabase(db());
    app = await buildTestApp(db(), {
      logger: true,
      logLevel: 'trace',
      logStream: { write: (line: string) => void lines.push(line) },
    });
    coordinator = await setUpOrganisation(app);
    tutor = await inviteAndAccept(app, coordinator.token, { email: 'tutor@example.org', name: 'Tom Tutor' });
  });
  afterAll(() => app.close());

  const askFor = (deviceId: string, token?: string) =>
    app.inject({
      method: 'GET',
      url: `/api/devices/${deviceId}/secret`,
      ...(token === undefined ? {} : withSession(token)),
    });

  it('gives anyone of the organisation the same secret each time, and another device another', async () => {
    const tablet = await registerDevice(app, tutor.token, 'shared-tablet');
    const first = await askFor(tablet, tutor.token);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const { secret } = first.json<{ secret: string }>();
    expect(secret).toMatch(BASE64_32_BYTES);
    expect(Buffer.from(secret, 'base64')).toHaveLength(32);

    // The same again, and for the coordinator too: the tablet is shared.
    expect((await askFor(tablet, tutor.token)).json()).toEqual({ secret });
    expect((await askFor(tablet, coordinator.token)).json()).toEqual({ secret });

    const otherTablet = await registerDevice(app, coordinator.token, 'office-laptop');
    const other = await askFor(otherTablet, coordinator.token);
    expect(other.statusCode).toBe(200);
    expect(other.json<{ secret: string }>().secret).not.toBe(secret);
    // Registering again (a wiped tablet) is a new device with a new secret.
    const again = await registerDevice(app, tutor.token, 'shared-tablet');
    expect((await askFor(again, tutor.token)).json<{ secret: string }>().secret).not.toBe(secret);

    // Never in the logs, though the release is.
    const log = lines.join('');
    expect(log).toContain('device secret released');
    expect(log).not.toContain(secret);
    expect(log).not.toContain(Buffer.from(secret, 'base64').toString('hex'));
  });

  it('refuses someone signed out, and answers 404 for another organisation’s device or an unknown id', async () => {
    const tablet = await registerDevice(app, tutor.token, 'tablet-2');
    const signedOut = await askFor(tablet);
    expect(signedOut.statusCode).toBe(401);
    expect(signedOut.json().error.reason).toBe('not-signed-in');

    const other = await addOrganisation(app, db(), {
      organisationName: 'Other Council',
      name: 'Other Coordinator',
      email: 'other@example.org',
    });
    const theirs = await registerDevice(app, other.token, 'their-tablet');
    const theirSecret = (await askFor(theirs, other.token)).json<{ secret: string }>().secret;
    for (const [deviceId, token] of [
      [theirs, coordinator.token],
      [tablet, other.token],
      ['7d1f3c52-9a4b-4c1e-8f2d-5b6a7c8d9e0f', coordinator.token],
      ['not-an-id', coordinator.token],
    ] as const) {
      const response = await askFor(deviceId, token);
      expect(response.statusCode, deviceId).toBe(404);
      expect(response.json().error.reason).toBe('device-not-found');
      expect(response.body).not.toContain(theirSecret);
    }
  });

  it('refuses a device marked lost, and after it erased itself, with device-lost', async () => {
    const tablet = await registerDevice(app, tutor.token, 'tablet-left-on-the-bus');
    const before = await askFor(tablet, tutor.token);
    expect(before.statusCode).toBe(200);
    const { secret } = before.json<{ secret: string }>();

    const marked = await app.inject({
      method: 'POST',
      url: `/api/devices/${tablet}/lost`,
      ...withSession(coordinator.token),
    });
    expect(marked.statusCode).toBe(204);
    for (const token of [tutor.token, coordinator.token]) {
      const refused = await askFor(tablet, token);
      expect(refused.statusCode).toBe(410);
      expect(refused.json().error.reason).toBe('device-lost');
      expect(refused.body).not.toContain(secret);
    }

    // A lost device never asked for a secret is refused too (none is made for it).
    const neverAsked = await registerDevice(app, tutor.token, 'tablet-never-asked');
    await app.inject({
      method: 'POST',
      url: `/api/devices/${neverAsked}/lost`,
      ...withSession(coordinator.token),
    });
    expect((await askFor(neverAsked, coordinator.token)).statusCode).toBe(410);
    const { rows } = await db().query('SELECT 1 FROM device_secrets WHERE device_id = $1', [neverAsked]);
    expect(rows).toEqual([]);

    const erased = await app.inject({
      method: 'POST',
      url: `/api/devices/${tablet}/erased`,
      ...withSession(coordinator.token),
    });
    expect(erased.statusCode).toBe(204);
    const afterErasure = await askFor(tablet, tutor.token);
    expect(afterErasure.statusCode).toBe(410);
    expect(afterErasure.json().error.reason).toBe('device-lost');
  });
});

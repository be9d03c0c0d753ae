// Devices: a signed-in device registers for the user's organisation before its first sync and asks
// for its secret at each online sign-in; a coordinator lists the organisation's devices and marks one
// lost, and a lost device, once it has pushed what it held, reports that it erased its data.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireCoordinator, requireSession } from '../auth/guard';
import { clearSessionCookie, revokeSession, sessionTokenOf } from '../auth/sessions';
import type { Database } from '../db/database';
import { HttpError } from '../errors';
import { parseBody } from '../validation';
import { deviceSecret } from './deviceSecrets';
import { listDevices, markDeviceErased, markDeviceLost, registerDevice } from './devices';

const deviceParamsSchema = z.object({ id: z.uuid() });

/** Another organisation's device is "not found": the answer says nothing about it. */
const deviceNotFound = () =>
  new HttpError(404, 'device-not-found', 'There is no such device in your organisation.');

function deviceIdOf(params: unknown): string {
  const parsed = deviceParamsSchema.safeParse(params);
  if (!parsed.success) throw deviceNotFound();
  return parsed.data.id;
}

const registerDeviceBodySchema = z.object({
  clientDeviceId: z
    .string({ error: "Send the device's own id as clientDeviceId" })
    .trim()
    .min(1, "Send the device's own id as clientDeviceId")
    .max(200, 'clientDeviceId must be 200 characters or fewer'),
  appVersion: z
    .string({ error: "Send the app's version as appVersion" })
    .trim()
    .min(1, "Send the app's version as appVersion")
    .max(100, 'appVersion must be 100 characters or fewer'),
  /**
   * The last mutation id the device will never send (its first unsynced change's id minus one), so a
   * device that registers anew after writing offline continues its numbering instead of hitting a gap.
   */
  acknowledgedMutationId: z
    .number({ error: 'acknowledgedMutationId must be a whole number' })
    .int('acknowledgedMutationId must be a whole number')
    .min(0, 'acknowledgedMutationId cannot be negative')
    .default(0),
});

export function registerDeviceRoutes(app: FastifyInstance, { database }: { database: Database }): void {
  app.post('/api/devices', async (request, reply) => {
    const session = await requireSession(request);
    const body = parseBody(registerDeviceBodySchema, request.body);
    const deviceId = await registerDevice(database, {
      organisationId: session.organisationId,
      registeredBy: session.userId,
      clientDeviceId: body.clientDeviceId,
      appVersion: body.appVersion,
      acknowledgedMutationId: body.acknowledgedMutationId,
    });
    request.log.info({ deviceId, userId: session.userId }, 'device registered');
    return reply.code(201).send({ deviceId });
  });

  // The secret the device's data key is wrapped under (src/db/vault.ts): for anyone signed in to the
  // device's organisation, as the tablet is shared. The answer is never cached and never logged.
  app.get('/api/devices/:id/secret', async (request, reply) => {
    const caller = await requireSession(request);
    const deviceId = deviceIdOf(request.params);
    const found = await deviceSecret(database, caller.organisationId, deviceId);
    switch (found.kind) {
      case 'not-found':
        throw deviceNotFound();
      case 'lost':
        throw new HttpError(
          410,
          'device-lost',
          'This device was reported lost. The server no longer releases its secret.',
        );
      case 'secret':
        request.log.info({ deviceId, userId: caller.userId }, 'device secret released');
        return reply.header('cache-control', 'no-store').send({ secret: found.secret });
    }
  });

  app.get('/api/devices', async (request) => {
    const caller = await requireCoordinator(request);
    return { devices: await listDevices(database, caller.organisationId) };
  });

  app.post('/api/devices/:id/lost', async (request, reply) => {
    const caller = await requireCoordinator(request);
    const deviceId = deviceIdOf(request.params);
    if (!(await markDeviceLost(database, caller.organisationId, deviceId, caller.userId))) {
      throw deviceNotFound();
    }
    request.log.info({ deviceId, byUserId: caller.userId }, 'device marked lost');
    return reply.code(204).send();
  });

  app.post('/api/devices/:id/erased', async (request, reply) => {
    const caller = await requireSession(request);
    const deviceId = deviceIdOf(request.params);
    if (!(await markDeviceErased(database, caller.organisationId, deviceId))) throw deviceNotFound();
    // The session the erased device used ends with it: whoever holds the device now must sign in.
    const token = sessionTokenOf(request);
    if (token !== undefined) await revokeSession(database, token);
    clearSessionCookie(request, reply);
    request.log.info({ deviceId }, 'lost device erased its data; its session ended');
    return reply.code(204).send();
  });
}

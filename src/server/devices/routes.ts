// POST /api/devices: a signed-in device registers for the user's organisation before its first sync.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireSession } from '../auth/guard';
import type { Database } from '../db/database';
import { parseBody } from '../validation';
import { registerDevice } from './devices';

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
}

// The History route of docs/sync-protocol.md: a coordinator reads what the server received for one
// learner (who, which device, when, what) and who received, exported or viewed their special
// category answers.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SYNC_HEADERS } from '../../domain/sync/protocol';
import { requireCoordinator } from '../auth/guard';
import type { Database } from '../db/database';
import { HttpError } from '../errors';
import { learnerExists, readLearnerHistory } from './history';

const learnerParamsSchema = z.object({ id: z.uuid() });

/** Another organisation's learner, or no learner at all, is "not found": the answer says nothing more. */
const learnerNotFound = () =>
  new HttpError(404, 'learner-not-found', 'There is no such learner in your organisation.');

/** The Outreach-Device-Id header when it looks like a device id (the store checks it is the organisation's). */
function deviceIdOf(header: unknown): string | null {
  return typeof header === 'string' && z.uuid().safeParse(header).success ? header : null;
}

export function registerHistoryRoutes(app: FastifyInstance, { database }: { database: Database }): void {
  app.get('/api/learners/:id/history', async (request) => {
    const caller = await requireCoordinator(request);
    const parsed = learnerParamsSchema.safeParse(request.params);
    if (!parsed.success) throw learnerNotFound();
    const learnerId = parsed.data.id;
    const history = await database.transaction(async (sql) => {
      if (!(await learnerExists(sql, caller.organisationId, learnerId))) throw learnerNotFound();
      return readLearnerHistory(sql, {
        organisationId: caller.organisationId,
        learnerId,
        viewer: caller,
        deviceId: deviceIdOf(request.headers[SYNC_HEADERS.deviceId]),
      });
    });
    request.log.info(
      { learnerId, byUserId: caller.userId, changes: history.changes.length },
      'learner history read',
    );
    return history;
  });
}

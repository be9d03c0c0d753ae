// Duplicate learners (docs/sync-protocol.md, "Duplicate learners"): a coordinator lists the possible
// duplicates, merges one record into another, or says a pair are two people. A merge is one
// transaction of server-made changes that every device then pulls.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { duplicateDismissalSchema } from '../../domain/duplicates';
import { learnerMergeRequestSchema } from '../../domain/learnerMerge';
import { requireCoordinator } from '../auth/guard';
import type { Database } from '../db/database';
import {
  dismissDuplicatePair,
  planStoredMerge,
  readDuplicatePairs,
  recordLearnerMerge,
} from '../db/learnerMerge';
import { applyServerChanges } from '../db/syncStore';
import { HttpError } from '../errors';

export type MergeRouteOptions = {
  database: Database;
  /** The server's clock (the merge's clock stamps); tests replace it. */
  now?: () => number;
};

const learnerParamsSchema = z.object({ id: z.uuid() });

/** Another organisation's learner, or no learner at all, is "not found": the answer says nothing more. */
const learnerNotFound = () =>
  new HttpError(404, 'learner-not-found', 'There is no such learner in your organisation.');

function invalidRequest(issues: readonly { path: PropertyKey[]; message: string }[]): HttpError {
  const issue = issues[0];
  return new HttpError(
    400,
    'invalid-request',
    `The request is not valid: ${issue?.path.map(String).join('.') || 'body'}: ${issue?.message ?? ''}`,
  );
}

export function registerMergeRoutes(app: FastifyInstance, options: MergeRouteOptions): void {
  const { database } = options;
  const now = options.now ?? Date.now;

  app.get('/api/duplicates', async (request) => {
    const caller = await requireCoordinator(request);
    const answer = await database.transaction((sql) => readDuplicatePairs(sql, caller.organisationId));
    request.log.info({ pairs: answer.pairs.length, truncated: answer.truncated }, 'duplicates listed');
    return answer;
  });

  app.post('/api/duplicates/dismissals', async (request, reply) => {
    const caller = await requireCoordinator(request);
    const parsed = duplicateDismissalSchema.safeParse(request.body);
    if (!parsed.success) throw invalidRequest(parsed.error.issues);
    const learnerIds = parsed.data.learnerIds.map((id) => id.toLowerCase()) as [string, string];
    const outcome = await database.transaction((sql) =>
      dismissDuplicatePair(sql, { organisationId: caller.organisationId, learnerIds, userId: caller.userId }),
    );
    if (outcome === 'not-found') throw learnerNotFound();
    request.log.info({ learnerIds, byUserId: caller.userId }, 'duplicate pair dismissed');
    return reply.code(204).send();
  });

  app.post('/api/learners/:id/merge', async (request) => {
    const caller = await requireCoordinator(request);
    const params = learnerParamsSchema.safeParse(request.params);
    if (!params.success) throw learnerNotFound();
    const body = learnerMergeRequestSchema.safeParse(request.body);
    if (!body.success) throw invalidRequest(body.error.issues);
    const survivorId = params.data.id.toLowerCase();
    const otherId = body.data.otherLearnerId.toLowerCase();
    if (survivorId === otherId) {
      throw new HttpError(400, 'same-learner', 'A record cannot be merged into itself.');
    }
    const nowMillis = now();
    const answer = await database.transaction(async (sql) => {
      const stored = await planStoredMerge(sql, {
        organisationId: caller.organisationId,
        survivorId,
        otherId,
        at: new Date(nowMillis).toISOString(),
      });
      if (stored.kind === 'not-found') throw learnerNotFound();
      if (stored.kind === 'refused') {
        throw new HttpError(409, stored.refusal.reason, stored.refusal.message);
      }
      const { plan } = stored;
      await applyServerChanges(
        sql,
        { organisationId: caller.organisationId, userId: caller.userId },
        nowMillis,
        plan.changes,
      );
      await recordLearnerMerge(sql, {
        organisationId: caller.organisationId,
        survivorId,
        mergedId: otherId,
        mergedBy: caller.userId,
        moved: plan.moved,
        superseded: plan.superseded,
      });
      return { survivorId, mergedId: otherId, moved: plan.moved, superseded: plan.superseded };
    });
    request.log.info(
      { survivorId, mergedId: otherId, byUserId: caller.userId, moved: answer.moved },
      'learners merged',
    );
    return answer;
  });
}

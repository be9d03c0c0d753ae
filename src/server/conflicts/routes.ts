// Conflicts (docs/sync-protocol.md, "Conflicts"): a coordinator lists the values sync overwrote or
// refused because devices changed them without seeing each other's change, and the clashes sync
// flagged, and keeps the current value or restores the other.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { conflictResolutionRequestSchema } from '../../domain/conflicts';
import { SYNC_HEADERS } from '../../domain/sync/protocol';
import { requireCoordinator } from '../auth/guard';
import { planConflictResolution, readOpenConflicts, recordConflictResolution } from '../db/conflicts';
import type { Database } from '../db/database';
import { applyServerChanges } from '../db/syncStore';
import { HttpError } from '../errors';

export type ConflictRouteOptions = {
  database: Database;
  /** The server's clock (a restore's clock stamp); tests replace it. */
  now?: () => number;
};

const historyParamsSchema = z.object({ historyId: z.string().regex(/^[1-9][0-9]{0,14}$/) });

/** Another organisation's conflict, or none at all, is "not found": the answer says nothing more. */
const conflictNotFound = () =>
  new HttpError(404, 'conflict-not-found', 'There is no such conflict in your organisation.');

/** The Outreach-Device-Id header when it looks like a device id (the store checks it is the organisation's). */
function deviceIdOf(header: unknown): string | null {
  return typeof header === 'string' && z.uuid().safeParse(header).success ? header : null;
}

export function registerConflictRoutes(app: FastifyInstance, options: ConflictRouteOptions): void {
  const { database } = options;
  const now = options.now ?? Date.now;

  app.get('/api/conflicts', async (request) => {
    const caller = await requireCoordinator(request);
    const answer = await database.transaction((sql) =>
      readOpenConflicts(sql, {
        organisationId: caller.organisationId,
        viewer: caller,
        deviceId: deviceIdOf(request.headers[SYNC_HEADERS.deviceId]),
      }),
    );
    request.log.info(
      {
        records: answer.records.length,
        conflicts: answer.records.reduce((sum, record) => sum + record.conflicts.length, 0),
        loanClashes: answer.loanClashes.length,
        truncated: answer.truncated,
      },
      'conflicts listed',
    );
    return answer;
  });

  app.post('/api/conflicts/:historyId/resolve', async (request) => {
    const caller = await requireCoordinator(request);
    const params = historyParamsSchema.safeParse(request.params);
    if (!params.success) throw conflictNotFound();
    const body = conflictResolutionRequestSchema.safeParse(request.body);
    if (!body.success) {
      throw new HttpError(
        400,
        'invalid-request',
        'Say what to do with the conflict: { "decision": "keep-current" } or { "decision": "restore" }.',
      );
    }
    const historyId = Number(params.data.historyId);
    const { decision } = body.data;
    const nowMillis = now();
    // Restoring is a change the server writes itself (applyServerChanges), not an edit the
    // coordinator's tablet pushes: it is stamped after every stamp the record holds, so it wins,
    // and takes the organisation's next change sequence number, so every device pulls it; and it
    // commits in one transaction with the decision, so a conflict is never restored twice or
    // restored without being marked resolved. The page needs a connection anyway.
    const resolution = await database.transaction(async (sql) => {
      const plan = await planConflictResolution(sql, {
        organisationId: caller.organisationId,
        historyId,
        decision,
        viewer: caller,
        now: new Date(nowMillis).toISOString(),
      });
      switch (plan.kind) {
        case 'not-found':
          throw conflictNotFound();
        case 'already-resolved':
          throw alreadyResolved();
        case 'refused':
          throw new HttpError(plan.status, plan.reason, plan.message);
        case 'planned':
          break;
      }
      if (plan.change) {
        await applyServerChanges(
          sql,
          { organisationId: caller.organisationId, userId: caller.userId },
          nowMillis,
          [plan.change],
        );
      }
      const recorded = await recordConflictResolution(sql, {
        organisationId: caller.organisationId,
        historyId,
        decision,
        userId: caller.userId,
      });
      if (!recorded) throw alreadyResolved();
      return { historyId: String(historyId), decision, resolvedAt: recorded.resolvedAt };
    });
    request.log.info({ historyId, decision, byUserId: caller.userId }, 'conflict resolved');
    return resolution;
  });
}

const alreadyResolved = () =>
  new HttpError(409, 'already-resolved', 'This conflict has already been resolved.');

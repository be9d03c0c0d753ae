// Data protection (docs/sync-protocol.md, "Data protection"): a coordinator erases a learner at their
// request, downloads everything held on one (a subject access request), sets retention periods per
// funding stream and anonymises the learners whose period has ended. An erasure is one
// transaction of server-made changes that every device pulls, and it is final
// (src/server/db/erasedLearners.ts keeps later pushes from bringing anything back).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { erasureRequestSchema, isErasureConfirmed } from '../../domain/erasure';
import { retentionSettingsRequestSchema } from '../../domain/retention';
import { SYNC_HEADERS } from '../../domain/sync/protocol';
import { requireCoordinator } from '../auth/guard';
import type { Database } from '../db/database';
import { eraseLearner } from '../db/erasure';
import {
  anonymiseIfStillDue,
  learnersDueForAnonymising,
  readRetentionSummary,
  recordRetentionRun,
  saveRetentionPeriods,
} from '../db/retention';
import { takeSubjectAccessExport } from '../db/subjectAccess';
import { HttpError } from '../errors';

export type DataProtectionRouteOptions = {
  database: Database;
  /** The server's clock (the erasure's clock stamps); tests replace it. */
  now?: () => number;
};

const learnerParamsSchema = z.object({ id: z.uuid() });

/** Another organisation's learner, or no learner at all, is "not found": the answer says nothing more. */
const learnerNotFound = () =>
  new HttpError(404, 'learner-not-found', 'There is no such learner in your organisation.');

/** The Outreach-Device-Id header when it looks like a device id (the store checks it is the organisation's). */
function deviceIdOf(header: unknown): string | null {
  return typeof header === 'string' && z.uuid().safeParse(header).success ? header : null;
}

export function registerDataProtectionRoutes(
  app: FastifyInstance,
  options: DataProtectionRouteOptions,
): void {
  const { database } = options;
  const now = options.now ?? Date.now;

  app.post('/api/learners/:id/erase', async (request) => {
    const caller = await requireCoordinator(request);
    const params = learnerParamsSchema.safeParse(request.params);
    if (!params.success) throw learnerNotFound();
    const body = erasureRequestSchema.safeParse(request.body ?? {});
    if (!body.success || !isErasureConfirmed(body.data.confirmation)) {
      throw new HttpError(
        400,
        'confirmation-required',
        'Type ERASE to confirm: erasing a learner’s personal data cannot be undone.',
      );
    }
    const learnerId = params.data.id.toLowerCase();
    const outcome = await database.transaction((sql) =>
      eraseLearner(sql, {
        organisationId: caller.organisationId,
        learnerId,
        userId: caller.userId,
        reason: 'request',
        nowMillis: now(),
      }),
    );
    switch (outcome.kind) {
      case 'not-found':
        throw learnerNotFound();
      case 'already-erased':
        throw new HttpError(409, 'already-erased', 'This learner’s personal data has already been erased.');
      case 'merged':
        throw new HttpError(
          409,
          'learner-merged',
          'This record was merged into another: erase the record that was kept, which erases both.',
          { keptId: outcome.keptId },
        );
      case 'erased':
        request.log.info(
          {
            learnerId,
            byUserId: caller.userId,
            records: outcome.records,
            historyRows: outcome.historyRowsPurged,
          },
          'learner erased',
        );
        return {
          learnerId: outcome.learnerId,
          erasedAt: outcome.erasedAt,
          records: outcome.records,
          historyRowsPurged: outcome.historyRowsPurged,
        };
    }
  });

  app.get('/api/learners/:id/subject-access', async (request, reply) => {
    const caller = await requireCoordinator(request);
    const params = learnerParamsSchema.safeParse(request.params);
    if (!params.success) throw learnerNotFound();
    const learnerId = params.data.id.toLowerCase();
    const file = await database.transaction((sql) =>
      takeSubjectAccessExport(sql, {
        organisationId: caller.organisationId,
        learnerId,
        viewer: caller,
        deviceId: deviceIdOf(request.headers[SYNC_HEADERS.deviceId]),
        nowMillis: now(),
      }),
    );
    if (!file) throw learnerNotFound();
    request.log.info({ learnerId, byUserId: caller.userId }, 'subject access file taken');
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .send(file.json);
  });

  /** The server's day (UTC): what retention measures activity against. */
  const today = () => new Date(now()).toISOString().slice(0, 10);

  app.get('/api/retention', async (request) => {
    const caller = await requireCoordinator(request);
    return database.transaction((sql) => readRetentionSummary(sql, caller.organisationId, today()));
  });

  app.put('/api/retention', async (request) => {
    const caller = await requireCoordinator(request);
    const body = retentionSettingsRequestSchema.safeParse(request.body);
    if (!body.success) {
      throw new HttpError(400, 'invalid-retention', 'The retention periods are not valid.', {
        problems: body.error.issues.map((issue) => ({
          fundingStream: issue.path[1] === undefined ? null : String(issue.path[1]),
          message: issue.message,
        })),
      });
    }
    const summary = await database.transaction(async (sql) => {
      await saveRetentionPeriods(sql, {
        organisationId: caller.organisationId,
        userId: caller.userId,
        periods: body.data.periods,
      });
      return readRetentionSummary(sql, caller.organisationId, today());
    });
    request.log.info({ byUserId: caller.userId, periods: body.data.periods }, 'retention periods saved');
    return summary;
  });

  app.post('/api/retention/run', async (request) => {
    const caller = await requireCoordinator(request);
    const nowMillis = now();
    const asOf = new Date(nowMillis).toISOString().slice(0, 10);
    const due = await database.transaction((sql) =>
      learnersDueForAnonymising(sql, caller.organisationId, asOf),
    );
    // One transaction per learner: pushes are held up for one erasure at a time, never the whole run.
    let learnersAnonymised = 0;
    for (const learnerId of due) {
      const anonymised = await database.transaction((sql) =>
        anonymiseIfStillDue(sql, {
          organisationId: caller.organisationId,
          learnerId,
          userId: caller.userId,
          asOf,
          nowMillis,
        }),
      );
      if (anonymised) learnersAnonymised += 1;
    }
    await database.transaction((sql) =>
      recordRetentionRun(sql, {
        organisationId: caller.organisationId,
        userId: caller.userId,
        asOf,
        learnersAnonymised,
      }),
    );
    request.log.info({ byUserId: caller.userId, asOf, learnersAnonymised }, 'retention run');
    return { asOf, learnersAnonymised };
  });
}

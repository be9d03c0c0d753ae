// The dashboard route of docs/sync-protocol.md: a coordinator reads the whole organisation's figures
// for a period. The figures' definitions are in src/domain/reports/dashboard.ts.
import type { FastifyInstance } from 'fastify';
import { dashboardPeriodSchema, withoutEqualityBreakdowns } from '../../domain/reports/dashboard';
import { requireCoordinator } from '../auth/guard';
import type { Database } from '../db/database';
import { readDashboard } from '../db/dashboard';
import { HttpError } from '../errors';

export function registerReportRoutes(app: FastifyInstance, { database }: { database: Database }): void {
  app.get('/api/reports/dashboard', async (request) => {
    const caller = await requireCoordinator(request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const parsed = dashboardPeriodSchema.safeParse({ from: query['from'], to: query['to'] });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      }));
      throw new HttpError(400, 'invalid-period', issues[0]?.message ?? 'The period is not valid.', {
        issues,
      });
    }
    const started = performance.now();
    const all = await database.transaction((sql) => readDashboard(sql, caller.organisationId, parsed.data));
    const figures = caller.maySeeSpecialCategory ? all : withoutEqualityBreakdowns(all);
    // Counts and timing only: the period and figures say nothing about a person.
    request.log.info(
      {
        byUserId: caller.userId,
        learnersSupported: figures.learnersSupported,
        sessionsDelivered: figures.sessionsDelivered,
        queryMs: Math.round(performance.now() - started),
      },
      'dashboard read',
    );
    return figures;
  });
}

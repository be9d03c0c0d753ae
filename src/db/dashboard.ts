// The dashboard over this device's own records, for when the server cannot be reached: the same
// figures (src/domain/reports/dashboard.ts) counted over what the device holds, which is only what
// its users' scope brought it, never the whole organisation. The figures say so (source 'device').
import {
  type DashboardFigures,
  type DashboardPeriod,
  computeDashboard,
  holdsEqualityAnswers,
  withoutEqualityBreakdowns,
} from '../domain/reports/dashboard';
import type { OutreachDatabase } from './database';
import { openStoredRows } from './sealedRows';

export async function dashboardOfThisDevice(
  db: OutreachDatabase,
  period: DashboardPeriod,
): Promise<DashboardFigures> {
  // One read-only transaction: the figures come from one consistent moment of the store.
  const stored = await db.transaction(
    'r',
    [
      db.learners,
      db.enrolments,
      db.sessions,
      db.attendance,
      db.equalityMonitoring,
      db.employmentStatuses,
      db.passportAwards,
      db.outcomes,
      db.venues,
      db.programmes,
    ],
    async () => ({
      learners: await db.learners.toArray(),
      enrolments: await db.enrolments.toArray(),
      sessions: await db.sessions.where('date').between(period.from, period.to, true, true).toArray(),
      attendance: await db.attendance.toArray(),
      equalityMonitoring: await db.equalityMonitoring.toArray(),
      employmentStatuses: await db.employmentStatuses.toArray(),
      passportAwards: await db.passportAwards.toArray(),
      outcomes: await db.outcomes.toArray(),
      venues: await db.venues.toArray(),
      programmes: await db.programmes.toArray(),
    }),
  );
  // Personal fields (date of birth, equality answers, outcome codes) are sealed at rest: opened
  // after the transaction, as WebCrypto calls cannot run inside one.
  const [learners, equalityMonitoring, employmentStatuses, outcomes] = await Promise.all([
    openStoredRows(db, 'learner', stored.learners),
    openStoredRows(db, 'equalityMonitoring', stored.equalityMonitoring),
    openStoredRows(db, 'employmentStatus', stored.employmentStatuses),
    openStoredRows(db, 'outcome', stored.outcomes),
  ]);
  const records = { ...stored, learners, equalityMonitoring, employmentStatuses, outcomes };
  const figures = computeDashboard(records, period, 'device');
  return holdsEqualityAnswers(records) ? figures : withoutEqualityBreakdowns(figures);
}

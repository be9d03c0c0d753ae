import { useEffect, useState } from 'react';
import { dashboardOfThisDevice } from '../../db/dashboard';
import { db } from '../../db/instance';
import type { DashboardFigures, DashboardPeriod } from '../../domain/reports/dashboard';
import { problemWords } from '../people/problemWords';
import { syncApi } from '../sync/appSync';

export type DashboardAnswer =
  | { state: 'loading' }
  /** The whole organisation, from the server. */
  | { state: 'ready'; figures: DashboardFigures; serverProblem: null }
  /** The server could not answer: this device's own records, with the reason. */
  | { state: 'ready'; figures: DashboardFigures; serverProblem: string }
  | { state: 'failed'; problem: string };

/**
 * The dashboard for a period: the server's figures for the whole organisation when it answers;
 * otherwise this device's own records, counted the same way, with the reason the server did not.
 */
export function useDashboardFigures(period: DashboardPeriod): DashboardAnswer {
  const { from, to } = period;
  const key = `${from}/${to}`;
  // The answer is kept with the period it answers, so a new period shows "loading" at once.
  const [answered, setAnswered] = useState<{ key: string; answer: DashboardAnswer } | null>(null);

  useEffect(() => {
    let current = true;
    const setAnswer = (answer: DashboardAnswer) => setAnswered({ key: `${from}/${to}`, answer });
    void (async () => {
      const fromServer = await syncApi.dashboard({ from, to });
      if (!current) return;
      if (fromServer.ok) {
        setAnswer({ state: 'ready', figures: fromServer.value, serverProblem: null });
        return;
      }
      try {
        const figures = await dashboardOfThisDevice(db, { from, to });
        if (current) setAnswer({ state: 'ready', figures, serverProblem: problemWords(fromServer.failure) });
      } catch (error: unknown) {
        if (!current) return;
        const reason = error instanceof Error ? error.message : String(error);
        setAnswer({
          state: 'failed',
          problem: `${problemWords(fromServer.failure)} This device could not count its own records either: ${reason}`,
        });
      }
    })();
    return () => {
      current = false;
    };
  }, [from, to]);

  return answered?.key === key ? answered.answer : { state: 'loading' };
}

import { useCallback, useMemo, useState } from 'react';
import type { AbsenceReason, Attendance, AttendanceMark } from '../../domain/records';

/** What a row shows: a mark (with its reason) or nothing (null: cleared). */
export type ShownMark = { mark: AttendanceMark; absenceReason: AbsenceReason | null } | null;
type Pending = { shown: ShownMark; token: number; settled: boolean };

function sameMark(a: ShownMark, b: ShownMark): boolean {
  return a?.mark === b?.mark && (a?.absenceReason ?? null) === (b?.absenceReason ?? null);
}

let nextToken = 1;

/**
 * The register shows a tap at once, in the same frame, while its write commits; the live query
 * then confirms it. This is not a second cache of domain data: an entry lives only until IndexedDB
 * shows the same mark (or its write settles), and a failed write takes it away again.
 */
export function useShownMarks(saved: ReadonlyMap<string, Attendance>) {
  const [pending, setPending] = useState<ReadonlyMap<string, Pending>>(new Map());

  // When the live query brings new marks, drop what they confirm or what has settled (React's
  // "adjust state when a prop changes" pattern: during render, no effect, no extra paint).
  const [confirmedAgainst, setConfirmedAgainst] = useState(saved);
  if (confirmedAgainst !== saved) {
    setConfirmedAgainst(saved);
    const kept = new Map(
      [...pending].filter(([learnerId, entry]) => {
        const stored = saved.get(learnerId);
        const savedMark: ShownMark = stored
          ? { mark: stored.mark, absenceReason: stored.absenceReason }
          : null;
        return !entry.settled && !sameMark(entry.shown, savedMark);
      }),
    );
    if (kept.size !== pending.size) setPending(kept);
  }

  /** Shows `shown` for the learner now; returns callbacks for when its write succeeds or fails. */
  const show = useCallback((learnerId: string, shown: ShownMark) => {
    const token = nextToken++;
    setPending((current) => new Map(current).set(learnerId, { shown, token, settled: false }));
    const finish = (failed: boolean) =>
      setPending((current) => {
        const entry = current.get(learnerId);
        if (entry?.token !== token) return current;
        const next = new Map(current);
        if (failed) next.delete(learnerId);
        else next.set(learnerId, { ...entry, settled: true });
        return next;
      });
    return { saved: () => finish(false), failed: () => finish(true) };
  }, []);

  const shownMarks = useMemo(() => {
    const result = new Map<string, ShownMark>();
    for (const [learnerId, mark] of saved)
      result.set(learnerId, { mark: mark.mark, absenceReason: mark.absenceReason });
    for (const [learnerId, entry] of pending) result.set(learnerId, entry.shown);
    return result;
  }, [saved, pending]);

  return { shownMarks, show };
}

// Small-count suppression for every figure that leaves the app (CSV, print): data protection rule 7.
// A count of 1 to 4 people could point at someone, so it is shown as "<5"; where a breakdown would
// hide just one cell, its total would give it away, so the next smallest cell is hidden as well.

/** Shown instead of a count of 1 to 4. */
export const SMALL_COUNT = '<5';
/** Shown instead of a count hidden only so that a small count cannot be worked out from the total. */
export const HIDDEN_COUNT = '*';
/** The counts below this (and above 0) are suppressed. */
export const SUPPRESSION_THRESHOLD = 5;

/** A footnote for anything that shows suppressed counts. */
export const SUPPRESSION_NOTE =
  '<5: fewer than 5 people. *: hidden so that a count under 5 cannot be worked out from the total.';

export type ShownCount = number | typeof SMALL_COUNT | typeof HIDDEN_COUNT;

function isSmall(count: number): boolean {
  return count > 0 && count < SUPPRESSION_THRESHOLD;
}

/**
 * One breakdown's counts as they may be shown, in the same order: 0 stays 0, 1 to 4 become "<5", and
 * when exactly one cell became "<5" the smallest remaining non-zero cell (the first, on a tie) becomes
 * "*" too. With none left, the one small cell stays alone: there is nothing to hide it behind.
 */
export function suppressSmallCounts(counts: readonly number[]): ShownCount[] {
  const shown: ShownCount[] = counts.map((count) => (isSmall(count) ? SMALL_COUNT : count));
  if (shown.filter((cell) => cell === SMALL_COUNT).length !== 1) return shown;
  let next = -1;
  counts.forEach((count, index) => {
    if (count > 0 && shown[index] !== SMALL_COUNT && (next === -1 || count < counts[next]!)) next = index;
  });
  if (next !== -1) shown[next] = HIDDEN_COUNT;
  return shown;
}

/** Rows with their learners suppressed as one breakdown (other fields, such as hours, kept). */
export function suppressRows<Row extends { learners: number }>(
  rows: readonly Row[],
): (Omit<Row, 'learners'> & { learners: ShownCount })[] {
  const shown = suppressSmallCounts(rows.map((row) => row.learners));
  return rows.map((row, index) => ({ ...row, learners: shown[index]! }));
}

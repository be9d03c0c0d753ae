// Priority areas in words, for the page and its summary.

/** "Deciles 1 to 2 (the most deprived 20% of neighbourhoods)". */
export function thresholdWords(threshold: number): string {
  if (threshold <= 1) return 'Decile 1 only (the most deprived 10% of neighbourhoods)';
  if (threshold >= 10) return 'Deciles 1 to 10 (every neighbourhood)';
  return `Deciles 1 to ${threshold} (the most deprived ${threshold * 10}% of neighbourhoods)`;
}

export function countWords(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
}

/** What a save or an import did to learners with no flag yet. */
export function newlyDecidedWords(newlyDecided: number | undefined): string {
  if (!newlyDecided) return '';
  return ` ${countWords(newlyDecided, 'learner', 'learners')} with no priority-area flag yet ${newlyDecided === 1 ? 'was' : 'were'} given one.`;
}

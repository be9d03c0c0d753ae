// How loans read on screen. Pure.

/** Whole days from one calendar date to a later one. */
export function daysBetween(from: string, to: string): number {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}

/** "1 day overdue", "12 days overdue": said in words, never by colour alone. */
export function overdueWords(dueBack: string, today: string): string {
  const days = daysBetween(dueBack, today);
  return `${days} ${days === 1 ? 'day' : 'days'} overdue`;
}

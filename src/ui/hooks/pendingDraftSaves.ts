// Draft saves waiting on their debounce. Before the app reloads for an update, every one is
// flushed, so a half-filled form is in IndexedDB when the new version starts.

type Flush = () => Promise<void>;
const pending = new Set<Flush>();

export function registerDraftFlush(flush: Flush): () => void {
  pending.add(flush);
  return () => pending.delete(flush);
}

export async function flushDraftSaves(): Promise<void> {
  await Promise.all([...pending].map((flush) => flush()));
}

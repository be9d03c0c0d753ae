// The app's one database connection. Another tab opening a newer schema asks this one to close
// (Dexie #1139): we close and tell the UI, which asks the tutor to reload.
import { OutreachDatabase } from './database';
import { installShippedDocuments } from './documents';

export const db = new OutreachDatabase();

const versionChangeListeners = new Set<() => void>();

db.on('versionchange', () => {
  db.close();
  for (const listener of versionChangeListeners) listener();
  return false;
});

export function onNewerVersionInAnotherTab(listener: () => void): () => void {
  versionChangeListeners.add(listener);
  return () => versionChangeListeners.delete(listener);
}

/** Opens the database and installs the documents shipped with this build. */
export async function openDatabase(): Promise<void> {
  await db.open();
  await installShippedDocuments(db);
}

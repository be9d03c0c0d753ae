import { SHIPPED_DOCUMENT_VERSIONS } from '../domain/documents';
import type { DocumentVersion } from '../domain/records';
import type { OutreachDatabase } from './database';

/** Puts the document versions that ship with the app into the store (server-owned: not in the outbox). */
export async function installShippedDocuments(db: OutreachDatabase): Promise<void> {
  // A read on every start, a write only the first time (or when a build ships a new version).
  const stored = await db.documentVersions.bulkGet(SHIPPED_DOCUMENT_VERSIONS.map((doc) => doc.id));
  const missing = SHIPPED_DOCUMENT_VERSIONS.filter((doc, index) => stored[index]?.sha256 !== doc.sha256);
  if (missing.length > 0) await db.documentVersions.bulkPut(missing);
}

/** The newest version of a document in a language, falling back to English. */
export async function currentDocument(
  db: OutreachDatabase,
  kind: DocumentVersion['kind'],
  language = 'en',
): Promise<DocumentVersion | undefined> {
  const versions = await db.documentVersions.where('kind').equals(kind).toArray();
  const newest = (lang: string) =>
    versions.filter((doc) => doc.language === lang).sort((a, b) => b.version - a.version)[0];
  return newest(language) ?? newest('en');
}

export async function getDocument(db: OutreachDatabase, id: string): Promise<DocumentVersion | undefined> {
  return db.documentVersions.get(id);
}

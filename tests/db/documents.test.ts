import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONSENT_STATEMENTS_V1,
  PRIVACY_NOTICE_V1,
  SHIPPED_DOCUMENT_VERSIONS,
} from '../../src/domain/documents';
import { newId } from '../../src/domain/ids';
import type { OutreachDatabase } from '../../src/db/database';
import { currentDocument, getDocument, installShippedDocuments } from '../../src/db/documents';
import { discardTestDatabase, openTestDatabase } from '../fixtures/db';
import { makeDocumentVersion } from '../fixtures/records';

let db: OutreachDatabase;

beforeEach(() => {
  db = openTestDatabase();
});

afterEach(async () => {
  await discardTestDatabase(db);
});

describe('installShippedDocuments', () => {
  it('stores the documents shipped with the app, once, outside the outbox', async () => {
    await installShippedDocuments(db);
    await installShippedDocuments(db);

    expect(await db.documentVersions.count()).toBe(SHIPPED_DOCUMENT_VERSIONS.length);
    expect(await getDocument(db, PRIVACY_NOTICE_V1.id)).toEqual(PRIVACY_NOTICE_V1);
    expect(await getDocument(db, CONSENT_STATEMENTS_V1.id)).toEqual(CONSENT_STATEMENTS_V1);
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('currentDocument', () => {
  beforeEach(async () => {
    await installShippedDocuments(db);
  });

  it('gives the shipped English version', async () => {
    expect(await currentDocument(db, 'privacy-notice')).toEqual(PRIVACY_NOTICE_V1);
    expect(await currentDocument(db, 'consent-statements', 'en')).toEqual(CONSENT_STATEMENTS_V1);
  });

  it('falls back to English when there is no version in the language asked for', async () => {
    expect(await currentDocument(db, 'privacy-notice', 'pl')).toEqual(PRIVACY_NOTICE_V1);
  });

  it('gives the newest version in the language asked for', async () => {
    const welshV1 = makeDocumentVersion({ id: newId(), kind: 'privacy-notice', version: 1, language: 'cy' });
    const englishV2 = makeDocumentVersion({
      id: newId(),
      kind: 'privacy-notice',
      version: 2,
      language: 'en',
    });
    const welshV3 = makeDocumentVersion({ id: newId(), kind: 'privacy-notice', version: 3, language: 'cy' });
    await db.documentVersions.bulkPut([welshV3, englishV2, welshV1]);

    expect(await currentDocument(db, 'privacy-notice', 'cy')).toEqual(welshV3);
    expect(await currentDocument(db, 'privacy-notice', 'en')).toEqual(englishV2);
    expect(await currentDocument(db, 'privacy-notice', 'pl')).toEqual(englishV2);
  });

  it('gives nothing for a kind with no versions', async () => {
    await db.documentVersions.where('kind').equals('loan-terms').delete();
    expect(await currentDocument(db, 'loan-terms', 'cy')).toBeUndefined();
  });
});

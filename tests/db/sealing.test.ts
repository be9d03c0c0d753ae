// The outbox sealed to the server and rows sealed at rest, on the device: changes are sealed once
// the server's key is known and always stored with the wrapped key that opens them; a repair keeps a
// record made here and not pushed yet; a tab holding the key of an erased device lets it go.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  generateServerSealingKeyPair,
  importServerPrivateKey,
  unwrapSealingKey,
} from '../../src/crypto/outboxSeal';
import { openFields } from '../../src/server/sync/openSealedFields';
import type { OutreachDatabase } from '../../src/db/database';
import { eraseDeviceData } from '../../src/db/erase';
import { outboxBatches } from '../../src/db/outbox';
import { rememberServerSealingKey } from '../../src/db/outboxSealing';
import { replaceTable } from '../../src/db/pulls';
import { sealWaitingChanges } from '../../src/db/sealLegacy';
import { getSession, saveSession } from '../../src/db/sessions';
import { saveVenue } from '../../src/db/venues';
import { holdsDataKey, openDataKeys } from '../../src/db/vault';
import { withinSealingKeyLimit } from '../../src/domain/changeLog';
import { sessionFields, useTestDatabaseAt, venueFields } from '../fixtures/db';

const testDatabase = useTestDatabaseAt(new Date('2026-11-24T10:00:00.000Z'));
let db: OutreachDatabase;

beforeEach(() => {
  db = testDatabase();
});

async function serverKey() {
  const pair = await generateServerSealingKeyPair();
  await rememberServerSealingKey(db, { keyId: pair.keyId, publicKey: pair.publicKey });
  return pair;
}

describe('the outbox sealed to the server', () => {
  it('keeps changes readable until the key is known, then seals them; only the server opens them', async () => {
    const venueId = await saveVenue(db, venueFields({ name: 'St Mary’s Hall' }));
    expect((await outboxBatches(db))[0]?.changes[0]?.fields?.['name']).toBe('St Mary’s Hall');

    const pair = await serverKey();
    expect(await sealWaitingChanges(db)).toBe(1);
    const [change] = (await outboxBatches(db))[0]!.changes;
    expect(change?.fields).toBeUndefined();
    expect(JSON.stringify(change)).not.toContain('Mary');
    expect(change?.fieldNames).toContain('name');

    const wrapped = (await db.sealingKeys.get(change!.sealed!.keyId))!;
    const key = await unwrapSealingKey(await importServerPrivateKey(pair.privateKey), wrapped);
    const fields = openFields(key, { entityType: 'venue', entityId: venueId, op: 'put' }, change!.sealed!);
    expect(fields['name']).toBe('St Mary’s Hall');
  });

  it('stores the wrapped key with every batch, even when something cleared it since', async () => {
    await serverKey();
    await saveVenue(db, venueFields({ name: 'First' }));
    await db.sealingKeys.clear();
    await saveVenue(db, venueFields({ name: 'Second' }));
    const keyIds = (await outboxBatches(db)).flatMap((batch) => batch.changes.map((c) => c.sealed!.keyId));
    expect(await db.sealingKeys.get(keyIds.at(-1)!)).toBeDefined();
  });

  it('splits what one push sends so that it names no more sealing keys than the server takes', () => {
    const changes = ['a', 'a', 'b', 'c', 'c', 'd'].map((keyId) => ({ sealed: { keyId, iv: '', data: '' } }));
    expect(withinSealingKeyLimit(changes, 2).map((c) => c.sealed.keyId)).toEqual(['a', 'a', 'b']);
    expect(withinSealingKeyLimit(changes, 10)).toHaveLength(6);
    expect(withinSealingKeyLimit([{}, {}, ...changes], 1)).toHaveLength(4);
  });
});

describe('a repair', () => {
  it('keeps a record made on this device and not pushed yet', async () => {
    const venueId = await saveVenue(db, venueFields());
    const sessionId = await saveSession(
      db,
      sessionFields({ programmeId: crypto.randomUUID(), venueId, notes: 'Bring the hearing loop' }),
    );
    await replaceTable(db, 'session', []);
    expect((await getSession(db, sessionId))?.notes).toBe('Bring the hearing loop');
  });
});

describe('a tab holding the key of an erased device', () => {
  it('lets it go: nothing is sealed under a key nothing wraps any more', async () => {
    const before = await openDataKeys(db);
    expect(holdsDataKey(db)).toBe(true);
    // Erased in another tab: the rows and the vault go; this tab's memory does not hear of it.
    await db.meta.delete('vault');
    const after = await openDataKeys(db);
    expect(after).not.toBe(before);
    expect(await db.meta.get('vault')).toBeDefined();
  });

  it('erasing forgets the key here at once', async () => {
    await openDataKeys(db);
    await eraseDeviceData(db, 'handed-back', '2026-11-24T10:00:00.000Z');
    expect(holdsDataKey(db)).toBe(false);
  });
});

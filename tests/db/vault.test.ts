// Where the device's data key is kept (src/db/vault.ts), with the real key derivation: unprotected on
// a fresh device; wrapped under each PIN chosen (and the unprotected copy gone); opened by the right
// PIN only, and by the device secret; forgotten when the tab locks.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type DataKeys, openValue, sealValue } from '../../src/crypto/dataKey';
import { toBase64 } from '../../src/crypto/keys';
import { makePinVerifier } from '../../src/crypto/pin';
import type { OutreachDatabase, VaultRow } from '../../src/db/database';
import {
  NO_DATA_KEY_FOR_PIN_MESSAGE,
  checkPin,
  choosePin,
  getDevicePin,
  recordOnlineSignIn,
} from '../../src/db/deviceLock';
import { isStoreError } from '../../src/db/errors';
import {
  forgetDataKey,
  holdsDataKey,
  openDataKeyWithDeviceSecret,
  openDataKeyWithPin,
  openDataKeys,
  requireDataKeys,
  subscribeDataKey,
} from '../../src/db/vault';
import type { SignedInUser } from '../../src/domain/sync/status';
import { AISHA, GARETH, useTestDatabaseAt } from '../fixtures/db';

const testDatabase = useTestDatabaseAt(new Date('2026-11-23T10:00:00.000Z'));
let db: OutreachDatabase;

beforeEach(() => {
  db = testDatabase();
});

const newSecret = () => toBase64(crypto.getRandomValues(new Uint8Array(32)));
const SECRET = newSecret();
const CONTEXT = 'learner/0f3c';

async function readVault(): Promise<VaultRow | undefined> {
  return (await db.meta.get('vault')) as VaultRow | undefined;
}

/** The PIN's key, derived as checkPin does, for a PIN that is right. */
async function pinKey(userId: string, pin: string): Promise<CryptoKey> {
  const check = await checkPin(db, userId, pin);
  if (check.kind !== 'right') throw new Error(`${pin} is not ${userId}'s PIN: ${check.kind}`);
  return check.key;
}

/** Whether `keys` are the device's key: they open what the key sealed earlier. */
async function opensWith(keys: DataKeys, sealed: string): Promise<boolean> {
  try {
    return (await openValue(keys, CONTEXT, sealed)) === 'Flat 2, 14 Marsh Lane';
  } catch {
    return false;
  }
}

describe('a fresh device', () => {
  it('makes an unprotected key on first use, keeps it, and holds it in this tab', async () => {
    expect(holdsDataKey(db)).toBe(false);
    expect(await readVault()).toBeUndefined();
    const keys = await openDataKeys(db);
    expect(keys).not.toBeNull();
    expect(holdsDataKey(db)).toBe(true);
    const vault = await readVault();
    expect(vault).toMatchObject({ key: 'vault', device: null, unprotected: expect.any(String) });
    expect(atob(vault!.unprotected!)).toHaveLength(32);

    // Forgotten, the same key comes back from the unprotected copy: no one has a PIN here.
    const sealed = await sealValue(keys!, CONTEXT, 'Flat 2, 14 Marsh Lane');
    forgetDataKey(db);
    expect(holdsDataKey(db)).toBe(false);
    expect(await opensWith((await openDataKeys(db))!, sealed)).toBe(true);
    expect((await readVault())?.unprotected).toBe(vault!.unprotected);
  });
});

describe('choosing a PIN', () => {
  it('wraps the key under the PIN in the PIN row, and drops the unprotected copy', async () => {
    const keys = await requireDataKeys(db);
    const unprotected = (await readVault())!.unprotected!;
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');

    const row = await getDevicePin(db, AISHA.id);
    expect(row?.dataKey).toEqual({ iv: expect.any(String), data: expect.any(String) });
    const vault = await readVault();
    expect(vault?.unprotected).toBeNull();
    // The key's bytes are nowhere on the device in the clear.
    const stored = JSON.stringify({ pins: await db.devicePins.toArray(), meta: await db.meta.toArray() });
    expect(stored).not.toContain(unprotected);

    // Locked: nothing opens the key without a PIN.
    const sealed = await sealValue(keys, CONTEXT, 'Flat 2, 14 Marsh Lane');
    forgetDataKey(db);
    expect(await openDataKeys(db)).toBeNull();
    const refused = await requireDataKeys(db).catch((error: unknown) => error);
    expect(isStoreError(refused, 'locked')).toBe(true);

    // The right PIN's key opens it: the same key as before.
    expect(await openDataKeyWithPin(db, AISHA.id, await pinKey(AISHA.id, '2580'))).toBe(true);
    expect(holdsDataKey(db)).toBe(true);
    expect(await opensWith((await openDataKeys(db))!, sealed)).toBe(true);
  });

  it('refuses, storing nothing, when the tab holds no key to wrap', async () => {
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
    forgetDataKey(db);
    await recordOnlineSignIn(db, GARETH);
    const refused = await choosePin(db, GARETH, '4711').catch((error: unknown) => error);
    expect(isStoreError(refused, 'locked')).toBe(true);
    expect((refused as Error).message).toBe(NO_DATA_KEY_FOR_PIN_MESSAGE);
    expect(await getDevicePin(db, GARETH.id)).toBeUndefined();
  });

  it('gives two tutors each a wrap of the same key', async () => {
    const keys = await requireDataKeys(db);
    const sealed = await sealValue(keys, CONTEXT, 'Flat 2, 14 Marsh Lane');
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
    await recordOnlineSignIn(db, GARETH);
    await choosePin(db, GARETH, '4711');

    for (const [user, pin] of [
      [AISHA, '2580'],
      [GARETH, '4711'],
    ] as const) {
      forgetDataKey(db);
      expect(await openDataKeyWithPin(db, user.id, await pinKey(user.id, pin))).toBe(true);
      expect(await opensWith((await openDataKeys(db))!, sealed)).toBe(true);
    }
  });
});

describe('opening with a PIN', () => {
  beforeEach(async () => {
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
    forgetDataKey(db);
  });

  it('does not open with a wrong PIN’s key, nor with the right PIN under someone else’s name', async () => {
    const wrong = (await makePinVerifier('9999', AISHA.id)).key;
    expect(await openDataKeyWithPin(db, AISHA.id, wrong)).toBe(false);
    expect(holdsDataKey(db)).toBe(false);

    // Gareth's row with Aisha's wrap (as if copied): the wrap is bound to Aisha.
    const aishaRow = (await getDevicePin(db, AISHA.id))!;
    await db.devicePins.put({ ...aishaRow, userId: GARETH.id, name: GARETH.name });
    expect(await openDataKeyWithPin(db, GARETH.id, await pinKey(AISHA.id, '2580'))).toBe(false);
    expect(holdsDataKey(db)).toBe(false);
  });
});

describe('the device secret', () => {
  it('wraps the key at the first online sign-in, and opens it when no PIN is typed', async () => {
    const keys = await requireDataKeys(db);
    const sealed = await sealValue(keys, CONTEXT, 'Flat 2, 14 Marsh Lane');
    expect(await openDataKeyWithDeviceSecret(db, SECRET)).toBe(true);
    expect((await readVault())?.device).toEqual({ iv: expect.any(String), data: expect.any(String) });
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
    forgetDataKey(db);
    expect(await openDataKeys(db)).toBeNull();

    expect(await openDataKeyWithDeviceSecret(db, SECRET)).toBe(true);
    expect(holdsDataKey(db)).toBe(true);
    expect(await opensWith((await openDataKeys(db))!, sealed)).toBe(true);
  });

  it('does not open with another secret (another organisation’s), nor replace the wrap', async () => {
    await openDataKeys(db);
    await openDataKeyWithDeviceSecret(db, SECRET);
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
    const before = (await readVault())?.device;
    forgetDataKey(db);

    expect(await openDataKeyWithDeviceSecret(db, newSecret())).toBe(false);
    expect(holdsDataKey(db)).toBe(false);
    expect((await readVault())?.device).toEqual(before);
  });
});

describe('a PIN from before encryption at rest (no wrap in its row)', () => {
  async function oldPin(user: SignedInUser, pin: string): Promise<void> {
    await recordOnlineSignIn(db, user);
    await choosePin(db, user, pin);
    const { dataKey: _dropped, ...row } = (await getDevicePin(db, user.id))!;
    await db.devicePins.put(row);
  }

  it('gets a wrap at its next unlock, keeping the unprotected copy until the device secret wraps it too', async () => {
    await oldPin(AISHA, '2580');
    // As on a device upgraded: the key is still unprotected, and no online sign-in has wrapped it.
    await db.meta.put({
      key: 'vault',
      createdAt: '2026-11-23T10:00:00.000Z',
      unprotected: newSecret(),
      device: null,
    });
    forgetDataKey(db);

    expect(await openDataKeyWithPin(db, AISHA.id, await pinKey(AISHA.id, '2580'))).toBe(true);
    expect((await getDevicePin(db, AISHA.id))?.dataKey).toBeDefined();
    // Kept: were Aisha to lock herself out, her online sign-in must still reach the key.
    expect((await readVault())?.unprotected).not.toBeNull();

    forgetDataKey(db);
    expect(await openDataKeyWithDeviceSecret(db, SECRET)).toBe(true);
    expect((await readVault())?.unprotected).toBeNull();
    forgetDataKey(db);
    expect(await openDataKeyWithDeviceSecret(db, SECRET)).toBe(true);
  });

  it('is removed at its owner’s online sign-in once it can no longer wrap the key', async () => {
    await openDataKeys(db);
    await openDataKeyWithDeviceSecret(db, SECRET);
    await oldPin(GARETH, '4711');
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
    expect((await readVault())?.unprotected).toBeNull();
    forgetDataKey(db);

    // Gareth's PIN is right, but opens nothing...
    expect(await openDataKeyWithPin(db, GARETH.id, await pinKey(GARETH.id, '4711'))).toBe(false);
    // ...so signing in online removes it, and he chooses a new one.
    await recordOnlineSignIn(db, GARETH);
    expect(await getDevicePin(db, GARETH.id)).toBeUndefined();
    expect(await getDevicePin(db, AISHA.id)).toBeDefined();
  });
});

describe('forgetting the key', () => {
  it('tells the listeners, once', async () => {
    const listener = vi.fn();
    const unsubscribe = subscribeDataKey(listener);
    await openDataKeys(db);
    expect(listener).toHaveBeenCalledTimes(1);
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
    listener.mockClear();

    forgetDataKey(db);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(holdsDataKey(db)).toBe(false);
    // Forgetting again is nothing new.
    forgetDataKey(db);
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
  });
});

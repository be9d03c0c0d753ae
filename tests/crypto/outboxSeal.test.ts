import { describe, expect, it } from 'vitest';
import {
  createSealingKey,
  generateServerSealingKeyPair,
  importServerPrivateKey,
  sealFields,
  sealFieldsInBackground,
  unwrapSealingKey,
} from '../../src/crypto/outboxSeal';
import { openFields } from '../../src/server/sync/openSealedFields';

const CHANGE = { entityType: 'learner', entityId: '0b6f3c1e-8c55-4f0e-9a57-3f1f3c2b9d10', op: 'put' };
const FIELDS = { email: 'grace@example.org', phone: '07700 900123', addressLines: ['1 High St'] };

describe('sealing the outbox to the server', () => {
  it('opens on the server with its private key, and gives back exactly the fields sealed', async () => {
    const server = await generateServerSealingKeyPair();
    const sealing = await createSealingKey(server);
    const sealed = sealFields(sealing, CHANGE, FIELDS);
    expect(sealed.data).not.toContain('grace');
    const key = await unwrapSealingKey(await importServerPrivateKey(server.privateKey), sealing.wrapped);
    expect(openFields(key, CHANGE, sealed)).toEqual(FIELDS);
  });

  it('keeps the device from reading its own sealed changes: it holds a function that encrypts, not the key', async () => {
    const sealing = await createSealingKey(await generateServerSealingKeyPair());
    expect(Object.keys(sealing).sort()).toEqual(['encrypt', 'encryptInBackground', 'forget', 'wrapped']);
    expect(Object.values(sealing).some((value) => value instanceof Uint8Array)).toBe(false);
  });

  it('seals nothing that opens once the device forgot its key', async () => {
    const server = await generateServerSealingKeyPair();
    const sealing = await createSealingKey(server);
    sealing.forget();
    const sealed = sealFields(sealing, CHANGE, FIELDS);
    const key = await unwrapSealingKey(await importServerPrivateKey(server.privateKey), sealing.wrapped);
    expect(() => openFields(key, CHANGE, sealed)).toThrow();
    await expect(sealFieldsInBackground(sealing, CHANGE, FIELDS)).rejects.toThrow();
  });

  it('seals in the background (WebCrypto) what the server opens as it opens the synchronous seal', async () => {
    const server = await generateServerSealingKeyPair();
    const sealing = await createSealingKey(server);
    const sealed = await sealFieldsInBackground(sealing, CHANGE, FIELDS);
    const key = await unwrapSealingKey(await importServerPrivateKey(server.privateKey), sealing.wrapped);
    expect(openFields(key, CHANGE, sealed)).toEqual(FIELDS);
    expect(() => openFields(key, { ...CHANGE, op: 'delete' }, sealed)).toThrow();
  });

  it('does not open with another server key, for another change, or when altered', async () => {
    const server = await generateServerSealingKeyPair();
    const other = await generateServerSealingKeyPair();
    const sealing = await createSealingKey(server);
    const sealed = sealFields(sealing, CHANGE, FIELDS);
    await expect(
      unwrapSealingKey(await importServerPrivateKey(other.privateKey), sealing.wrapped),
    ).rejects.toThrow();
    const key = await unwrapSealingKey(await importServerPrivateKey(server.privateKey), sealing.wrapped);
    expect(() => openFields(key, { ...CHANGE, op: 'delete' }, sealed)).toThrow();
    expect(() =>
      openFields(key, { ...CHANGE, entityId: 'a1a1a1a1-8c55-4f0e-9a57-3f1f3c2b9d10' }, sealed),
    ).toThrow();
    const altered = { ...sealed, data: sealed.data.replace(/^./, sealed.data[0] === 'A' ? 'B' : 'A') };
    expect(() => openFields(key, CHANGE, altered)).toThrow();
    const otherIv = { ...sealed, iv: sealFields(sealing, CHANGE, FIELDS).iv };
    expect(() => openFields(key, CHANGE, otherIv)).toThrow();
    // Cut short: the tag itself is missing, or part of it.
    expect(() => openFields(key, CHANGE, { ...sealed, data: sealed.data.slice(0, 16) })).toThrow();
    const withoutTag = Buffer.from(sealed.data, 'base64').subarray(0, -16).toString('base64');
    expect(() => openFields(key, CHANGE, { ...sealed, data: withoutTag })).toThrow();
  });
});

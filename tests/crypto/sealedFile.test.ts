// A sealed file opens with its passphrase only, and a changed byte or a weakened file is refused.
import { describe, expect, it } from 'vitest';
import { PBKDF2_ITERATIONS, openWithPassphrase, sealWithPassphrase } from '../../src/crypto/sealedFile';

const PASSPHRASE = 'three blue kettles singing';

describe('sealed files', () => {
  it('round-trips text with the passphrase, and keeps nothing of it readable', async () => {
    const text = JSON.stringify({ learner: 'Zoë O’Brien', phone: '07700 900123' });
    const sealed = await sealWithPassphrase(text, PASSPHRASE);
    expect(sealed.kdf.iterations).toBe(PBKDF2_ITERATIONS);
    const fileText = JSON.stringify(sealed);
    expect(fileText).not.toContain('07700');
    expect(fileText).not.toContain('Brien');
    expect(await openWithPassphrase(fileText, PASSPHRASE)).toEqual({ ok: true, plaintext: text });
  });

  it('refuses a wrong passphrase, a changed byte, a weakened file and something else', async () => {
    const sealed = await sealWithPassphrase('secret', PASSPHRASE);
    expect(await openWithPassphrase(JSON.stringify(sealed), 'three blue kettles singinG')).toEqual({
      ok: false,
      reason: 'wrong-passphrase-or-damaged',
    });
    const bytes = atob(sealed.ciphertext);
    const flipped = String.fromCharCode(bytes.charCodeAt(0) ^ 1) + bytes.slice(1);
    expect(
      await openWithPassphrase(JSON.stringify({ ...sealed, ciphertext: btoa(flipped) }), PASSPHRASE),
    ).toMatchObject({ ok: false, reason: 'wrong-passphrase-or-damaged' });
    const weakened = { ...sealed, kdf: { ...sealed.kdf, iterations: 1 } };
    expect(await openWithPassphrase(JSON.stringify(weakened), PASSPHRASE)).toMatchObject({
      ok: false,
      reason: 'not-a-sealed-file',
    });
    expect(await openWithPassphrase('not json', PASSPHRASE)).toMatchObject({ reason: 'not-a-sealed-file' });
    expect(await openWithPassphrase('{"format":"something"}', PASSPHRASE)).toMatchObject({
      reason: 'not-a-sealed-file',
    });
  });
});

// Sessions that must not work: a tampered or invented cookie, an expired session, a signed-out one
// reused, and one whose user was suspended. Each is refused on an account route and a sync route,
// each after the same session was shown to work, and signing out one session leaves the others.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { RECORD_SCHEMA_VERSION, SYNC_HEADERS, SYNC_PROTOCOL_VERSION } from '../../src/domain/sync/protocol';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import {
  buildTestApp,
  COORDINATOR,
  registerDevice,
  sessionCookieOf,
  setUpOrganisation,
  signIn,
  withSession,
} from './testApp';

const NOT_SIGNED_IN = { error: { reason: 'not-signed-in', message: 'Sign in to sync.', details: {} } };
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The token with its character at index replaced by another base64url character. */
function withCharacterChanged(token: string, index: number): string {
  const original = token.charAt(index);
  const replacement = BASE64URL.charAt((BASE64URL.indexOf(original) + 1) % BASE64URL.length);
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
}

describeEachBackend('sessions', ({ db }) => {
  let app: FastifyInstance;
  let deviceId: string;

  beforeAll(async () => {
    app = await buildTestApp(db());
  });
  afterAll(() => app.close());

  beforeEach(async () => {
    await resetDatabase(db());
    const { token } = await setUpOrganisation(app);
    deviceId = await registerDevice(app, token);
  });

  const newSession = async (): Promise<string> => {
    const response = await signIn(app, COORDINATOR.email, COORDINATOR.password);
    expect(response.statusCode, response.body).toBe(200);
    return sessionCookieOf(response)!;
  };
  const me = (token: string) => app.inject({ method: 'GET', url: '/api/auth/me', ...withSession(token) });
  const checksums = (token: string) =>
    app.inject({
      method: 'GET',
      url: '/api/sync/checksums',
      headers: {
        [SYNC_HEADERS.protocolVersion]: String(SYNC_PROTOCOL_VERSION),
        [SYNC_HEADERS.schemaVersion]: String(RECORD_SCHEMA_VERSION),
        [SYNC_HEADERS.appVersion]: '0.1.0',
        [SYNC_HEADERS.deviceId]: deviceId,
      },
      ...withSession(token),
    });

  /** The session works on both routes. */
  const expectAccepted = async (token: string) => {
    const account = await me(token);
    expect(account.statusCode, account.body).toBe(200);
    const sync = await checksums(token);
    expect(sync.statusCode, sync.body).toBe(200);
  };
  /** The session is refused on both routes with the one not-signed-in answer. */
  const expectRefused = async (token: string) => {
    for (const response of [await me(token), await checksums(token)]) {
      expect(response.statusCode, response.body).toBe(401);
      expect(response.json()).toEqual(NOT_SIGNED_IN);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  };
  const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

  it('refuses a cookie with one character changed, at its start, middle or end', async () => {
    const token = await newSession();
    await expectAccepted(token);
    for (const index of [0, 21, token.length - 1]) {
      const tampered = withCharacterChanged(token, index);
      expect(tampered).not.toBe(token);
      expect(tampered).toHaveLength(token.length);
      await expectRefused(tampered);
    }
    // The real session is untouched by the attempts.
    await expectAccepted(token);
  });

  it('refuses a cookie of the wrong length', async () => {
    const token = await newSession();
    for (const tampered of [token.slice(0, -1), `${token}A`, `${token}${token}`, token.slice(0, 10)]) {
      await expectRefused(tampered);
    }
  });

  it('refuses a well-formed token the server never issued', async () => {
    await newSession();
    const invented = randomBytes(32).toString('base64url');
    expect(invented).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expectRefused(invented);
  });

  it('refuses the stored hash offered as the cookie', async () => {
    const token = await newSession();
    await expectRefused(tokenHash(token));
  });

  it('refuses an expired session', async () => {
    const token = await newSession();
    await expectAccepted(token);
    await db().query(
      "UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1",
      [tokenHash(token)],
    );
    await expectRefused(token);
  });

  it('refuses a session reused after signing out', async () => {
    const token = await newSession();
    await expectAccepted(token);
    const signOut = await app.inject({ method: 'POST', url: '/api/auth/sign-out', ...withSession(token) });
    expect(signOut.statusCode).toBe(204);
    await expectRefused(token);
    // Signing out again with the old cookie is refused too, and does not bring it back.
    const again = await app.inject({ method: 'POST', url: '/api/auth/sign-out', ...withSession(token) });
    expect(again.statusCode).toBe(401);
    await expectRefused(token);
  });

  it.each(['suspended', 'left'])('refuses every session of a user whose status is %s', async (status) => {
    const first = await newSession();
    const second = await newSession();
    await expectAccepted(first);
    await expectAccepted(second);
    await db().query('UPDATE users SET status = $1 WHERE email = $2', [status, COORDINATOR.email]);
    await expectRefused(first);
    await expectRefused(second);
  });

  it('leaves the other session of a user working when one signs out', async () => {
    const kept = await newSession();
    const ended = await newSession();
    await expectAccepted(kept);
    await expectAccepted(ended);
    const signOut = await app.inject({ method: 'POST', url: '/api/auth/sign-out', ...withSession(ended) });
    expect(signOut.statusCode).toBe(204);
    await expectRefused(ended);
    await expectAccepted(kept);
    const { rows } = await db().query<{ revoked: boolean }>(
      'SELECT revoked_at IS NOT NULL AS revoked FROM auth_sessions WHERE token_hash = $1',
      [tokenHash(kept)],
    );
    expect(rows).toEqual([{ revoked: false }]);
  });
});

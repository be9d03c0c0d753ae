// Signing in and out: the session cookie and its flags, one answer for a wrong email or password,
// sessions that end when revoked, expired or when the user is suspended; and password hashing.
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeUserRecord } from '../../src/server/auth/accounts';
import {
  DEFAULT_SCRYPT_COST,
  hashPassword,
  verifyAgainstNothing,
  verifyPassword,
} from '../../src/server/auth/password';
import { SESSION_COOKIE } from '../../src/server/auth/sessions';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import {
  buildTestApp,
  COORDINATOR,
  sessionCookieOf,
  setUpOrganisation,
  signIn,
  TEST_SCRYPT_COST,
  type TestUser,
  withSession,
} from './testApp';

const THIRTY_DAYS_SECONDS = 30 * 24 * 60 * 60;

describeEachBackend('sign-in', ({ db }) => {
  let app: FastifyInstance;
  let coordinator: TestUser;

  beforeAll(async () => {
    await resetDatabase(db());
    app = await buildTestApp(db());
    coordinator = (await setUpOrganisation(app)).user;
  });
  afterAll(() => app.close());

  const me = (token: string) => app.inject({ method: 'GET', url: '/api/auth/me', ...withSession(token) });

  it('signs in with the right email and password, whatever the case of the email', async () => {
    const response = await signIn(app, 'SIOBHAN.OConnor@bootle-digital.example', COORDINATOR.password);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ user: coordinator });
    const token = sessionCookieOf(response)!;
    expect((await me(token)).json()).toEqual({ user: coordinator });
  });

  it('sets an httpOnly, SameSite=Lax, Path=/ cookie for 30 days, not Secure over plain HTTP', async () => {
    const response = await signIn(app, COORDINATOR.email, COORDINATOR.password);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain(`Max-Age=${THIRTY_DAYS_SECONDS}`);
    expect(setCookie).not.toContain('Secure');
  });

  it('stores only the SHA-256 of the token, expiring in 30 days', async () => {
    const token = sessionCookieOf(await signIn(app, COORDINATOR.email, COORDINATOR.password))!;
    const { rows } = await db().query<{ token_hash: string; user_id: string; days: number }>(
      `SELECT token_hash, user_id, round(extract(epoch FROM expires_at - created_at) / 86400)::int AS days
       FROM auth_sessions WHERE token_hash = $1`,
      [createHash('sha256').update(token).digest('hex')],
    );
    expect(rows).toEqual([{ token_hash: expect.any(String), user_id: coordinator.id, days: 30 }]);
    const { rows: raw } = await db().query('SELECT 1 FROM auth_sessions WHERE token_hash = $1', [token]);
    expect(raw).toEqual([]);
  });

  it('gives a new token for each sign-in', async () => {
    const first = sessionCookieOf(await signIn(app, COORDINATOR.email, COORDINATOR.password));
    const second = sessionCookieOf(await signIn(app, COORDINATOR.email, COORDINATOR.password));
    expect(first).not.toBe(second);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const wrongPassword = await signIn(app, COORDINATOR.email, 'not-the-password-at-all');
    const unknownEmail = await signIn(app, 'nobody@example.org', COORDINATOR.password);
    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        error: {
          reason: 'wrong-email-or-password',
          message: 'The email address or password is not right.',
          details: {},
        },
      });
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  });

  it('answers 400 naming the field when the email or password is missing', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: ' ' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.issues).toEqual([
      { path: 'email', message: 'Enter your email address' },
      { path: 'password', message: 'Enter your password' },
    ]);
  });

  it('signs out: the session is revoked and the cookie cleared', async () => {
    const token = sessionCookieOf(await signIn(app, COORDINATOR.email, COORDINATOR.password))!;
    const response = await app.inject({ method: 'POST', url: '/api/auth/sign-out', ...withSession(token) });
    expect(response.statusCode).toBe(204);
    const cleared = response.cookies.find((cookie) => cookie.name === SESSION_COOKIE);
    expect(cleared?.value).toBe('');
    expect(cleared?.expires?.getTime()).toBeLessThanOrEqual(Date.now());

    const after = await me(token);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({
      error: { reason: 'not-signed-in', message: 'Sign in to sync.', details: {} },
    });
    const { rows } = await db().query<{ revoked_at: Date | null }>(
      'SELECT revoked_at FROM auth_sessions WHERE token_hash = $1',
      [createHash('sha256').update(token).digest('hex')],
    );
    expect(rows[0]?.revoked_at).toBeInstanceOf(Date);
  });

  it('leaves other sessions of the same user signed in after one signs out', async () => {
    const kept = sessionCookieOf(await signIn(app, COORDINATOR.email, COORDINATOR.password))!;
    const ended = sessionCookieOf(await signIn(app, COORDINATOR.email, COORDINATOR.password))!;
    await app.inject({ method: 'POST', url: '/api/auth/sign-out', ...withSession(ended) });
    expect((await me(kept)).statusCode).toBe(200);
  });

  it('refuses an expired session', async () => {
    const token = sessionCookieOf(await signIn(app, COORDINATOR.email, COORDINATOR.password))!;
    await db().query(
      "UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1",
      [createHash('sha256').update(token).digest('hex')],
    );
    expect((await me(token)).statusCode).toBe(401);
  });

  it.each(['', 'not-a-token', 'A'.repeat(43), `${'A'.repeat(42)}!`])(
    'refuses the cookie %j',
    async (token) => {
      expect((await me(token)).statusCode).toBe(401);
    },
  );

  it('ends the sessions of a suspended user and refuses their sign-in with 403', async () => {
    const tutorEmail = `tutor-${randomUUID()}@example.org`;
    const tutorId = randomUUID();
    const password = 'a-tutor-password';
    await db().transaction(async (sql) => {
      await sql.query(
        `INSERT INTO users (id, organisation_id, email, name, role, password_hash)
         VALUES ($1, $2, $3, 'Tutor', 'tutor', $4)`,
        [tutorId, coordinator.organisationId, tutorEmail, await hashPassword(password, TEST_SCRYPT_COST)],
      );
      await writeUserRecord(sql, tutorId, coordinator.id);
    });
    const token = sessionCookieOf(await signIn(app, tutorEmail, password))!;
    expect((await me(token)).statusCode).toBe(200);

    await db().query("UPDATE users SET status = 'suspended' WHERE id = $1", [tutorId]);
    expect((await me(token)).statusCode).toBe(401);
    const refused = await signIn(app, tutorEmail, password);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.reason).toBe('account-not-active');
    // A wrong password for a suspended account says no more than for any other.
    expect((await signIn(app, tutorEmail, 'wrong-password-here')).statusCode).toBe(401);
  });
});

describeEachBackend('session cookie behind a proxy', ({ db }) => {
  let trusting: FastifyInstance;
  let untrusting: FastifyInstance;
  let hops: FastifyInstance;

  beforeAll(async () => {
    await resetDatabase(db());
    trusting = await buildTestApp(db(), { trustProxy: true });
    untrusting = await buildTestApp(db());
    hops = await buildTestApp(db(), { trustProxy: 1 });
    await setUpOrganisation(untrusting);
  });
  afterAll(() => Promise.all([trusting.close(), untrusting.close(), hops.close()]));

  const signInOver = (app: FastifyInstance, headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers,
      payload: { email: COORDINATOR.email, password: COORDINATOR.password },
    });

  it('marks the cookie Secure when a trusted proxy says the request came over HTTPS', async () => {
    for (const app of [trusting, hops]) {
      const response = await signInOver(app, { 'x-forwarded-proto': 'https' });
      expect(response.statusCode).toBe(200);
      expect(String(response.headers['set-cookie'])).toContain('Secure');
    }
  });

  it('does not believe X-Forwarded-Proto unless TRUST_PROXY says so', async () => {
    const response = await signInOver(untrusting, { 'x-forwarded-proto': 'https' });
    expect(response.statusCode).toBe(200);
    expect(String(response.headers['set-cookie'])).not.toContain('Secure');
  });

  it('clears the cookie with the same flags it was set with', async () => {
    const token = sessionCookieOf(await signInOver(trusting, { 'x-forwarded-proto': 'https' }))!;
    const response = await trusting.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { 'x-forwarded-proto': 'https' },
      ...withSession(token),
    });
    const cleared = String(response.headers['set-cookie']);
    for (const flag of ['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/']) expect(cleared).toContain(flag);
  });
});

// The default cost takes about half a second a hash, more on a busy machine.
describe('password hashing', { timeout: 30_000 }, () => {
  it('stores the cost and a random salt with each hash', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    expect(first).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(first).not.toBe(second);
    expect(DEFAULT_SCRYPT_COST).toEqual({ ln: 17, r: 8, p: 1 });
    expect(await verifyPassword('correct horse battery staple', first)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', first)).toBe(false);
  });

  it('verifies a hash made at another cost, as its string says', async () => {
    const cheap = await hashPassword('a password of some length', TEST_SCRYPT_COST);
    expect(cheap).toMatch(/^\$scrypt\$ln=10,/);
    expect(await verifyPassword('a password of some length', cheap)).toBe(true);
  });

  it('treats the same password typed in another Unicode form as the same', async () => {
    const composed = 'café-au-lait-1234';
    const decomposed = 'cafe\u0301-au-lait-1234';
    const hash = await hashPassword(composed, TEST_SCRYPT_COST);
    expect(await verifyPassword(decomposed, hash)).toBe(true);
  });

  it.each([
    'plain-text-password',
    '$scrypt$ln=10,r=8,p=1$c2FsdA$',
    '$scrypt$ln=40,r=8,p=1$c2FsdA$aGFzaA',
    '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
  ])('refuses a stored hash it does not understand: %s', async (stored) => {
    expect(await verifyPassword('plain-text-password', stored)).toBe(false);
  });

  it('spends a check on an unknown account and answers false', async () => {
    expect(await verifyAgainstNothing('anything at all', TEST_SCRYPT_COST)).toBe(false);
  });
});

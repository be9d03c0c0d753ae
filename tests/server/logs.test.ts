// The server's logs hold no personal data: every log line written while accounts are set up, signed
// into, refused and used is read back and searched for the emails, names, passwords and tokens used.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loggableError } from '../../src/server/errors';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { buildTestApp, COORDINATOR, registerDevice, sessionCookieOf, signIn, withSession } from './testApp';

const WRONG_PASSWORD = 'guessing-wrongly-again';
const STRANGER = { email: 'stranger.danger@elsewhere.example', name: 'Ffion Stranger-Wynne' };

describeEachBackend('logs', ({ db }) => {
  let app: FastifyInstance;
  const lines: string[] = [];
  const secrets: string[] = [
    COORDINATOR.email,
    COORDINATOR.name,
    COORDINATOR.password,
    WRONG_PASSWORD,
    STRANGER.email,
    STRANGER.name,
  ];

  beforeAll(async () => {
    await resetDatabase(db());
    app = await buildTestApp(db(), {
      logger: true,
      logLevel: 'trace',
      logStream: { write: (line: string) => void lines.push(line) },
    });
  });
  afterAll(() => app.close());

  it('never contain an email, name, password or session token', async () => {
    // Set-up refused (too short a password), then done; the second set-up refused.
    await app.inject({ method: 'POST', url: '/api/setup', payload: { ...COORDINATOR, password: 'short' } });
    const setUp = await app.inject({ method: 'POST', url: '/api/setup', payload: COORDINATOR });
    expect(setUp.statusCode).toBe(201);
    secrets.push(sessionCookieOf(setUp)!);
    await app.inject({ method: 'POST', url: '/api/setup', payload: { ...COORDINATOR, ...STRANGER } });

    // Sign-ins: right, wrong password, unknown email, malformed, and personal data in a query string.
    const signedIn = await signIn(app, COORDINATOR.email, COORDINATOR.password);
    expect(signedIn.statusCode).toBe(200);
    const token = sessionCookieOf(signedIn)!;
    secrets.push(token);
    expect((await signIn(app, COORDINATOR.email, WRONG_PASSWORD)).statusCode).toBe(401);
    expect((await signIn(app, STRANGER.email, WRONG_PASSWORD)).statusCode).toBe(401);
    await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: `{"email": "${STRANGER.email}", "password": `,
    });
    await app.inject({
      method: 'GET',
      url: `/api/auth/me?email=${encodeURIComponent(STRANGER.email)}`,
      ...withSession(token),
    });
    await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      cookies: { outreach_session: `${STRANGER.name}` },
    });

    await registerDevice(app, token, STRANGER.email);
    await app.inject({ method: 'POST', url: '/api/auth/sign-out', ...withSession(token) });

    const log = lines.join('');
    // The logs are there and say what happened...
    for (const event of [
      'organisation set up',
      'signed in',
      'sign-in refused',
      'device registered',
      'signed out',
    ]) {
      expect(log).toContain(event);
    }
    expect(log).toContain('"statusCode":401');
    // ...and name no one.
    for (const secret of secrets) {
      expect(log.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    expect(log).not.toContain(encodeURIComponent(STRANGER.email));
    expect(log).not.toMatch(/cookie/i);
  });

  it('logs a database error by its SQLSTATE and names, not the values its message quotes', async () => {
    const error = await db()
      .query(
        `INSERT INTO users (id, organisation_id, email, name, role, password_hash)
         SELECT gen_random_uuid(), organisation_id, email, 'Copy', 'tutor', 'x' FROM users LIMIT 1`,
      )
      .catch((caught: unknown) => caught);
    // The driver's own error does quote the address...
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).toContain(
      COORDINATOR.email,
    );
    // ...what the server would log does not.
    const logged = loggableError(error);
    expect(logged).toMatchObject({ type: 'DatabaseError', sqlState: '23505', constraint: 'users_email_key' });
    expect(JSON.stringify(logged)).not.toContain(COORDINATOR.email);
  });
});

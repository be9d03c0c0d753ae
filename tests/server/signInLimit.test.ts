// The sign-in rate limit: 5 wrong attempts per email address and 30 per network address in 15 minutes,
// kept in the database (so every server behind a load balancer sees it) on the database's clock. The
// tests age the failure rows with UPDATE instead of waiting.
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { writeUserRecord } from '../../src/server/auth/accounts';
import type * as PasswordModule from '../../src/server/auth/password';
import { hashPassword, verifyAgainstNothing, verifyPassword } from '../../src/server/auth/password';
import type { Database } from '../../src/server/db/database';
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

// The real password checks, counted: a locked sign-in must not reach them.
vi.mock('../../src/server/auth/password', async (importOriginal) => {
  const actual = await importOriginal<typeof PasswordModule>();
  return {
    ...actual,
    verifyPassword: vi.fn(actual.verifyPassword),
    verifyAgainstNothing: vi.fn(actual.verifyAgainstNothing),
  };
});

const WRONG = 'not-the-right-password';
const TUTOR_PASSWORD = 'a-tutor-password-of-length';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Moves every failure row this far into the past, as if the time had passed. */
async function ageFailures(db: Database, minutes: number): Promise<void> {
  await db.query('UPDATE sign_in_failures SET failed_at = failed_at - make_interval(mins => $1)', [minutes]);
}

async function failuresFor(db: Database, key: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM sign_in_failures WHERE key_hash = $1',
    [sha256(key)],
  );
  return rows[0]?.count ?? 0;
}

function passwordChecks(): number {
  return vi.mocked(verifyPassword).mock.calls.length + vi.mocked(verifyAgainstNothing).mock.calls.length;
}

function expectTooManyAttempts(response: LightMyRequestResponse, minutes = 15): number {
  expect(response.statusCode, response.body).toBe(429);
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan((minutes - 1) * 60);
  expect(retryAfter).toBeLessThanOrEqual(minutes * 60);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.json()).toEqual({
    error: {
      reason: 'too-many-attempts',
      message: `Too many wrong attempts. Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}, then try again, or ask your coordinator to reset your password.`,
      details: { retryAfterSeconds: retryAfter },
    },
  });
  expect(response.headers['set-cookie']).toBeUndefined();
  return retryAfter;
}

describeEachBackend('sign-in rate limit', ({ db }) => {
  let app: FastifyInstance;
  let coordinator: TestUser;
  let tutorEmail: string;

  beforeAll(async () => {
    app = await buildTestApp(db());
  });
  afterAll(() => app.close());

  beforeEach(async () => {
    await resetDatabase(db());
    coordinator = (await setUpOrganisation(app)).user;
    tutorEmail = `tutor-${randomUUID()}@example.org`;
    const tutorId = randomUUID();
    await db().transaction(async (sql) => {
      await sql.query(
        `INSERT INTO users (id, organisation_id, email, name, role, password_hash)
         VALUES ($1, $2, $3, 'Tutor', 'tutor', $4)`,
        [
          tutorId,
          coordinator.organisationId,
          tutorEmail,
          await hashPassword(TUTOR_PASSWORD, TEST_SCRYPT_COST),
        ],
      );
      await writeUserRecord(sql, tutorId, coordinator.id);
    });
    vi.mocked(verifyPassword).mockClear();
    vi.mocked(verifyAgainstNothing).mockClear();
  });

  const failTimes = async (email: string, times: number, remoteAddress?: string) => {
    for (let attempt = 0; attempt < times; attempt += 1) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email, password: WRONG },
        ...(remoteAddress ? { remoteAddress } : {}),
      });
      expect(response.statusCode, response.body).toBe(401);
    }
  };

  it('refuses the right password after 5 wrong ones, with Retry-After and no session', async () => {
    await failTimes(COORDINATOR.email, 5);
    const checksBefore = passwordChecks();
    const refused = await signIn(app, COORDINATOR.email, COORDINATOR.password);
    expectTooManyAttempts(refused);
    // A wrong password is refused the same way, and neither spends a password check.
    expectTooManyAttempts(await signIn(app, COORDINATOR.email, WRONG));
    expect(passwordChecks()).toBe(checksBefore);
    // A refused attempt does not extend the lock.
    expect(await failuresFor(db(), `email:${COORDINATOR.email}`)).toBe(5);
  });

  it('still allows 5 wrong attempts: the sixth attempt is the first one refused', async () => {
    await failTimes(COORDINATOR.email, 4);
    expect((await signIn(app, COORDINATOR.email, WRONG)).statusCode).toBe(401);
    expectTooManyAttempts(await signIn(app, COORDINATOR.email, WRONG));
  });

  it('counts an email address whatever its case or surrounding spaces', async () => {
    await failTimes(COORDINATOR.email.toUpperCase(), 3);
    await failTimes(`  ${COORDINATOR.email}  `, 2);
    expectTooManyAttempts(await signIn(app, COORDINATOR.email, COORDINATOR.password));
  });

  it('does not lock another account', async () => {
    await failTimes(COORDINATOR.email, 5);
    const tutor = await signIn(app, tutorEmail, TUTOR_PASSWORD);
    expect(tutor.statusCode, tutor.body).toBe(200);
    expect(sessionCookieOf(tutor)).toBeDefined();
  });

  it('lifts the lock 15 minutes after the fifth wrong attempt, by the database clock', async () => {
    await failTimes(COORDINATOR.email, 5);
    await ageFailures(db(), 14);
    // With a minute to go the answer says so.
    expectTooManyAttempts(await signIn(app, COORDINATOR.email, COORDINATOR.password), 1);
    await ageFailures(db(), 1);
    const response = await signIn(app, COORDINATOR.email, COORDINATOR.password);
    expect(response.statusCode, response.body).toBe(200);
    const token = sessionCookieOf(response)!;
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', ...withSession(token) });
    expect(me.statusCode).toBe(200);
  });

  it('waits for the oldest of the last 5 failures to leave the window, not the newest', async () => {
    await failTimes(COORDINATOR.email, 3);
    await ageFailures(db(), 10);
    await failTimes(COORDINATOR.email, 2);
    // The three old ones leave the window in 5 minutes; then two recent ones remain, room for more.
    expectTooManyAttempts(await signIn(app, COORDINATOR.email, COORDINATOR.password), 5);
    await ageFailures(db(), 5);
    expect((await signIn(app, COORDINATOR.email, COORDINATOR.password)).statusCode).toBe(200);
  });

  it('clears the email address’s failures on a successful sign-in, but not the network address’s', async () => {
    await failTimes(COORDINATOR.email, 4);
    expect((await signIn(app, COORDINATOR.email, COORDINATOR.password)).statusCode).toBe(200);
    expect(await failuresFor(db(), `email:${COORDINATOR.email}`)).toBe(0);
    expect(await failuresFor(db(), 'ip:127.0.0.1')).toBe(4);
    await failTimes(COORDINATOR.email, 4);
    expect((await signIn(app, COORDINATOR.email, COORDINATOR.password)).statusCode).toBe(200);
    expect(await failuresFor(db(), 'ip:127.0.0.1')).toBe(8);
  });

  it('locks a network address after 30 failures across different email addresses', async () => {
    const attacker = '203.0.113.7';
    for (let index = 0; index < 10; index += 1) {
      await failTimes(`guess-${index}@example.org`, 3, attacker);
    }
    const locked = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: COORDINATOR.email, password: COORDINATOR.password },
      remoteAddress: attacker,
    });
    expectTooManyAttempts(locked);
    // The coordinator, from elsewhere, is not affected.
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: COORDINATOR.email, password: COORDINATOR.password },
      remoteAddress: '198.51.100.20',
    });
    expect(elsewhere.statusCode, elsewhere.body).toBe(200);
    await ageFailures(db(), 15);
    await failTimes('guess-0@example.org', 1, attacker);
  });

  it('counts a refused sign-in for an unknown email address too', async () => {
    await failTimes('nobody@example.org', 5);
    expectTooManyAttempts(await signIn(app, 'nobody@example.org', WRONG));
  });

  it('does not count the right password for a suspended account, nor clear its failures', async () => {
    await failTimes(tutorEmail, 4);
    await db().query("UPDATE users SET status = 'suspended' WHERE email = $1", [tutorEmail]);
    expect((await signIn(app, tutorEmail, TUTOR_PASSWORD)).statusCode).toBe(403);
    expect((await signIn(app, tutorEmail, TUTOR_PASSWORD)).statusCode).toBe(403);
    expect(await failuresFor(db(), `email:${tutorEmail}`)).toBe(4);
    expect(await failuresFor(db(), 'ip:127.0.0.1')).toBe(4);
  });

  it('lets no more than 5 of a burst of concurrent wrong attempts reach a password check', async () => {
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => signIn(app, COORDINATOR.email, WRONG)),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses).toContain(429);
    expect(passwordChecks()).toBeLessThanOrEqual(5);
    expect(await failuresFor(db(), `email:${COORDINATOR.email}`)).toBeLessThanOrEqual(5);
  });

  it('keeps only hashes in the table and deletes failures older than the window', async () => {
    await failTimes(COORDINATOR.email, 2);
    await ageFailures(db(), 16);
    await failTimes(tutorEmail, 1);
    const { rows } = await db().query<{ key_hash: string }>('SELECT key_hash FROM sign_in_failures');
    expect(rows.map((row) => row.key_hash).sort()).toEqual(
      [sha256(`email:${tutorEmail}`), sha256('ip:127.0.0.1')].sort(),
    );
  });
});

describeEachBackend('sign-in rate limit behind a proxy', ({ db }) => {
  let app: FastifyInstance;

  beforeAll(async () => {
    await resetDatabase(db());
    app = await buildTestApp(db(), { trustProxy: true });
    await setUpOrganisation(app);
  });
  afterAll(() => app.close());

  const signInFrom = (forwardedFor: string, email: string, password: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'x-forwarded-for': forwardedFor },
      payload: { email, password },
    });

  it('counts failures by the client address the trusted proxy reports', async () => {
    for (let index = 0; index < 30; index += 1) {
      expect((await signInFrom('203.0.113.9', `guess-${index}@example.org`, WRONG)).statusCode).toBe(401);
    }
    expectTooManyAttempts(await signInFrom('203.0.113.9', COORDINATOR.email, COORDINATOR.password));
    expect((await signInFrom('198.51.100.3', COORDINATOR.email, COORDINATOR.password)).statusCode).toBe(200);
  });
});

describeEachBackend('sign-in rate limit logs', ({ db }) => {
  it('never names the email address it refuses', async () => {
    await resetDatabase(db());
    const lines: string[] = [];
    const app = await buildTestApp(db(), {
      logger: true,
      logLevel: 'trace',
      logStream: { write: (line: string) => void lines.push(line) },
    });
    try {
      await setUpOrganisation(app);
      for (let attempt = 0; attempt < 5; attempt += 1) await signIn(app, COORDINATOR.email, WRONG);
      expect((await signIn(app, COORDINATOR.email, COORDINATOR.password)).statusCode).toBe(429);
    } finally {
      await app.close();
    }
    const log = lines.join('');
    expect(log).toContain('sign-in refused: too many attempts');
    expect(log).toContain('"statusCode":429');
    for (const secret of [COORDINATOR.email, sha256(`email:${COORDINATOR.email}`), WRONG]) {
      expect(log).not.toContain(secret);
    }
  });
});

// Setting up the first organisation, and signing in and out. Passwords are hashed before a
// transaction starts (half a second of scrypt must not hold a connection or PGlite's queue).
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database';
import { SETUP_LOCK } from '../db/locks';
import { errorBody, HttpError } from '../errors';
import { parseBody } from '../validation';
import type { AccountUser } from './accounts';
import {
  createOrganisation,
  createUser,
  findAccountUser,
  findUserByEmail,
  hasAnyOrganisation,
} from './accounts';
import { requireSession } from './guard';
import type { ScryptCost } from './password';
import { hashPassword, verifyAgainstNothing, verifyPassword } from './password';
import { setupBodySchema, signInBodySchema } from './schemas';
import {
  recordSignInFailure,
  recordSignInSuccess,
  startSignInAttempt,
  tooManyAttemptsMessage,
  withdrawSignInAttempt,
} from './signInLimit';
import {
  clearSessionCookie,
  createSession,
  revokeSession,
  sessionTokenOf,
  setSessionCookie,
} from './sessions';

export type AuthRoutesOptions = { database: Database; scryptCost: ScryptCost };

const alreadySetUp = (): HttpError =>
  new HttpError(409, 'already-set-up', 'This server is already set up. Sign in instead.');

export function registerAuthRoutes(app: FastifyInstance, { database, scryptCost }: AuthRoutesOptions): void {
  app.get('/api/setup', async () => ({ needed: !(await hasAnyOrganisation(database)) }));

  app.post('/api/setup', async (request, reply) => {
    const body = parseBody(setupBodySchema, request.body);
    // Checked before hashing too, so a set-up server spends nothing on a stray set-up request.
    if (await hasAnyOrganisation(database)) throw alreadySetUp();
    const passwordHash = await hashPassword(body.password, scryptCost);
    const { user, token } = await database.transaction(async (sql) => {
      // Two set-ups at once: the second waits here, then finds the first one's organisation.
      await sql.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK]);
      if (await hasAnyOrganisation(sql)) throw alreadySetUp();
      const organisationId = await createOrganisation(sql, {
        name: body.organisationName,
        type: body.organisationType,
      });
      const userId = await createUser(
        sql,
        {
          organisationId,
          name: body.name,
          email: body.email,
          role: 'coordinator',
          passwordHash,
          // The person who sets the organisation up answers for its data: they start able to see
          // special category answers, and decide who else may.
          maySeeSpecialCategory: true,
        },
        null,
      );
      const created: AccountUser = {
        id: userId,
        name: body.name,
        email: body.email,
        role: 'coordinator',
        organisationId,
        organisationName: body.organisationName,
      };
      return { user: created, token: await createSession(sql, userId) };
    });
    request.log.info({ organisationId: user.organisationId, userId: user.id }, 'organisation set up');
    setSessionCookie(request, reply, token);
    return reply.code(201).send({ user });
  });

  app.post('/api/auth/sign-in', async (request, reply) => {
    const body = parseBody(signInBodySchema, request.body);
    // Before any password is checked: a locked account or address costs no scrypt, and the right
    // password is refused too while the lock lasts.
    const start = await startSignInAttempt(database, body.email, request.ip);
    if (!start.allowed) {
      const { retryAfterSeconds } = start;
      request.log.info({ retryAfterSeconds }, 'sign-in refused: too many attempts');
      return reply
        .code(429)
        .header('retry-after', String(retryAfterSeconds))
        .type('application/json; charset=utf-8')
        .send(
          errorBody('too-many-attempts', tooManyAttemptsMessage(retryAfterSeconds), { retryAfterSeconds }),
        );
    }
    const { attempt } = start;
    const found = await findUserByEmail(database, body.email);
    const matches = found
      ? await verifyPassword(body.password, found.passwordHash)
      : await verifyAgainstNothing(body.password, scryptCost);
    if (!found || !matches) {
      await recordSignInFailure(database);
      request.log.info('sign-in refused: wrong email or password');
      // One message for both, so the answer does not tell which addresses have accounts.
      throw new HttpError(401, 'wrong-email-or-password', 'The email address or password is not right.');
    }
    if (found.status !== 'active') {
      await withdrawSignInAttempt(database, attempt);
      request.log.info(
        { userId: found.user.id, status: found.status },
        'sign-in refused: account not active',
      );
      throw new HttpError(
        403,
        'account-not-active',
        'This account cannot sign in now. Ask your coordinator.',
      );
    }
    await recordSignInSuccess(database, attempt);
    const token = await createSession(database, found.user.id);
    request.log.info({ userId: found.user.id }, 'signed in');
    setSessionCookie(request, reply, token);
    return { user: found.user };
  });

  app.post('/api/auth/sign-out', async (request, reply) => {
    const session = await requireSession(request);
    const token = sessionTokenOf(request);
    if (token !== undefined) await revokeSession(database, token);
    request.log.info({ userId: session.userId }, 'signed out');
    clearSessionCookie(request, reply);
    return reply.code(204).send();
  });

  app.get('/api/auth/me', async (request) => {
    const session = await requireSession(request);
    const user = await findAccountUser(database, session.userId);
    if (!user) throw new HttpError(401, 'not-signed-in', 'Sign in to sync.');
    return { user };
  });
}

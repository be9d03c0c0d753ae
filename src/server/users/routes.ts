// The People routes of docs/sync-protocol.md: a coordinator lists the organisation's users, invites
// someone with a one-time code, suspends or reactivates them and decides who sees special category
// answers; the invited person opens the code and sets their name and password.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { USER_ROLES } from '../../domain/access';
import { createUser, findAccountUser } from '../auth/accounts';
import { requireCoordinator, requireSession } from '../auth/guard';
import type { ScryptCost } from '../auth/password';
import { hashPassword } from '../auth/password';
import { emailSchema, nameSchema, newPasswordSchema } from '../auth/schemas';
import { createSession, setSessionCookie } from '../auth/sessions';
import type { Database } from '../db/database';
import { HttpError } from '../errors';
import { parseBody } from '../validation';
import {
  changePerson,
  countActiveCoordinators,
  createInvitation,
  emailHasAccount,
  findOpenInvitation,
  findPersonForUpdate,
  listInvitations,
  listPeople,
  markInvitationAccepted,
  revokeAllSessions,
  withdrawInvitation,
} from './people';

export type PeopleRoutesOptions = { database: Database; scryptCost: ScryptCost };

const roleSchema = z.enum(USER_ROLES, { error: 'Role must be tutor or coordinator' });

const inviteBodySchema = z.object({ email: emailSchema, role: roleSchema.default('tutor') });

const acceptBodySchema = z.object({
  name: nameSchema('Enter your name', 'Your name'),
  password: newPasswordSchema,
});

const changeBodySchema = z
  .object({
    role: roleSchema.optional(),
    status: z
      .enum(['active', 'suspended', 'left'], { error: 'Status must be active, suspended or left' })
      .optional(),
    maySeeSpecialCategory: z.boolean({ error: 'maySeeSpecialCategory must be true or false' }).optional(),
  })
  .refine((change) => Object.values(change).some((value) => value !== undefined), {
    message: 'Send at least one of role, status and maySeeSpecialCategory',
  });

const idParamsSchema = z.object({ id: z.uuid() });

/** Another organisation's user or invitation is "not found": the answer says nothing about it. */
const userNotFound = () =>
  new HttpError(404, 'user-not-found', 'There is no such user in your organisation.');
const invitationNotFound = () =>
  new HttpError(
    404,
    'invitation-not-found',
    'This invitation does not work: it has been used, withdrawn or has expired. Ask your coordinator for a new one.',
  );

function idOf(params: unknown): string {
  const parsed = idParamsSchema.safeParse(params);
  if (!parsed.success) throw userNotFound();
  return parsed.data.id;
}

export function registerPeopleRoutes(
  app: FastifyInstance,
  { database, scryptCost }: PeopleRoutesOptions,
): void {
  app.get('/api/users', async (request) => {
    const caller = await requireCoordinator(request);
    const [users, invitations] = await Promise.all([
      listPeople(database, caller.organisationId),
      listInvitations(database, caller.organisationId),
    ]);
    return { users, invitations };
  });

  app.patch('/api/users/:id', async (request) => {
    const caller = await requireCoordinator(request);
    const userId = idOf(request.params);
    const change = parseBody(changeBodySchema, request.body);
    const user = await database.transaction(async (sql) => {
      const coordinators = await countActiveCoordinators(sql, caller.organisationId);
      const person = await findPersonForUpdate(sql, caller.organisationId, userId);
      if (!person) throw userNotFound();
      const stopsBeingActive = change.status !== undefined && change.status !== 'active';
      if (userId === caller.userId && stopsBeingActive) {
        throw new HttpError(409, 'cannot-change-self', 'You cannot suspend your own account.');
      }
      const wasActiveCoordinator = person.role === 'coordinator' && person.status === 'active';
      const staysActiveCoordinator =
        (change.role ?? person.role) === 'coordinator' && (change.status ?? person.status) === 'active';
      if (wasActiveCoordinator && !staysActiveCoordinator && coordinators <= 1) {
        throw new HttpError(
          409,
          'last-coordinator',
          'The organisation needs at least one active coordinator. Make someone else a coordinator first.',
        );
      }
      return changePerson(sql, userId, change, caller.userId);
    });
    request.log.info({ userId, byUserId: caller.userId, fields: Object.keys(change) }, 'user changed');
    return { user };
  });

  app.post('/api/users/:id/sign-out-everywhere', async (request, reply) => {
    const caller = await requireSession(request);
    const userId = idOf(request.params);
    if (userId !== caller.userId && caller.role !== 'coordinator') {
      throw new HttpError(403, 'coordinator-only', 'Only a coordinator can sign someone else out.');
    }
    const revoked = await database.transaction(async (sql) => {
      if (!(await findPersonForUpdate(sql, caller.organisationId, userId))) throw userNotFound();
      return revokeAllSessions(sql, userId);
    });
    request.log.info({ userId, byUserId: caller.userId, revoked }, 'signed out everywhere');
    return reply.code(204).send();
  });

  app.post('/api/invitations', async (request, reply) => {
    const caller = await requireCoordinator(request);
    const body = parseBody(inviteBodySchema, request.body);
    const created = await database.transaction(async (sql) => {
      if (await emailHasAccount(sql, body.email)) {
        throw new HttpError(409, 'already-a-user', 'Someone already has an account with this email address.');
      }
      return createInvitation(sql, {
        organisationId: caller.organisationId,
        email: body.email,
        role: body.role,
        invitedBy: caller.userId,
      });
    });
    request.log.info({ invitationId: created.invitation.id, byUserId: caller.userId }, 'invitation created');
    return reply.code(201).send(created);
  });

  app.delete('/api/invitations/:id', async (request, reply) => {
    const caller = await requireCoordinator(request);
    const parsed = idParamsSchema.safeParse(request.params);
    if (!parsed.success || !(await withdrawInvitation(database, caller.organisationId, parsed.data.id))) {
      throw invitationNotFound();
    }
    return reply.code(204).send();
  });

  app.get('/api/invitations/:code', async (request) => {
    const invitation = await findOpenInvitation(database, codeOf(request.params));
    if (!invitation) throw invitationNotFound();
    const { organisationName, email, role, expiresAt } = invitation;
    return { organisationName, email, role, expiresAt };
  });

  app.post('/api/invitations/:code/accept', async (request, reply) => {
    const body = parseBody(acceptBodySchema, request.body);
    const code = codeOf(request.params);
    // Checked before hashing, so a wrong code costs no scrypt; checked again under a lock below.
    if (!(await findOpenInvitation(database, code))) throw invitationNotFound();
    const passwordHash = await hashPassword(body.password, scryptCost);
    const { userId, token } = await database.transaction(async (sql) => {
      const invitation = await findOpenInvitation(sql, code, true);
      if (!invitation) throw invitationNotFound();
      if (await emailHasAccount(sql, invitation.email)) {
        throw new HttpError(409, 'already-a-user', 'Someone already has an account with this email address.');
      }
      const userId = await createUser(
        sql,
        {
          organisationId: invitation.organisationId,
          name: body.name,
          email: invitation.email,
          role: invitation.role,
          passwordHash,
        },
        null,
      );
      await markInvitationAccepted(sql, invitation.id, userId);
      return { userId, token: await createSession(sql, userId) };
    });
    const user = await findAccountUser(database, userId);
    request.log.info({ userId }, 'invitation accepted');
    setSessionCookie(request, reply, token);
    return reply.code(201).send({ user });
  });
}

function codeOf(params: unknown): string {
  const code = (params as { code?: unknown }).code;
  return typeof code === 'string' ? code.slice(0, 40) : '';
}

// The People routes: a coordinator invites with a one-time code, the invited person sets their name
// and password and is signed in; suspending signs them out everywhere; tutors cannot manage people;
// the organisation always keeps an active coordinator.
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { normaliseInvitationCode } from '../../src/server/users/people';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import {
  COORDINATOR,
  TEST_PASSWORD,
  type TestUser,
  buildTestApp,
  inviteAndAccept,
  setUpOrganisation,
  signIn,
  withSession,
} from './testApp';

describeEachBackend('people', (context) => {
  let app: FastifyInstance;
  let coordinator: { user: TestUser; token: string };

  beforeEach(async () => {
    await resetDatabase(context.db());
    app = await buildTestApp(context.db());
    coordinator = await setUpOrganisation(app);
  });
  afterEach(async () => {
    await app.close();
  });

  const me = (token: string) => app.inject({ method: 'GET', url: '/api/auth/me', ...withSession(token) });
  const listUsers = (token: string) =>
    app.inject({ method: 'GET', url: '/api/users', ...withSession(token) });
  const changeUser = (token: string, userId: string, payload: object) =>
    app.inject({ method: 'PATCH', url: `/api/users/${userId}`, payload, ...withSession(token) });

  it('invites a tutor with a one-time code that signs them in once, and lists them', async () => {
    const invited = await app.inject({
      method: 'POST',
      url: '/api/invitations',
      payload: { email: ' Dev.Patel@Example.org ', role: 'tutor' },
      ...withSession(coordinator.token),
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const { code, invitation } = invited.json<{
      code: string;
      invitation: { email: string; role: string };
    }>();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(invitation).toMatchObject({ email: 'dev.patel@example.org', role: 'tutor' });

    const pending = await listUsers(coordinator.token);
    expect(pending.json<{ invitations: unknown[] }>().invitations).toHaveLength(1);

    // Typed by hand: lower case, spaces for dashes.
    const typed = code.toLowerCase().replace(/-/g, ' ');
    const opened = await app.inject({ method: 'GET', url: `/api/invitations/${encodeURIComponent(typed)}` });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toMatchObject({
      organisationName: COORDINATOR.organisationName,
      email: 'dev.patel@example.org',
      role: 'tutor',
    });

    const tooShort = await app.inject({
      method: 'POST',
      url: `/api/invitations/${code}/accept`,
      payload: { name: 'Dev Patel', password: 'short' },
    });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().error.details.issues[0].path).toBe('password');

    const accepted = await app.inject({
      method: 'POST',
      url: `/api/invitations/${code}/accept`,
      payload: { name: 'Dev Patel', password: TEST_PASSWORD },
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json().user).toMatchObject({
      name: 'Dev Patel',
      role: 'tutor',
      email: 'dev.patel@example.org',
    });

    const again = await app.inject({
      method: 'POST',
      url: `/api/invitations/${code}/accept`,
      payload: { name: 'Someone Else', password: TEST_PASSWORD },
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.reason).toBe('invitation-not-found');

    const listed = await listUsers(coordinator.token);
    const body = listed.json<{
      users: { email: string; role: string; maySeeSpecialCategory: boolean }[];
      invitations: unknown[];
    }>();
    expect(body.invitations).toEqual([]);
    expect(body.users.map((user) => [user.email, user.role, user.maySeeSpecialCategory])).toEqual(
      expect.arrayContaining([
        [COORDINATOR.email, 'coordinator', true],
        ['dev.patel@example.org', 'tutor', false],
      ]),
    );
    expect((await signIn(app, 'dev.patel@example.org', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses to invite an address that has an account, and a withdrawn invitation opens nothing', async () => {
    const existing = await app.inject({
      method: 'POST',
      url: '/api/invitations',
      payload: { email: COORDINATOR.email },
      ...withSession(coordinator.token),
    });
    expect(existing.statusCode).toBe(409);
    expect(existing.json().error.reason).toBe('already-a-user');

    const invited = await app.inject({
      method: 'POST',
      url: '/api/invitations',
      payload: { email: 'amira@example.org' },
      ...withSession(coordinator.token),
    });
    const { code, invitation } = invited.json<{ code: string; invitation: { id: string } }>();
    const withdrawn = await app.inject({
      method: 'DELETE',
      url: `/api/invitations/${invitation.id}`,
      ...withSession(coordinator.token),
    });
    expect(withdrawn.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: `/api/invitations/${code}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/invitations/not-a-code' })).statusCode).toBe(404);
  });

  it('an expired invitation opens nothing', async () => {
    const invited = await app.inject({
      method: 'POST',
      url: '/api/invitations',
      payload: { email: 'late@example.org' },
      ...withSession(coordinator.token),
    });
    const { code } = invited.json<{ code: string }>();
    await context.db().query("UPDATE invitations SET expires_at = now() - interval '1 minute'");
    const accepted = await app.inject({
      method: 'POST',
      url: `/api/invitations/${code}/accept`,
      payload: { name: 'Late Person', password: TEST_PASSWORD },
    });
    expect(accepted.statusCode).toBe(404);
  });

  it('lets only coordinators manage people', async () => {
    const tutor = await inviteAndAccept(app, coordinator.token, {
      email: 'tutor@example.org',
      name: 'Tom Tutor',
    });
    for (const response of [
      await listUsers(tutor.token),
      await changeUser(tutor.token, coordinator.user.id, { status: 'suspended' }),
      await app.inject({
        method: 'POST',
        url: '/api/invitations',
        payload: { email: 'friend@example.org' },
        ...withSession(tutor.token),
      }),
      await app.inject({
        method: 'POST',
        url: `/api/users/${coordinator.user.id}/sign-out-everywhere`,
        ...withSession(tutor.token),
      }),
    ]) {
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().error.reason).toBe('coordinator-only');
    }
    expect((await me(coordinator.token)).statusCode).toBe(200);
  });

  it('suspending a user signs them out everywhere and stops their sign-in; reactivating lets them back', async () => {
    const tutor = await inviteAndAccept(app, coordinator.token, {
      email: 'tutor@example.org',
      name: 'Tom Tutor',
    });
    const second = await signIn(app, 'tutor@example.org', TEST_PASSWORD);
    expect(second.statusCode).toBe(200);

    const suspended = await changeUser(coordinator.token, tutor.user.id, { status: 'suspended' });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(suspended.json().user.status).toBe('suspended');
    expect((await me(tutor.token)).statusCode).toBe(401);
    expect((await signIn(app, 'tutor@example.org', TEST_PASSWORD)).statusCode).toBe(403);

    expect((await changeUser(coordinator.token, tutor.user.id, { status: 'active' })).statusCode).toBe(200);
    // The old sessions stay ended: reactivating is not signing in.
    expect((await me(tutor.token)).statusCode).toBe(401);
    expect((await signIn(app, 'tutor@example.org', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('signs a user out everywhere on request, theirs or a coordinator\u2019s', async () => {
    const tutor = await inviteAndAccept(app, coordinator.token, {
      email: 'tutor@example.org',
      name: 'Tom Tutor',
    });
    const own = await app.inject({
      method: 'POST',
      url: `/api/users/${tutor.user.id}/sign-out-everywhere`,
      ...withSession(tutor.token),
    });
    expect(own.statusCode).toBe(204);
    expect((await me(tutor.token)).statusCode).toBe(401);
  });

  it('keeps an active coordinator: no self-suspension, no demoting the last one', async () => {
    const self = await changeUser(coordinator.token, coordinator.user.id, { status: 'suspended' });
    expect(self.statusCode).toBe(409);
    expect(self.json().error.reason).toBe('cannot-change-self');
    const demote = await changeUser(coordinator.token, coordinator.user.id, { role: 'tutor' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.reason).toBe('last-coordinator');

    const other = await inviteAndAccept(app, coordinator.token, {
      email: 'deputy@example.org',
      name: 'Deputy Coordinator',
      role: 'coordinator',
    });
    expect((await changeUser(other.token, coordinator.user.id, { role: 'tutor' })).statusCode).toBe(200);
  });

  it('grants and removes seeing special category answers, and pushes the user row to devices', async () => {
    const tutor = await inviteAndAccept(app, coordinator.token, {
      email: 'tutor@example.org',
      name: 'Tom Tutor',
    });
    const granted = await changeUser(coordinator.token, tutor.user.id, { maySeeSpecialCategory: true });
    expect(granted.json().user.maySeeSpecialCategory).toBe(true);
    const empty = await changeUser(coordinator.token, tutor.user.id, {});
    expect(empty.statusCode).toBe(400);
    const unknown = await changeUser(coordinator.token, '00000000-0000-4000-8000-000000000000', {
      status: 'left',
    });
    expect(unknown.statusCode).toBe(404);
    const notAnId = await changeUser(coordinator.token, 'not-an-id', { status: 'left' });
    expect(notAnId.statusCode).toBe(404);
    const { rows } = await context
      .db()
      .query<{ data: { status: string } }>(
        "SELECT data FROM records WHERE entity_type = 'user' AND entity_id = $1",
        [tutor.user.id],
      );
    expect(rows[0]?.data).toEqual({ id: tutor.user.id, name: 'Tom Tutor', role: 'tutor', status: 'active' });
  });
});

it('reads a typed invitation code the way it was issued', () => {
  expect(normaliseInvitationCode('k7qf m2xd 9rta')).toBe('K7QFM2XD9RTA');
  expect(normaliseInvitationCode('K7QF-M2XD-9RTO')).toBe('K7QFM2XD9RT0');
  expect(normaliseInvitationCode('K7QF-M2XD-9RTl')).toBe('K7QFM2XD9RT1');
  expect(normaliseInvitationCode('K7QF-M2XD')).toBeNull();
  expect(normaliseInvitationCode('K7QF-M2XD-9RT!')).toBeNull();
});

// The People calls of the HTTP client: their methods and paths, answers parsed at the boundary, and
// every failure (no connection, a refusal with its reason) as a value.
import { describe, expect, it } from 'vitest';
import { type Transport, createSyncApi } from '../../src/api/syncApi';

type Seen = { url: string; init: RequestInit };

function answering(status: number, body: unknown, seen: Seen[] = []): Transport {
  return async (url, init) => {
    seen.push({ url, init });
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
}

const PERSON = {
  id: 'u2',
  name: 'Sam Tutor',
  email: 'sam@example.org',
  role: 'tutor',
  status: 'suspended',
  maySeeSpecialCategory: false,
  createdAt: '2026-11-23T10:00:00.000Z',
};
const INVITATION = {
  id: 'i1',
  email: 'sam@example.org',
  role: 'tutor',
  createdAt: '2026-11-23T10:00:00.000Z',
  expiresAt: '2026-11-30T10:00:00.000Z',
  invitedByName: 'Aisha Khan',
};

describe('the People calls', () => {
  it('invites with POST and gives back the invitation and its one-time code', async () => {
    const seen: Seen[] = [];
    const api = createSyncApi({
      appVersion: 't',
      transport: answering(201, { invitation: INVITATION, code: 'K7QF-M2XD-9RTA' }, seen),
    });
    const result = await api.invite('sam@example.org', 'tutor');
    expect(result).toEqual({ ok: true, value: { invitation: INVITATION, code: 'K7QF-M2XD-9RTA' } });
    expect(seen[0]).toMatchObject({ url: '/api/invitations', init: { method: 'POST' } });
    expect(JSON.parse(String(seen[0]!.init.body))).toEqual({ email: 'sam@example.org', role: 'tutor' });
  });

  it('changes a user with PATCH and reads the user back', async () => {
    const seen: Seen[] = [];
    const api = createSyncApi({ appVersion: 't', transport: answering(200, { user: PERSON }, seen) });
    expect(await api.changeUser('u2', { status: 'suspended' })).toEqual({ ok: true, value: PERSON });
    expect(seen[0]).toMatchObject({ url: '/api/users/u2', init: { method: 'PATCH' } });
    expect(JSON.parse(String(seen[0]!.init.body))).toEqual({ status: 'suspended' });
  });

  it('withdraws with DELETE and signs out everywhere with POST, both answered 204', async () => {
    const seen: Seen[] = [];
    const api = createSyncApi({ appVersion: 't', transport: answering(204, undefined, seen) });
    expect(await api.withdrawInvitation('i1')).toEqual({ ok: true, value: null });
    expect(await api.signOutEverywhere('u2')).toEqual({ ok: true, value: null });
    expect(seen.map(({ url, init }) => `${init.method} ${url}`)).toEqual([
      'DELETE /api/invitations/i1',
      'POST /api/users/u2/sign-out-everywhere',
    ]);
  });

  it('opens and accepts an invitation by its code, accepting as a sign-in does', async () => {
    const seen: Seen[] = [];
    const details = { organisationName: 'Sefton', email: 'sam@example.org', role: 'tutor', expiresAt: 'x' };
    const opened = await createSyncApi({
      appVersion: 't',
      transport: answering(200, details, seen),
    }).invitation('K7QF-M2XD-9RTA');
    expect(opened).toEqual({ ok: true, value: details });
    const user = {
      id: 'u2',
      name: 'Sam Tutor',
      email: 'sam@example.org',
      role: 'tutor',
      organisationId: 'o1',
    };
    const accepted = await createSyncApi({
      appVersion: 't',
      transport: answering(201, { user: { ...user, organisationName: 'Sefton' } }, seen),
    }).acceptInvitation('K7QF-M2XD-9RTA', 'Sam Tutor', 'a long enough password');
    expect(accepted).toEqual({ ok: true, value: { ...user, organisationName: 'Sefton' } });
    expect(seen.map(({ url, init }) => `${init.method} ${url}`)).toEqual([
      'GET /api/invitations/K7QF-M2XD-9RTA',
      'POST /api/invitations/K7QF-M2XD-9RTA/accept',
    ]);
  });

  it('gives refusals as values, with the server’s reason, message and details', async () => {
    const body = {
      error: {
        reason: 'invalid-request',
        message: 'Enter an email address.',
        details: { issues: [{ path: 'email', message: 'Enter an email address' }] },
      },
    };
    const result = await createSyncApi({ appVersion: 't', transport: answering(400, body) }).invite(
      '',
      'tutor',
    );
    expect(result).toEqual({
      ok: false,
      failure: {
        kind: 'rejected-request',
        status: 400,
        reason: 'invalid-request',
        message: 'Enter an email address.',
        details: body.error.details,
      },
    });
    const refused = await createSyncApi({
      appVersion: 't',
      transport: answering(403, { error: { reason: 'coordinator-only', message: 'Only a coordinator.' } }),
    }).listPeople();
    expect(refused.ok === false && refused.failure.reason).toBe('coordinator-only');
  });

  it('says offline when no answer came, and unreadable when the answer does not fit', async () => {
    const offline = await createSyncApi({
      appVersion: 't',
      transport: () => Promise.reject(new TypeError('Failed to fetch')),
    }).listPeople();
    expect(offline.ok === false && offline.failure.kind).toBe('offline');
    const unreadable = await createSyncApi({
      appVersion: 't',
      transport: answering(200, { users: 'everyone' }),
    }).listPeople();
    expect(unreadable.ok === false && unreadable.failure.reason).toBe('unreadable-answer');
  });
});

// GET/POST /api/setup: the first organisation and its coordinator, once only, with the server-owned
// records devices will pull.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { CONSENT_STATEMENTS_V1, LOAN_TERMS_V1, PRIVACY_NOTICE_V1 } from '../../src/domain/documents';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { buildTestApp, COORDINATOR, sessionCookieOf, setUpOrganisation, withSession } from './testApp';

describeEachBackend('set-up', ({ db }) => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await buildTestApp(db());
  });
  afterAll(() => app.close());
  beforeEach(() => resetDatabase(db()));

  const organisationCount = async () =>
    (await db().query<{ n: number }>('SELECT count(*) AS n FROM organisations')).rows[0]?.n;

  it('is needed on an empty database and not after', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: true });
    await setUpOrganisation(app);
    expect((await app.inject({ method: 'GET', url: '/api/setup' })).json()).toEqual({ needed: false });
  });

  it('creates the organisation and its coordinator, and signs them in', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { ...COORDINATOR, email: '  Siobhan.OConnor@Bootle-Digital.EXAMPLE ' },
    });
    expect(response.statusCode).toBe(201);
    const { user } = response.json();
    expect(user).toEqual({
      id: expect.any(String),
      name: COORDINATOR.name,
      email: COORDINATOR.email,
      role: 'coordinator',
      organisationId: expect.any(String),
      organisationName: COORDINATOR.organisationName,
    });
    const token = sessionCookieOf(response);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', ...withSession(token!) });
    expect(me.json()).toEqual({ user });

    const { rows: users } = await db().query<{ email: string; password_hash: string; status: string }>(
      'SELECT email, password_hash, status FROM users',
    );
    expect(users).toEqual([
      { email: COORDINATOR.email, password_hash: expect.any(String), status: 'active' },
    ]);
    expect(users[0]!.password_hash).toMatch(/^\$scrypt\$ln=\d+,r=8,p=1\$/);
    expect(users[0]!.password_hash).not.toContain(COORDINATOR.password);
    const { rows: organisations } = await db().query('SELECT name, type FROM organisations');
    expect(organisations).toEqual([
      { name: COORDINATOR.organisationName, type: 'voluntary-community-group' },
    ]);
  });

  it('writes the organisation, the user and the shipped documents as records devices pull', async () => {
    const { user } = await setUpOrganisation(app, { ...COORDINATOR, organisationType: undefined });
    const { rows } = await db().query<{
      entity_type: string;
      entity_id: string;
      data: Record<string, unknown>;
      change_seq: number;
      deleted: boolean;
    }>(
      `SELECT entity_type, entity_id, data, change_seq, deleted FROM records
       WHERE organisation_id = $1 ORDER BY change_seq`,
      [user.organisationId],
    );
    expect(rows).toEqual([
      {
        entity_type: 'organisation',
        entity_id: user.organisationId,
        data: { id: user.organisationId, name: COORDINATOR.organisationName, type: 'other' },
        change_seq: 1,
        deleted: false,
      },
      {
        entity_type: 'documentVersion',
        entity_id: PRIVACY_NOTICE_V1.id,
        data: PRIVACY_NOTICE_V1,
        change_seq: 2,
        deleted: false,
      },
      {
        entity_type: 'documentVersion',
        entity_id: CONSENT_STATEMENTS_V1.id,
        data: CONSENT_STATEMENTS_V1,
        change_seq: 3,
        deleted: false,
      },
      {
        entity_type: 'documentVersion',
        entity_id: LOAN_TERMS_V1.id,
        data: LOAN_TERMS_V1,
        change_seq: 4,
        deleted: false,
      },
      {
        entity_type: 'user',
        entity_id: user.id,
        // Never the email or the password hash.
        data: { id: user.id, name: COORDINATOR.name, role: 'coordinator', status: 'active' },
        change_seq: 5,
        deleted: false,
      },
    ]);
    const { rows: organisation } = await db().query('SELECT change_seq FROM organisations');
    expect(organisation).toEqual([{ change_seq: 5 }]);
  });

  it('refuses a second set-up with 409 and changes nothing', async () => {
    await setUpOrganisation(app);
    const response = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { ...COORDINATOR, email: 'someone.else@example.org' },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      error: {
        reason: 'already-set-up',
        message: 'This server is already set up. Sign in instead.',
        details: {},
      },
    });
    expect(sessionCookieOf(response)).toBeUndefined();
    expect(await organisationCount()).toBe(1);
  });

  it('lets only one of two set-ups at the same moment succeed', async () => {
    const responses = await Promise.all(
      ['first@example.org', 'second@example.org', 'third@example.org'].map((email) =>
        app.inject({ method: 'POST', url: '/api/setup', payload: { ...COORDINATOR, email } }),
      ),
    );
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 409, 409]);
    expect(await organisationCount()).toBe(1);
  });

  it.each([
    [
      'a password under 12 characters',
      { password: 'elevenchars' },
      'password',
      'Password must be at least 12 characters',
    ],
    ['no password', { password: undefined }, 'password', 'Enter a password'],
    ['a blank name', { name: '   ' }, 'name', 'Enter your name'],
    [
      'no organisation name',
      { organisationName: undefined },
      'organisationName',
      "Enter your organisation's name",
    ],
    [
      'an email address without an @',
      { email: 'siobhan.example.org' },
      'email',
      'Enter an email address in the correct format, like name@example.com',
    ],
    ['a number for the email', { email: 42 }, 'email', 'Enter an email address'],
    [
      'an unknown organisation type',
      { organisationType: 'castle' },
      'organisationType',
      'Organisation type must be one of',
    ],
  ])('answers 400 for %s, naming the field', async (_case, change, field, message) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { ...COORDINATOR, ...change },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.reason).toBe('invalid-request');
    expect(body.error.message).toContain(message);
    expect(body.error.details.issues).toEqual([{ path: field, message: expect.stringContaining(message) }]);
    expect(await organisationCount()).toBe(0);
  });

  it('lists every field that is wrong', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/setup', payload: {} });
    expect(response.statusCode).toBe(400);
    const fields = response.json().error.details.issues.map((issue: { path: string }) => issue.path);
    expect(fields).toEqual(['organisationName', 'name', 'email', 'password']);
  });

  it.each([
    ['malformed JSON', { headers: { 'content-type': 'application/json' }, payload: '{"name": ' }],
    ['a JSON array', { headers: { 'content-type': 'application/json' }, payload: '[]' }],
    ['JSON null', { headers: { 'content-type': 'application/json' }, payload: 'null' }],
    ['no body', {}],
  ])('answers 400 for %s, never 500', async (_case, request) => {
    const response = await app.inject({ method: 'POST', url: '/api/setup', ...request });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { reason: expect.any(String), message: expect.any(String), details: expect.any(Object) },
    });
    expect(await organisationCount()).toBe(0);
  });
});

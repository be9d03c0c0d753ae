// Builds the server app on a test database and drives its accounts over HTTP (inject), for the
// server tests: set up an organisation, sign in, register a device.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { AppOptions } from '../../src/server/app';
import { buildApp } from '../../src/server/app';
import { createOrganisation, createUser } from '../../src/server/auth/accounts';
import type { ScryptCost } from '../../src/server/auth/password';
import { hashPassword } from '../../src/server/auth/password';
import { SESSION_COOKIE } from '../../src/server/auth/sessions';
import type { Database } from '../../src/server/db/database';

/** Cheap enough for many sign-ins per test run; production keeps DEFAULT_SCRYPT_COST. */
export const TEST_SCRYPT_COST: ScryptCost = { ln: 10, r: 8, p: 1 };

export const COORDINATOR = {
  organisationName: 'Bootle Digital Inclusion Partnership',
  organisationType: 'voluntary-community-group',
  name: 'Siobhán O’Connor-Ndiaye',
  email: 'siobhan.oconnor@bootle-digital.example',
  password: 'tea-and-biscuits-at-ten',
} as const;

export type TestUser = {
  id: string;
  name: string;
  email: string;
  role: string;
  organisationId: string;
  organisationName: string;
};

/** An app on db with an empty static folder; the caller closes it. */
export async function buildTestApp(
  db: Database,
  options: Partial<Omit<AppOptions, 'database'>> = {},
): Promise<FastifyInstance> {
  const app = buildApp({
    staticDir: mkdtempSync(path.join(tmpdir(), 'outreach-static-')),
    database: db,
    scryptCost: TEST_SCRYPT_COST,
    ...options,
  });
  await app.ready();
  return app;
}

/** The session token a response set, or undefined. */
export function sessionCookieOf(response: LightMyRequestResponse): string | undefined {
  const cookie = response.cookies.find((candidate) => candidate.name === SESSION_COOKIE);
  return cookie?.value === '' ? undefined : cookie?.value;
}

/** Sets up the first organisation and returns its coordinator with a signed-in session. */
export async function setUpOrganisation(
  app: FastifyInstance,
  body: Record<string, unknown> = COORDINATOR,
): Promise<{ user: TestUser; token: string }> {
  const response = await app.inject({ method: 'POST', url: '/api/setup', payload: body });
  expect(response.statusCode, response.body).toBe(201);
  const token = sessionCookieOf(response);
  if (token === undefined) throw new Error('set-up set no session cookie');
  return { user: response.json<{ user: TestUser }>().user, token };
}

export async function signIn(
  app: FastifyInstance,
  email: string,
  password: string,
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password } });
}

/** The inject options that send a session cookie. */
export function withSession(token: string): { cookies: Record<string, string> } {
  return { cookies: { [SESSION_COOKIE]: token } };
}

export async function registerDevice(
  app: FastifyInstance,
  token: string,
  clientDeviceId = 'tablet-1',
): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/devices',
    payload: { clientDeviceId, appVersion: '0.1.0' },
    ...withSession(token),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ deviceId: string }>().deviceId;
}

export const TEST_PASSWORD = 'a-long-enough-password';

/** Invites someone as the coordinator, accepts as them, and returns their user and session. */
export async function inviteAndAccept(
  app: FastifyInstance,
  coordinatorToken: string,
  person: { email: string; name: string; role?: 'tutor' | 'coordinator' },
): Promise<{ user: TestUser; token: string }> {
  const invited = await app.inject({
    method: 'POST',
    url: '/api/invitations',
    payload: { email: person.email, role: person.role ?? 'tutor' },
    ...withSession(coordinatorToken),
  });
  expect(invited.statusCode, invited.body).toBe(201);
  const { code } = invited.json<{ code: string }>();
  const accepted = await app.inject({
    method: 'POST',
    url: `/api/invitations/${code}/accept`,
    payload: { name: person.name, password: TEST_PASSWORD },
  });
  expect(accepted.statusCode, accepted.body).toBe(201);
  const token = sessionCookieOf(accepted);
  if (token === undefined) throw new Error('accepting set no session cookie');
  return { user: accepted.json<{ user: TestUser }>().user, token };
}

/**
 * A second organisation on the same server (set-up makes only the first): written to the database
 * as set-up would, then its coordinator signs in.
 */
export async function addOrganisation(
  app: FastifyInstance,
  db: Database,
  coordinator: { organisationName: string; name: string; email: string },
): Promise<{ user: TestUser; token: string }> {
  const passwordHash = await hashPassword(TEST_PASSWORD, TEST_SCRYPT_COST);
  await db.transaction(async (sql) => {
    const organisationId = await createOrganisation(sql, {
      name: coordinator.organisationName,
      type: 'council',
    });
    await createUser(
      sql,
      {
        organisationId,
        name: coordinator.name,
        email: coordinator.email,
        role: 'coordinator',
        passwordHash,
        maySeeSpecialCategory: true,
      },
      null,
    );
  });
  const response = await signIn(app, coordinator.email, TEST_PASSWORD);
  expect(response.statusCode, response.body).toBe(200);
  return { user: response.json<{ user: TestUser }>().user, token: sessionCookieOf(response)! };
}

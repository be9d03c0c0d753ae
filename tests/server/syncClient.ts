// Devices talking to the server app over HTTP (inject) in server tests: a signed-in account with
// its registered device, pushes of whole records with ever later stamps, pulls to the end, checksums.
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import {
  RECORD_SCHEMA_VERSION,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  type ChecksumsResponse,
  type Mutation,
  type MutationResult,
  type PullResponse,
  type PulledRecord,
  type PushResponse,
  type SyncedEntityType,
} from '../../src/domain/sync/protocol';
import { HEALTHY, putMutation, stampAt } from '../helpers/syncFixtures';
import { type TestUser, registerDevice, withSession } from './testApp';

export type SyncAccount = { user: TestUser; token: string; deviceId: string; nextMutation: number };

export type SyncClient = ReturnType<typeof syncClient>;

/** Calls into the app the current test built (`app()` is read at each call). */
export function syncClient(app: () => FastifyInstance) {
  // Each change is stamped after the one before, so later changes win their fields.
  let stampCounter = 0;

  const headers = (who: SyncAccount) => ({
    [SYNC_HEADERS.protocolVersion]: String(SYNC_PROTOCOL_VERSION),
    [SYNC_HEADERS.schemaVersion]: String(RECORD_SCHEMA_VERSION),
    [SYNC_HEADERS.appVersion]: '0.1.0',
    [SYNC_HEADERS.deviceId]: who.deviceId,
  });

  return {
    headers,

    /** The signed-in user with a device registered for them. */
    async account(signedIn: { user: TestUser; token: string }, client: string): Promise<SyncAccount> {
      return { ...signedIn, deviceId: await registerDevice(app(), signedIn.token, client), nextMutation: 1 };
    },

    /** Pushes records (type, data) as puts from the account's device; returns the results. */
    async push(
      who: SyncAccount,
      changes: [SyncedEntityType, Record<string, unknown>][],
    ): Promise<MutationResult[]> {
      const mutations: Mutation[] = changes.map(([entityType, data]) =>
        putMutation(
          who.nextMutation++,
          entityType,
          String(data['id']),
          data,
          stampAt(-1, undefined, stampCounter++),
        ),
      );
      const response = await app().inject({
        method: 'POST',
        url: '/api/sync/push',
        payload: { mutations, health: HEALTHY },
        headers: headers(who),
        ...withSession(who.token),
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<PushResponse>().results;
    },

    /** Pulls pages of `limit` from `cursor` until the server has no more. */
    async pullAll(
      who: SyncAccount,
      options: { cursor?: number; entityType?: SyncedEntityType; limit?: number } = {},
    ): Promise<{ records: PulledRecord[]; cursor: number; scope: string }> {
      const records: PulledRecord[] = [];
      let cursor = options.cursor ?? 0;
      let page: PullResponse;
      do {
        const type = options.entityType ? `&entityType=${options.entityType}` : '';
        const response = await app().inject({
          method: 'GET',
          url: `/api/sync/pull?cursor=${cursor}&limit=${options.limit ?? 3}${type}`,
          headers: headers(who),
          ...withSession(who.token),
        });
        expect(response.statusCode, response.body).toBe(200);
        page = response.json<PullResponse>();
        records.push(...page.records);
        cursor = page.cursor;
      } while (page.hasMore);
      return { records, cursor, scope: page.scope };
    },

    async checksums(who: SyncAccount): Promise<ChecksumsResponse> {
      const response = await app().inject({
        method: 'GET',
        url: '/api/sync/checksums',
        headers: headers(who),
        ...withSession(who.token),
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<ChecksumsResponse>();
    },
  };
}

/** A push's results as the reason of each refusal, or 'applied'. */
export function outcomesOf(results: readonly MutationResult[]): string[] {
  return results.map((result) => (result.status === 'rejected' ? result.reason : result.status));
}

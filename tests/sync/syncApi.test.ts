// The HTTP client: the protocol's headers on every call, and every expected failure as a value.
import { describe, expect, it } from 'vitest';
import { type Transport, createSyncApi } from '../../src/api/syncApi';
import { RECORD_SCHEMA_VERSION, SYNC_PROTOCOL_VERSION } from '../../src/domain/sync/protocol';

function answering(
  status: number,
  body: unknown,
  seen: { url: string; init: RequestInit }[] = [],
): Transport {
  return async (url, init) => {
    seen.push({ url, init });
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
}

const errorBody = (reason: string, message = 'plain words') => ({ error: { reason, message, details: {} } });

describe('createSyncApi', () => {
  it('sends the protocol, schema, app and device headers, and reads a pull', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const api = createSyncApi({
      appVersion: '1.2.3',
      transport: answering(200, { records: [], cursor: 7, hasMore: false }, seen),
    });
    const result = await api.pull('device-1', 5, { limit: 10, entityType: 'venue' });
    expect(result).toEqual({ ok: true, value: { records: [], cursor: 7, hasMore: false } });
    expect(seen[0]!.url).toBe('/api/sync/pull?cursor=5&limit=10&entityType=venue');
    expect(seen[0]!.init.headers).toMatchObject({
      'outreach-protocol-version': String(SYNC_PROTOCOL_VERSION),
      'outreach-schema-version': String(RECORD_SCHEMA_VERSION),
      'outreach-app-version': '1.2.3',
      'outreach-device-id': 'device-1',
    });
  });

  it.each([
    [401, errorBody('not-signed-in'), 'not-signed-in'],
    [426, errorBody('update-required'), 'update-required'],
    [409, errorBody('server-outdated'), 'server-outdated'],
    [409, errorBody('mutation-gap'), 'mutation-gap'],
    [403, errorBody('device-unknown'), 'rejected-request'],
    [400, errorBody('invalid-request'), 'rejected-request'],
    [503, errorBody('unavailable'), 'server-error'],
    [500, 'not json', 'server-error'],
  ] as const)('turns a %i %j into a %s failure', async (status, body, kind) => {
    const api = createSyncApi({ appVersion: 't', transport: answering(status, body) });
    const result = await api.checksums('device-1');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.failure.kind).toBe(kind);
      expect(result.failure.status).toBe(status);
      expect(result.failure.message).toBeTruthy();
    }
  });

  it('says offline when no answer came, and never throws', async () => {
    const api = createSyncApi({
      appVersion: 't',
      transport: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const result = await api.signIn('a@example.org', 'secret');
    expect(result).toMatchObject({ ok: false, failure: { kind: 'offline', status: null } });
  });

  it('reads the signed-in user, and a sign-out with no body', async () => {
    const user = {
      id: 'u1',
      name: 'Sam',
      email: 'sam@example.org',
      role: 'tutor',
      organisationId: 'o1',
      organisationName: 'Bootle',
    };
    expect(await createSyncApi({ appVersion: 't', transport: answering(200, { user }) }).me()).toEqual({
      ok: true,
      value: user,
    });
    const signOut = createSyncApi({ appVersion: 't', transport: answering(204, undefined) });
    expect(await signOut.signOut()).toEqual({ ok: true, value: null });
    const garbled = createSyncApi({ appVersion: 't', transport: answering(200, { nobody: true }) });
    expect((await garbled.me()).ok).toBe(false);
  });
});

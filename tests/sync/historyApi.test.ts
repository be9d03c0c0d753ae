// The learner history call of the HTTP client: its path, the device header that says where a viewing
// happened, the answer parsed at the boundary, and failures as values.
import { describe, expect, it } from 'vitest';
import { type Transport, createSyncApi } from '../../src/api/syncApi';
import { SYNC_HEADERS } from '../../src/domain/sync/protocol';

type Seen = { url: string; init: RequestInit };

function answering(status: number, body: unknown, seen: Seen[] = []): Transport {
  return async (url, init) => {
    seen.push({ url, init });
    return new Response(JSON.stringify(body), { status });
  };
}

const HISTORY = {
  changes: [
    {
      at: '2026-11-23T10:00:00.000Z',
      userName: 'Tom Tutor',
      deviceId: 'd1',
      deviceLabel: 'Device d1, registered by Tom Tutor',
      entityType: 'learner',
      entityId: 'l1',
      field: 'phone',
      oldValue: null,
      newValue: '07700 900002',
      outcome: 'applied',
    },
  ],
  truncated: false,
  specialCategoryAccess: [],
  specialCategoryAccessTruncated: false,
};

describe('learnerHistory', () => {
  it('asks for the learner\u2019s history with the device id and reads the answer', async () => {
    const seen: Seen[] = [];
    const api = createSyncApi({ appVersion: 't', transport: answering(200, HISTORY, seen) });
    expect(await api.learnerHistory('l1', 'd9')).toEqual({ ok: true, value: HISTORY });
    expect(seen[0]).toMatchObject({ url: '/api/learners/l1/history', init: { method: 'GET' } });
    expect((seen[0]!.init.headers as Record<string, string>)[SYNC_HEADERS.deviceId]).toBe('d9');
  });

  it('gives a refusal, an unreadable answer and no connection as values', async () => {
    const refused = await createSyncApi({
      appVersion: 't',
      transport: answering(403, { error: { reason: 'coordinator-only', message: 'Only a coordinator.' } }),
    }).learnerHistory('l1', null);
    expect(refused).toMatchObject({ ok: false, failure: { status: 403, reason: 'coordinator-only' } });
    const unreadable = await createSyncApi({
      appVersion: 't',
      transport: answering(200, { changes: 'nope' }),
    }).learnerHistory('l1', null);
    expect(unreadable).toMatchObject({ ok: false, failure: { reason: 'unreadable-answer' } });
    const offline = await createSyncApi({
      appVersion: 't',
      transport: () => Promise.reject(new TypeError('Failed to fetch')),
    }).learnerHistory('l1', null);
    expect(offline).toMatchObject({ ok: false, failure: { kind: 'offline' } });
  });
});

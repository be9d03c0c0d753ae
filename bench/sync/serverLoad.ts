// Sync benchmarks that need only the server: 10,000 records pushed by one device over HTTP against a
// set-based insert of the same rows into the same database, and 200 devices syncing at once, on
// PostgreSQL and on PGlite. The server runs as its own process (src/server/main.ts) on 127.0.0.1.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { formatHlc } from '../../src/domain/hlc';
import {
  RECORD_SCHEMA_VERSION,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  type Mutation,
  type PullResponse,
  type PushResponse,
} from '../../src/domain/sync/protocol';
import { makeAttendance, makeLearner } from '../../tests/fixtures/records';
import { createThrowawayDatabase } from '../../tests/helpers/serverDb';
import { type RunningServer, startServer } from '../../tests/helpers/server';
import { attendanceId } from '../../src/domain/ids';

export const PUSH_RECORDS = 10_000;
export const LOAD_DEVICES = 200;
const LOAD_ROUNDS = 3;
const LOAD_MUTATIONS_PER_PUSH = 10;
const HEALTH = { outboxLength: 0, oldestChangeAt: null, storagePersisted: true, quotaLeftBytes: 1e9 };

export type LoadResult = { requests: number; errors: number; p50: number; p99: number; max: number };
export type PushResult = { pushMs: number; setInsertMs: number };

type Client = { url: string; cookie: string };

async function startBackend(backend: 'PostgreSQL' | 'PGlite') {
  const throwaway = backend === 'PostgreSQL' ? await createThrowawayDatabase() : null;
  const server = await startServer({
    staticDir: mkdtempSync(path.join(tmpdir(), 'outreach-bench-static-')),
    env: throwaway ? { DATABASE_URL: throwaway.url, LOG_LEVEL: 'error' } : { LOG_LEVEL: 'error' },
  });
  return {
    server,
    databaseUrl: throwaway?.url ?? null,
    stop: async () => {
      await server.stop();
      await throwaway?.drop();
    },
  };
}

async function setUp(server: RunningServer): Promise<Client> {
  const response = await fetch(`${server.url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      organisationName: 'Bench Digital Partnership',
      name: 'Bench Coordinator',
      email: 'bench@example.org',
      password: 'a long bench password',
    }),
  });
  if (response.status !== 201) throw new Error(`set-up failed: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { url: server.url, cookie };
}

async function registerDevice(client: Client, name: string): Promise<string> {
  const response = await fetch(`${client.url}/api/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: client.cookie },
    body: JSON.stringify({ clientDeviceId: name, appVersion: 'bench' }),
  });
  if (response.status !== 201) throw new Error(`device registration failed: ${response.status}`);
  return ((await response.json()) as { deviceId: string }).deviceId;
}

function syncHeaders(client: Client, deviceId: string): Record<string, string> {
  return {
    cookie: client.cookie,
    'content-type': 'application/json',
    [SYNC_HEADERS.protocolVersion]: String(SYNC_PROTOCOL_VERSION),
    [SYNC_HEADERS.schemaVersion]: String(RECORD_SCHEMA_VERSION),
    [SYNC_HEADERS.appVersion]: 'bench',
    [SYNC_HEADERS.deviceId]: deviceId,
  };
}

function learnerMutations(firstId: number, count: number, node: string): Mutation[] {
  const hlc = formatHlc({ millis: Date.now() - 1000, counter: 0, node });
  return Array.from({ length: count }, (_, index) => {
    const learner = makeLearner({ id: randomUUID(), familyName: `Bench${firstId + index}` });
    const fields = learner as unknown as Record<string, unknown>;
    return {
      mutationId: firstId + index,
      entityType: 'learner',
      entityId: learner.id,
      op: 'put',
      fields,
      hlc: Object.fromEntries(Object.keys(fields).map((field) => [field, hlc])),
    };
  });
}

async function push(client: Client, deviceId: string, mutations: Mutation[]): Promise<PushResponse> {
  const response = await fetch(`${client.url}/api/sync/push`, {
    method: 'POST',
    headers: syncHeaders(client, deviceId),
    body: JSON.stringify({ mutations, health: HEALTH }),
  });
  if (response.status !== 200) throw new Error(`push answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as PushResponse;
}

/** 10,000 learners from one device in pushes of 1,000, against one INSERT … SELECT of the same rows. */
export async function benchPush(backend: 'PostgreSQL'): Promise<PushResult> {
  const running = await startBackend(backend);
  try {
    const client = await setUp(running.server);
    const deviceId = await registerDevice(client, 'bench-push');
    const mutations = learnerMutations(1, PUSH_RECORDS, 'abcdefabcdefabcd');
    const started = performance.now();
    for (let offset = 0; offset < mutations.length; offset += 1000) {
      const answer = await push(client, deviceId, mutations.slice(offset, offset + 1000));
      if (answer.results.some((result) => result.status !== 'applied'))
        throw new Error('a bench push was rejected');
    }
    const pushMs = performance.now() - started;

    // The baseline: the same rows, one set-based insert into the same table of the same database.
    const db = new pg.Client({ connectionString: running.databaseUrl ?? '' });
    await db.connect();
    try {
      const organisation = await db.query<{ id: string }>('SELECT id FROM organisations LIMIT 1');
      const rows = mutations.map((mutation, index) => ({
        entity_type: 'learner-baseline',
        entity_id: randomUUID(),
        data: mutation.fields,
        field_hlcs: mutation.hlc,
        change_seq: 1_000_000 + index,
      }));
      const insertStarted = performance.now();
      await db.query(
        `INSERT INTO records (organisation_id, entity_type, entity_id, data, field_hlcs, change_seq)
         SELECT $1, r.entity_type, r.entity_id, r.data, r.field_hlcs, r.change_seq
         FROM jsonb_to_recordset($2::jsonb) AS r(entity_type text, entity_id uuid, data jsonb, field_hlcs jsonb, change_seq bigint)`,
        [organisation.rows[0]?.id, JSON.stringify(rows)],
      );
      const setInsertMs = performance.now() - insertStarted;
      return { pushMs, setInsertMs };
    } finally {
      await db.end();
    }
  } finally {
    await running.stop();
  }
}

/** 200 devices, each pushing a few new learners and a mark then pulling until caught up, all at once. */
export async function benchDevices(backend: 'PostgreSQL' | 'PGlite'): Promise<LoadResult> {
  const running = await startBackend(backend);
  try {
    const client = await setUp(running.server);
    const devices: { id: string; next: number; cursor: number; node: string }[] = [];
    for (let index = 0; index < LOAD_DEVICES; index += 1) {
      devices.push({
        id: await registerDevice(client, `bench-${index}`),
        next: 1,
        cursor: 0,
        node: index.toString(16).padStart(16, '0'),
      });
    }
    const latencies: number[] = [];
    let errors = 0;
    const timed = async <T>(request: () => Promise<T>): Promise<T | null> => {
      const started = performance.now();
      try {
        return await request();
      } catch {
        errors += 1;
        return null;
      } finally {
        latencies.push(performance.now() - started);
      }
    };
    const sessionId = randomUUID();
    for (let round = 0; round < LOAD_ROUNDS; round += 1) {
      await Promise.all(
        devices.map(async (device) => {
          const mutations = learnerMutations(device.next, LOAD_MUTATIONS_PER_PUSH - 1, device.node);
          const learnerId = mutations[0]!.entityId;
          const id = attendanceId(sessionId, learnerId);
          const mark = makeAttendance({ id, sessionId, learnerId }) as unknown as Record<string, unknown>;
          const hlc = mutations[0]!.hlc['id']!;
          mutations.push({
            mutationId: device.next + mutations.length,
            entityType: 'attendance',
            entityId: id,
            op: 'put',
            fields: mark,
            hlc: Object.fromEntries(Object.keys(mark).map((field) => [field, hlc])),
          });
          const answer = await timed(() => push(client, device.id, mutations));
          if (answer) device.next = answer.lastMutationId + 1;
          for (let page = 0; page < 50; page += 1) {
            const body = await timed(async () => {
              const response = await fetch(`${client.url}/api/sync/pull?cursor=${device.cursor}&limit=1000`, {
                headers: syncHeaders(client, device.id),
              });
              if (response.status !== 200) throw new Error(`pull answered ${response.status}`);
              return (await response.json()) as PullResponse;
            });
            if (!body) break;
            device.cursor = body.cursor;
            if (!body.hasMore) break;
          }
        }),
      );
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
    return { requests: latencies.length, errors, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
  } finally {
    await running.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pushResult = await benchPush('PostgreSQL');
  console.log('push 10k', pushResult, (pushResult.pushMs / pushResult.setInsertMs).toFixed(2));
  for (const backend of ['PostgreSQL', 'PGlite'] as const) console.log(backend, await benchDevices(backend));
}

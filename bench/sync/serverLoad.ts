// Sync benchmarks that need only the server: 10,000 records pushed by one device over HTTP against a
// set-based insert of the same rows into the same database, and 200 devices syncing at once, on
// PostgreSQL and on PGlite. The server runs as its own process (src/server/main.ts) on 127.0.0.1.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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
import { createOrganisation, createUser } from '../../src/server/auth/accounts';
import { SESSION_COOKIE, createSession } from '../../src/server/auth/sessions';
import { type Database, openDatabase } from '../../src/server/db/database';
import { attendanceId } from '../../src/domain/ids';

export const PUSH_RECORDS = 10_000;
export const LOAD_DEVICES = 200;
const LOAD_ROUNDS = 3;
const LOAD_MUTATIONS_PER_PUSH = 10;
const HEALTH = { outboxLength: 0, oldestChangeAt: null, storagePersisted: true, quotaLeftBytes: 1e9 };

export type LoadResult = { requests: number; errors: number; p50: number; p99: number; max: number };
export type PushResult = { pushMs: number; setInsertMs: number };

type Client = { url: string; cookie: string; agent?: http.Agent };

/**
 * One HTTP request over node:http. The simulated devices use it with a keep-alive agent rather than
 * fetch, which costs several times the CPU per request: the load generator shares the machine's two
 * cores with the server and PostgreSQL it measures, so its own work is kept small.
 */
function send(
  url: string,
  options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; agent?: http.Agent },
): Promise<{ status: number; text: string }> {
  const { body } = options;
  const headers =
    body === undefined
      ? options.headers
      : { ...options.headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method, headers, agent: options.agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Starts the server on a new database of the given kind. `seed` runs first, in this process, on the
 * same database (PGlite's files are then handed to the server, which needs them to itself).
 */
async function startBackend<T>(
  backend: 'PostgreSQL' | 'PGlite',
  seed?: (database: Database) => Promise<T>,
): Promise<{
  server: RunningServer;
  databaseUrl: string | null;
  seeded: T | undefined;
  stop(): Promise<void>;
}> {
  const throwaway = backend === 'PostgreSQL' ? await createThrowawayDatabase() : null;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'outreach-bench-data-'));
  let seeded: T | undefined;
  if (seed) {
    const database = await openDatabase(throwaway ? { databaseUrl: throwaway.url } : { dataDir });
    try {
      seeded = await seed(database);
    } finally {
      await database.close();
    }
  }
  const server = await startServer({
    staticDir: mkdtempSync(path.join(tmpdir(), 'outreach-bench-static-')),
    dataDir,
    env: throwaway ? { DATABASE_URL: throwaway.url, LOG_LEVEL: 'error' } : { LOG_LEVEL: 'error' },
  });
  return {
    server,
    databaseUrl: throwaway?.url ?? null,
    seeded,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await throwaway?.drop();
    },
  };
}

/** Organisations with a signed-in coordinator each, made straight in the database (no scrypt). */
async function seedOrganisations(database: Database, count: number): Promise<string[]> {
  const cookies: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const token = await database.transaction(async (sql) => {
      const organisationId = await createOrganisation(sql, {
        name: `Bench partnership ${index}`,
        type: 'other',
      });
      const userId = await createUser(
        sql,
        {
          organisationId,
          name: `Coordinator ${index}`,
          email: `coordinator${index}@bench.example`,
          role: 'coordinator',
          passwordHash: 'not-used-sessions-are-made-directly',
        },
        null,
      );
      return createSession(sql, userId);
    });
    cookies.push(`${SESSION_COOKIE}=${token}`);
  }
  return cookies;
}

export async function setUp(server: RunningServer): Promise<Client> {
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
  const response = await send(`${client.url}/api/sync/push`, {
    method: 'POST',
    headers: syncHeaders(client, deviceId),
    body: JSON.stringify({ mutations, health: HEALTH }),
    agent: client.agent,
  });
  if (response.status !== 200) throw new Error(`push answered ${response.status}: ${response.text}`);
  return JSON.parse(response.text) as PushResponse;
}

/** 10,000 learners from one device in pushes of 1,000 (two in flight), against one INSERT … SELECT of the same rows. */
export async function benchPush(backend: 'PostgreSQL'): Promise<PushResult> {
  const running = await startBackend(backend);
  try {
    const client = await setUp(running.server);
    const deviceId = await registerDevice(client, 'bench-push');
    const mutations = learnerMutations(1, PUSH_RECORDS, 'abcdefabcdefabcd');
    const started = performance.now();
    // Two in flight, as the app sends them (src/sync/syncOnce.ts): the next before this one's answer.
    const send = (offset: number) => push(client, deviceId, mutations.slice(offset, offset + 1000));
    let next: Promise<PushResponse> | null = send(0);
    for (let offset = 0; next; offset += 1000) {
      const current: Promise<PushResponse> = next;
      next = offset + 1000 < mutations.length ? send(offset + 1000) : null;
      const answer = await current;
      if (answer.results.some((result) => result.status !== 'applied'))
        throw new Error('a bench push was rejected');
    }
    const pushMs = performance.now() - started;

    // The baseline: the same rows, one set-based insert into the same table of the same database.
    const setInsertMs = await setBasedInsert(running.databaseUrl ?? '', mutations);
    return { pushMs, setInsertMs };
  } finally {
    await running.stop();
  }
}

/**
 * The push baseline: the mutations' records in one INSERT … SELECT FROM jsonb_to_recordset into the
 * records table of the database at databaseUrl (under another entity type and new ids, so they sit
 * beside what was pushed). Returns the insert's milliseconds.
 */
export async function setBasedInsert(databaseUrl: string, mutations: readonly Mutation[]): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
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
    return performance.now() - insertStarted;
  } finally {
    await db.end();
  }
}

/**
 * 200 devices syncing at once, in `organisations` organisations (devices spread evenly): each pushes
 * a few new learners and a mark, then pulls until caught up with everything its organisation changed.
 */
export async function benchDevices(
  backend: 'PostgreSQL' | 'PGlite',
  organisations: number,
): Promise<LoadResult> {
  const running = await startBackend(backend, (database) => seedOrganisations(database, organisations));
  // Connections kept open between a device's requests, as a tablet's browser keeps them.
  const agent = new http.Agent({ keepAlive: true, maxSockets: LOAD_DEVICES });
  try {
    const cookies = running.seeded ?? [];
    const devices: { id: string; client: Client; next: number; cursor: number; node: string }[] = [];
    for (let index = 0; index < LOAD_DEVICES; index += 1) {
      const client = { url: running.server.url, cookie: cookies[index % cookies.length] ?? '', agent };
      devices.push({
        id: await registerDevice(client, `bench-${index}`),
        client,
        next: 1,
        cursor: 0,
        node: index.toString(16).padStart(16, '0'),
      });
    }
    const latencies: number[] = [];
    const byKind: Record<string, number[]> = { push: [], pull: [] };
    let errors = 0;
    const timed = async <T>(request: () => Promise<T>, kind = 'pull'): Promise<T | null> => {
      const started = performance.now();
      try {
        return await request();
      } catch {
        errors += 1;
        return null;
      } finally {
        latencies.push(performance.now() - started);
        byKind[kind]?.push(performance.now() - started);
      }
    };
    const sessionId = randomUUID();
    const cpuBefore = process.env.BENCH_DETAIL ? cpuSeconds(running.server.pid) : null;
    const roundMs: number[] = [];
    for (let round = 0; round < LOAD_ROUNDS; round += 1) {
      const roundStarted = performance.now();
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
          const answer = await timed(() => push(device.client, device.id, mutations), 'push');
          if (answer) device.next = answer.lastMutationId + 1;
          for (let page = 0; page < 50; page += 1) {
            const body = await timed(async () => {
              const response = await send(
                `${device.client.url}/api/sync/pull?cursor=${device.cursor}&limit=1000`,
                { method: 'GET', headers: syncHeaders(device.client, device.id), agent },
              );
              if (response.status !== 200) throw new Error(`pull answered ${response.status}`);
              return JSON.parse(response.text) as PullResponse;
            });
            if (!body) break;
            device.cursor = body.cursor;
            if (!body.hasMore) break;
          }
        }),
      );
      roundMs.push(performance.now() - roundStarted);
    }
    if (cpuBefore) {
      const cpuAfter = cpuSeconds(running.server.pid);
      console.log(
        backend,
        organisations,
        'rounds (ms)',
        roundMs.map((ms) => ms.toFixed(0)).join(' '),
        'CPU seconds: bench',
        (cpuAfter.bench - cpuBefore.bench).toFixed(1),
        'server',
        (cpuAfter.server - cpuBefore.server).toFixed(1),
        'PostgreSQL',
        (cpuAfter.postgres - cpuBefore.postgres).toFixed(1),
      );
      for (const [kind, values] of Object.entries(byKind)) {
        const ordered = [...values].sort((a, b) => a - b);
        console.log(
          backend,
          kind,
          values.length,
          'p50',
          ordered[Math.floor(ordered.length / 2)]?.toFixed(0),
          'p99',
          ordered[Math.floor(ordered.length * 0.99)]?.toFixed(0),
        );
      }
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
    return { requests: latencies.length, errors, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
  } finally {
    agent.destroy();
    await running.stop();
  }
}

/**
 * CPU seconds used so far by this process, the server's and PostgreSQL's (every postgres process on
 * the machine, ended backends included through the postmaster's children's time), from /proc: where
 * the load's time goes. PostgreSQL's is 0 where /proc does not show it.
 */
function cpuSeconds(serverPid: number): { bench: number; server: number; postgres: number } {
  const ticksPerSecond = 100;
  const ticksOf = (pid: string, withChildren: boolean): number => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime are fields 14–17 of stat; the slice starts at field 3.
      const own = Number(fields[11]) + Number(fields[12]);
      return withChildren ? own + Number(fields[13]) + Number(fields[14]) : own;
    } catch {
      return 0;
    }
  };
  let postgres = 0;
  try {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let command = '';
      try {
        command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (command === 'postgres') postgres += ticksOf(pid, true);
    }
  } catch {
    // No /proc: PostgreSQL's share stays 0.
  }
  const bench = process.cpuUsage();
  return {
    bench: (bench.user + bench.system) / 1e6,
    server: ticksOf(String(serverPid), false) / ticksPerSecond,
    postgres: postgres / ticksPerSecond,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pushResult = await benchPush('PostgreSQL');
  console.log('push 10k', pushResult, (pushResult.pushMs / pushResult.setInsertMs).toFixed(2));
  for (const backend of ['PostgreSQL', 'PGlite'] as const) {
    for (const organisations of [20, 1])
      console.log(backend, organisations, await benchDevices(backend, organisations));
  }
}

// A seeded, bounded, randomized simulation of many tablets syncing with one server: every entity,
// deletes, two tablets marking the same attendance, offline spells, network failures, lost answers,
// a restart in the middle of a push and mixed app versions. At the end every tablet holds exactly
// what the server holds, and no acknowledged change is missing. A failing seed is printed: replay it
// with SIMULATION_SEED=<seed> npx vitest run tests/sync/simulation.test.ts
import { openStoredRows } from '../../src/db/sealedRows';
import { type SealedFields, importServerPrivateKey, unwrapSealingKey } from '../../src/crypto/outboxSeal';
import { openFields } from '../../src/server/sync/openSealedFields';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncApi, type Transport } from '../../src/api/syncApi';
import { clearAttendance, markAttendance } from '../../src/db/attendance';
import { OutreachDatabase, TABLE_OF_ENTITY, learnerFromRow, type LearnerRow } from '../../src/db/database';
import { enrolLearner } from '../../src/db/learners';
import { CHECKSUMMED_ENTITY_TYPES, localChecksums } from '../../src/db/pulls';
import { saveProgramme } from '../../src/db/programmes';
import { saveSession } from '../../src/db/sessions';
import { getSyncState, recordSignedIn } from '../../src/db/syncState';
import { saveVenue } from '../../src/db/venues';
import { writeChanges } from '../../src/db/writes';
import { ATTENDANCE_MARKS } from '../../src/domain/codeLists';
import { ENTITY_TYPES, type EntityType } from '../../src/domain/records';
import { compareHlc } from '../../src/domain/sync/merge';
import { RECORD_SCHEMA_VERSION, SYNC_HEADERS } from '../../src/domain/sync/protocol';
import { tableChecksums } from '../../src/server/db/syncStore';
import { syncOnce } from '../../src/sync/syncOnce';
import { enrolmentRecords, programmeFields, sessionFields, venueFields } from '../fixtures/db';
import { resetDatabase } from '../helpers/serverDb';
import { seededRandom } from '../helpers/seededRandom';
import { coordinatorViewer } from '../helpers/syncFixtures';
import { COORDINATOR } from '../server/testApp';
import {
  type NetworkSwitches,
  type TestServer,
  injectTransport,
  runDirectly,
  startTestServer,
} from './harness';

const SEEDS = process.env.SIMULATION_SEED ? [Number(process.env.SIMULATION_SEED)] : range(1, 200);
const DEVICES = 5;
const STEPS = 60;
const MARKS = ATTENDANCE_MARKS.map((mark) => mark.code).filter((code) => code !== 'AA');

type SimDevice = {
  name: string;
  db: OutreachDatabase;
  network: NetworkSwitches;
  /** Schema version this device's app sends: the previous one, or one too old until it updates. */
  schemaVersion: number;
  signedIn: boolean;
  /** Every change this device ever logged, by mutation id, with its batch's clock stamp. */
  logged: Map<
    number,
    {
      entityType: EntityType;
      entityId: string;
      /** Readable once opened: the outbox holds them sealed to the server. */
      fields: Record<string, unknown>;
      sealed?: SealedFields;
      hlc: string;
    }
  >;
  api: ReturnType<typeof createSyncApi>;
};

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

describe('convergence simulation', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it(`converges on ${SEEDS.length} seeds`, async () => {
    for (const seed of SEEDS) {
      try {
        await simulate(server, seed);
      } catch (error) {
        throw new Error(
          `Simulation seed ${seed} failed (replay: SIMULATION_SEED=${seed}): ${String(error)}`,
          {
            cause: error,
          },
        );
      }
    }
  }, 1_200_000);
});

async function simulate(server: TestServer, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  await resetDatabase(server.database);
  const setUp = await server.app.inject({ method: 'POST', url: '/api/setup', payload: { ...COORDINATOR } });
  if (setUp.statusCode !== 201) throw new Error(`set-up failed: ${setUp.body}`);

  const devices: SimDevice[] = range(1, DEVICES).map((index) => {
    const network: NetworkSwitches = { offline: false, loseAnswerTo: null, requests: [] };
    const device: SimDevice = {
      name: `sim-${seed}-${index}`,
      db: new OutreachDatabase(`sim-${seed}-${index}-${crypto.randomUUID()}`),
      network,
      // Mixed app versions: one tablet runs the previous schema, one an app too old to sync until it updates.
      schemaVersion:
        index === 2
          ? RECORD_SCHEMA_VERSION - 1
          : index === 3
            ? RECORD_SCHEMA_VERSION - 2
            : RECORD_SCHEMA_VERSION,
      // The last tablet works offline from the start and signs in only later.
      signedIn: false,
      logged: new Map(),
      api: undefined as unknown as SimDevice['api'],
    };
    device.api = createSyncApi({
      appVersion: `0.1.${index}`,
      transport: versioned(injectTransport(server.app, network), device),
    });
    return device;
  });
  for (const device of devices.slice(0, DEVICES - 1)) await signIn(device);
  // The organisation's shared starting point: a venue, a course with a session, two learners, which
  // the signed-in tablets receive; from then on they collide on the same records and fields.
  const founder = devices[0]!;
  const venueId = await saveVenue(founder.db, venueFields());
  const programmeId = await saveProgramme(founder.db, programmeFields({ defaultVenueId: venueId }));
  await saveSession(founder.db, sessionFields({ programmeId, venueId }));
  const programme = (await founder.db.programmes.get(programmeId))!;
  for (const name of ['Ada', 'Grace'])
    await enrolLearner(founder.db, enrolmentRecords(programme, { givenNames: name }));
  await rememberLogged(founder);
  for (const device of devices.slice(0, DEVICES - 1)) {
    const outcome = await syncOnce(device.db, device.api, { runExclusive: runDirectly });
    if (outcome.kind === 'failed' && outcome.failure.kind !== 'update-required') {
      throw new Error(`${device.name}: first sync ${JSON.stringify(outcome)}`);
    }
  }

  for (let step = 0; step < STEPS; step += 1) {
    const device = pick(devices);
    const roll = random();
    if (roll < 0.55) await makeChange(device, random, pick);
    else if (roll < 0.7) device.network.offline = !device.network.offline;
    else if (roll < 0.9) await syncWithFaults(device, random);
    else if (roll < 0.95) await restart(device);
    else if (!device.signedIn && !device.network.offline) await signIn(device);
    else if (device.schemaVersion < RECORD_SCHEMA_VERSION - 1) device.schemaVersion = RECORD_SCHEMA_VERSION; // the update arrives
  }

  // Everyone back online, updated and signed in; sync until nothing moves.
  for (const device of devices) {
    device.network.offline = false;
    device.network.loseAnswerTo = null;
    device.schemaVersion = Math.max(device.schemaVersion, RECORD_SCHEMA_VERSION - 1);
    if (!device.signedIn) await signIn(device);
  }
  for (let round = 0; round < 3; round += 1) {
    for (const device of devices) {
      const outcome = await syncOnce(device.db, device.api, {
        runExclusive: runDirectly,
        verify: true,
        pageSize: 7,
      });
      if (outcome.kind !== 'synced') throw new Error(`${device.name}: final sync ${JSON.stringify(outcome)}`);
    }
  }
  await expectConverged(server, devices);
  for (const device of devices) await device.db.delete();
}

/** Rewrites the schema version header as this device's app version would send it. */
function versioned(transport: Transport, device: SimDevice): Transport {
  return (input, init) => {
    const headers = { ...(init.headers as Record<string, string>) };
    if (SYNC_HEADERS.schemaVersion in headers)
      headers[SYNC_HEADERS.schemaVersion] = String(device.schemaVersion);
    return transport(input, { ...init, headers });
  };
}

async function signIn(device: SimDevice): Promise<void> {
  const result = await device.api.signIn(COORDINATOR.email, COORDINATOR.password);
  if (!result.ok) {
    if (device.network.offline) return;
    throw new Error(`${device.name}: sign-in failed: ${result.failure.message}`);
  }
  await recordSignedIn(device.db, result.value);
  device.signedIn = true;
}

/** Reopens the device's database, as a browser restart does; what was committed is all that survives. */
async function restart(device: SimDevice): Promise<void> {
  const name = device.db.name;
  device.db.close();
  device.db = new OutreachDatabase(name);
  await device.db.open();
}

async function syncWithFaults(device: SimDevice, random: () => number): Promise<void> {
  const fault = random();
  if (fault < 0.15) device.network.loseAnswerTo = '/api/sync/push';
  else if (fault < 0.25) device.network.loseAnswerTo = '/api/sync/pull';
  const outcome = await syncOnce(device.db, device.api, {
    runExclusive: runDirectly,
    pageSize: 5,
    pushChunk: 4,
  });
  device.network.loseAnswerTo = null;
  // A restart straight after a push whose answer was lost: the outbox must still hold the push.
  if (fault < 0.15 && outcome.kind === 'failed') await restart(device);
}

async function makeChange(
  device: SimDevice,
  random: () => number,
  pick: <T>(items: readonly T[]) => T,
): Promise<void> {
  const db = device.db;
  const venues = (await db.venues.toArray()).filter((venue) => !venue.deleted);
  const programmes = (await db.programmes.toArray()).filter((programme) => !programme.deleted);
  const sessions = (await db.sessions.toArray()).filter((session) => !session.deleted);
  const enrolments = (await db.enrolments.toArray()).filter((enrolment) => !enrolment.deleted);
  const learners = (await db.learners.toArray()).filter((learner) => !learner.deleted);
  const roll = random();
  if (roll < 0.12 || venues.length === 0) {
    await saveVenue(db, venueFields({ name: `Venue ${Math.floor(random() * 1000)}` }));
  } else if (roll < 0.22 || programmes.length === 0) {
    await saveProgramme(
      db,
      programmeFields({ title: `Course ${Math.floor(random() * 1000)}`, defaultVenueId: pick(venues).id }),
    );
  } else if (roll < 0.32 || sessions.length === 0) {
    const programme = pick(programmes);
    await saveSession(db, sessionFields({ programmeId: programme.id, venueId: pick(venues).id }));
  } else if (roll < 0.45 || enrolments.length === 0) {
    await enrolLearner(
      db,
      enrolmentRecords(pick(programmes), { givenNames: `Learner${Math.floor(random() * 1000)}` }),
    );
  } else if (roll < 0.7) {
    // Marks, often on the same few pairs, so two tablets mark the same learner in the same session.
    const session = pick(byId(sessions).slice(0, 2));
    const enrolment = pick(byId(enrolments).slice(0, 3));
    if (random() < 0.2) await clearAttendance(db, session.id, enrolment.learnerId);
    else
      await markAttendance(db, {
        session,
        learnerId: enrolment.learnerId,
        mark: pick(MARKS),
        markedBy: device.name,
      });
  } else if (roll < 0.85 && learners.length > 0) {
    // Edits go to the oldest few records, so tablets working offline collide on the same fields.
    const before = learnerFromRow(pick(byId(learners).slice(0, 2)) as LearnerRow);
    const after =
      random() < 0.5
        ? {
            ...before,
            phone: `07700 9${Math.floor(random() * 100000)
              .toString()
              .padStart(5, '0')}`,
          }
        : { ...before, town: pick(['Bootle', 'Crosby', 'Litherland', 'Netherton']) };
    await writeChanges(db, ['learners'], async (writer) =>
      writer.put('learner', { ...after, updatedAt: new Date().toISOString() }, before),
    );
  } else if (roll < 0.93) {
    const venue = pick(byId(venues).slice(0, 2));
    await saveVenue(
      db,
      { ...venueFields(), name: `${device.name} ${Math.floor(random() * 1000)}` },
      venue.id,
    );
  } else {
    // Deletes: a venue (final) or a learner-free programme.
    const venue = pick(venues);
    await writeChanges(db, ['venues'], async (writer) =>
      writer.put('venue', { ...venue, deleted: true, updatedAt: new Date().toISOString() }, venue),
    );
  }
  await rememberLogged(device);
}

function byId<T extends { id: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
}

async function rememberLogged(device: SimDevice): Promise<void> {
  for (const batch of await device.db.outbox.toArray()) {
    for (const change of batch.changes) {
      device.logged.set(change.mutationId, {
        entityType: change.entityType,
        entityId: change.entityId,
        fields: change.fields ?? {},
        ...(change.sealed ? { sealed: change.sealed } : {}),
        hlc: batch.hlc,
      });
    }
  }
}

/**
 * Opens the logged changes the devices sealed to the server, with the server's private key as the
 * server itself would: the test then checks values, and that what was sealed opens to them.
 */
async function openSealedLogs(server: TestServer, devices: SimDevice[]): Promise<void> {
  const { rows } = await server.database.query<{ id: string; private_key: JsonWebKey }>(
    'SELECT id, private_key FROM sealing_keys',
  );
  const privateKeys = new Map(
    await Promise.all(
      rows.map(async (row) => [row.id, await importServerPrivateKey(row.private_key)] as const),
    ),
  );
  for (const device of devices) {
    for (const change of device.logged.values()) {
      if (!change.sealed) continue;
      const wrapped = await device.db.sealingKeys.get(change.sealed.keyId);
      const privateKey = wrapped ? privateKeys.get(wrapped.serverKeyId) : undefined;
      expect(privateKey, 'the sealing key of a logged change').toBeDefined();
      const key = await unwrapSealingKey(privateKey!, wrapped!);
      change.fields = openFields(key, { ...change, op: 'put' }, change.sealed);
      delete change.sealed;
    }
  }
}

async function expectConverged(server: TestServer, devices: SimDevice[]): Promise<void> {
  await openSealedLogs(server, devices);
  const organisation = await server.database.query<{ id: string; user_id: string }>(
    'SELECT o.id, u.id AS user_id FROM organisations o JOIN users u ON u.organisation_id = o.id',
  );
  const organisationId = organisation.rows[0]!.id;
  const coordinatorId = organisation.rows[0]!.user_id;
  const records = await server.database.query<{
    entity_type: string;
    entity_id: string;
    data: Record<string, unknown>;
    field_hlcs: Record<string, string>;
    deleted: boolean;
  }>('SELECT entity_type, entity_id, data, field_hlcs, deleted FROM records WHERE organisation_id = $1', [
    organisationId,
  ]);
  const serverRecords = new Map(records.rows.map((row) => [`${row.entity_type}/${row.entity_id}`, row]));
  const serverChecksums = await server.database.transaction((sql) =>
    tableChecksums(sql, organisationId, coordinatorViewer(coordinatorId), { kind: 'organisation' }),
  );

  // Last writer wins, checked against an oracle: for every field any tablet set (and the server did
  // not refuse), the server holds the value with the latest clock stamp.
  const winners = new Map<string, { hlc: string; value: unknown }>();
  for (const device of devices) {
    const refused = new Set(
      (await device.db.table('rejectedChanges').toArray()).map((row) => row.mutationId as number),
    );
    for (const [mutationId, change] of device.logged) {
      if (refused.has(mutationId)) continue;
      for (const [field, value] of Object.entries(change.fields)) {
        const key = `${change.entityType}/${change.entityId}/${field}`;
        const current = winners.get(key);
        if (!current || compareHlc(change.hlc, current.hlc) > 0) winners.set(key, { hlc: change.hlc, value });
      }
    }
  }
  for (const [key, winner] of winners) {
    const [entityType, entityId, field] = key.split('/') as [string, string, string];
    const held = serverRecords.get(`${entityType}/${entityId}`);
    if (!held || (held.deleted && field !== 'deleted')) continue;
    if (held.deleted && field === 'deleted') continue;
    expect(held.data[field], `last writer of ${key}`).toEqual(winner.value);
  }

  for (const device of devices) {
    // Identical data, table by table: every record the server holds, and nothing else.
    for (const entityType of ENTITY_TYPES) {
      const rows = await openStoredRows(
        device.db,
        entityType,
        (await device.db.table(TABLE_OF_ENTITY[entityType]).toArray()) as Record<string, unknown>[],
      );
      const local = new Map(
        rows.map((row) => [
          row.id as string,
          entityType === 'learner' ? learnerFromRow(row as LearnerRow) : row,
        ]),
      );
      const expected = new Map(
        records.rows.filter((row) => row.entity_type === entityType).map((row) => [row.entity_id, row.data]),
      );
      expect(local, `${device.name} ${entityType}`).toEqual(expected);
    }
    const checksums = await localChecksums(device.db);
    const comparable = Object.fromEntries(
      CHECKSUMMED_ENTITY_TYPES.map((entityType) => [entityType, serverChecksums.tables[entityType]]),
    );
    expect(checksums, device.name).toEqual(comparable);

    // Nothing left behind, and every change acknowledged is on the server: its value, a newer one,
    // or a tombstone; or, if refused, in the device's list of rejected changes.
    expect(await device.db.outbox.count(), `${device.name} outbox`).toBe(0);
    const state = await getSyncState(device.db);
    const position = await server.database.query<{ last_mutation_id: number }>(
      'SELECT last_mutation_id FROM devices WHERE id = $1',
      [state.serverDeviceId],
    );
    expect(position.rows[0]?.last_mutation_id).toBe(device.logged.size);
    const rejected = new Set(
      (await device.db.table('rejectedChanges').toArray()).map((row) => row.mutationId as number),
    );
    for (const [mutationId, change] of device.logged) {
      if (rejected.has(mutationId)) continue;
      const held = serverRecords.get(`${change.entityType}/${change.entityId}`);
      expect(held, `${device.name} mutation ${mutationId} (${change.entityType}) missing`).toBeDefined();
      if (!held || held.deleted) continue;
      for (const field of Object.keys(change.fields)) {
        const heldStamp = held.field_hlcs[field];
        expect(
          heldStamp !== undefined && compareHlc(heldStamp, change.hlc) >= 0,
          `${device.name} ${mutationId}.${field}`,
        ).toBe(true);
      }
    }
  }
}

// Organisations, users, devices and pushed changes for server sync tests, written straight to the
// database so a test states only what it is about.
import { randomUUID } from 'node:crypto';
import type { Viewer } from '../../src/domain/access';
import type { Database, Sql } from '../../src/server/db/database';
import { type PlainMutation, pullPage, tableChecksums } from '../../src/server/db/syncStore';
import type {
  ChecksumsResponse,
  Mutation,
  PullResponse,
  SyncedEntityType,
} from '../../src/domain/sync/protocol';
import { formatHlc } from '../../src/domain/hlc';

export const SERVER_NOW = Date.parse('2026-11-23T12:00:00.000Z');

export type SeededOrganisation = { organisationId: string; userId: string; deviceIds: string[] };

export async function seedOrganisation(db: Database, devices = 2): Promise<SeededOrganisation> {
  const organisationId = randomUUID();
  const userId = randomUUID();
  const deviceIds = Array.from({ length: devices }, () => randomUUID());
  await db.transaction(async (sql) => {
    await sql.query('INSERT INTO organisations (id, name) VALUES ($1, $2)', [
      organisationId,
      'Sefton Digital',
    ]);
    await sql.query(
      `INSERT INTO users (id, organisation_id, email, name, role, password_hash)
       VALUES ($1, $2, $3, 'Test Coordinator', 'coordinator', 'not-a-hash')`,
      [userId, organisationId, `${userId}@example.org`],
    );
    for (const deviceId of deviceIds) {
      await sql.query(
        'INSERT INTO devices (id, organisation_id, client_device_id, registered_by) VALUES ($1, $2, $3, $4)',
        [deviceId, organisationId, `client-${deviceId}`, userId],
      );
    }
  });
  return { organisationId, userId, deviceIds };
}

/** A clock stamp `minutes` before (or after) SERVER_NOW, on the given node. */
export function stampAt(minutes: number, node = 'aaaaaaaaaaaaaaaa', counter = 0): string {
  return formatHlc({ millis: SERVER_NOW + minutes * 60_000, counter, node });
}

/** A put of `fields` with every field stamped `stamp`. */
export function putMutation(
  mutationId: number,
  entityType: Mutation['entityType'],
  entityId: string,
  fields: Record<string, unknown>,
  stamp: string,
): PlainMutation {
  return {
    mutationId,
    entityType,
    entityId,
    op: 'put',
    fields,
    hlc: Object.fromEntries(Object.keys(fields).map((field) => [field, stamp])),
  };
}

export function deleteMutation(
  mutationId: number,
  entityType: Mutation['entityType'],
  entityId: string,
  stamp: string,
): PlainMutation {
  return {
    mutationId,
    entityType,
    entityId,
    op: 'delete',
    fields: { deleted: true },
    hlc: { deleted: stamp },
  };
}

export const HEALTHY = {
  outboxLength: 0,
  oldestChangeAt: null,
  storagePersisted: true,
  quotaLeftBytes: 1_000_000,
};

/** A coordinator who may see special category answers: sees and changes the whole organisation. */
export function coordinatorViewer(userId: string): Viewer {
  return { userId, role: 'coordinator', maySeeSpecialCategory: true };
}

/** A page as a coordinator pulls it (the whole organisation). */
export function pullAsCoordinator(
  sql: Sql,
  org: SeededOrganisation,
  cursor: number,
  limit: number,
  entityType?: SyncedEntityType,
): Promise<PullResponse> {
  return pullPage(sql, {
    organisationId: org.organisationId,
    viewer: coordinatorViewer(org.userId),
    scope: { kind: 'organisation' },
    scopeFingerprint: 'organisation',
    cursor,
    limit,
    ...(entityType ? { entityType } : {}),
  });
}

/** Checksums as a coordinator sees them (the whole organisation). */
export function checksumsAsCoordinator(sql: Sql, org: SeededOrganisation): Promise<ChecksumsResponse> {
  return tableChecksums(sql, org.organisationId, coordinatorViewer(org.userId), { kind: 'organisation' });
}

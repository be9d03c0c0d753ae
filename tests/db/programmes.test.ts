import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutreachDatabase } from '../../src/db/database';
import { outboxBatches } from '../../src/db/outbox';
import { getProgramme, listProgrammes, saveProgramme } from '../../src/db/programmes';
import { writeChanges } from '../../src/db/writes';
import { discardTestDatabase, openTestDatabase, programmeFields, readWriter } from '../fixtures/db';

let db: OutreachDatabase;

beforeEach(() => {
  db = openTestDatabase();
});

afterEach(async () => {
  await discardTestDatabase(db);
});

describe('saveProgramme', () => {
  it('creates a programme and logs every field', async () => {
    const id = await saveProgramme(db, programmeFields());

    const programme = await getProgramme(db, id);
    expect(programme).toMatchObject({
      ...programmeFields(),
      id,
      deleted: false,
      deviceId: (await readWriter(db))?.deviceId,
    });
    const batches = await outboxBatches(db);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.changes).toEqual([
      { mutationId: 1, entityType: 'programme', entityId: id, op: 'put', fields: programme },
    ]);
  });

  it('updates a programme, logging only what changed', async () => {
    const id = await saveProgramme(db, programmeFields());
    const created = await getProgramme(db, id);

    await saveProgramme(db, programmeFields({ status: 'running', capacity: 12 }), id);

    expect(await getProgramme(db, id)).toMatchObject({
      id,
      createdAt: created?.createdAt,
      status: 'running',
      capacity: 12,
    });
    const change = (await outboxBatches(db))[1]?.changes[0];
    expect(change).toMatchObject({
      mutationId: 2,
      entityId: id,
      fields: { status: 'running', capacity: 12 },
    });
    // updatedAt is logged too when the clock moved on between the two saves.
    expect(Object.keys(change?.fields ?? {}).filter((key) => key !== 'updatedAt')).toEqual([
      'capacity',
      'status',
    ]);
  });

  it('logs nothing when saved unchanged', async () => {
    const id = await saveProgramme(db, programmeFields());
    await saveProgramme(db, programmeFields(), id);
    expect(await outboxBatches(db)).toHaveLength(1);
    expect((await readWriter(db))?.lastMutationId).toBe(1);
  });
});

describe('listProgrammes', () => {
  it('lists programmes by title and leaves out deleted ones', async () => {
    await saveProgramme(db, programmeFields({ title: 'Staying safe online' }));
    await saveProgramme(db, programmeFields({ title: 'Getting started with a tablet' }));
    await saveProgramme(db, programmeFields({ title: 'Job search online' }));
    const dropped = await saveProgramme(db, programmeFields({ title: 'Email basics' }));
    await writeChanges(db, ['programmes'], async (writer) => {
      const before = await db.programmes.get(dropped);
      await writer.put('programme', { ...before!, deleted: true }, before);
    });

    expect((await listProgrammes(db)).map((programme) => programme.title)).toEqual([
      'Getting started with a tablet',
      'Job search online',
      'Staying safe online',
    ]);
  });
});

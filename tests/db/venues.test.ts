import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids';
import type { OutreachDatabase } from '../../src/db/database';
import { outboxBatches } from '../../src/db/outbox';
import { getVenue, listVenues, saveVenue } from '../../src/db/venues';
import { writeChanges } from '../../src/db/writes';
import { discardTestDatabase, openTestDatabase, readWriter, venueFields } from '../fixtures/db';

let db: OutreachDatabase;

beforeEach(() => {
  db = openTestDatabase();
});

afterEach(async () => {
  await discardTestDatabase(db);
});

describe('saveVenue', () => {
  it('creates a venue with a new id and logs it', async () => {
    const id = await saveVenue(db, venueFields());

    const venue = await getVenue(db, id);
    expect(venue).toMatchObject({
      ...venueFields(),
      id,
      deleted: false,
      deviceId: (await readWriter(db))?.deviceId,
    });
    expect(venue?.createdAt).toBe(venue?.updatedAt);
    const [batch] = await outboxBatches(db);
    expect(batch?.changes).toEqual([
      { mutationId: 1, entityType: 'venue', entityId: id, op: 'put', fields: venue },
    ]);
  });

  it('creates the venue under the id given when there is none yet', async () => {
    const id = newId();
    expect(await saveVenue(db, venueFields(), id)).toBe(id);
    expect((await getVenue(db, id))?.name).toBe('Bootle Library');
  });

  it('updates a venue in place, keeping its id and createdAt', async () => {
    const id = await saveVenue(db, venueFields());
    const created = await getVenue(db, id);

    expect(
      await saveVenue(db, venueFields({ address: '1 New Road', accessibilityFeatures: ['parking'] }), id),
    ).toBe(id);

    expect(await db.venues.count()).toBe(1);
    expect(await getVenue(db, id)).toMatchObject({
      id,
      createdAt: created?.createdAt,
      deviceId: created?.deviceId,
      address: '1 New Road',
      accessibilityFeatures: ['parking'],
    });
    const batches = await outboxBatches(db);
    expect(batches).toHaveLength(2);
    expect(Object.keys(batches[1]?.changes[0]?.fields ?? {}).filter((key) => key !== 'updatedAt')).toEqual([
      'address',
      'accessibilityFeatures',
    ]);
  });
});

describe('listVenues', () => {
  it('lists venues by name and leaves out deleted ones', async () => {
    await saveVenue(db, venueFields({ name: 'Netherton Community Centre' }));
    await saveVenue(db, venueFields({ name: 'Bootle Library' }));
    await saveVenue(db, venueFields({ name: 'Crosby Library' }));
    const closed = await saveVenue(db, venueFields({ name: 'Aintree Hall' }));
    await writeChanges(db, ['venues'], async (writer) => {
      const before = await db.venues.get(closed);
      await writer.put('venue', { ...before!, deleted: true }, before);
    });

    expect((await listVenues(db)).map((venue) => venue.name)).toEqual([
      'Bootle Library',
      'Crosby Library',
      'Netherton Community Centre',
    ]);
  });

  it('is empty for a new device', async () => {
    expect(await listVenues(db)).toEqual([]);
  });
});

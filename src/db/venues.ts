import type { Venue } from '../domain/records';
import type { OutreachDatabase } from './database';
import { newRecordBase, writeChanges } from './writes';

export type VenueFields = Omit<Venue, 'id' | 'createdAt' | 'updatedAt' | 'deviceId' | 'deleted'>;

/** Creates a venue, or updates one when `id` is given; returns its id. */
export async function saveVenue(db: OutreachDatabase, fields: VenueFields, id?: string): Promise<string> {
  return writeChanges(db, ['venues'], async (writer, deviceId) => {
    const now = new Date().toISOString();
    const before = id ? await db.venues.get(id) : undefined;
    const venue: Venue = before
      ? { ...before, ...fields, updatedAt: now }
      : { ...newRecordBase(deviceId, now, id), ...fields };
    await writer.put('venue', venue, before);
    return venue.id;
  });
}

export async function listVenues(db: OutreachDatabase): Promise<Venue[]> {
  const venues = await db.venues.orderBy('name').toArray();
  return venues.filter((venue) => !venue.deleted);
}

export async function getVenue(db: OutreachDatabase, id: string): Promise<Venue | undefined> {
  return db.venues.get(id);
}

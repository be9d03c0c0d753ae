// The organisation's users as this device pulled them (name, role and status; never an email).
// Only the server writes them.
import { type OrganisationUser, parseOrganisationUsers } from '../domain/userAccounts';
import type { OutreachDatabase } from './database';

/** Every user the device holds, deleted ones left out; empty until the first sync. */
export async function listOrganisationUsers(db: OutreachDatabase): Promise<OrganisationUser[]> {
  return parseOrganisationUsers(await db.users.toArray());
}

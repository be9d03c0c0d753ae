// What the device knows about its sync, as one union every tab renders the same way: stored in the
// device's database by the engine (src/sync) and read by the UI (src/ui/SyncStatus.tsx).

/** Where this device's sync stands. Rendered with an exhaustive switch. */
export type SyncStatus =
  'signed-out' | 'never-synced' | 'syncing' | 'up-to-date' | 'failed' | 'update-required';

/** Why the last sync failed, in words a tutor can act on. */
export type SyncFailureKind =
  | 'offline'
  | 'not-signed-in'
  | 'update-required'
  | 'server-outdated'
  | 'mutation-gap'
  | 'rejected-request'
  | 'server-error'
  /** The device could not store what it received (a full disk, a closed database). */
  | 'device-error';

export type SyncFailureRecord = { reason: SyncFailureKind; message: string; at: string };

/** The signed-in person as the device keeps them: never a password. */
export type SignedInUser = {
  id: string;
  name: string;
  email: string;
  role: string;
  organisationId: string;
  organisationName: string | null;
};

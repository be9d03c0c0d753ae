// Keys of the transaction-level advisory locks (pg_advisory_xact_lock) the server takes, in one place
// so no two uses share a key. Each is held until its transaction ends.

/** Held while migrating, so two servers starting at once on one database do not both migrate. */
export const MIGRATION_LOCK = 72_001;
/** Held while setting up the first organisation, so two set-ups at once cannot both succeed. */
export const SETUP_LOCK = 72_002;
/** Held while loading the sealing keys, so servers starting at once make one key pair between them. */
export const SEALING_KEYS_LOCK = 72_003;

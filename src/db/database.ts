// The device's IndexedDB database: tables, indexes and every schema version ever shipped.
// Never edit or remove a SCHEMA_Vn: devices in a drawer may still hold version 1 data. Versions with
// an upgrade function stay declared for ever; tests/db/database.test.ts upgrades from each one.
import Dexie, { type Table, type Transaction } from 'dexie';
import type { WrappedDataKey } from '../crypto/dataKey';
import type { SealedFields, ServerSealingKey, WrappedSealingKey } from '../crypto/outboxSeal';
import type { OutboxBatch } from '../domain/changeLog';
import type { HlcState } from '../domain/hlc';
import type { SignedInUser, SyncFailureRecord, SyncStatus } from '../domain/sync/status';
import { learnerSearchTokens, normaliseEmail, normalisePhone } from '../domain/people';
import type {
  Attendance,
  Consent,
  DocumentVersion,
  EmploymentStatus,
  Enrolment,
  EntityType,
  EqualityMonitoring,
  Learner,
  LearningGoal,
  Loan,
  LoanDevice,
  Outcome,
  PassportAward,
  Programme,
  Session,
  Sim,
  SkillsAssessment,
  Venue,
} from '../domain/records';

export const DATABASE_NAME = 'outreach-register';

/** Version 1: the first offline release. */
export const SCHEMA_V1 = {
  venues: 'id, name',
  programmes: 'id, title, status',
  sessions: 'id, date, scheduledStart, programmeId, venueId',
  learners: 'id, familyName, dateOfBirth, postcode',
  enrolments: 'id, learnerId, programmeId, [programmeId+learnerId]',
  attendance: 'id, sessionId, learnerId',
  equalityMonitoring: 'id, learnerId',
  employmentStatuses: 'id, learnerId',
  consents: 'id, learnerId',
  learningGoals: 'id, learnerId, enrolmentId',
  documentVersions: 'id, kind',
  outbox: 'firstMutationId',
  drafts: 'id',
  meta: 'key',
} as const;

/** Version 2: learners get search words and match keys, so search and duplicate checks use indexes. */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  learners: 'id, familyName, dateOfBirth, postcode, *searchTokens, emailKey, phoneKey',
} as const;

/**
 * Version 3: sync. Records only the server writes (organisations, users), changes the server refused
 * (kept until the tutor dismisses them), and the `sync` meta row. Record shapes are unchanged, so the
 * record schema sent to the server (RECORD_SCHEMA_VERSION) stays 2.
 */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  organisations: 'id',
  users: 'id',
  rejectedChanges: 'mutationId, rejectedAt',
} as const;

/**
 * Version 4: the tablet's lock. Each person's PIN on this device (its salt and verifier, never the
 * PIN), keyed by their user id; the idle time before locking joins the `settings` meta row.
 */
export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  devicePins: 'userId',
} as const;

/**
 * Version 5: encryption at rest. Personal fields move into each row's `sealed` value (src/db/sealedRows.ts)
 * as the app next opens with the data key; the device's sealing keys, wrapped to the server, join
 * (src/db/outboxSealing.ts). Learners' emailKey and phoneKey become keyed hashes.
 */
export const SCHEMA_V5 = {
  ...SCHEMA_V4,
  sealingKeys: 'id',
} as const;

/**
 * Version 6: the learner journey. Skills assessments, passport awards, outcomes and device loans
 * (each a learner's own records), and the organisation's loan devices and SIMs.
 */
export const SCHEMA_V6 = {
  ...SCHEMA_V5,
  skillsAssessments: 'id, learnerId',
  passportAwards: 'id, learnerId',
  outcomes: 'id, learnerId',
  loanDevices: 'id, assetTag',
  sims: 'id',
  loans: 'id, learnerId, loanDeviceId',
} as const;

export const CURRENT_SCHEMA_VERSION = 6;

/** A learner as stored on the device: the synced record plus local index keys (never synced). */
export type LearnerRow = Learner & { searchTokens: string[]; emailKey: string; phoneKey: string };

export function learnerRowFrom(learner: Learner): LearnerRow {
  return {
    ...learner,
    searchTokens: learnerSearchTokens(learner),
    emailKey: learner.email ? normaliseEmail(learner.email) : '',
    phoneKey: normalisePhone(learner.phone),
  };
}

export function learnerFromRow(row: LearnerRow): Learner {
  const { searchTokens: _tokens, emailKey: _email, phoneKey: _phone, ...learner } = row;
  return learner;
}

export type Draft = {
  /** Which form this draft belongs to, e.g. "enrolment:<programmeId>". */
  id: string;
  values: unknown;
  savedAt: string;
};

/** The writer's state: who this device is, the last mutation id it issued and its clock. */
export type WriterState = { key: 'writer'; deviceId: string; lastMutationId: number; clock: HlcState };
export type SettingsRow = {
  key: 'settings';
  tutorName: string;
  /** Minutes without use before the app locks (version 4); the default when not set. */
  lockAfterMinutes?: number;
};
export type StorageStateRow = {
  key: 'storage';
  persistRequestedAt: string | null;
  persisted: boolean | null;
};
/** Sync's own state, one row so every tab shows the same status. Never holds a password. */
export type SyncStateRow = {
  key: 'sync';
  status: SyncStatus;
  /** The id the server gave this device database at registration; null until then. */
  serverDeviceId: string | null;
  /** The organisation that registration and the cursor belong to. */
  deviceOrganisationId?: string | null;
  /** The server's change sequence this device has applied up to (0: nothing pulled yet). */
  cursor: number;
  /** The fingerprint of what the signed-in user may see, as of the last page pulled. */
  scope?: string | null;
  /**
   * The last person who signed in on this device. Signed out (by choice, or by the server ending
   * their session), the tablet stays locked to their PIN: their synced data is still here.
   */
  lastUserId?: string | null;
  /** Set when the device erased its data (reported lost): shown until someone signs in again. */
  erased?: { reason: 'reported-lost' | 'handed-back'; at: string } | null;
  lastSuccessAt: string | null;
  lastFailure: SyncFailureRecord | null;
  user: SignedInUser | null;
};
/**
 * The data key's protections (src/db/vault.ts): wrapped under the per-device secret the server
 * releases at sign-in, and, until the first PIN is chosen here, kept unprotected (base64 bytes).
 */
export type VaultRow = {
  key: 'vault';
  createdAt: string;
  unprotected: string | null;
  device: WrappedDataKey | null;
};
/** The server's public key this device seals its outbox to, as last fetched. */
export type ServerSealingKeyRow = { key: 'serverSealingKey'; fetchedAt: string } & ServerSealingKey;
/**
 * Kiosk mode (src/db/kiosk.ts): while this row exists every page of every tab shows only the kiosk
 * for this session. One more meta row, kept on this device only (never synced).
 */
export type KioskRow = {
  key: 'kiosk';
  mode: 'self-enrolment' | 'sign-in-sheet';
  sessionId: string;
  /** The user id of the tutor who started it. */
  startedBy: string;
  startedAt: string;
};
export type MetaRow =
  KioskRow | WriterState | SettingsRow | StorageStateRow | SyncStateRow | VaultRow | ServerSealingKeyRow;

/**
 * A person's PIN on this device (src/crypto/pin.ts): the verifier opens only with the PIN. Wrong
 * PINs count up to the lockout; an online sign-in clears it.
 */
export type DevicePinRow = {
  userId: string;
  /** Who, as they were when they last signed in here: shown on the unlock screen. */
  name: string;
  role: string;
  /** Base64 PBKDF2 salt, 16 random bytes. */
  salt: string;
  iterations: number;
  /** Base64 of the AES-GCM iv followed by the sealed verifier text. */
  verifier: string;
  /** Wrong PINs in a row since the last right one. */
  failedAttempts: number;
  /** When too many wrong PINs locked this person out; null when not locked out. */
  lockedOutAt: string | null;
  /** The device's data key wrapped under this PIN's key (absent on PINs from before version 5). */
  dataKey?: WrappedDataKey;
};

/** A record only the server writes (an organisation, a user), as pulled. */
export type ServerOwnedRow = { id: string; deleted?: boolean } & Record<string, unknown>;

/** A change the server refused: kept, and shown, until the tutor dismisses it. */
export type RejectedChange = {
  mutationId: number;
  entityType: string;
  entityId: string;
  op: 'put' | 'delete';
  /** The change's field names, and its values sealed to the server (or readable, from older entries). */
  fieldNames?: string[];
  sealed?: SealedFields;
  fields?: Record<string, unknown>;
  /** What the record was called when refused (a learner's or venue's name, a programme's title). */
  label?: string;
  reason: string;
  message: string;
  /** When the tutor made the change (the outbox batch's device time). */
  madeAt: string | null;
  rejectedAt: string;
};

export class OutreachDatabase extends Dexie {
  venues!: Table<Venue, string>;
  programmes!: Table<Programme, string>;
  sessions!: Table<Session, string>;
  learners!: Table<LearnerRow, string>;
  enrolments!: Table<Enrolment, string>;
  attendance!: Table<Attendance, string>;
  equalityMonitoring!: Table<EqualityMonitoring, string>;
  employmentStatuses!: Table<EmploymentStatus, string>;
  consents!: Table<Consent, string>;
  learningGoals!: Table<LearningGoal, string>;
  documentVersions!: Table<DocumentVersion, string>;
  outbox!: Table<OutboxBatch, number>;
  drafts!: Table<Draft, string>;
  meta!: Table<MetaRow, string>;
  organisations!: Table<ServerOwnedRow, string>;
  users!: Table<ServerOwnedRow, string>;
  rejectedChanges!: Table<RejectedChange, number>;
  devicePins!: Table<DevicePinRow, string>;
  sealingKeys!: Table<WrappedSealingKey, string>;
  skillsAssessments!: Table<SkillsAssessment, string>;
  passportAwards!: Table<PassportAward, string>;
  outcomes!: Table<Outcome, string>;
  loanDevices!: Table<LoanDevice, string>;
  sims!: Table<Sim, string>;
  loans!: Table<Loan, string>;

  constructor(name: string = DATABASE_NAME) {
    super(name);
    // Only versions with an upgrade function, and the current one, are declared: Dexie upgrades from
    // the stores a device actually has (read from IndexedDB), not from the declared older versions.
    // Each declaration costs every page load (Dexie re-parses all declared versions per declaration).
    this.version(2).stores(SCHEMA_V2).upgrade(addLearnerSearchKeys);
    this.version(CURRENT_SCHEMA_VERSION).stores(SCHEMA_V6);
  }
}

async function addLearnerSearchKeys(transaction: Transaction): Promise<void> {
  await transaction
    .table<LearnerRow, string>('learners')
    .toCollection()
    .modify((row) => {
      Object.assign(row, learnerRowFrom(row));
    });
}

/** The Dexie table that holds each synced entity type. */
export const TABLE_OF_ENTITY = {
  venue: 'venues',
  programme: 'programmes',
  session: 'sessions',
  learner: 'learners',
  equalityMonitoring: 'equalityMonitoring',
  employmentStatus: 'employmentStatuses',
  enrolment: 'enrolments',
  learningGoal: 'learningGoals',
  consent: 'consents',
  attendance: 'attendance',
  skillsAssessment: 'skillsAssessments',
  passportAward: 'passportAwards',
  outcome: 'outcomes',
  loanDevice: 'loanDevices',
  sim: 'sims',
  loan: 'loans',
} as const satisfies Record<EntityType, keyof typeof SCHEMA_V6>;

// npm run demo: loads a demo organisation (Sefton, Merseyside) into the server's database for trying the
// app: venues, programmes, a coordinator and three tutors, forty learners and a twelve-week term of
// sessions with the registers of the weeks already taught. Records go in the way the sync engine puts
// them, through applyPush from a registered device per account, all in one transaction: if any change is
// refused nothing is loaded. A database that holds any other organisation is refused, so demo data never
// mixes with real data. The content comes from a seeded random, so it is the same each time apart from
// its dates, which follow today's.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMarkedLate, defaultMinutesFor, sessionMinutes } from '../src/domain/attendance';
import { ENROLMENT_CONSENT_PURPOSES } from '../src/domain/codeLists';
import { CONSENT_STATEMENTS_V1, LOAN_TERMS_V1, PRIVACY_NOTICE_V1 } from '../src/domain/documents';
import { clockNodeFromDeviceId, formatHlc, tickHlc, type HlcState } from '../src/domain/hlc';
import { attendanceId, consentId, equalityId } from '../src/domain/ids';
import { normalisePostcode } from '../src/domain/postcode';
import type {
  AbsenceReason,
  Attendance,
  AttendanceMark,
  Consent,
  EmploymentStatus,
  Enrolment,
  EntityType,
  EqualityMonitoring,
  Learner,
  LearningGoal,
  Loan,
  LoanDevice,
  Outcome,
  Programme,
  RecordBase,
  Session,
  SkillsAssessment,
  Venue,
} from '../src/domain/records';
import { EDS_2018_ITEMS } from '../src/domain/skillsFrameworks';
import { MAX_MUTATIONS_PER_PUSH, type DeviceHealth } from '../src/domain/sync/protocol';
import { createOrganisation, createUser } from '../src/server/auth/accounts';
import { DEFAULT_SCRYPT_COST, hashPassword, type ScryptCost } from '../src/server/auth/password';
import { openDatabase, type Database, type Sql } from '../src/server/db/database';
import { SETUP_LOCK } from '../src/server/db/locks';
import { applyPush, type PlainMutation, type PushContext } from '../src/server/db/syncStore';
import { registerDevice } from '../src/server/devices/devices';

export const DEMO_ORGANISATION_NAME = 'Sefton Digital Inclusion (demo)';
/** Every demo account's password. A demo only: the README prints it. */
export const DEMO_PASSWORD = 'demo-password-2026';
/** Changing it changes every name, date of birth and mark the demo makes. */
const DEMO_SEED = 20_181_206;
const TIME_ZONE = 'Europe/London';
/** The term: this many weekly sessions of each programme before this week's, and after it. */
const WEEKS_BEFORE = 6;
const WEEKS_AFTER = 5;

type TutorKey = 'tutor1' | 'tutor2' | 'tutor3';
type AccountKey = 'coordinator' | TutorKey;

export const DEMO_ACCOUNTS: readonly {
  key: AccountKey;
  name: string;
  email: string;
  role: 'coordinator' | 'tutor';
}[] = [
  {
    key: 'coordinator',
    name: 'Joanne McKenna',
    email: 'coordinator@demo.outreach.test',
    role: 'coordinator',
  },
  { key: 'tutor1', name: 'Aisha Rahman', email: 'tutor1@demo.outreach.test', role: 'tutor' },
  { key: 'tutor2', name: 'Gareth Ashworth', email: 'tutor2@demo.outreach.test', role: 'tutor' },
  { key: 'tutor3', name: 'Zofia Nowak', email: 'tutor3@demo.outreach.test', role: 'tutor' },
];

export type DemoSummary = {
  venues: number;
  programmes: number;
  sessions: number;
  learners: number;
  enrolments: number;
  attendance: number;
  firstSessionDate: string;
  lastSessionDate: string;
  /** Each account with the titles of the programmes it teaches. */
  accounts: { name: string; email: string; role: 'coordinator' | 'tutor'; programmes: string[] }[];
};

export type DemoOutcome =
  | { kind: 'loaded'; summary: DemoSummary }
  | { kind: 'already-loaded' }
  | { kind: 'refused'; organisationNames: string[] };

export type DemoRejection = { account: string; entityType: string; reason: string; message: string };

/** The server refused part of the demo: a bug in the demo or in the rules, and nothing was loaded. */
export class DemoRejectedError extends Error {
  readonly code = 'demo-rejected';

  constructor(readonly rejections: DemoRejection[]) {
    super(`The server refused ${rejections.length} of the demo's changes, so nothing was loaded.`);
    this.name = 'DemoRejectedError';
  }
}

export type LoadDemoOptions = {
  /** The moment the demo's dates are relative to (default now). */
  now?: Date;
  /** The cost of hashing the accounts' passwords (tests use a cheap one). */
  scryptCost?: ScryptCost;
};

/**
 * Loads the demo organisation into an empty database. Answers 'already-loaded' when the demo is there,
 * and 'refused' (changing nothing) when the database holds any other organisation.
 */
export async function loadDemo(database: Database, options: LoadDemoOptions = {}): Promise<DemoOutcome> {
  const now = options.now ?? new Date();
  const before = await checkOrganisations(database);
  if (before.kind !== 'empty') return before;
  // Hashed before the transaction: seconds of scrypt must not hold PGlite's one connection.
  const hashes = new Map<AccountKey, string>();
  for (const account of DEMO_ACCOUNTS) {
    hashes.set(account.key, await hashPassword(DEMO_PASSWORD, options.scryptCost ?? DEFAULT_SCRYPT_COST));
  }
  return database.transaction(async (sql) => {
    // The same lock as the app's "Set up your organisation": the two cannot both succeed at once.
    await sql.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK]);
    const current = await checkOrganisations(sql);
    if (current.kind !== 'empty') return current;
    const organisationId = await createOrganisation(sql, { name: DEMO_ORGANISATION_NAME, type: 'council' });
    const accounts = new Map<AccountKey, DemoAccount>();
    for (const account of DEMO_ACCOUNTS) {
      const userId = await createUser(
        sql,
        {
          organisationId,
          name: account.name,
          email: account.email,
          role: account.role,
          passwordHash: hashes.get(account.key) ?? '',
          maySeeSpecialCategory: account.role === 'coordinator',
        },
        null,
      );
      const clientDeviceId = randomUUID();
      const deviceId = await registerDevice(sql, {
        organisationId,
        registeredBy: userId,
        clientDeviceId,
        appVersion: 'demo',
      });
      accounts.set(account.key, { ...account, userId, deviceId, clientDeviceId });
    }
    const plan = planDemo(now, accounts);
    const rejections: DemoRejection[] = [];
    for (const [key, writes] of plan.writesByAccount) {
      const account = accounts.get(key);
      if (!account || writes.length === 0) continue;
      rejections.push(...(await pushAs(sql, organisationId, account, writes, now.getTime())));
    }
    // Thrown, so the transaction rolls back: the demo never loads in part.
    if (rejections.length > 0) throw new DemoRejectedError(rejections);
    return { kind: 'loaded', summary: plan.summary };
  });
}

async function checkOrganisations(
  sql: Sql,
): Promise<
  { kind: 'empty' } | { kind: 'already-loaded' } | { kind: 'refused'; organisationNames: string[] }
> {
  const coordinator = DEMO_ACCOUNTS.find((account) => account.key === 'coordinator');
  const { rows } = await sql.query<{ name: string; is_demo: boolean }>(
    `SELECT o.name, (o.name = $1 AND EXISTS (
       SELECT 1 FROM users u WHERE u.organisation_id = o.id AND u.email = $2)) AS is_demo
     FROM organisations o ORDER BY o.created_at`,
    [DEMO_ORGANISATION_NAME, coordinator?.email],
  );
  if (rows.length === 0) return { kind: 'empty' };
  const others = rows.filter((row) => !row.is_demo).map((row) => row.name);
  return others.length === 0 ? { kind: 'already-loaded' } : { kind: 'refused', organisationNames: others };
}

type DemoAccount = (typeof DEMO_ACCOUNTS)[number] & {
  userId: string;
  /** The server's id of the account's demo device. */
  deviceId: string;
  /** The id the device knows itself by, stamped on the records it makes (as a tablet's would be). */
  clientDeviceId: string;
};

type Write = { entityType: EntityType; record: RecordBase };

const DEMO_HEALTH: DeviceHealth = {
  outboxLength: 0,
  oldestChangeAt: null,
  storagePersisted: null,
  quotaLeftBytes: null,
};

/**
 * Pushes an account's records from its device as the sync engine would: in the order the device made
 * them, mutation ids 1, 2, 3 …, every field stamped by the device's clock at the time it was written.
 */
async function pushAs(
  sql: Sql,
  organisationId: string,
  account: DemoAccount,
  writes: Write[],
  nowMillis: number,
): Promise<DemoRejection[]> {
  const ordered = [...writes].sort((a, b) => Date.parse(a.record.updatedAt) - Date.parse(b.record.updatedAt));
  let clock: HlcState = { millis: 0, counter: 0, node: clockNodeFromDeviceId(account.clientDeviceId) };
  const mutations: PlainMutation[] = ordered.map((write, index) => {
    clock = tickHlc(clock, Date.parse(write.record.updatedAt));
    const stamp = formatHlc(clock);
    const fields: Record<string, unknown> = { ...write.record };
    return {
      mutationId: index + 1,
      entityType: write.entityType,
      entityId: write.record.id,
      op: 'put',
      fields,
      hlc: Object.fromEntries(Object.keys(fields).map((field) => [field, stamp])),
    };
  });
  const context: PushContext = {
    organisationId,
    userId: account.userId,
    viewer: {
      userId: account.userId,
      role: account.role,
      maySeeSpecialCategory: account.role === 'coordinator',
    },
    deviceId: account.deviceId,
    appVersion: 'demo',
    nowMillis,
  };
  const rejections: DemoRejection[] = [];
  for (let start = 0; start < mutations.length; start += MAX_MUTATIONS_PER_PUSH) {
    const batch = mutations.slice(start, start + MAX_MUTATIONS_PER_PUSH);
    const response = await applyPush(sql, context, batch, DEMO_HEALTH);
    for (const result of response.results) {
      if (result.status !== 'rejected') continue;
      rejections.push({
        account: account.email,
        entityType: batch.find((mutation) => mutation.mutationId === result.mutationId)?.entityType ?? '?',
        reason: result.reason,
        message: result.message,
      });
    }
  }
  return rejections;
}

// ---------------------------------------------------------------------------------------------------
// The content. Names, places and programmes are made up, but shaped like the Sefton and Lancashire
// reports the product comes from: drop-ins towards a Digital Skills Passport in Bootle, over-50s
// getting online in Southport, an Essential Digital Skills qualification and online job search.

type ProgrammeKey = 'bronze' | 'over50' | 'eds' | 'jobs';
type VenueKey = 'bootleLibrary' | 'nethertonCentre' | 'birkdaleHall' | 'southportLibrary';

const VENUES: Record<
  VenueKey,
  Pick<Venue, 'name' | 'address' | 'accessibilityFeatures' | 'publicWifi' | 'loanDevicesKept'> & {
    postcode: string;
  }
> = {
  bootleLibrary: {
    name: 'Bootle Library',
    address: 'Stanley Road, Bootle',
    postcode: 'L20 3NJ',
    accessibilityFeatures: ['step-free', 'hearing-loop', 'accessible-toilet', 'bus-route'],
    publicWifi: true,
    loanDevicesKept: true,
  },
  nethertonCentre: {
    name: 'Netherton Community Centre',
    address: 'Glovers Lane, Netherton, Bootle',
    postcode: 'L30 5QW',
    accessibilityFeatures: ['step-free', 'accessible-toilet', 'parking', 'bus-route', 'quiet-room'],
    publicWifi: true,
    loanDevicesKept: false,
  },
  birkdaleHall: {
    name: "St Peter's Church Hall, Birkdale",
    address: 'Liverpool Road, Birkdale, Southport',
    postcode: 'PR8 4AY',
    accessibilityFeatures: ['step-free', 'parking', 'bus-route'],
    // Many outreach venues have no Wi-Fi: the tutor brings a mobile hotspot and the app works offline.
    publicWifi: false,
    loanDevicesKept: false,
  },
  southportLibrary: {
    name: 'Southport Library',
    address: 'Lord Street, Southport',
    postcode: 'PR8 1DJ',
    accessibilityFeatures: ['step-free', 'hearing-loop', 'accessible-toilet', 'bus-route'],
    publicWifi: true,
    loanDevicesKept: true,
  },
};

type ProgrammeSeed = Pick<
  Programme,
  'title' | 'description' | 'type' | 'level' | 'fundingStream' | 'deliveryMode' | 'targetGroups' | 'capacity'
> & {
  venue: VenueKey;
  tutor: TutorKey;
  /**
   * This week's session: today (so every tutor has one on the Today screen), or on the last weekday
   * at least two days ago (so one register of this week is already taken).
   */
  day: 'today' | 'earlier-weekday';
  startTime: string;
  endTime: string;
  referralSources: NonNullable<Enrolment['referralSource']>[];
  goals: { text: string; category: LearningGoal['category'] }[];
};

const PROGRAMMES: Record<ProgrammeKey, ProgrammeSeed> = {
  bronze: {
    title: 'Digital Skills Passport: Bronze',
    description:
      'Drop in any week for help with the basics: turning on a tablet, getting on Wi-Fi, passwords and ' +
      'email. Work towards your Bronze Digital Skills Passport at your own pace.',
    type: 'drop-in',
    level: 'pre-entry',
    fundingStream: 'ukspf',
    deliveryMode: 'face-to-face',
    targetGroups: ['unemployed', 'economically-inactive', '50-plus'],
    capacity: null,
    venue: 'bootleLibrary',
    tutor: 'tutor1',
    day: 'today',
    startTime: '10:00',
    endTime: '12:00',
    referralSources: ['housing', 'voluntary-group', 'self', 'council-service', 'jobcentre-plus'],
    goals: [
      { text: 'Send an email with a photo in it', category: 'communication' },
      { text: 'Connect my phone to Wi-Fi on my own', category: 'digital' },
      { text: 'Make a strong password and keep it safe', category: 'digital' },
      { text: 'Video call my family', category: 'communication' },
    ],
  },
  over50: {
    title: 'Getting online for over-50s',
    description:
      'A friendly weekly group for people over 50 who are new to the internet. Bring your own phone or ' +
      'tablet, or borrow one of ours. Tea and biscuits at half time.',
    type: 'tailored-learning',
    level: 'pre-entry',
    fundingStream: 'asf-tailored',
    deliveryMode: 'face-to-face',
    targetGroups: ['50-plus'],
    capacity: 12,
    venue: 'birkdaleHall',
    tutor: 'tutor2',
    day: 'today',
    startTime: '13:30',
    endTime: '15:30',
    referralSources: ['friend-family', 'gp-social-prescriber', 'self', 'voluntary-group'],
    goals: [
      { text: 'Order a repeat prescription online', category: 'digital' },
      { text: 'Video call my grandchildren', category: 'communication' },
      { text: 'Spot a scam email or text', category: 'digital' },
      { text: 'Do my food shopping online', category: 'personal' },
    ],
  },
  eds: {
    title: 'Essential Digital Skills Entry 3',
    description:
      'A twelve-week evening course leading to the Essential Digital Skills qualification at entry level ' +
      '3: using devices, creating and editing, communicating, buying and applying online, staying safe.',
    type: 'eds-qualification',
    level: 'entry-3',
    fundingStream: 'eds-entitlement',
    deliveryMode: 'face-to-face',
    targetGroups: ['unemployed', 'economically-inactive'],
    capacity: 14,
    venue: 'nethertonCentre',
    tutor: 'tutor3',
    day: 'today',
    startTime: '17:30',
    endTime: '20:00',
    referralSources: ['council-service', 'jobcentre-plus', 'self', 'friend-family'],
    goals: [
      { text: 'Pass the Essential Digital Skills qualification', category: 'digital' },
      { text: 'Fill in online forms without help', category: 'digital' },
      { text: 'Write and save a letter on a computer', category: 'literacy' },
      { text: 'Manage my Universal Credit journal online', category: 'personal' },
    ],
  },
  jobs: {
    title: 'Online job search',
    description:
      'Find and apply for jobs online: set up an email address and a Find a job account, write a CV, ' +
      'upload it and keep track of your applications.',
    type: 'employability',
    level: 'non-accredited',
    fundingStream: 'ukspf',
    deliveryMode: 'face-to-face',
    targetGroups: ['unemployed', '16-24-neet'],
    capacity: 10,
    venue: 'southportLibrary',
    tutor: 'tutor1',
    day: 'earlier-weekday',
    startTime: '10:00',
    endTime: '11:30',
    referralSources: ['jobcentre-plus', 'jobcentre-plus', 'council-service', 'self'],
    goals: [
      { text: 'Write a CV and save it as a PDF', category: 'employability' },
      { text: 'Apply for a job online', category: 'employability' },
      { text: 'Set up a Find a job account', category: 'employability' },
    ],
  },
};

type AreaKey =
  | 'bootle'
  | 'litherland'
  | 'waterloo'
  | 'crosby'
  | 'netherton'
  | 'maghull'
  | 'formby'
  | 'southportPR8'
  | 'southportPR9';

// prettier-ignore
const AREAS: Record<AreaKey, { town: string; district: string; streets: string[] }> = {
  bootle: { town: 'Bootle', district: 'L20', streets: ['Marsh Lane', 'Hawthorne Road', 'Knowsley Road', 'Berry Street'] },
  litherland: { town: 'Litherland', district: 'L21', streets: ['Church Road', 'Sefton Road', 'Linacre Road'] },
  waterloo: { town: 'Waterloo', district: 'L22', streets: ['South Road', 'Great Georges Road', 'Crosby Road North'] },
  crosby: { town: 'Crosby', district: 'L23', streets: ['Moor Lane', 'College Road', 'Coronation Road'] },
  netherton: { town: 'Netherton', district: 'L30', streets: ['Buckley Hill Lane', 'Park Lane West', 'Chestnut Grove'] },
  maghull: { town: 'Maghull', district: 'L31', streets: ['Northway', 'Green Lane', 'Deyes Lane'] },
  formby: { town: 'Formby', district: 'L37', streets: ['Freshfield Road', 'Church Road', 'Victoria Road'] },
  southportPR8: { town: 'Southport', district: 'PR8', streets: ['Kew Road', 'Everton Road', 'Upper Aughton Road'] },
  southportPR9: { town: 'Southport', district: 'PR9', streets: ['Roe Lane', 'Cambridge Road', 'Hesketh Drive'] },
};

type LearnerSeed = {
  given: string;
  family: string;
  sex: 'F' | 'M';
  ethnicity: NonNullable<EqualityMonitoring['ethnicity']>;
  age: number;
  area: AreaKey;
  programmes: ProgrammeKey[];
  language?: string;
  needsInterpreter?: boolean;
  bslUser?: boolean;
  adjustments?: string;
  preferredName?: string;
  lldd?: { categories: EqualityMonitoring['disabilityCategories'] };
};

// One line a learner, as a table: prettier would spread each over ten lines.
// prettier-ignore
const LEARNERS: LearnerSeed[] = [
  { given: 'Siobhan', family: "O'Brien", sex: 'F', ethnicity: '32', age: 58, area: 'bootle', programmes: ['bronze'] },
  { given: 'Tomasz', family: 'Wiśniewski', sex: 'M', ethnicity: '34', age: 44, area: 'bootle', programmes: ['bronze', 'eds'], language: 'pl' },
  { given: 'Chidi', family: 'Okafor', sex: 'M', ethnicity: '44', age: 36, area: 'bootle', programmes: ['bronze', 'eds'] },
  { given: 'Mohammed', family: 'Al-Hassan', sex: 'M', ethnicity: '47', age: 61, area: 'bootle', programmes: ['bronze'], language: 'ar', needsInterpreter: true },
  { given: 'Fatima', family: 'Begum', sex: 'F', ethnicity: '41', age: 52, area: 'bootle', programmes: ['bronze'], language: 'bn' },
  { given: 'Sean', family: 'Doyle', sex: 'M', ethnicity: '31', age: 67, area: 'bootle', programmes: ['bronze'], lldd: { categories: ['6'] } },
  { given: 'Jordan', family: 'McAllister', sex: 'M', ethnicity: '35', age: 27, area: 'bootle', programmes: ['bronze'] },
  { given: 'Noreen', family: 'Kavanagh', sex: 'F', ethnicity: '32', age: 74, area: 'bootle', programmes: ['bronze'], adjustments: 'Large print handouts, please.', lldd: { categories: ['4'] } },
  { given: 'Maria João', family: 'Ferreira', sex: 'F', ethnicity: '34', age: 49, area: 'bootle', programmes: ['bronze'], language: 'pt' },
  { given: 'Desmond', family: 'Campbell', sex: 'M', ethnicity: '45', age: 63, area: 'bootle', programmes: ['bronze'], preferredName: 'Des' },
  { given: 'Marek', family: 'Dvořák', sex: 'M', ethnicity: '34', age: 38, area: 'litherland', programmes: ['bronze'] },
  { given: 'Amara', family: 'Nwosu', sex: 'F', ethnicity: '44', age: 55, area: 'litherland', programmes: ['bronze', 'eds'] },
  { given: 'Patrick', family: 'McGovern', sex: 'M', ethnicity: '31', age: 71, area: 'litherland', programmes: ['bronze'], preferredName: 'Paddy' },
  { given: 'Zoë', family: 'Whitfield', sex: 'F', ethnicity: '31', age: 68, area: 'southportPR8', programmes: ['over50'] },
  { given: 'Margaret', family: 'Rimmer', sex: 'F', ethnicity: '31', age: 79, area: 'southportPR8', programmes: ['over50'], preferredName: 'Peggy', lldd: { categories: ['5', '6'] } },
  { given: 'Jean', family: 'Halsall', sex: 'F', ethnicity: '31', age: 83, area: 'southportPR9', programmes: ['over50'], adjustments: 'Sits near the front: hard of hearing.', lldd: { categories: ['5'] } },
  { given: 'Irene', family: 'Sumner', sex: 'F', ethnicity: '31', age: 72, area: 'southportPR8', programmes: ['over50'] },
  { given: 'Lorraine', family: 'Hughes', sex: 'F', ethnicity: '31', age: 66, area: 'southportPR9', programmes: ['over50'], language: 'bfi', bslUser: true, adjustments: 'BSL interpreter booked for each session.', lldd: { categories: ['5'] } },
  { given: 'Joyce', family: 'Critchley', sex: 'F', ethnicity: '31', age: 76, area: 'southportPR9', programmes: ['over50'] },
  { given: 'Anthony', family: 'Rigby', sex: 'M', ethnicity: '31', age: 70, area: 'southportPR8', programmes: ['over50'], preferredName: 'Tony' },
  { given: 'Raymond', family: 'Blundell', sex: 'M', ethnicity: '31', age: 69, area: 'formby', programmes: ['over50'] },
  { given: 'Brian', family: 'Aspinall', sex: 'M', ethnicity: '31', age: 74, area: 'formby', programmes: ['over50'], lldd: { categories: ['95'] } },
  { given: 'Hüseyin', family: 'Yılmaz', sex: 'M', ethnicity: '98', age: 61, area: 'southportPR8', programmes: ['over50', 'jobs'], language: 'tr' },
  { given: 'Olena', family: 'Kovalenko', sex: 'F', ethnicity: '34', age: 57, area: 'southportPR9', programmes: ['over50', 'jobs'], language: 'uk' },
  { given: 'Agnieszka', family: 'Kowalczyk', sex: 'F', ethnicity: '34', age: 41, area: 'netherton', programmes: ['eds'], language: 'pl' },
  { given: 'Dennis', family: 'Moorcroft', sex: 'M', ethnicity: '31', age: 59, area: 'netherton', programmes: ['eds'], lldd: { categories: ['12'] } },
  { given: 'Kayleigh', family: 'Fitzgerald', sex: 'F', ethnicity: '31', age: 31, area: 'netherton', programmes: ['eds'] },
  { given: 'Carol Ann', family: 'Jones', sex: 'F', ethnicity: '31', age: 54, area: 'netherton', programmes: ['eds'] },
  { given: 'Leanne', family: 'Parr', sex: 'F', ethnicity: '31', age: 35, area: 'netherton', programmes: ['eds'], lldd: { categories: ['9'] } },
  { given: 'Kenneth', family: 'Ashcroft', sex: 'M', ethnicity: '31', age: 62, area: 'maghull', programmes: ['eds'], preferredName: 'Ken' },
  { given: 'Eileen', family: 'Tyrer', sex: 'F', ethnicity: '31', age: 57, area: 'maghull', programmes: ['eds'] },
  { given: 'Stanisław', family: 'Mazur', sex: 'M', ethnicity: '34', age: 46, area: 'maghull', programmes: ['eds'], language: 'pl' },
  { given: 'Renée', family: 'Dubois-Clarke', sex: 'F', ethnicity: '36', age: 51, area: 'crosby', programmes: ['eds'] },
  { given: 'Gwen', family: 'Pritchard', sex: 'F', ethnicity: '31', age: 64, area: 'waterloo', programmes: ['eds'] },
  { given: 'Wei', family: 'Li', sex: 'M', ethnicity: '42', age: 29, area: 'southportPR9', programmes: ['jobs'], language: 'zh' },
  { given: 'Priya', family: 'Sharma', sex: 'F', ethnicity: '39', age: 42, area: 'southportPR8', programmes: ['jobs'] },
  { given: 'Francis', family: "D'Arcy", sex: 'M', ethnicity: '31', age: 56, area: 'southportPR8', programmes: ['jobs'], preferredName: 'Frank' },
  { given: 'Bernadette', family: 'Lowe', sex: 'F', ethnicity: '31', age: 53, area: 'southportPR9', programmes: ['jobs'] },
  { given: 'Niamh', family: 'Gallagher', sex: 'F', ethnicity: '32', age: 24, area: 'southportPR9', programmes: ['jobs'] },
  { given: 'Yusuf', family: 'Abdi', sex: 'M', ethnicity: '44', age: 33, area: 'southportPR8', programmes: ['jobs'], language: 'so' },
];

/** She leaves the job search course for a job after this many weeks: a withdrawal to see in reports. */
const LEAVES_FOR_WORK = { family: 'Gallagher', afterWeek: 3 };
/** One session called off, to show a cancelled session in the term. */
const CANCELLED = {
  programme: 'over50' as ProgrammeKey,
  week: 3,
  reason: 'The church hall was closed: the heating failed.',
};

type Plan = { writesByAccount: Map<AccountKey, Write[]>; summary: DemoSummary };

/** Everything the demo writes, by the account whose device writes it. Pure but for new record ids. */
function planDemo(now: Date, accounts: Map<AccountKey, DemoAccount>): Plan {
  const random = seededRandom(DEMO_SEED);
  const today = calendarDate(now);
  const coordinator = accountOf(accounts, 'coordinator');
  const writesByAccount = new Map<AccountKey, Write[]>(DEMO_ACCOUNTS.map((account) => [account.key, []]));
  const write = <T extends RecordBase>(key: AccountKey, entityType: EntityType, record: T) => {
    if (Date.parse(record.updatedAt) > now.getTime()) {
      throw new Error(`The demo would write a ${entityType} dated in the future (${record.updatedAt})`);
    }
    writesByAccount.get(key)?.push({ entityType, record });
  };
  const base = (account: DemoAccount, at: string, id: string = randomUUID()): RecordBase => ({
    id,
    createdAt: at,
    updatedAt: at,
    deviceId: account.clientDeviceId,
    deleted: false,
  });

  // The coordinator set the term up two weeks before its first week.
  const termMonday = addDays(mondayOf(today), -7 * WEEKS_BEFORE);
  const setUpAt = localTimeToUtc(addDays(termMonday, -14), '09:30');
  const sessionsMadeAt = localTimeToUtc(addDays(termMonday, -10), '14:00');

  const venueIds = new Map<VenueKey, string>();
  for (const [key, venue] of Object.entries(VENUES) as [VenueKey, (typeof VENUES)[VenueKey]][]) {
    const record: Venue = {
      ...base(coordinator, setUpAt),
      ...venue,
      postcode: normalisePostcode(venue.postcode),
      active: true,
    };
    venueIds.set(key, record.id);
    write('coordinator', 'venue', record);
  }

  type PlannedSession = Session & { key: ProgrammeKey; week: number };
  const programmes = new Map<ProgrammeKey, Programme>();
  const sessionsOf = new Map<ProgrammeKey, PlannedSession[]>();
  for (const [key, seed] of Object.entries(PROGRAMMES) as [ProgrammeKey, ProgrammeSeed][]) {
    const tutor = accountOf(accounts, seed.tutor);
    const offset = seed.day === 'today' ? 0 : earlierWeekdayOffset(today);
    const dates = weeks().map((week) => addDays(today, offset + 7 * week));
    const programme: Programme = {
      ...base(coordinator, setUpAt),
      title: seed.title,
      description: seed.description,
      type: seed.type,
      level: seed.level,
      fundingStream: seed.fundingStream,
      plannedGuidedLearningHours: (dates.length * minutesBetween(seed.startTime, seed.endTime)) / 60,
      defaultVenueId: venueIds.get(seed.venue) ?? null,
      deliveryMode: seed.deliveryMode,
      targetGroups: seed.targetGroups,
      capacity: seed.capacity,
      startDate: dates[0] ?? null,
      endDate: dates.at(-1) ?? null,
      status: 'running',
    };
    programmes.set(key, programme);
    write('coordinator', 'programme', programme);

    const sessions = weeks().map((week, index): PlannedSession => {
      const date = dates[index] ?? today;
      const scheduledStart = localTimeToUtc(date, seed.startTime);
      const scheduledEnd = localTimeToUtc(date, seed.endTime);
      const past = date < today;
      const cancelled = past && key === CANCELLED.programme && week === -WEEKS_BEFORE + CANCELLED.week;
      const lateStart = past && !cancelled && random() < 0.25;
      return {
        ...base(coordinator, sessionsMadeAt),
        // A delivered session was last changed when its tutor closed it.
        updatedAt: past ? addMinutes(scheduledEnd, 5) : sessionsMadeAt,
        programmeId: programme.id,
        venueId: venueIds.get(seed.venue) ?? '',
        tutorNames: [tutor.name],
        tutorIds: [tutor.userId],
        date,
        scheduledStart,
        scheduledEnd,
        actualStart: past && !cancelled ? addMinutes(scheduledStart, lateStart ? 10 : 0) : null,
        actualEnd: past && !cancelled ? scheduledEnd : null,
        status: cancelled ? 'cancelled' : past ? 'delivered' : 'scheduled',
        cancelledReason: cancelled ? CANCELLED.reason : '',
        notes: past && !cancelled && random() < 0.2 ? pick(random, SESSION_NOTES) : '',
        key,
        week,
      };
    });
    sessionsOf.set(key, sessions);
    for (const { key: _key, week: _week, ...session } of sessions) write('coordinator', 'session', session);
  }

  let enrolmentCount = 0;
  let attendanceCount = 0;
  const pastWeeks = weeks().filter((week) => week < 0);
  // The journey's records draw on a random stream of their own, so adding them left the rest as it was.
  const journeyRandom = seededRandom(DEMO_SEED + 1);
  const loanCandidates: { learnerId: string; from: string }[] = [];
  for (const seed of LEARNERS) {
    const area = AREAS[seed.area];
    const learnerId = randomUUID();
    // Drop-in learners arrive in any week; the courses enrol at their start, with a few late joiners.
    const startWeeks = seed.programmes.map((key, index) => {
      if (index > 0) return pick(random, pastWeeks.slice(1, 4));
      if (key === 'bronze') return pick(random, pastWeeks.slice(0, -1));
      return random() < 0.8 ? pastWeeks[0]! : pick(random, pastWeeks.slice(1, 3));
    });
    const firstSession = sessionAt(sessionsOf, seed.programmes[0]!, startWeeks[0]!);
    const enrolledAt = addMinutes(firstSession.scheduledStart, 15);
    const firstTutor = accountOf(accounts, PROGRAMMES[seed.programmes[0]!].tutor);
    const hasEmail = seed.age < 60 ? random() < 0.7 : random() < 0.3;
    const hasPhone = random() < 0.8;
    const older = seed.age >= 65;
    const learner: Learner = {
      ...base(coordinator, enrolledAt, learnerId),
      givenNames: seed.given,
      familyName: seed.family,
      preferredName: seed.preferredName ?? '',
      dateOfBirth: dateOfBirthFor(random, seed.age, today),
      addressLines: [`${1 + Math.floor(random() * 180)} ${pick(random, area.streets)}`],
      town: area.town,
      postcode: postcodeIn(random, area.district),
      postcodeUnknown: false,
      phone: hasPhone ? `07700 900${String(Math.floor(random() * 1000)).padStart(3, '0')}` : '',
      email: hasEmail ? emailOf(seed) : '',
      preferredLanguage: seed.language ?? 'en',
      needsInterpreter: seed.needsInterpreter ?? false,
      bslUser: seed.bslUser ?? false,
      adjustments: seed.adjustments ?? '',
      emergencyContactName: older && random() < 0.6 ? `${pick(random, EMERGENCY_NAMES)} ${seed.family}` : '',
      emergencyContactPhone: '',
      status: 'active',
      mergedInto: null,
    };
    if (learner.emergencyContactName) {
      learner.emergencyContactPhone = `07700 900${String(Math.floor(random() * 1000)).padStart(3, '0')}`;
    }
    write('coordinator', 'learner', learner);

    const employment = employmentFor(random, seed);
    write('coordinator', 'employmentStatus', {
      ...base(coordinator, enrolledAt),
      learnerId,
      appliesOn: addDays(firstSession.date, -1),
      fullTimeEducationBefore: seed.age < 25,
      ...employment,
    } satisfies EmploymentStatus);

    // Most answer the equality questions; some prefer not to say, a few skip the section.
    if (random() < 0.88) {
      const declines = random() < 0.12;
      const answersHealth = random() < 0.9;
      const lldd: EqualityMonitoring['lldd'] = !answersHealth ? null : declines ? '9' : seed.lldd ? '1' : '2';
      const categories = lldd === '1' ? (seed.lldd?.categories ?? []) : [];
      write('coordinator', 'equalityMonitoring', {
        ...base(coordinator, enrolledAt, equalityId(learnerId)),
        learnerId,
        ethnicity: declines ? 'prefer-not-to-say' : seed.ethnicity,
        ethnicityOther: !declines && seed.ethnicity === '98' ? 'Turkish' : '',
        sex: declines && random() < 0.5 ? 'prefer-not-to-say' : seed.sex,
        ethnicityAnswerChosenAt: enrolledAt,
        lldd,
        disabilityCategories: categories,
        primaryDisabilityCategory: categories[0] ?? null,
        healthAnswerChosenAt: answersHealth ? enrolledAt : null,
      } satisfies EqualityMonitoring);
    }

    // Consent: one row per purpose, asked once at the first enrolment, never pre-ticked.
    const method = pick(random, [
      'learner-tablet',
      'learner-tablet',
      'tutor-verbal',
      'signed-paper',
    ] as const);
    const channels: Consent['channels'] = [
      ...(learner.email ? (['email'] as const) : []),
      ...(learner.phone ? (['phone'] as const) : []),
      'post',
    ];
    const consentBase = {
      learnerId,
      lawfulBasis: 'consent' as const,
      method,
      language: 'en',
      capturedAt: enrolledAt,
      capturedBy: firstTutor.name,
      withdrawnAt: null,
    };
    write('coordinator', 'consent', {
      ...base(coordinator, enrolledAt, consentId(learnerId, 'privacy-notice')),
      ...consentBase,
      purpose: 'privacy-notice',
      granted: true,
      channels: [],
      // The privacy notice is information, not consent: acknowledged under public task.
      lawfulBasis: 'public-task',
      documentVersionId: PRIVACY_NOTICE_V1.id,
    } satisfies Consent);
    const chances = { 'contact-courses': 0.7, 'contact-surveys': 0.5, photos: 0.35 } as const;
    for (const purpose of ENROLMENT_CONSENT_PURPOSES) {
      const granted = random() < chances[purpose];
      write('coordinator', 'consent', {
        ...base(coordinator, enrolledAt, consentId(learnerId, purpose)),
        ...consentBase,
        purpose,
        granted,
        channels: granted && purpose !== 'photos' ? channels : [],
        documentVersionId: CONSENT_STATEMENTS_V1.id,
      } satisfies Consent);
    }

    const reliability = 0.7 + random() * 0.28;
    seed.programmes.forEach((key, index) => {
      const programme = PROGRAMMES[key];
      const tutor = accountOf(accounts, programme.tutor);
      const record = programmes.get(key)!;
      const startSession = sessionAt(sessionsOf, key, startWeeks[index]!);
      const at = index === 0 ? enrolledAt : addMinutes(startSession.scheduledStart, 15);
      const leaves = seed.family === LEAVES_FOR_WORK.family && key === 'jobs';
      const lastSession = leaves
        ? sessionAt(sessionsOf, key, -WEEKS_BEFORE + LEAVES_FOR_WORK.afterWeek)
        : null;
      const enrolment: Enrolment = {
        ...base(coordinator, at),
        learnerId,
        programmeId: record.id,
        enrolledAt: at,
        enrolledBy: tutor.name,
        channel: random() < 0.9 ? 'tutor' : 'paper-back-fill',
        referralSource: pick(random, programme.referralSources),
        startDate: startSession.date,
        plannedEndDate: record.endDate,
        fundingStream: record.fundingStream,
        privacyNoticeVersionId: PRIVACY_NOTICE_V1.id,
        priorAttainment: pick(random, PRIOR_ATTAINMENTS),
        priorDigitalSkills: priorSkillsFor(random, key),
        completionStatus: leaves ? '3' : '1',
        actualEndDate: lastSession?.date ?? null,
        outcome: leaves ? '3' : '8',
        withdrawalReason: leaves ? '28' : null,
      };
      if (lastSession) enrolment.updatedAt = localTimeToUtc(addDays(lastSession.date, 6), '11:00');
      enrolmentCount += 1;
      write('coordinator', 'enrolment', enrolment);

      const goals = shuffled(random, programme.goals).slice(0, random() < 0.5 ? 1 : 2);
      for (const goal of goals) {
        const achieved =
          random() < 0.35 ? pick(random, datesBetween(sessionsOf, key, startSession.date, today)) : null;
        write('coordinator', 'learningGoal', {
          ...base(coordinator, at),
          ...(achieved ? { updatedAt: localTimeToUtc(achieved, programme.endTime) } : {}),
          learnerId,
          enrolmentId: enrolment.id,
          text: goal.text,
          category: goal.category,
          setOn: startSession.date,
          reviewedOn: achieved,
          achievedOn: achieved,
        } satisfies LearningGoal);
      }

      for (const assessment of assessmentsFor(journeyRandom, startSession.date, today)) {
        write('coordinator', 'skillsAssessment', {
          ...base(coordinator, localTimeToUtc(assessment.assessedOn, '12:30')),
          ...assessment,
          learnerId,
          enrolmentId: enrolment.id,
          assessedBy: tutor.name,
        } satisfies SkillsAssessment);
      }
      if (lastSession && addDays(lastSession.date, 7) < today) {
        const collectedOn = addDays(lastSession.date, 7);
        write('coordinator', 'outcome', {
          ...base(coordinator, localTimeToUtc(collectedOn, '15:00')),
          learnerId,
          enrolmentId: enrolment.id,
          code: 'EMP1',
          startDate: collectedOn,
          endDate: null,
          collectedOn,
          timePoint: 'within-4-weeks',
          evidence: 'self-declaration',
          notes: 'Started as a warehouse operative, full time.',
        } satisfies Outcome);
      }
      if (index === 0 && key === 'bronze' && seed.age >= 50 && startSession.date < today) {
        loanCandidates.push({ learnerId, from: startSession.date });
      }

      // The register of every session taught since the learner started, marked on the tutor's tablet.
      for (const session of sessionsOf.get(key) ?? []) {
        if (session.status !== 'delivered' || session.date < startSession.date) continue;
        if (lastSession && session.date > lastSession.date) continue;
        const { mark, absenceReason } = markFor(random, reliability);
        // Registers are mostly taken in the session; one week's was typed up two days later.
        const markedAt =
          key === 'jobs' && session.week === -WEEKS_BEFORE + 1
            ? localTimeToUtc(addDays(session.date, 2), '16:40')
            : addMinutes(session.scheduledStart, 12);
        const attendance: Attendance = {
          ...base(tutor, markedAt, attendanceId(session.id, learnerId)),
          sessionId: session.id,
          learnerId,
          mark,
          absenceReason,
          minutesAttended: mark === 'LE' ? 45 : defaultMinutesFor(mark, sessionMinutes(session)),
          markedBy: tutor.name,
          markedAt,
          markedLate: isMarkedLate(session.scheduledEnd, markedAt),
        };
        attendanceCount += 1;
        write(programme.tutor, 'attendance', attendance);
      }
    });
  }

  planLoans(coordinator, today, setUpAt, loanCandidates, base, write);

  const allSessions = [...sessionsOf.values()].flat();
  const dates = allSessions.map((session) => session.date).sort();
  return {
    writesByAccount,
    summary: {
      venues: venueIds.size,
      programmes: programmes.size,
      sessions: allSessions.length,
      learners: LEARNERS.length,
      enrolments: enrolmentCount,
      attendance: attendanceCount,
      firstSessionDate: dates[0] ?? today,
      lastSessionDate: dates.at(-1) ?? today,
      accounts: DEMO_ACCOUNTS.map((account) => ({
        name: account.name,
        email: account.email,
        role: account.role,
        programmes: Object.values(PROGRAMMES)
          .filter((programme) => programme.tutor === account.key)
          .map((programme) => programme.title),
      })),
    },
  };
}

const LITERACY_STEPS: NonNullable<SkillsAssessment['literacyLevel']>[] = [
  'entry-1',
  'entry-2',
  'entry-3',
  'level-1',
];

/** Results for each 2018 statement: foundation first, "for life" after some weeks, "for work" rarely. */
function statementResults(
  random: () => number,
  stage: 'initial' | 'progress',
): SkillsAssessment['itemResults'] {
  const results: SkillsAssessment['itemResults'] = {};
  for (const item of EDS_2018_ITEMS) {
    const independentChance =
      item.context === 'foundation'
        ? stage === 'initial'
          ? 0.4
          : 0.85
        : item.context === 'life'
          ? stage === 'initial'
            ? 0.1
            : 0.45
          : 0.05;
    const roll = random();
    results[item.code] =
      roll < independentChance ? 'independent' : roll < independentChance + 0.3 ? 'with-help' : 'cannot-yet';
  }
  return results;
}

/** A tutor-observed initial assessment in the learner's first session, and a progress review three weeks on. */
function assessmentsFor(
  random: () => number,
  start: string,
  today: string,
): Omit<SkillsAssessment, keyof RecordBase | 'learnerId' | 'enrolmentId' | 'assessedBy'>[] {
  if (start >= today) return [];
  const literacy = Math.floor(random() * 3);
  const numeracy = Math.floor(random() * 3);
  const assessment = (stage: 'initial' | 'progress', assessedOn: string, step: number) => ({
    type: stage,
    assessor: 'tutor-observed' as const,
    assessedOn,
    framework: 'eds-2018' as const,
    itemResults: statementResults(random, stage),
    literacyLevel: LITERACY_STEPS[Math.min(literacy + step, 3)]!,
    numeracyLevel: LITERACY_STEPS[Math.min(numeracy + step, 3)]!,
    communicationLevel: null,
    evidence:
      stage === 'initial'
        ? 'Observed in the first session.'
        : 'Observed in the session; did each task unprompted.',
  });
  const review = addDays(start, 21);
  return [
    assessment('initial', start, 0),
    ...(review < today ? [assessment('progress', review, random() < 0.6 ? 1 : 0)] : []),
  ];
}

/**
 * Six tablets from the National Device Bank, lent to learners over 50 on the
 * Bronze drop-in: one overdue, one returned and wiped, the rest out.
 */
function planLoans(
  coordinator: DemoAccount,
  today: string,
  setUpAt: string,
  candidates: readonly { learnerId: string; from: string }[],
  base: (account: DemoAccount, at: string, id?: string) => RecordBase,
  write: <T extends RecordBase>(key: AccountKey, entityType: EntityType, record: T) => void,
): void {
  const devices = Array.from({ length: 6 }, (_, index) => {
    const device: LoanDevice = {
      ...base(coordinator, setUpAt),
      assetTag: `SEF-T-${String(index + 101).padStart(4, '0')}`,
      type: 'tablet',
      makeModel: 'Lenovo Tab M10',
      serial: `HA${String(5_230_000 + index * 17)}`,
      source: 'national-device-bank',
      condition: 'good',
      status: 'in-stock',
      wipedOn: setUpAt.slice(0, 10),
      needsWipe: false,
      venueId: null,
    };
    return device;
  });
  const plans = candidates.slice(0, 4).map((candidate, index) => {
    const issuedOn = candidate.from;
    // The first is overdue; the second came back and was wiped; the others are out, due after the term.
    const dueBack =
      index === 0 ? (addDays(today, -5) < issuedOn ? issuedOn : addDays(today, -5)) : addDays(today, 42);
    const returnedOn = index === 1 ? (addDays(issuedOn, 14) < today ? addDays(issuedOn, 14) : null) : null;
    return { candidate, device: devices[index]!, issuedOn, dueBack, returnedOn };
  });
  for (const { device, returnedOn } of plans) {
    if (returnedOn === null) device.status = 'on-loan';
    else device.wipedOn = returnedOn;
  }
  for (const device of devices) write('coordinator', 'loanDevice', device);
  for (const { candidate, device, issuedOn, dueBack, returnedOn } of plans) {
    const at = localTimeToUtc(issuedOn, '11:45');
    const agreementId = consentId(candidate.learnerId, 'device-loan');
    write('coordinator', 'consent', {
      ...base(coordinator, at, agreementId),
      learnerId: candidate.learnerId,
      purpose: 'device-loan',
      granted: true,
      channels: [],
      lawfulBasis: 'contract',
      method: 'signed-paper',
      documentVersionId: LOAN_TERMS_V1.id,
      language: 'en',
      capturedAt: at,
      capturedBy: coordinator.name,
      withdrawnAt: null,
    } satisfies Consent);
    write('coordinator', 'loan', {
      ...base(coordinator, returnedOn ? localTimeToUtc(returnedOn, '11:00') : at),
      learnerId: candidate.learnerId,
      loanDeviceId: device.id,
      simId: null,
      issuedOn,
      issuedBy: coordinator.name,
      venueId: null,
      agreementConsentId: agreementId,
      termsVersionId: LOAN_TERMS_V1.id,
      agreedAt: at,
      dueBack,
      returnedOn,
      returnCondition: returnedOn ? 'good' : null,
      wipedAfterReturn: returnedOn !== null,
      outcome: returnedOn ? 'returned' : null,
      notes: '',
    } satisfies Loan);
  }
}

const SESSION_NOTES = [
  'The Wi-Fi was down for the first half hour: we used the loan tablets offline.',
  'Two new people came to look and will enrol next week.',
  'The projector is broken; the venue has reported it.',
  'Covered online banking safety after questions about a scam text going round.',
];

const EMERGENCY_NAMES = ['Paul', 'Susan', 'Michael', 'Karen', 'David', 'Julie', 'Mark', 'Claire'];

const PRIOR_ATTAINMENTS: NonNullable<Enrolment['priorAttainment']>[] = [
  '99',
  '99',
  '9',
  '7',
  '1',
  '1',
  '2',
  '2',
  '3',
  '98',
];

function accountOf(accounts: Map<AccountKey, DemoAccount>, key: AccountKey): DemoAccount {
  const account = accounts.get(key);
  if (!account) throw new Error(`The demo account ${key} was not created`);
  return account;
}

/** The weeks of the term, relative to this week (0). */
function weeks(): number[] {
  return Array.from({ length: WEEKS_BEFORE + 1 + WEEKS_AFTER }, (_, index) => index - WEEKS_BEFORE);
}

function sessionAt<S extends { week: number }>(
  sessionsOf: Map<ProgrammeKey, S[]>,
  key: ProgrammeKey,
  week: number,
): S {
  const session = sessionsOf.get(key)?.find((candidate) => candidate.week === week);
  if (!session) throw new Error(`No demo session of ${key} in week ${week}`);
  return session;
}

/** The dates of a programme's delivered sessions from one date to before another. */
function datesBetween<S extends Session>(
  sessionsOf: Map<ProgrammeKey, S[]>,
  key: ProgrammeKey,
  from: string,
  before: string,
): string[] {
  const dates = (sessionsOf.get(key) ?? [])
    .filter((session) => session.status === 'delivered' && session.date >= from && session.date < before)
    .map((session) => session.date);
  return dates.length > 0 ? dates : [from];
}

/** Present most weeks; now and then late, away with a reason, absent, or gone early. */
function markFor(
  random: () => number,
  reliability: number,
): { mark: AttendanceMark; absenceReason: AbsenceReason | null } {
  const roll = random();
  if (roll < reliability) return { mark: random() < 0.1 ? 'L' : 'P', absenceReason: null };
  const rest = random();
  if (rest < 0.4) return { mark: 'AA', absenceReason: pick(random, ABSENCE_REASONS) };
  if (rest < 0.8) return { mark: 'U', absenceReason: null };
  if (rest < 0.9) return { mark: 'L', absenceReason: null };
  return { mark: 'LE', absenceReason: null };
}

const ABSENCE_REASONS: AbsenceReason[] = [
  'illness',
  'illness',
  'caring',
  'medical-appointment',
  'job-interview',
  'transport',
];

function employmentFor(
  random: () => number,
  seed: LearnerSeed,
): Pick<EmploymentStatus, 'status' | 'selfEmployed' | 'hoursPerWeek' | 'unemploymentLength' | 'benefits'> {
  const lookingForWork = seed.programmes.includes('jobs') || (seed.age < 60 && random() < 0.6);
  if (seed.age >= 66 || (!lookingForWork && random() < 0.5)) {
    return { status: '12', selfEmployed: false, hoursPerWeek: null, unemploymentLength: null, benefits: [] };
  }
  if (!lookingForWork) {
    return {
      status: '10',
      selfEmployed: random() < 0.15,
      hoursPerWeek: pick(random, ['0-10', '11-20', '21-30'] as const),
      unemploymentLength: null,
      benefits: random() < 0.4 ? ['universal-credit'] : [],
    };
  }
  return {
    status: '11',
    selfEmployed: false,
    hoursPerWeek: null,
    unemploymentLength: pick(random, ['under-6m', '6-11m', '12-23m', '24-35m', '36m-plus'] as const),
    benefits: [
      pick(random, ['universal-credit', 'universal-credit', 'universal-credit', 'jsa', 'esa'] as const),
    ],
  };
}

function priorSkillsFor(random: () => number, key: ProgrammeKey): Enrolment['priorDigitalSkills'] {
  if (random() < 0.3) return {};
  const start = key === 'bronze' || key === 'over50' ? 0 : 1;
  const scale = ['cannot-yet', 'with-help', 'independent'] as const;
  const level = () => scale[Math.min(2, start + Math.floor(random() * 2))]!;
  return {
    foundation: level(),
    communicating: level(),
    'handling-information': level(),
    transacting: scale[start]!,
    'problem-solving': level(),
    'safe-legal': random() < 0.3 ? 'not-assessed' : scale[start]!,
  };
}

/** A date of birth that makes the learner `age` today. */
function dateOfBirthFor(random: () => number, age: number, today: string): string {
  const birthdayThisYear = `${Number(today.slice(0, 4)) - age}${today.slice(4)}`;
  const valid = birthdayThisYear.endsWith('-02-29')
    ? birthdayThisYear.replace('-29', '-28')
    : birthdayThisYear;
  return addDays(valid, -Math.floor(random() * 364));
}

/** A postcode of the right shape in a real Sefton district (made-up sector and unit). */
function postcodeIn(random: () => number, district: string): string {
  const letters = 'ABDEFGHJLNPQRSTUWXY';
  const letter = () => letters[Math.floor(random() * letters.length)] ?? 'A';
  return normalisePostcode(`${district} ${1 + Math.floor(random() * 8)}${letter()}${letter()}`);
}

function emailOf(seed: LearnerSeed): string {
  const plain = (text: string) =>
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .replace(/ł/g, 'l')
      .replace(/ı/g, 'i')
      .toLowerCase()
      .replace(/[^a-z]+/g, '');
  return `${plain(seed.given)}.${plain(seed.family)}@example.com`;
}

// Dates. Sessions are in the organisation's time zone (Sefton: Europe/London), whatever the machine
// running the demo uses; `date` is the local calendar date the Today screen lists them by.

function calendarDate(at: Date): string {
  const parts = londonParts(at.getTime());
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;
}

/** A London wall-clock time on a calendar date, as a UTC timestamp. */
function localTimeToUtc(date: string, time: string): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  const asIfUtc = Date.UTC(year, month - 1, day, hours, minutes);
  // London is UTC or UTC+1; the sessions' hours are far from the 1 a.m. changeovers.
  const parts = londonParts(asIfUtc);
  const offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) - asIfUtc;
  return new Date(asIfUtc - offset).toISOString();
}

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
});

function londonParts(millis: number): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
} {
  const parts = Object.fromEntries(
    londonFormat.formatToParts(new Date(millis)).map((part) => [part.type, Number(part.value)]),
  );
  return {
    year: parts['year'] ?? 0,
    month: parts['month'] ?? 1,
    day: parts['day'] ?? 1,
    hour: parts['hour'] ?? 0,
    minute: parts['minute'] ?? 0,
  };
}

function addDays(date: string, days: number): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Days back from a date to the last Monday-to-Friday at least two days before it (negative). */
function earlierWeekdayOffset(date: string): number {
  for (let offset = -2; ; offset -= 1) {
    const weekday = weekdayOf(addDays(date, offset));
    if (weekday >= 1 && weekday <= 5) return offset;
  }
}

/** 0 for Sunday to 6 for Saturday. */
function weekdayOf(date: string): number {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function mondayOf(date: string): string {
  return addDays(date, -((weekdayOf(date) + 6) % 7));
}

function addMinutes(timestamp: string, minutes: number): string {
  return new Date(Date.parse(timestamp) + minutes * 60_000).toISOString();
}

function minutesBetween(start: string, end: string): number {
  const minutesOf = (time: string) => {
    const [hours = 0, minutes = 0] = time.split(':').map(Number);
    return hours * 60 + minutes;
  };
  return minutesOf(end) - minutesOf(start);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** mulberry32: a small seeded random, so the demo is the same every time it is loaded. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function shuffled<T>(random: () => number, list: readonly T[]): T[] {
  const copy = [...list];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------------
// The command: the same environment variables and defaults as the server (src/server/main.ts).

async function main(): Promise<void> {
  const env = process.env;
  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  const host = env.HOST ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT ?? '8080'}`;
  const where = databaseUrl ? 'the PostgreSQL database DATABASE_URL names' : path.join(dataDir, 'pglite');

  const database = await openDatabase({ databaseUrl, dataDir });
  try {
    const outcome = await loadDemo(database);
    switch (outcome.kind) {
      case 'refused':
        console.error(
          `Not loading the demo: ${where} already holds the organisation ` +
            `${outcome.organisationNames.map((name) => `"${name}"`).join(', ')}, and demo data is never ` +
            'mixed with real data. Point DATA_DIR (or DATABASE_URL) at an empty database and run it again.',
        );
        process.exitCode = 1;
        return;
      case 'already-loaded':
        console.log(`The demo organisation "${DEMO_ORGANISATION_NAME}" is already loaded in ${where}.`);
        printSignIn(url);
        return;
      case 'loaded': {
        const { summary } = outcome;
        console.log(`Loaded the demo organisation "${DEMO_ORGANISATION_NAME}" into ${where}:`);
        console.log(
          `  ${summary.venues} venues, ${summary.programmes} programmes, ${summary.sessions} sessions ` +
            `(${summary.firstSessionDate} to ${summary.lastSessionDate}), ${summary.learners} learners, ` +
            `${summary.enrolments} enrolments, ${summary.attendance} register marks.`,
        );
        printSignIn(url, summary);
        return;
      }
      default:
        assertNever(outcome);
    }
  } finally {
    await database.close();
  }
}

function printSignIn(url: string, summary?: DemoSummary): void {
  console.log(
    `\nStart the server (npm start), open ${url} and sign in with the password ${DEMO_PASSWORD} as:`,
  );
  for (const account of summary?.accounts ?? DEMO_ACCOUNTS.map((entry) => ({ ...entry, programmes: [] }))) {
    const teaches = account.programmes.length > 0 ? `: ${account.programmes.join(', ')}` : '';
    console.log(`  ${account.email.padEnd(32)} ${account.name}, ${account.role}${teaches}`);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

const invokedAs = process.argv[1];
if (invokedAs !== undefined && import.meta.url === pathToFileURL(path.resolve(invokedAs)).href) {
  main().catch((error: unknown) => {
    if (error instanceof DemoRejectedError) {
      console.error(error.message);
      for (const rejection of error.rejections.slice(0, 20)) {
        console.error(
          `  ${rejection.account}: ${rejection.entityType}: ${rejection.reason}: ${rejection.message}`,
        );
      }
      if (error.rejections.length > 20) console.error(`  … and ${error.rejections.length - 20} more`);
    } else {
      console.error('The demo could not be loaded:', error instanceof Error ? error.message : error);
    }
    process.exitCode = 1;
  });
}

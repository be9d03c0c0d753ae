// Puts a programme, a venue, today's session and N enrolled learners into the app's own IndexedDB
// (raw puts, as fixtures): the benchmark measures taps, not the enrolment form.
import type { Page } from 'playwright-core';
import { DATABASE_NAME, learnerRowFrom } from '../src/db/database';
import { localDateTimeToUtc, localIsoDate } from '../src/domain/dates';
import type { Enrolment, Learner, Programme, Session, Venue } from '../src/domain/records';

export async function seedRegister(page: Page, learnerCount: number): Promise<string> {
  const now = new Date().toISOString();
  const today = localIsoDate();
  const base = () => ({
    id: crypto.randomUUID(),
    createdAt: now,
    updatedAt: now,
    deviceId: 'bench-seed',
    deleted: false,
  });
  const venue: Venue = {
    ...base(),
    name: 'Bootle Library',
    address: '220 Stanley Road',
    postcode: 'L203NJ',
    accessibilityFeatures: ['step-free'],
    publicWifi: true,
    loanDevicesKept: false,
    active: true,
  };
  const programme: Programme = {
    ...base(),
    title: 'Get online: the basics',
    description: '',
    type: 'tailored-learning',
    level: 'entry',
    fundingStream: 'asf-tailored',
    plannedGuidedLearningHours: 12,
    defaultVenueId: venue.id,
    deliveryMode: 'face-to-face',
    targetGroups: ['50-plus'],
    capacity: 40,
    startDate: null,
    endDate: null,
    status: 'running',
  };
  const session: Session = {
    ...base(),
    programmeId: programme.id,
    venueId: venue.id,
    tutorNames: ['Bench Tutor'],
    tutorIds: [],
    date: today,
    scheduledStart: localDateTimeToUtc(today, '10:00'),
    scheduledEnd: localDateTimeToUtc(today, '12:00'),
    actualStart: null,
    actualEnd: null,
    status: 'scheduled',
    cancelledReason: '',
    notes: '',
  };
  const learners: Learner[] = Array.from({ length: learnerCount }, (_, index) => ({
    ...base(),
    givenNames: `Learner${index + 1}`,
    familyName: `Family${String(index + 1).padStart(3, '0')}`,
    preferredName: '',
    dateOfBirth: '1960-03-27',
    addressLines: [],
    town: '',
    postcode: '',
    postcodeUnknown: true,
    phone: '',
    email: '',
    preferredLanguage: 'en',
    needsInterpreter: false,
    bslUser: false,
    adjustments: '',
    emergencyContactName: '',
    emergencyContactPhone: '',
    status: 'active',
    mergedInto: null,
  }));
  const enrolments: Enrolment[] = learners.map((learner) => ({
    ...base(),
    learnerId: learner.id,
    programmeId: programme.id,
    enrolledAt: now,
    enrolledBy: 'Bench Tutor',
    channel: 'tutor',
    referralSource: null,
    startDate: today,
    plannedEndDate: null,
    fundingStream: 'asf-tailored',
    privacyNoticeVersionId: '0b0d8a56-5d1e-4a53-9b7e-2f0c7c1d9a01',
    priorAttainment: null,
    priorDigitalSkills: {},
    completionStatus: '1',
    actualEndDate: null,
    outcome: '8',
    withdrawalReason: null,
  }));
  const rows: Record<string, unknown[]> = {
    venues: [venue],
    programmes: [programme],
    sessions: [session],
    learners: learners.map(learnerRowFrom),
    enrolments,
  };
  await page.evaluate(
    ([name, tables]) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const database = request.result;
          const transaction = database.transaction(Object.keys(tables), 'readwrite');
          for (const [table, values] of Object.entries(tables)) {
            for (const value of values) transaction.objectStore(table).put(value);
          }
          transaction.oncomplete = () => {
            database.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    [DATABASE_NAME, rows] as const,
  );
  return session.id;
}

// Which fields of each record are personal enough to be sealed at rest on the device (contact
// details, equality and health answers and what tells of them, notes). Names, date of birth and the
// normalised postcode stay readable: search and duplicate checks find learners by them through
// indexes. Attendance marks stay readable too: the register reads them at every tap.
import { SPECIAL_CATEGORY_FIELDS } from './access';
import type { EntityType } from './records';

export const SEALED_FIELDS: Partial<Record<EntityType, readonly string[]>> = {
  learner: [
    'addressLines',
    'town',
    'phone',
    'email',
    'adjustments',
    'emergencyContactName',
    'emergencyContactPhone',
    // Language, interpreting and BSL can tell of ethnicity or disability.
    'preferredLanguage',
    'needsInterpreter',
    'bslUser',
  ],
  // Benefits (some tell of a health condition), work and time out of it.
  employmentStatus: [
    'status',
    'selfEmployed',
    'hoursPerWeek',
    'unemploymentLength',
    'benefits',
    'fullTimeEducationBefore',
  ],
  // Its codes include injury or illness.
  enrolment: ['withdrawalReason'],
  // The answers, or what a user who may not see them receives instead: which were answered.
  equalityMonitoring: [...SPECIAL_CATEGORY_FIELDS, 'answered'],
  session: ['notes', 'cancelledReason'],
  learningGoal: ['text'],
  skillsAssessment: ['evidence'],
  // Where a learner works or studies now.
  outcome: ['code', 'notes'],
  loan: ['notes'],
};

/** The property of a stored row that holds its sealed personal fields. */
export const SEALED_PROPERTY = 'sealed';

export function sealedFieldsOf(entityType: string): readonly string[] {
  return SEALED_FIELDS[entityType as EntityType] ?? [];
}

/** Splits a record into what stays readable and what is sealed. */
export function splitPersonalFields(
  entityType: string,
  record: Record<string, unknown>,
): { readable: Record<string, unknown>; personal: Record<string, unknown> } {
  const readable: Record<string, unknown> = { ...record };
  const personal: Record<string, unknown> = {};
  for (const field of sealedFieldsOf(entityType)) {
    if (field in readable) {
      personal[field] = readable[field];
      delete readable[field];
    }
  }
  return { readable, personal };
}

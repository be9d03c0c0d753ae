// The "Change details" form of a learner's record: the contact details and needs a tutor keeps up to
// date, with the enrolment form's rules and messages (learnerContactFields.ts holds them for both).
import { z } from 'zod';
import type { Learner } from '../records';
import {
  LEARNER_CONTACT_FIELDS,
  type LearnerContactDetails,
  checkLearnerContact,
  learnerContactFormFromRecord,
  learnerContactFromForm,
} from './learnerContactFields';

export const learnerDetailsFormSchema = z.object(LEARNER_CONTACT_FIELDS).superRefine(checkLearnerContact);

export type LearnerDetailsFormValues = z.input<typeof learnerDetailsFormSchema>;
export type ValidLearnerDetailsForm = z.output<typeof learnerDetailsFormSchema>;

/** The learner's fields the form changes. */
export type LearnerDetails = LearnerContactDetails;

export function learnerDetailsFromForm(values: ValidLearnerDetailsForm): LearnerDetails {
  return learnerContactFromForm(values);
}

export function learnerDetailsFormFromRecord(learner: Learner): LearnerDetailsFormValues {
  return learnerContactFormFromRecord(learner);
}

/**
 * The fields the tutor changed: those whose saved value differs from the record as the form showed
 * it. A field left alone is not among them even if a sync has changed it since the form opened, so
 * saving never puts the form's older value back over another tablet's newer one.
 */
export function changedLearnerDetails(shown: Learner, saved: LearnerDetails): Partial<LearnerDetails> {
  const changes: Partial<Record<keyof LearnerDetails, unknown>> = {};
  for (const key of Object.keys(saved) as (keyof LearnerDetails)[]) {
    if (JSON.stringify(saved[key]) !== JSON.stringify(shown[key])) changes[key] = saved[key];
  }
  return changes as Partial<LearnerDetails>;
}

// Reading a saved draft of the enrolment form back into the form. A draft may come from an older
// version of the app, so every field the current form has starts from the blank form.
import { type EnrolmentFormValues, emptyEnrolmentForm } from '../../domain/forms/enrolmentForm';
import { tickedList } from './useEnrolmentForm';

export function enrolmentValuesFromDraft(saved: unknown): EnrolmentFormValues {
  const empty = emptyEnrolmentForm();
  if (!saved || typeof saved !== 'object') return empty;
  const values = saved as Partial<EnrolmentFormValues>;
  return {
    ...empty,
    ...values,
    dateOfBirth: { ...empty.dateOfBirth, ...values.dateOfBirth },
    startDate: { ...empty.startDate, ...values.startDate },
    priorSkills: { ...empty.priorSkills, ...values.priorSkills },
    consents: { ...empty.consents, ...values.consents },
    goals: empty.goals.map((goal, index) => ({ ...goal, ...values.goals?.[index] })),
  };
}

function comparable(values: EnrolmentFormValues): string {
  return JSON.stringify({
    ...values,
    // The start date is filled in for the tutor, so it is not an answer someone started.
    startDate: null,
    benefits: tickedList(values.benefits),
    disabilityCategories: tickedList(values.disabilityCategories),
    contactChannels: tickedList(values.contactChannels),
  });
}

/** True when a draft holds something typed or chosen, not just a blank form. */
export function hasAnswers(values: EnrolmentFormValues): boolean {
  return comparable(values) !== comparable(emptyEnrolmentForm());
}

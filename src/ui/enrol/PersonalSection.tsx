import { DateInput, TextField } from '../components/Fields';
import { type Audience, type SharedSectionProps, autoCompleteFor } from './useEnrolmentForm';

const WORDS = {
  tutor: {
    heading: 'Personal details',
    preferredNameHint: 'What the learner likes to be called, if it is different',
  },
  learner: {
    heading: 'About you',
    preferredNameHint: 'What you like to be called, if it is different',
  },
} as const satisfies Record<Audience, object>;

/** The fields in the order they appear, for the error summary. */
export const PERSONAL_FIELD_ORDER = ['givenNames', 'familyName', 'preferredName', 'dateOfBirth'] as const;

export function PersonalSection({ audience, register, errors }: SharedSectionProps) {
  const words = WORDS[audience];
  const nameProps = { autoComplete: autoCompleteFor(audience), spellCheck: false, register, errors };
  return (
    <section className="section">
      <h2>{words.heading}</h2>
      <TextField name="givenNames" label="Given names" hint="Include any middle names" {...nameProps} />
      <TextField name="familyName" label="Family name" {...nameProps} />
      <TextField
        name="preferredName"
        label="Preferred name (optional)"
        hint={words.preferredNameHint}
        {...nameProps}
      />
      <DateInput
        name="dateOfBirth"
        label="Date of birth"
        hint="For example, 27 3 1960"
        // No birthday autofill on a learner's own form either (see autoCompleteFor).
        isBirthday={audience === 'tutor'}
        register={register}
        errors={errors}
      />
    </section>
  );
}

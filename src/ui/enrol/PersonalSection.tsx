import { DateInput, TextField } from '../components/Fields';
import type { SectionProps } from './useEnrolmentForm';

export function PersonalSection({ register, errors }: SectionProps) {
  return (
    <section className="section">
      <h2>Personal details</h2>
      <TextField
        name="givenNames"
        label="Given names"
        hint="Include any middle names"
        spellCheck={false}
        register={register}
        errors={errors}
      />
      <TextField
        name="familyName"
        label="Family name"
        spellCheck={false}
        register={register}
        errors={errors}
      />
      <TextField
        name="preferredName"
        label="Preferred name (optional)"
        hint="What the learner likes to be called, if it is different"
        spellCheck={false}
        register={register}
        errors={errors}
      />
      <DateInput
        name="dateOfBirth"
        label="Date of birth"
        hint="For example, 27 3 1960"
        isBirthday
        register={register}
        errors={errors}
      />
    </section>
  );
}

import { useWatch } from 'react-hook-form';
import { DISABILITY_CATEGORIES, ETHNICITIES, LLDD_ANSWERS, SEXES } from '../../domain/codeLists';
import {
  Checkbox,
  CheckboxGroup,
  RadioGroup,
  SelectField,
  TextField,
  codeOptions,
} from '../components/Fields';
import { type SectionProps, tickedList } from './useEnrolmentForm';

/**
 * Special category questions, set apart from the rest of the form: every one optional, each
 * behind a tick box that records the learner chose to answer.
 */
export function EqualitySection({ form, register, errors }: SectionProps) {
  const { control } = form;
  const [answersEthnicity, answersHealth, lldd, categories] = useWatch({
    control,
    name: ['answersEthnicity', 'answersHealth', 'lldd', 'disabilityCategories'],
  });
  const ticked = tickedList(categories);
  const primaryOptions = DISABILITY_CATEGORIES.filter((category) => ticked.includes(category.code));
  return (
    <section className="set-apart" aria-labelledby="equality-heading">
      <h2 id="equality-heading">Equality, health and disability</h2>
      <p>
        <strong>Every question in this part is optional.</strong> The learner does not have to answer, and can
        choose “Prefer not to say”.
      </p>
      <p>
        We ask so we can check our courses reach everyone, and to report to the people who pay for them.
        Reports only use numbers and never name anyone.
      </p>
      <p>
        Only staff with permission can see these answers. Tutors only see whether the learner answered, not
        what they said.
      </p>

      <Checkbox
        name="answersEthnicity"
        label="The learner chooses to answer the question about their ethnic group"
        register={register}
        errors={errors}
      />
      {answersEthnicity ? (
        <div className="conditional">
          <RadioGroup
            name="ethnicity"
            label="Ethnic group"
            options={codeOptions(ETHNICITIES)}
            register={register}
            errors={errors}
          />
          <TextField
            name="ethnicityOther"
            label="Ethnic group in the learner's own words (optional)"
            register={register}
            errors={errors}
          />
        </div>
      ) : null}

      <RadioGroup
        name="sex"
        label="Sex (optional)"
        options={codeOptions(SEXES)}
        register={register}
        errors={errors}
      />

      <Checkbox
        name="answersHealth"
        label="The learner chooses to answer questions about health and disability"
        register={register}
        errors={errors}
      />
      {answersHealth ? (
        <div className="conditional">
          <RadioGroup
            name="lldd"
            label="Does the learner have a learning difficulty, disability or health problem?"
            options={codeOptions(LLDD_ANSWERS)}
            register={register}
            errors={errors}
          />
          {lldd === '1' ? (
            <>
              <CheckboxGroup
                name="disabilityCategories"
                label="Which of these apply? (optional)"
                hint="Tick all that the learner tells you about"
                options={codeOptions(DISABILITY_CATEGORIES)}
                register={register}
                errors={errors}
              />
              {primaryOptions.length > 0 ? (
                <SelectField
                  name="primaryDisabilityCategory"
                  label="Which one affects their learning most? (optional)"
                  options={codeOptions(primaryOptions)}
                  register={register}
                  errors={errors}
                />
              ) : null}
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

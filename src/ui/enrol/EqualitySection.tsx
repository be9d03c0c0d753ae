import type { ReactNode } from 'react';
import { useWatch } from 'react-hook-form';
import {
  DISABILITY_CATEGORIES,
  ETHNICITIES,
  LLDD_ANSWERS,
  PREFER_NOT_TO_SAY,
  SEXES,
} from '../../domain/codeLists';
import {
  Checkbox,
  CheckboxGroup,
  RadioGroup,
  SelectField,
  TextField,
  codeOptions,
} from '../components/Fields';
import { type Audience, type SharedSectionProps, autoCompleteFor, tickedList } from './useEnrolmentForm';

const ETHNICITY_OPTIONS = codeOptions(ETHNICITIES);
const SEX_OPTIONS = codeOptions(SEXES);
const LLDD_OPTIONS = codeOptions(LLDD_ANSWERS);

const WORDS = {
  tutor: {
    heading: 'Equality, health and disability',
    intro: (
      <>
        <p>
          <strong>Every question in this part is optional.</strong> The learner does not have to answer, and
          can choose “Prefer not to say”.
        </p>
        <p>
          We ask so we can check our courses reach everyone, and to report to the people who pay for them.
          Reports only use numbers and never name anyone.
        </p>
        <p>
          Only staff with permission can see these answers. Tutors only see whether the learner answered, not
          what they said.
        </p>
      </>
    ),
    ethnicity: 'Ethnic group',
    ethnicityOther: "Ethnic group in the learner's own words (optional)",
    sex: 'Sex (optional)',
    lldd: 'Does the learner have a learning difficulty, disability or health problem?',
    disabilityCategories: 'Which of these apply? (optional)',
    disabilityCategoriesHint: 'Tick all that the learner tells you about',
  },
  learner: {
    heading: 'Equality, health and disability (optional)',
    intro: (
      <>
        <p>
          <strong>You do not have to answer these questions.</strong> You can leave them empty, or choose
          “Prefer not to say”.
        </p>
        <p>
          We ask so we can check our courses reach everyone. Reports only use numbers and never name anyone.
          Only staff with permission can see your answers. Your tutor only sees whether you answered.
        </p>
      </>
    ),
    ethnicity: 'What is your ethnic group? (optional)',
    ethnicityOther: 'Your ethnic group in your own words (optional)',
    sex: 'What is your sex? (optional)',
    lldd: 'Do you have a learning difficulty, disability or health problem? (optional)',
    disabilityCategories: 'Which of these apply to you? (optional)',
    disabilityCategoriesHint: 'Tick all that apply',
  },
} as const satisfies Record<Audience, object>;

/** The fields in the order they appear, for the error summary. */
export const EQUALITY_FIELD_ORDER = {
  tutor: [
    'answersEthnicity',
    'ethnicity',
    'ethnicityOther',
    'sex',
    'answersHealth',
    'lldd',
    'disabilityCategories',
    'primaryDisabilityCategory',
  ],
  learner: ['ethnicity', 'ethnicityOther', 'sex', 'lldd', 'disabilityCategories'],
} as const satisfies Record<Audience, readonly string[]>;

/**
 * Special category questions, set apart from the rest of the form, every one optional. A tutor
 * records that the learner chose to answer (a tick that reveals the questions, and the main
 * condition among those ticked); on a learner's own form answering is itself the choice, so the
 * questions are asked at once, and "in your own words" follows a group chosen.
 */
export function EqualitySection({ audience, form, register, errors }: SharedSectionProps) {
  const words = WORDS[audience];
  const [answersEthnicity, answersHealth, ethnicity, lldd, categories] = useWatch({
    control: form.control,
    name: ['answersEthnicity', 'answersHealth', 'ethnicity', 'lldd', 'disabilityCategories'],
  });
  const fieldProps = { register, errors };
  const ethnicityQuestion = (
    <RadioGroup name="ethnicity" label={words.ethnicity} options={ETHNICITY_OPTIONS} {...fieldProps} />
  );
  const ownWordsQuestion = (
    <TextField
      name="ethnicityOther"
      label={words.ethnicityOther}
      autoComplete={autoCompleteFor(audience)}
      {...fieldProps}
    />
  );
  const sexQuestion = <RadioGroup name="sex" label={words.sex} options={SEX_OPTIONS} {...fieldProps} />;
  const llddQuestion = <RadioGroup name="lldd" label={words.lldd} options={LLDD_OPTIONS} {...fieldProps} />;
  const categoriesQuestion = (
    <CheckboxGroup
      name="disabilityCategories"
      label={words.disabilityCategories}
      hint={words.disabilityCategoriesHint}
      options={codeOptions(DISABILITY_CATEGORIES)}
      {...fieldProps}
    />
  );

  if (audience === 'learner') {
    return (
      <EqualityPart heading={words.heading} intro={words.intro}>
        {ethnicityQuestion}
        {ethnicity && ethnicity !== PREFER_NOT_TO_SAY ? (
          <div className="conditional">{ownWordsQuestion}</div>
        ) : null}
        {sexQuestion}
        {llddQuestion}
        {lldd === '1' ? <div className="conditional">{categoriesQuestion}</div> : null}
      </EqualityPart>
    );
  }

  const ticked = tickedList(categories);
  const primaryOptions = DISABILITY_CATEGORIES.filter((category) => ticked.includes(category.code));
  return (
    <EqualityPart heading={words.heading} intro={words.intro}>
      <Checkbox
        name="answersEthnicity"
        label="The learner chooses to answer the question about their ethnic group"
        {...fieldProps}
      />
      {answersEthnicity ? (
        <div className="conditional">
          {ethnicityQuestion}
          {ownWordsQuestion}
        </div>
      ) : null}

      {sexQuestion}

      <Checkbox
        name="answersHealth"
        label="The learner chooses to answer questions about health and disability"
        {...fieldProps}
      />
      {answersHealth ? (
        <div className="conditional">
          {llddQuestion}
          {lldd === '1' ? (
            <>
              {categoriesQuestion}
              {primaryOptions.length > 0 ? (
                <SelectField
                  name="primaryDisabilityCategory"
                  label="Which one affects their learning most? (optional)"
                  options={codeOptions(primaryOptions)}
                  {...fieldProps}
                />
              ) : null}
            </>
          ) : null}
        </div>
      ) : null}
    </EqualityPart>
  );
}

function EqualityPart({
  heading,
  intro,
  children,
}: {
  heading: string;
  intro: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="set-apart" aria-labelledby="equality-heading">
      <h2 id="equality-heading">{heading}</h2>
      {intro}
      {children}
    </section>
  );
}

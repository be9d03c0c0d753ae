import { GOAL_CATEGORIES } from '../../domain/codeLists';
import { MAX_GOALS_ON_FORM } from '../../domain/forms/enrolmentForm';
import { SelectField, TextField, codeOptions } from '../components/Fields';
import type { SectionProps } from './useEnrolmentForm';

const CATEGORY_OPTIONS = codeOptions(GOAL_CATEGORIES);
const ROWS = Array.from({ length: MAX_GOALS_ON_FORM }, (_, index) => index);

export function GoalsSection({ register, errors }: SectionProps) {
  return (
    <section className="section">
      <h2>Goals</h2>
      <p className="hint">Write them in the learner's own words. Leave a goal blank if you do not need it.</p>
      {ROWS.map((index) => (
        <div className="goal-row" key={index}>
          <TextField
            name={`goals.${index}.text`}
            label={`Goal ${index + 1}`}
            hint={index === 0 ? 'What does the learner want to be able to do?' : undefined}
            register={register}
            errors={errors}
          />
          <SelectField
            name={`goals.${index}.category`}
            label={`Type of goal ${index + 1}`}
            options={CATEGORY_OPTIONS}
            register={register}
            errors={errors}
          />
        </div>
      ))}
    </section>
  );
}

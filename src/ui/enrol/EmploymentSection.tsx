import { useWatch } from 'react-hook-form';
import {
  BENEFITS,
  EMPLOYMENT_STATUSES,
  HOURS_PER_WEEK,
  PRIOR_ATTAINMENT,
  UNEMPLOYMENT_LENGTHS,
} from '../../domain/codeLists';
import { Checkbox, CheckboxGroup, RadioGroup, SelectField, codeOptions } from '../components/Fields';
import type { SectionProps } from './useEnrolmentForm';

export function EmploymentSection({ form, register, errors }: SectionProps) {
  const { control } = form;
  const status = useWatch({ control, name: 'employmentStatus' });
  return (
    <section className="section">
      <h2>Employment and benefits</h2>
      <RadioGroup
        name="employmentStatus"
        label="Employment status"
        hint="On the day before the course starts"
        options={codeOptions(EMPLOYMENT_STATUSES)}
        register={register}
        errors={errors}
      />
      {status === '10' ? (
        <div className="conditional">
          <Checkbox
            name="selfEmployed"
            label="The learner is self-employed"
            register={register}
            errors={errors}
          />
          <RadioGroup
            name="hoursPerWeek"
            label="Hours of paid work a week (optional)"
            options={codeOptions(HOURS_PER_WEEK)}
            register={register}
            errors={errors}
          />
        </div>
      ) : null}
      {status === '11' || status === '12' ? (
        <div className="conditional">
          <RadioGroup
            name="unemploymentLength"
            label="How long has the learner been out of paid work? (optional)"
            options={codeOptions(UNEMPLOYMENT_LENGTHS)}
            register={register}
            errors={errors}
          />
        </div>
      ) : null}
      <CheckboxGroup
        name="benefits"
        label="Benefits the learner gets (optional)"
        hint="Tick all that apply"
        options={codeOptions(BENEFITS)}
        register={register}
        errors={errors}
      />
      <Checkbox
        name="fullTimeEducationBefore"
        label="The learner was in full-time education just before this course"
        register={register}
        errors={errors}
      />
      <SelectField
        name="priorAttainment"
        label="Highest qualification (optional)"
        options={codeOptions(PRIOR_ATTAINMENT)}
        register={register}
        errors={errors}
      />
    </section>
  );
}

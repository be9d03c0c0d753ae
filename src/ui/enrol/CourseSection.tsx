import { REFERRAL_SOURCES } from '../../domain/codeLists';
import { DateInput, RadioGroup, codeOptions } from '../components/Fields';
import type { SectionProps } from './useEnrolmentForm';

const REFERRAL_OPTIONS = codeOptions(REFERRAL_SOURCES);

export function CourseSection({ register, errors }: SectionProps) {
  return (
    <section className="section">
      <h2>Course</h2>
      <DateInput
        name="startDate"
        label="Start date"
        hint="The day the learner starts. For example, 27 3 2026"
        register={register}
        errors={errors}
      />
      <RadioGroup
        name="referralSource"
        label="How did the learner find out about this course? (optional)"
        options={REFERRAL_OPTIONS}
        register={register}
        errors={errors}
      />
    </section>
  );
}

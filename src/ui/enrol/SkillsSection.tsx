import { PRIOR_SKILL_AREAS, SKILL_RESULTS } from '../../domain/codeLists';
import { RadioGroup, codeOptions } from '../components/Fields';
import type { SectionProps } from './useEnrolmentForm';

const RESULT_OPTIONS = codeOptions(SKILL_RESULTS);

export function SkillsSection({ register, errors }: SectionProps) {
  return (
    <section className="section skills">
      <h2>Digital skills now</h2>
      <p className="hint">Ask the learner how well they can do these things now. They can skip any.</p>
      {PRIOR_SKILL_AREAS.map((area) => (
        <RadioGroup
          key={area.code}
          name={`priorSkills.${area.code}`}
          label={area.label}
          options={RESULT_OPTIONS}
          inline
          register={register}
          errors={errors}
        />
      ))}
    </section>
  );
}

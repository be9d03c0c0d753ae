// The statements of the framework the tutor chose, one radio group (fieldset) per statement: the 2018
// framework under its foundation skills and each area "for life" and "for work", the 2019 national
// standards by area and level. Only the chosen framework's statements are shown, so results never mix.
import type { FieldErrors, UseFormRegister } from 'react-hook-form';
import { ITEM_RESULTS } from '../../domain/codeLists';
import {
  type DigitalFramework,
  EDS_2018_AREAS,
  EDS_2018_ITEMS,
  NSEDS_2019_ITEMS,
} from '../../domain/skillsFrameworks';
import { ErrorMessage } from '../components/ErrorMessage';
import { RadioGroup, codeOptions } from '../components/Fields';
import { messageAt } from '../components/formErrors';
import {
  type AssessmentFormValues,
  RESULTS_FIELD,
  STATEMENTS_ANCHOR,
  statementField,
} from '../../domain/forms/assessmentForm';
import './Assessment.css';

const RESULT_OPTIONS = codeOptions(ITEM_RESULTS);

type StatementProps = {
  register: UseFormRegister<AssessmentFormValues>;
  errors: FieldErrors<AssessmentFormValues>;
};

function Statement({
  framework,
  code,
  label,
  register,
  errors,
}: StatementProps & { framework: DigitalFramework; code: string; label: string }) {
  return (
    <RadioGroup
      name={`${RESULTS_FIELD[framework]}.${statementField(code)}`}
      label={label}
      options={RESULT_OPTIONS}
      inline
      register={register}
      errors={errors}
    />
  );
}

function Eds2018Statements(props: StatementProps) {
  const statements = (filter: (item: (typeof EDS_2018_ITEMS)[number]) => boolean) =>
    EDS_2018_ITEMS.filter(filter).map((item) => (
      <Statement key={item.code} framework="eds-2018" code={item.code} label={item.label} {...props} />
    ));
  return (
    <>
      <h3>Foundation skills</h3>
      {statements((item) => item.context === 'foundation')}
      {EDS_2018_AREAS.map((area) => (
        <div key={area.code}>
          <h3>{area.label}</h3>
          <h4>For life</h4>
          {statements((item) => item.area === area.code && item.context === 'life')}
          <h4>For work</h4>
          {statements((item) => item.area === area.code && item.context === 'work')}
        </div>
      ))}
    </>
  );
}

function Nseds2019Statements(props: StatementProps) {
  return (
    <>
      {NSEDS_2019_ITEMS.map((item) => (
        <Statement key={item.code} framework="nseds-2019" code={item.code} label={item.label} {...props} />
      ))}
    </>
  );
}

export function AssessmentStatements({
  framework,
  register,
  errors,
}: StatementProps & { framework: DigitalFramework | null }) {
  const message = messageAt(errors, STATEMENTS_ANCHOR);
  return (
    <section className="section skills assessment-statements" aria-labelledby="statements-heading">
      <h2 id="statements-heading">What the learner can do</h2>
      {/* The error summary links here when nothing at all was assessed. */}
      <div
        id={STATEMENTS_ANCHOR}
        tabIndex={-1}
        className={message ? 'form-group form-group--error' : undefined}
      >
        <p className="hint">
          Choose a result for each statement you assessed. Leave the others as &ldquo;Not assessed&rdquo;.
        </p>
        <ErrorMessage name={STATEMENTS_ANCHOR} message={message} />
      </div>
      {framework === 'eds-2018' ? <Eds2018Statements register={register} errors={errors} /> : null}
      {framework === 'nseds-2019' ? <Nseds2019Statements register={register} errors={errors} /> : null}
      {framework === null ? <p>Choose a framework to see its statements.</p> : null}
    </section>
  );
}

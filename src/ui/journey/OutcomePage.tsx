import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useRef } from 'react';
import { type Resolver, useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { db } from '../../db/instance';
import { recordOutcome } from '../../db/journey';
import { OUTCOME_CODES, OUTCOME_EVIDENCE, OUTCOME_TIME_POINTS, labelOf } from '../../domain/codeLists';
import { fullName } from '../../domain/people';
import type { Enrolment, Learner } from '../../domain/records';
import { ErrorSummary } from '../components/ErrorSummary';
import { DateInput, RadioGroup, TextArea, codeOptions } from '../components/Fields';
import { fieldId } from '../components/fieldId';
import { messageAt, summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { successState } from '../components/SuccessBanner';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveOnce } from '../hooks/useSaveOnce';
import { formatDate } from '../learners/formatDates';
import { loadLearnerWithEnrolments } from './journeyLoaders';
import {
  OUTCOME_DATE_FIELDS,
  OUTCOME_FIELD_ORDER,
  type OutcomeFormValues,
  type ValidOutcomeForm,
  currentEnrolmentId,
  emptyOutcomeForm,
  groupedOutcomeCodes,
  outcomeFormSchema,
  outcomeFromForm,
} from '../../domain/forms/journeyForms';
import { OutcomeCodeSelect } from './OutcomeCodeSelect';
import { LearnerNotFound } from '../learners/LearnerNotFound';
import { isChangeableLearner } from '../../domain/people';

const OUTCOME_GROUPS = groupedOutcomeCodes();
const TIME_POINT_OPTIONS = codeOptions(OUTCOME_TIME_POINTS);
const EVIDENCE_OPTIONS = codeOptions(OUTCOME_EVIDENCE);
const DATE_HINT = 'For example, 27 3 2026';

/** /learners/:learnerId/outcomes/new */
export function OutcomePage() {
  const { learnerId = '' } = useParams();
  // A fresh form for each learner: moving between records never reuses what was typed.
  return <OutcomeRecorder key={learnerId} learnerId={learnerId} />;
}

function OutcomeRecorder({ learnerId }: { learnerId: string }) {
  const loaded = useLiveQuery(() => loadLearnerWithEnrolments(learnerId), [learnerId]);
  if (loaded === undefined) return <Loading />;
  if (loaded === null) return <OutcomeLearnerNotFound />;
  if (!isChangeableLearner(loaded.learner)) return <LearnerJoined keptId={loaded.learner.mergedInto} />;
  return <OutcomeForm learner={loaded.learner} enrolments={loaded.enrolments} />;
}

function OutcomeLearnerNotFound() {
  usePageTitle('Learner not found');
  return <LearnerNotFound />;
}

function LearnerJoined({ keptId }: { keptId: string | null }) {
  usePageTitle('Record an outcome');
  return (
    <>
      <h1>Record an outcome</h1>
      <p>
        This record was joined with another one, so outcomes are recorded on the record that is kept.{' '}
        {keptId ? <Link to={`/learners/${keptId}/outcomes/new`}>Record the outcome there</Link> : null}
      </p>
    </>
  );
}

function OutcomeForm({ learner, enrolments }: { learner: Learner; enrolments: Enrolment[] }) {
  const navigate = useNavigate();
  const name = fullName(learner);
  // The form checks dates against the enrolments as they are now (a sync may add one while the
  // tutor types); recordOutcome checks again when saving.
  const enrolmentsNow = useRef(enrolments);
  useEffect(() => {
    enrolmentsNow.current = enrolments;
  }, [enrolments]);
  const resolver = useCallback<Resolver<OutcomeFormValues, unknown, ValidOutcomeForm>>(
    (values, context, options) =>
      zodResolver(outcomeFormSchema(enrolmentsNow.current))(values, context, options),
    [],
  );
  const { register, handleSubmit, formState } = useForm<OutcomeFormValues, unknown, ValidOutcomeForm>({
    resolver,
    defaultValues: emptyOutcomeForm(),
    ...GOVUK_FORM_OPTIONS,
  });
  const { save, saving, saveError } = useSaveOnce();

  const errors = summaryErrors(formState.errors, OUTCOME_FIELD_ORDER).map(linkWholeDateToDay);
  usePageTitle(`Record an outcome for ${name}`, errors.length > 0);

  const onSubmit = (values: ValidOutcomeForm) =>
    save(async () => {
      const outcome = outcomeFromForm(values, learner.id, currentEnrolmentId(enrolments));
      await recordOutcome(db, outcome);
      afterRecordSaved();
      void navigate(`/learners/${learner.id}`, {
        state: successState(`Outcome recorded for ${name}: ${labelOf(OUTCOME_CODES, outcome.code)}.`),
      });
    });

  const firstStart = enrolments
    .map((enrolment) => enrolment.startDate)
    .sort()
    .at(0);
  const fieldProps = { register, errors: formState.errors };
  return (
    <>
      <p>
        <Link className="back-link" to={`/learners/${learner.id}`}>
          Back to {name}
        </Link>
      </p>
      <ErrorSummary errors={errors} focusKey={formState.submitCount} />
      <SaveErrorBanner message={saveError} />
      <h1>Record an outcome for {name}</h1>
      <p className="hint">
        What the learner went on to do: work, more learning, volunteering or something that changed for them.
        {firstStart ? ` They first enrolled on ${formatDate(firstStart)}.` : null}
      </p>
      <form noValidate onSubmit={(event) => void handleSubmit(onSubmit)(event)}>
        <OutcomeCodeSelect
          name="code"
          label="Outcome"
          hint="The outcomes are grouped by kind. Soft outcomes are changes the learner tells you about."
          message={messageAt(formState.errors, 'code')}
          groups={OUTCOME_GROUPS}
          registered={register('code')}
        />
        <DateInput name="startDate" label="Start date" hint={DATE_HINT} {...fieldProps} />
        <DateInput
          name="endDate"
          label="End date (optional)"
          hint="Leave this blank if it has not ended"
          {...fieldProps}
        />
        <DateInput
          name="collectedOn"
          label="Date collected"
          hint="The day you found out about the outcome"
          {...fieldProps}
        />
        <RadioGroup
          name="timePoint"
          label="When was it collected?"
          options={TIME_POINT_OPTIONS}
          {...fieldProps}
        />
        <RadioGroup name="evidence" label="Evidence" options={EVIDENCE_OPTIONS} {...fieldProps} />
        <TextArea
          name="notes"
          label="Notes (optional)"
          hint="For example, the employer or the course. Kept sealed on this tablet."
          {...fieldProps}
        />
        <div className="button-group">
          <button type="submit" className="button" disabled={saving}>
            Save outcome
          </button>
          <Link to={`/learners/${learner.id}`}>Cancel</Link>
        </div>
      </form>
    </>
  );
}

/** A problem with a whole date (not one of its parts) links to the date's first box, the day. */
function linkWholeDateToDay(error: { href: string; message: string }) {
  const dateField = OUTCOME_DATE_FIELDS.find((field) => error.href === `#${fieldId(field)}`);
  return dateField ? { ...error, href: `#${fieldId(`${dateField}.day`)}` } : error;
}

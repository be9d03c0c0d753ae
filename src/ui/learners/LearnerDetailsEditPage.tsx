import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useRef } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { db } from '../../db/instance';
import { getLearner, updateLearnerDetails } from '../../db/learners';
import {
  type LearnerDetailsFormValues,
  type ValidLearnerDetailsForm,
  changedLearnerDetails,
  learnerDetailsFormFromRecord,
  learnerDetailsFormSchema,
  learnerDetailsFromForm,
} from '../../domain/forms/learnerDetailsForm';
import { emptyLearnerContactForm } from '../../domain/forms/learnerContactFields';
import { fullName } from '../../domain/people';
import type { Learner } from '../../domain/records';
import { ErrorSummary } from '../components/ErrorSummary';
import { Checkbox, TextArea, TextField } from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { successState } from '../components/SuccessBanner';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { useFillFormOnce } from '../hooks/useFillFormOnce';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveOnce } from '../hooks/useSaveOnce';
import { LearnerNotFound } from './LearnerNotFound';

/** The fields in the order they appear, so the error summary lists problems top to bottom. */
const FIELD_ORDER: readonly (keyof LearnerDetailsFormValues)[] = [
  'preferredName',
  'addressLine1',
  'addressLine2',
  'town',
  'postcode',
  'postcodeUnknown',
  'phone',
  'email',
  'needsInterpreter',
  'adjustments',
];

/** /learners/:learnerId/edit */
export function LearnerDetailsEditPage() {
  const { learnerId = '' } = useParams();
  // A fresh form for each learner: moving between records never reuses what was typed.
  return <LearnerDetailsEditor key={learnerId} learnerId={learnerId} />;
}

function LearnerDetailsEditor({ learnerId }: { learnerId: string }) {
  const navigate = useNavigate();
  const loaded = useLiveQuery(
    async () => ({ learner: (await getLearner(db, learnerId)) ?? null }),
    [learnerId],
  );
  const learner = loaded?.learner && !loaded.learner.deleted ? loaded.learner : null;
  const { register, handleSubmit, reset, formState } = useForm<
    LearnerDetailsFormValues,
    unknown,
    ValidLearnerDetailsForm
  >({
    resolver: zodResolver(learnerDetailsFormSchema),
    defaultValues: emptyLearnerContactForm(),
    ...GOVUK_FORM_OPTIONS,
  });
  // Filled once: a sync that changes this learner while the tutor types never overwrites the form.
  // The record as shown is kept, so saving sends only what the tutor changed, never the form's older
  // copy of a field a sync has changed since.
  const shown = useRef<Learner | null>(null);
  const fillFrom = useCallback((record: Learner) => {
    shown.current = record;
    return learnerDetailsFormFromRecord(record);
  }, []);
  useFillFormOnce<Learner, LearnerDetailsFormValues>(learner, fillFrom, reset);
  const { save, saveError } = useSaveOnce();

  const errors = summaryErrors(formState.errors, FIELD_ORDER);
  const name = learner ? fullName(learner) : null;
  const title = name
    ? `Change ${name}’s details`
    : loaded === undefined
      ? 'Change details'
      : 'Learner not found';
  usePageTitle(title, errors.length > 0);

  if (loaded === undefined) return <Loading />;
  if (!learner || !name) {
    return <LearnerNotFound />;
  }

  const onSubmit = (values: ValidLearnerDetailsForm) =>
    save(async () => {
      const details = learnerDetailsFromForm(values);
      const outcome = await updateLearnerDetails(
        db,
        learnerId,
        shown.current ? changedLearnerDetails(shown.current, details) : details,
      );
      if (outcome === 'saved') afterRecordSaved();
      void navigate(`/learners/${learnerId}`, {
        state: successState(
          outcome === 'saved'
            ? `${name}’s details have been saved.`
            : `Nothing was changed in ${name}’s details.`,
        ),
      });
    });

  const fieldProps = { register, errors: formState.errors };
  return (
    <>
      <ErrorSummary errors={errors} focusKey={formState.submitCount} />
      <SaveErrorBanner message={saveError} />
      <h1>{title}</h1>
      <form noValidate onSubmit={(event) => void handleSubmit(onSubmit)(event)}>
        <TextField
          name="preferredName"
          label="Preferred name (optional)"
          hint="What the learner likes to be called, if it is different"
          spellCheck={false}
          {...fieldProps}
        />
        <TextField name="addressLine1" label="Address line 1" {...fieldProps} />
        <TextField name="addressLine2" label="Address line 2 (optional)" {...fieldProps} />
        <TextField name="town" label="Town or city" width="medium" {...fieldProps} />
        <TextField
          name="postcode"
          label="Postcode"
          hint="For example, L20 3NJ"
          autoComplete="postal-code"
          width="short"
          spellCheck={false}
          {...fieldProps}
        />
        <Checkbox
          name="postcodeUnknown"
          label="The learner has no postcode or does not know it"
          {...fieldProps}
        />
        <TextField name="phone" label="Phone number (optional)" type="tel" width="medium" {...fieldProps} />
        <TextField
          name="email"
          label="Email address (optional)"
          type="email"
          spellCheck={false}
          {...fieldProps}
        />
        <Checkbox name="needsInterpreter" label="The learner needs an interpreter" {...fieldProps} />
        <TextArea
          name="adjustments"
          label="Adjustments (optional)"
          hint="Anything that helps them take part, like large print. Do not record a diagnosis."
          {...fieldProps}
        />
        <div className="button-group">
          <button type="submit" className="button">
            Save details
          </button>
          <Link to={`/learners/${learnerId}`}>Cancel</Link>
        </div>
      </form>
    </>
  );
}

import { zodResolver } from '@hookform/resolvers/zod';
import { type FormEvent, useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { isStoreError } from '../../db/errors';
import { EMPTY_UNLOCK_FORM, type UnlockFormValues, unlockFormSchema } from '../../domain/forms/pinForms';
import { ErrorSummary } from '../components/ErrorSummary';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { usePageTitle } from '../hooks/usePageTitle';
import { checkTutorPin } from './tutorPin';
import { PinField } from '../lock/PinField';

const FIELD_ORDER = ['pin'] as const;

export type PinAction = { value: string; label: string };

type Props = {
  /** The person whose PIN is asked for: the one the tablet is locked to (never named on screen). */
  userId: string;
  /** The first is the main button; a second is offered beside it. */
  actions: readonly [PinAction, ...PinAction[]];
  /** After the right PIN (this tab is then unlocked), with the action chosen. */
  onRight: (action: string) => Promise<void> | void;
  /** When the form is the page's own, its title: it then leads with the GOV.UK error summary. */
  pageTitle?: string;
};

/** The page's title, "Error: " first while the form shows errors (only when the form is the page's). */
function PageTitle({ title, hasErrors }: { title: string; hasErrors: boolean }) {
  usePageTitle(title, hasErrors);
  return null;
}

/**
 * A tutor's PIN on the kiosk: the same check, and the same count towards the lockout, as unlocking
 * the app. Nothing on it names the tutor, since a learner is at the screen.
 */
export function KioskPinForm({ userId, actions, onRight, pageTitle }: Props) {
  const { register, handleSubmit, formState, setError, resetField, setFocus } = useForm<UnlockFormValues>({
    ...GOVUK_FORM_OPTIONS,
    resolver: zodResolver(unlockFormSchema),
    defaultValues: EMPTY_UNLOCK_FORM,
  });
  const [problem, setProblem] = useState<string | null>(null);
  // A wrong PIN lands on the field after the submit has finished: this moves focus to the error then.
  const [wrongTries, setWrongTries] = useState(0);
  const summary = summaryErrors(formState.errors, FIELD_ORDER);
  const isPageForm = pageTitle !== undefined;
  const hasError = formState.errors.pin !== undefined;
  useEffect(() => {
    // In the leave panel, under a learner's page, there is no summary: the field itself takes focus.
    if (!isPageForm && hasError) setFocus('pin');
  }, [isPageForm, hasError, formState.submitCount, wrongTries, setFocus]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const action = submitter?.getAttribute('value') ?? actions[0].value;
    void handleSubmit(async (values) => {
      setProblem(null);
      try {
        const result = await checkTutorPin(userId, values.pin);
        switch (result.kind) {
          case 'right':
            await onRight(action);
            return;
          case 'wrong':
            resetField('pin');
            setError('pin', { type: 'server', message: result.message });
            setWrongTries((count) => count + 1);
            return;
          case 'not-opened':
            resetField('pin');
            setProblem(result.message);
            return;
          case 'refused':
            return;
        }
      } catch (error) {
        console.error(error);
        setProblem(
          isStoreError(error) ? error.message : 'The PIN could not be checked on this tablet. Try again.',
        );
      }
    })(event);
  };

  return (
    <>
      {isPageForm ? (
        <>
          <PageTitle title={pageTitle} hasErrors={summary.length > 0} />
          <ErrorSummary errors={summary} focusKey={formState.submitCount + wrongTries} />
        </>
      ) : null}
      {problem ? (
        <div className="banner banner--error" role="alert">
          <p>{problem}</p>
        </div>
      ) : null}
      <form onSubmit={submit} noValidate>
        <PinField name="pin" label="Tutor's PIN" register={register} errors={formState.errors} />
        <div className="button-group">
          {actions.map((action, index) => (
            <button
              key={action.value}
              type="submit"
              name="action"
              value={action.value}
              className={index === 0 ? 'button' : 'button button--secondary'}
              disabled={formState.isSubmitting}
            >
              {action.label}
            </button>
          ))}
        </div>
      </form>
    </>
  );
}

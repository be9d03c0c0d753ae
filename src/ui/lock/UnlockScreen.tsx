import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { attemptsLeft, wrongPinMessage } from '../../domain/deviceLock';
import { EMPTY_UNLOCK_FORM, type UnlockFormValues, unlockFormSchema } from '../../domain/forms/pinForms';
import type { SignedInUser } from '../../domain/sync/status';
import { ErrorSummary } from '../components/ErrorSummary';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { usePageTitle } from '../hooks/usePageTitle';
import { PIN_OPENS_NO_DATA_KEY_MESSAGE, unlockWithPin } from './pinUnlock';
import { PinField } from './PinField';

const FIELD_ORDER = ['pin'] as const;

function triesLeftWords(left: number): string {
  return left === 1 ? '1 more try' : `${left} more tries`;
}

/** The app is locked for the last person who signed in: their PIN opens it, offline too. */
export function UnlockScreen({ user, failedAttempts }: { user: SignedInUser; failedAttempts: number }) {
  const { register, handleSubmit, formState, setError, resetField } = useForm<UnlockFormValues>({
    ...GOVUK_FORM_OPTIONS,
    resolver: zodResolver(unlockFormSchema),
    defaultValues: EMPTY_UNLOCK_FORM,
  });
  const [problem, setProblem] = useState<{ title: string; message: string } | null>(null);
  // A wrong PIN lands on the field after the submit has finished: this moves focus to the summary then.
  const [wrongTries, setWrongTries] = useState(0);
  const summary = summaryErrors(formState.errors, FIELD_ORDER);
  usePageTitle('Enter your PIN', summary.length > 0);

  const onSubmit = handleSubmit(async (values) => {
    setProblem(null);
    try {
      const result = await unlockWithPin(user.id, values.pin);
      switch (result.kind) {
        case 'unlocked':
          return;
        case 'no-data-key':
          resetField('pin');
          setProblem({ title: 'The tablet did not open', message: PIN_OPENS_NO_DATA_KEY_MESSAGE });
          return;
        case 'wrong':
          resetField('pin');
          setError('pin', { type: 'server', message: wrongPinMessage(result.attemptsLeft) });
          setWrongTries((count) => count + 1);
          return;
        // Locked out, or the PIN was removed: the screen changes by itself.
        case 'locked-out':
        case 'no-pin':
          return;
      }
    } catch (error) {
      console.error(error);
      setProblem({
        title: 'The PIN was not checked',
        message: 'The PIN could not be checked on this tablet. Try again.',
      });
    }
  });

  return (
    <>
      <ErrorSummary errors={summary} focusKey={formState.submitCount + wrongTries} />
      {problem ? (
        <div className="banner banner--error" role="alert">
          <h2 className="banner__title">{problem.title}</h2>
          <p>{problem.message}</p>
        </div>
      ) : null}
      <h1>Enter your PIN</h1>
      <p>
        The app is locked. <strong>{user.name}</strong>{' '}
        {user.organisationId ? 'is signed in' : 'last signed in'} on this tablet.
      </p>
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <PinField
          name="pin"
          label="PIN"
          hint={
            failedAttempts > 0 && !formState.errors.pin
              ? `You have ${triesLeftWords(attemptsLeft(failedAttempts))} before the tablet locks until you sign in with your password.`
              : undefined
          }
          register={register}
          errors={formState.errors}
        />
        <button type="submit" className="button" disabled={formState.isSubmitting}>
          Unlock
        </button>
      </form>
      <p className="button-group">
        <Link to="/sign-in">Not you? Sign in as someone else</Link>
      </p>
    </>
  );
}

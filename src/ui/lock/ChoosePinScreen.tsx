import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { isStoreError } from '../../db/errors';
import { MAX_PIN_LENGTH, MIN_PIN_LENGTH } from '../../domain/deviceLock';
import {
  type ChoosePinFormValues,
  EMPTY_CHOOSE_PIN_FORM,
  choosePinFormSchema,
} from '../../domain/forms/pinForms';
import type { SignedInUser } from '../../domain/sync/status';
import { ErrorSummary } from '../components/ErrorSummary';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { usePageTitle } from '../hooks/usePageTitle';
import { choosePinAndOpen } from './pinUnlock';
import { PinField } from './PinField';

const FIELD_ORDER = ['pin', 'confirmPin'] as const;

/**
 * After an online sign-in, for someone with no PIN on this tablet (or who lost theirs to too many
 * wrong tries): they choose one, and the app opens.
 */
export function ChoosePinScreen({ user }: { user: SignedInUser }) {
  const { register, handleSubmit, formState } = useForm<ChoosePinFormValues>({
    ...GOVUK_FORM_OPTIONS,
    resolver: zodResolver(choosePinFormSchema),
    defaultValues: EMPTY_CHOOSE_PIN_FORM,
  });
  const [problem, setProblem] = useState<string | null>(null);
  // No data key in this tab to wrap under the PIN: only signing in again gives it one.
  const [signInAgain, setSignInAgain] = useState(false);
  const summary = summaryErrors(formState.errors, FIELD_ORDER);
  usePageTitle('Choose a PIN for this tablet', summary.length > 0);

  const onSubmit = handleSubmit(async (values) => {
    setProblem(null);
    setSignInAgain(false);
    // They signed in with their password: this tab is theirs. It opens once the PIN is stored.
    try {
      await choosePinAndOpen(user, values.pin);
    } catch (error) {
      console.error(error);
      setProblem(
        isStoreError(error) ? error.message : 'Your PIN could not be saved on this tablet. Try again.',
      );
      setSignInAgain(isStoreError(error, 'locked'));
    }
  });

  return (
    <>
      <ErrorSummary errors={summary} focusKey={formState.submitCount} />
      <SaveErrorBanner message={problem} />
      {signInAgain ? (
        <p className="button-group">
          <Link to="/sign-in">Sign in again</Link>
        </p>
      ) : null}
      <h1>Choose a PIN for this tablet</h1>
      <p>
        You are signed in as <strong>{user.name}</strong>. From now on you open the app on this tablet with
        your PIN, even with no internet connection. The app locks itself when it is not used for a while.
      </p>
      <p>Anyone else who uses this tablet signs in and chooses a PIN of their own.</p>
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <PinField
          name="pin"
          label="PIN"
          hint={`${MIN_PIN_LENGTH} to ${MAX_PIN_LENGTH} numbers. Not one that is easy to guess, like 1234 or 1111.`}
          register={register}
          errors={formState.errors}
        />
        <PinField
          name="confirmPin"
          label="Enter the PIN again"
          register={register}
          errors={formState.errors}
        />
        <button type="submit" className="button" disabled={formState.isSubmitting}>
          Save PIN
        </button>
      </form>
    </>
  );
}

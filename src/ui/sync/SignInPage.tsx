import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { EMPTY_SIGN_IN_FORM, type SignInFormValues, signInFormSchema } from '../../domain/sync/accountForms';
import { ErrorSummary } from '../components/ErrorSummary';
import { TextField } from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { successState } from '../components/SuccessBanner';
import { useOnlineSignIn } from '../hooks/useOnlineSignIn';
import { usePageTitle } from '../hooks/usePageTitle';
import { SignInOpeningBanner } from '../lock/SignInOpeningBanner';
import { ProblemBanner } from '../people/ProblemBanner';
import { syncApi } from './appSync';
import { useSetupNeeded } from './useSetupNeeded';

const FIELD_ORDER = ['email', 'password'] as const;

/** /sign-in: a tutor signs in so this device's changes reach the organisation. */
export function SignInPage() {
  const navigate = useNavigate();
  const setupNeeded = useSetupNeeded();
  const { register, handleSubmit, formState, setError } = useForm<SignInFormValues>({
    ...GOVUK_FORM_OPTIONS,
    resolver: zodResolver(signInFormSchema),
    defaultValues: EMPTY_SIGN_IN_FORM,
  });
  // Why the sign-in did not work when it is not one field's fault: the server refused it (too many
  // wrong attempts, a suspended account), there is no connection, or the device could not store it.
  const [problem, setProblem] = useState<{ title: string; message: string } | null>(null);
  const { opening, finishSignIn } = useOnlineSignIn();
  const summary = summaryErrors(formState.errors, FIELD_ORDER);
  usePageTitle('Sign in', summary.length > 0);

  const onSubmit = handleSubmit(async (values) => {
    setProblem(null);
    const result = await syncApi.signIn(values.email.trim(), values.password);
    if (!result.ok) {
      const { failure } = result;
      if (failure.kind === 'not-signed-in' || failure.status === 400) {
        // The server says one thing for a wrong email or password: shown against the email field.
        setError('email', { type: 'server', message: failure.message });
        return;
      }
      // Anything else is not about what was typed (too many wrong attempts, an account that may not
      // sign in, no connection): said at the top, with the server's own words when it gave some.
      setProblem({
        title: 'You are not signed in',
        message:
          failure.kind === 'offline'
            ? 'There is no connection to the server. Connect to the internet and try again. Everything you save is kept on this tablet meanwhile.'
            : failure.message,
      });
      return;
    }
    const user = result.value;
    // The password opens this tab for them, once it holds the key to the records; they are asked for
    // a PIN first if they have none here.
    await finishSignIn(
      user,
      () =>
        setProblem({
          title: 'Not saved',
          message: 'You are signed in, but this device could not remember it. Try again.',
        }),
      () =>
        void navigate('/sync', {
          state: successState(`You are signed in as ${user.name}. Your changes are syncing.`),
        }),
    );
  });

  return (
    <>
      <ErrorSummary errors={summary} focusKey={formState.submitCount} />
      <ProblemBanner title={problem?.title ?? ''} message={problem?.message ?? null} />
      <SignInOpeningBanner problem={opening.problem} busy={opening.busy} onRetry={opening.retry} />
      <h1>Sign in</h1>
      <p>Sign in to send the records on this tablet to your organisation and get everyone else's.</p>
      {setupNeeded === true ? (
        <div className="inset">
          <p>No organisation is set up on this server yet.</p>
          <p className="button-group">
            <Link to="/setup">Set up your organisation</Link>
          </p>
        </div>
      ) : null}
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <TextField
          name="email"
          label="Email address"
          type="email"
          autoComplete="username"
          spellCheck={false}
          register={register}
          errors={formState.errors}
        />
        <TextField
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          spellCheck={false}
          register={register}
          errors={formState.errors}
        />
        <button type="submit" className="button" disabled={formState.isSubmitting}>
          Sign in
        </button>
      </form>
    </>
  );
}

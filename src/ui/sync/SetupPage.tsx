import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { EMPTY_SETUP_FORM, type SetupFormValues, setupFormSchema } from '../../domain/sync/accountForms';
import { FullNameField, NewPasswordField } from '../components/AccountFields';
import { ErrorSummary } from '../components/ErrorSummary';
import { TextField } from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { successState } from '../components/SuccessBanner';
import { useOnlineSignIn } from '../hooks/useOnlineSignIn';
import { usePageTitle } from '../hooks/usePageTitle';
import { SignInOpeningBanner } from '../lock/SignInOpeningBanner';
import { syncApi } from './appSync';
import { rememberSetupDone, useSetupNeeded } from './useSetupNeeded';

const FIELD_ORDER = ['organisationName', 'name', 'email', 'password'] as const;

/** /setup: the first run of a new server: the organisation and its first coordinator. */
export function SetupPage() {
  const navigate = useNavigate();
  const setupNeeded = useSetupNeeded();
  const { register, handleSubmit, formState } = useForm<SetupFormValues>({
    ...GOVUK_FORM_OPTIONS,
    resolver: zodResolver(setupFormSchema),
    defaultValues: EMPTY_SETUP_FORM,
  });
  const [problem, setProblem] = useState<string | null>(null);
  const { opening, finishSignIn } = useOnlineSignIn();
  const summary = summaryErrors(formState.errors, FIELD_ORDER);
  usePageTitle('Set up your organisation', summary.length > 0);

  const onSubmit = handleSubmit(async (values) => {
    setProblem(null);
    const result = await syncApi.setUp({
      organisationName: values.organisationName.trim(),
      name: values.name.trim(),
      email: values.email.trim(),
      password: values.password,
    });
    if (!result.ok) {
      const { failure } = result;
      setProblem(
        failure.kind === 'offline'
          ? 'There is no connection to the server. Connect to the internet and try again.'
          : failure.status === 409
            ? 'An organisation is already set up on this server. Sign in instead.'
            : failure.message,
      );
      return;
    }
    rememberSetupDone();
    const user = result.value;
    // Signed in: this tab is theirs once it holds the key to the records, and they have chosen a PIN.
    await finishSignIn(
      user,
      () => setProblem('Your organisation is set up, but this device could not remember you. Sign in.'),
      () =>
        void navigate('/sync', {
          state: successState(
            `${user.organisationName ?? 'Your organisation'} is set up and you are signed in.`,
          ),
        }),
    );
  });

  return (
    <>
      <ErrorSummary errors={summary} focusKey={formState.submitCount} />
      <SaveErrorBanner message={problem} />
      <SignInOpeningBanner problem={opening.problem} busy={opening.busy} onRetry={opening.retry} />
      <h1>Set up your organisation</h1>
      {setupNeeded === false ? (
        <div className="inset">
          <p>An organisation is already set up on this server.</p>
          <p className="button-group">
            <Link to="/sign-in">Sign in instead</Link>
          </p>
        </div>
      ) : (
        <p>
          Do this once, on the first tablet. You will be the organisation's coordinator and can add tutors
          afterwards.
        </p>
      )}
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <TextField
          name="organisationName"
          label="Your organisation's name"
          autoComplete="organization"
          register={register}
          errors={formState.errors}
        />
        <FullNameField register={register} errors={formState.errors} />
        <TextField
          name="email"
          label="Email address"
          hint="You will use it to sign in."
          type="email"
          autoComplete="username"
          spellCheck={false}
          register={register}
          errors={formState.errors}
        />
        <NewPasswordField register={register} errors={formState.errors} />
        <button type="submit" className="button" disabled={formState.isSubmitting}>
          Set up organisation
        </button>
      </form>
    </>
  );
}

import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import type { ApiResult } from '../../api/syncApi';
import {
  type AcceptInvitationFormValues,
  EMPTY_ACCEPT_INVITATION_FORM,
  acceptInvitationFormSchema,
  fieldProblemsFrom,
} from '../../domain/forms/invitationForm';
import { roleWords } from '../../domain/roles';
import type { InvitationDetails } from '../../domain/userAccounts';
import { FullNameField, NewPasswordField } from '../components/AccountFields';
import { ErrorSummary } from '../components/ErrorSummary';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Loading } from '../components/Loading';
import { useOnlineSignIn } from '../hooks/useOnlineSignIn';
import { usePageTitle } from '../hooks/usePageTitle';
import { useServerFieldErrors } from '../hooks/useServerFieldErrors';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { formatDateTime } from '../learners/formatDates';
import { SignInOpeningBanner } from '../lock/SignInOpeningBanner';
import { syncApi } from '../sync/appSync';
import { ProblemBanner } from './ProblemBanner';

const FIELD_ORDER = ['name', 'password'] as const;

/** "a tutor", "a coordinator". */
function withArticle(role: string): string {
  return `a ${roleWords(role).toLowerCase()}`;
}

/** /invite/:code: the invited person sees whose invitation it is, sets their name and password, and is signed in. */
export function AcceptInvitationPage() {
  const { code = '' } = useParams();
  // A fresh page for each code.
  return <InvitationAnswer key={code} code={code} />;
}

function InvitationAnswer({ code }: { code: string }) {
  const [asked, setAsked] = useState(0);
  const [answer, setAnswer] = useState<ApiResult<InvitationDetails> | null>(null);

  useEffect(() => {
    let current = true;
    void syncApi.invitation(code).then((result) => {
      if (current) setAnswer(result);
    });
    return () => {
      current = false;
    };
  }, [code, asked]);

  if (answer === null) {
    return (
      <>
        <Title title="Your invitation" />
        <h1>Your invitation</h1>
        <Loading />
      </>
    );
  }
  if (!answer.ok) {
    const { failure } = answer;
    if (failure.kind === 'offline') {
      return (
        <>
          <Title title="Your invitation" />
          <h1>Your invitation</h1>
          <p>
            There is no connection to the server, so the invitation cannot be checked. Connect to the internet
            and try again.
          </p>
          <p className="button-group">
            <button type="button" className="button" onClick={() => setAsked((count) => count + 1)}>
              Try again
            </button>
          </p>
        </>
      );
    }
    return (
      <>
        <Title title="This invitation does not work" />
        <h1>This invitation does not work</h1>
        <p>
          {failure.status === 404
            ? failure.message
            : `The invitation could not be checked. ${failure.message}`}
        </p>
        {failure.status === 404 ? null : (
          <p className="button-group">
            <button type="button" className="button" onClick={() => setAsked((count) => count + 1)}>
              Try again
            </button>
          </p>
        )}
      </>
    );
  }
  return <AcceptForm code={code} invitation={answer.value} />;
}

function Title({ title, hasErrors = false }: { title: string; hasErrors?: boolean }) {
  usePageTitle(title, hasErrors);
  return null;
}

function AcceptForm({ code, invitation }: { code: string; invitation: InvitationDetails }) {
  const navigate = useNavigate();
  const signedIn = useSignedInUser();
  const { register, handleSubmit, formState, setError } = useForm<
    AcceptInvitationFormValues,
    unknown,
    z.output<typeof acceptInvitationFormSchema>
  >({
    ...GOVUK_FORM_OPTIONS,
    resolver: zodResolver(acceptInvitationFormSchema),
    defaultValues: EMPTY_ACCEPT_INVITATION_FORM,
  });
  const [problem, setProblem] = useState<{ title: string; message: string } | null>(null);
  const { opening, finishSignIn } = useOnlineSignIn();
  const serverErrors = useServerFieldErrors(setError);
  const summary = summaryErrors(formState.errors, FIELD_ORDER);
  const title = `Join ${invitation.organisationName}`;

  const onSubmit = handleSubmit(async (values) => {
    setProblem(null);
    const result = await syncApi.acceptInvitation(code, values.name, values.password);
    if (!result.ok) {
      const { failure } = result;
      const problems = failure.status === 400 ? fieldProblemsFrom(failure.details, FIELD_ORDER) : [];
      if (problems.length > 0) {
        serverErrors.show(problems);
        return;
      }
      setProblem({
        title: 'Your account was not made',
        message:
          failure.kind === 'offline'
            ? 'There is no connection to the server. Connect to the internet and try again.'
            : failure.message,
      });
      return;
    }
    // Signed in, as after "Sign in": the device remembers who, and syncs. This tab is theirs now (no
    // one else's) once it holds the key to the records, and they have chosen a PIN for this tablet.
    await finishSignIn(
      result.value,
      () =>
        setProblem({
          title: 'Not saved',
          message:
            'Your account is made, but this device could not remember you. Sign in with your email address and password.',
        }),
      () => void navigate('/', { replace: true }),
    );
  });

  return (
    <>
      <Title title={title} hasErrors={summary.length > 0} />
      <ErrorSummary errors={summary} focusKey={formState.submitCount + serverErrors.shown} />
      <ProblemBanner title={problem?.title ?? ''} message={problem?.message ?? null} />
      <SignInOpeningBanner problem={opening.problem} busy={opening.busy} onRetry={opening.retry} />
      <h1>{title}</h1>
      <p>
        You have been invited to join {invitation.organisationName} as {withArticle(invitation.role)}. You
        will sign in with <strong className="break-anywhere">{invitation.email}</strong>.
      </p>
      <p className="hint">This invitation works until {formatDateTime(invitation.expiresAt)}.</p>
      {signedIn ? (
        <div className="inset">
          <p>
            {signedIn.name} is signed in on this tablet. Making your account signs you in instead. Everything
            saved on this tablet stays here.
          </p>
        </div>
      ) : null}
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        {/* For password managers: the account the new password belongs to. */}
        <input type="hidden" autoComplete="username" value={invitation.email} />
        <FullNameField register={register} errors={formState.errors} />
        <NewPasswordField register={register} errors={formState.errors} />
        <button type="submit" className="button" disabled={formState.isSubmitting}>
          Make my account and sign in
        </button>
      </form>
    </>
  );
}

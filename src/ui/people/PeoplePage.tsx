import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import type { z } from 'zod';
import {
  EMPTY_INVITATION_FORM,
  type InvitationFormValues,
  fieldProblemsFrom,
  invitationFormSchema,
  invitationRequestFromForm,
} from '../../domain/forms/invitationForm';
import { isTutor, roleWords } from '../../domain/roles';
import type { SignedInUser } from '../../domain/sync/status';
import type { CreatedInvitation, Invitation, UserAccount } from '../../domain/userAccounts';
import { CoordinatorPage } from '../components/CoordinatorPage';
import { ErrorSummary } from '../components/ErrorSummary';
import { RadioGroup, TextField } from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Loading } from '../components/Loading';
import { ServerListProblem } from '../components/ServerListProblem';
import { usePageTitle } from '../hooks/usePageTitle';
import { useServerFieldErrors } from '../hooks/useServerFieldErrors';
import { useServerList } from '../hooks/useServerList';
import { formatDateTime } from '../learners/formatDates';
import { syncApi } from '../sync/appSync';
import { InvitationCreated } from './InvitationCreated';
import { PersonCard } from './PersonCard';
import { ProblemBanner } from './ProblemBanner';
import { problemWords } from './problemWords';

const FIELD_ORDER = ['email', 'role'] as const;

const ROLE_OPTIONS = [
  {
    value: 'tutor',
    label: 'Tutor',
    hint: 'Runs sessions. Sees only the sessions they run and the learners on those courses.',
  },
  {
    value: 'coordinator',
    label: 'Coordinator',
    hint: 'Sees everything, and manages people, venues and programmes.',
  },
] as const;

/** /people: a coordinator's list of the organisation's accounts and invitations. Needs a connection. */
export function PeoplePage() {
  return (
    <CoordinatorPage title="People" notForYou={(signedIn) => <NotForYou signedIn={signedIn} />}>
      {(me) => <PeopleManager me={me} />}
    </CoordinatorPage>
  );
}

function PeopleTitle({ hasErrors = false }: { hasErrors?: boolean }) {
  usePageTitle('People', hasErrors);
  return null;
}

/** What a tutor, or a tablet no one has signed in on, sees instead of the page. */
function NotForYou({ signedIn }: { signedIn: SignedInUser | null }) {
  return (
    <>
      <PeopleTitle />
      <h1>People</h1>
      <p>Only a coordinator can invite people and change who can sign in.</p>
      {isTutor(signedIn) ? (
        <p>If someone needs an account, or should no longer have one, ask your coordinator.</p>
      ) : (
        <p>
          No coordinator is signed in on this tablet. <Link to="/sign-in">Sign in as a coordinator</Link> to
          manage people.
        </p>
      )}
    </>
  );
}

function PeopleManager({ me }: { me: SignedInUser }) {
  // Opening People again asks the server again (someone may have joined), as does an invitation.
  const { value: people, problem, askAgain, replace } = useServerList(() => syncApi.listPeople());
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const [inviteProblem, setInviteProblem] = useState<string | null>(null);
  const [listMessage, setListMessage] = useState('');
  const { register, handleSubmit, formState, setError, reset } = useForm<
    InvitationFormValues,
    unknown,
    z.output<typeof invitationFormSchema>
  >({
    ...GOVUK_FORM_OPTIONS,
    resolver: zodResolver(invitationFormSchema),
    defaultValues: EMPTY_INVITATION_FORM,
  });
  const serverErrors = useServerFieldErrors(setError);
  const summary = summaryErrors(formState.errors, FIELD_ORDER);

  const onInvite = handleSubmit(async (values) => {
    setInviteProblem(null);
    const request = invitationRequestFromForm(values);
    const result = await syncApi.invite(request.email, request.role);
    if (!result.ok) {
      const { failure } = result;
      const problems =
        failure.reason === 'already-a-user'
          ? [{ field: 'email' as const, message: failure.message }]
          : failure.status === 400
            ? fieldProblemsFrom(failure.details, FIELD_ORDER)
            : [];
      if (problems.length > 0) {
        serverErrors.show(problems);
      } else {
        setInviteProblem(problemWords(failure));
      }
      return;
    }
    setCreated(result.value);
    reset(EMPTY_INVITATION_FORM);
    askAgain();
  });

  const replacePerson = (person: UserAccount) =>
    replace((before) => ({
      ...before,
      users: before.users.map((user) => (user.id === person.id ? person : user)),
    }));

  const withdraw = async (invitation: Invitation) => {
    setListMessage('');
    const result = await syncApi.withdrawInvitation(invitation.id);
    if (!result.ok) {
      setListMessage(
        `The invitation for ${invitation.email} was not withdrawn. ${problemWords(result.failure)}`,
      );
      return;
    }
    if (created?.invitation.id === invitation.id) setCreated(null);
    setListMessage(`The invitation for ${invitation.email} is withdrawn: its code no longer works.`);
    askAgain();
  };

  return (
    <>
      <PeopleTitle hasErrors={summary.length > 0} />
      <ErrorSummary errors={summary} focusKey={formState.submitCount + serverErrors.shown} />
      <h1>People</h1>
      <p>
        Everyone who can sign in to {me.organisationName ?? 'your organisation'}. Changes here need a
        connection to the server.
      </p>

      <h2>Invite someone</h2>
      {created ? <InvitationCreated created={created} /> : null}
      <ProblemBanner title="No invitation made" message={inviteProblem} />
      <form onSubmit={(event) => void onInvite(event)} noValidate>
        <TextField
          name="email"
          label="Their email address"
          hint="They will use it to sign in."
          type="email"
          autoComplete="off"
          spellCheck={false}
          register={register}
          errors={formState.errors}
        />
        <RadioGroup
          name="role"
          label="What will they do?"
          options={ROLE_OPTIONS}
          register={register}
          errors={formState.errors}
        />
        <button type="submit" className="button" disabled={formState.isSubmitting}>
          Create invitation
        </button>
      </form>

      <ServerListProblem title="Could not get the list of people" problem={problem} onRetry={askAgain} />
      {people === null ? (
        problem ? null : (
          <Loading />
        )
      ) : (
        <>
          <h2>Invitations not yet accepted</h2>
          <p role="status" className="status-message">
            {listMessage}
          </p>
          {people.invitations.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul className="list">
              {people.invitations.map((invitation) => (
                <li key={invitation.id}>
                  <span className="break-anywhere">
                    <strong>{invitation.email}</strong>
                  </span>
                  <span className="meta">
                    {roleWords(invitation.role)}. Invited by {invitation.invitedByName}. Works until{' '}
                    {formatDateTime(invitation.expiresAt)}.
                  </span>
                  <button
                    type="button"
                    className="button button--secondary"
                    onClick={() => void withdraw(invitation)}
                  >
                    Withdraw invitation<span className="visually-hidden"> for {invitation.email}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}

          <h2>Accounts</h2>
          <ul className="list">
            {people.users.map((person) => (
              <PersonCard
                key={person.id}
                person={person}
                isYou={person.id === me.id}
                onChanged={replacePerson}
              />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

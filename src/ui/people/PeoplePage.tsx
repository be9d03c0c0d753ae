import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useLocation } from 'react-router';
import type { z } from 'zod';
import {
  EMPTY_INVITATION_FORM,
  type InvitationFormValues,
  fieldProblemsFrom,
  invitationFormSchema,
  invitationRequestFromForm,
} from '../../domain/forms/invitationForm';
import { isCoordinator, isTutor, roleWords } from '../../domain/roles';
import type { SignedInUser } from '../../domain/sync/status';
import type { CreatedInvitation, Invitation, PeopleList, UserAccount } from '../../domain/userAccounts';
import { ErrorSummary } from '../components/ErrorSummary';
import { RadioGroup, TextField } from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSignedInUser } from '../hooks/useSignedInUser';
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
  const signedIn = useSignedInUser();
  if (signedIn === undefined) {
    return (
      <>
        <PeopleTitle />
        <h1>People</h1>
        <Loading />
      </>
    );
  }
  if (!isCoordinator(signedIn)) return <NotForYou signedIn={signedIn} />;
  // Keyed by the user: another coordinator signing in on this tablet starts with a fresh page.
  return <PeopleManager key={signedIn.id} me={signedIn} />;
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

type Loaded = { people: PeopleList | null; problem: string | null };

function PeopleManager({ me }: { me: SignedInUser }) {
  const [loaded, setLoaded] = useState<Loaded>({ people: null, problem: null });
  // Opening People again (its link while on it) asks the server again: someone may have joined.
  const { key: visit } = useLocation();
  // Bumped to ask the server again (after an invitation, or "Try again").
  const [asked, setAsked] = useState(0);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const [inviteProblem, setInviteProblem] = useState<string | null>(null);
  // Server errors land on fields after the submit has finished: this moves focus to the summary then.
  const [serverErrors, setServerErrors] = useState(0);
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
  const summary = summaryErrors(formState.errors, FIELD_ORDER);

  useEffect(() => {
    let current = true;
    void syncApi.listPeople().then((result) => {
      if (!current) return;
      // A failed refresh keeps the list already shown, with the reason beside it.
      setLoaded((before) =>
        result.ok
          ? { people: result.value, problem: null }
          : { people: before.people, problem: problemWords(result.failure) },
      );
    });
    return () => {
      current = false;
    };
  }, [asked, visit]);

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
        for (const problem of problems) setError(problem.field, { type: 'server', message: problem.message });
        setServerErrors((count) => count + 1);
      } else {
        setInviteProblem(problemWords(failure));
      }
      return;
    }
    setCreated(result.value);
    reset(EMPTY_INVITATION_FORM);
    setAsked((count) => count + 1);
  });

  const replacePerson = (person: UserAccount) =>
    setLoaded((before) =>
      before.people
        ? {
            ...before,
            people: {
              ...before.people,
              users: before.people.users.map((user) => (user.id === person.id ? person : user)),
            },
          }
        : before,
    );

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
    setAsked((count) => count + 1);
  };

  const { people, problem } = loaded;
  return (
    <>
      <PeopleTitle hasErrors={summary.length > 0} />
      <ErrorSummary errors={summary} focusKey={formState.submitCount + serverErrors} />
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

      <ProblemBanner title="Could not get the list of people" message={problem} />
      {problem ? (
        <p className="button-group">
          <button type="button" className="button button--secondary" onClick={() => setAsked((n) => n + 1)}>
            Try again
          </button>
        </p>
      ) : null}
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

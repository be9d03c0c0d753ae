import { useState } from 'react';
import { useNavigate } from 'react-router';
import { db } from '../../db/instance';
import { recordSignedOut } from '../../db/syncState';
import { roleWords } from '../../domain/roles';
import { type UserAccount, type UserChange, statusWords } from '../../domain/userAccounts';
import { CardOutcome } from '../components/CardOutcome';
import { ConfirmGroup } from '../components/ConfirmGroup';
import { successState } from '../components/SuccessBanner';
import { useCardAction } from '../hooks/useCardAction';
import { syncApi } from '../sync/appSync';

type Confirming = 'allow-special' | 'stop-special' | null;

/**
 * One account on the People page: who they are, their access, and what a coordinator can do about
 * it. Each change goes to the server at once; the card shows what happened, or why it did not.
 */
export function PersonCard({
  person,
  isYou,
  onChanged,
}: {
  person: UserAccount;
  isYou: boolean;
  onChanged: (person: UserAccount) => void;
}) {
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState<Confirming>(null);
  const { busy, done, problem, clear, run, say } = useCardAction();
  const name = person.name;
  const headingId = `person-${person.id}`;

  const change = async (patch: UserChange, said: (changed: UserAccount) => string) => {
    const result = await run(() => syncApi.changeUser(person.id, patch), 'Not changed.');
    setConfirming(null);
    if (!result.ok) return;
    onChanged(result.value);
    say(said(result.value));
  };

  const signOutEverywhere = async () => {
    const result = await run(() => syncApi.signOutEverywhere(person.id), 'Not signed out.');
    if (!result.ok) return;
    if (!isYou) {
      say(`${name} is signed out on every device. They can sign in again.`);
      return;
    }
    // This tablet's session ended too: forget it here, as signing out does.
    try {
      await recordSignedOut(db);
    } catch (error) {
      console.error(error);
    }
    void navigate('/sync', {
      state: successState(
        'You are signed out on every device, this one too. Everything saved on this tablet stays here.',
      ),
    });
  };

  const active = person.status === 'active';
  return (
    <li aria-labelledby={headingId}>
      <h3 id={headingId}>
        {name}
        {isYou ? ' (you)' : ''}
      </h3>
      <dl className="summary-list">
        <dt>Email address</dt>
        <dd className="break-anywhere">{person.email}</dd>
        <dt>Role</dt>
        <dd>{roleWords(person.role)}</dd>
        <dt>Status</dt>
        <dd>{statusWords(person.status)}</dd>
        <dt>Sees equality and health answers</dt>
        <dd>{person.maySeeSpecialCategory ? 'Yes' : 'No'}</dd>
      </dl>

      {confirming ? (
        <ConfirmGroup
          label={`Confirm for ${name}`}
          confirm={
            confirming === 'allow-special'
              ? 'Yes, let them see the answers'
              : 'Yes, stop them seeing the answers'
          }
          busy={busy}
          onConfirm={() =>
            void (confirming === 'allow-special'
              ? change(
                  { maySeeSpecialCategory: true },
                  () => `${name} can now see equality and health answers.`,
                )
              : change(
                  { maySeeSpecialCategory: false },
                  () => `${name} can no longer see equality and health answers.`,
                ))
          }
          onCancel={() => setConfirming(null)}
        >
          {confirming === 'allow-special' ? (
            <p>
              {name} will see the ethnicity, sex and health answers of every learner they can see. Only allow
              this if their work needs it.
            </p>
          ) : (
            <p>
              {name} will no longer see learners’ ethnicity, sex and health answers, only whether each was
              answered.
            </p>
          )}
        </ConfirmGroup>
      ) : (
        <div className="button-group">
          {active && !isYou ? (
            <button
              type="button"
              className="button button--warning"
              disabled={busy}
              onClick={() =>
                void change(
                  { status: 'suspended' },
                  () => `${name} is suspended and signed out on every device.`,
                )
              }
            >
              Suspend<span className="visually-hidden"> {name}</span>
            </button>
          ) : null}
          {active ? null : (
            <button
              type="button"
              className="button button--secondary"
              disabled={busy}
              onClick={() =>
                void change({ status: 'active' }, () => `${name} is active and can sign in again.`)
              }
            >
              Reactivate<span className="visually-hidden"> {name}</span>
            </button>
          )}
          <button
            type="button"
            className="button button--secondary"
            disabled={busy}
            onClick={() => void signOutEverywhere()}
          >
            Sign out everywhere<span className="visually-hidden"> ({name})</span>
          </button>
          <button
            type="button"
            className="button button--secondary"
            disabled={busy}
            onClick={() => {
              clear();
              setConfirming(person.maySeeSpecialCategory ? 'stop-special' : 'allow-special');
            }}
          >
            {person.maySeeSpecialCategory
              ? 'Stop them seeing equality and health answers'
              : 'Let them see equality and health answers'}
            <span className="visually-hidden"> ({name})</span>
          </button>
        </div>
      )}
      <CardOutcome done={done} problem={problem} />
    </li>
  );
}

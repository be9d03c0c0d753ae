import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { db } from '../../db/instance';
import { type KioskSignIn, signInAtKiosk } from '../../db/kiosk';
import { learnersOnProgramme } from '../../db/learners';
import { KIOSK_SIGNED_IN_MS, signInNames } from '../../domain/kiosk';
import type { Programme, Session } from '../../domain/records';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveError } from '../hooks/useSaveError';
import { KioskThankYou } from './KioskThankYou';

type Step =
  | { kind: 'list' }
  | { kind: 'confirm'; learnerId: string }
  | { kind: 'done'; learnerId: string; outcome: KioskSignIn };

type Props = { session: Session; programme: Programme; onNextPerson: () => void };

/**
 * The sign-in sheet: each learner on the programme as a large button with only the name they go by
 * and an initial; a tap asks "Are you …?", and yes marks them present (or late). Nothing else about
 * anyone is shown, and no one's mark: the room can see the screen.
 */
export function KioskSignInSheet({ session, programme, onNextPerson }: Props) {
  const learners = useLiveQuery(() => learnersOnProgramme(db, programme.id), [programme.id]);
  const names = useMemo(() => signInNames(learners ?? []), [learners]);
  const [step, setStep] = useState<Step>({ kind: 'list' });
  const { saveError, reportSaveError, clearSaveError } = useSaveError();
  const [saving, setSaving] = useState(false);
  const title =
    step.kind === 'confirm'
      ? `Are you ${names.get(step.learnerId) ?? ''}?`
      : `Sign in for ${programme.title}`;
  usePageTitle(step.kind === 'done' ? 'Thank you' : title);

  const heading = useRef<HTMLHeadingElement>(null);
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    // The thank-you focuses itself; the list and the question take focus on their heading.
    if (step.kind !== 'done') heading.current?.focus();
  }, [step.kind]);

  if (learners === undefined) return <Loading />;

  if (step.kind === 'done') {
    const name = names.get(step.learnerId) ?? '';
    return (
      <KioskThankYou
        title={`Thank you, ${name}`}
        buttonLabel="Back to the list"
        onDone={onNextPerson}
        afterMs={KIOSK_SIGNED_IN_MS}
      >
        <p>
          {step.outcome.kind === 'signed-in'
            ? 'You are signed in for today.'
            : 'You were already signed in for today.'}
        </p>
      </KioskThankYou>
    );
  }

  if (step.kind === 'confirm') {
    const signIn = async () => {
      setSaving(true);
      clearSaveError();
      try {
        const outcome = await signInAtKiosk(db, session, step.learnerId);
        setStep({ kind: 'done', learnerId: step.learnerId, outcome });
      } catch (error) {
        reportSaveError(error);
      } finally {
        setSaving(false);
      }
    };
    return (
      <div className="kiosk">
        <SaveErrorBanner message={saveError} />
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <div className="button-group">
          <button
            type="button"
            className="button button--large"
            disabled={saving}
            onClick={() => void signIn()}
          >
            Yes, sign me in
          </button>
          <button
            type="button"
            className="button button--secondary button--large"
            onClick={() => {
              clearSaveError();
              setStep({ kind: 'list' });
            }}
          >
            No, go back
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="kiosk">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {learners.length === 0 ? (
        <p className="lead">No one is on this course yet.</p>
      ) : (
        <>
          <p className="lead">Tap your name.</p>
          <ul className="kiosk-names" aria-label="Learners on this course">
            {learners.map((learner) => (
              <li key={learner.id}>
                <button
                  type="button"
                  className="kiosk-names__button"
                  onClick={() => setStep({ kind: 'confirm', learnerId: learner.id })}
                >
                  {names.get(learner.id)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Is your name not here?</h2>
      <p>Ask your tutor. They can add you to this course, or let you fill in the form to join.</p>
    </div>
  );
}

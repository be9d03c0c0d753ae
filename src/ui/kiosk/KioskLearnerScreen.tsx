import { Fragment, useCallback, useState } from 'react';
import type { KioskRow } from '../../db/database';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../hooks/usePageTitle';
import { KioskLeave } from './KioskLeave';
import { KioskSelfEnrolment } from './KioskSelfEnrolment';
import { KioskSignInSheet } from './KioskSignInSheet';
import { useKioskIdleReset } from './useKioskIdleReset';
import { useKioskSession } from './useKioskSession';

function SessionGone() {
  usePageTitle('Ask your tutor');
  return (
    <div className="kiosk">
      <h1>Ask your tutor</h1>
      <p className="lead">This session is no longer on this tablet.</p>
    </div>
  );
}

/**
 * What a learner uses, in an unlocked tab: the self-enrolment form or the sign-in sheet, and the
 * tutor's small "leave" control. Each person gets a fresh screen (a new round): after they finish,
 * and after KIOSK_IDLE_MINUTES without use, so an unfinished form is never left for the next one.
 */
export function KioskLearnerScreen({ kiosk, userId }: { kiosk: KioskRow; userId: string }) {
  const found = useKioskSession(kiosk.sessionId);
  const [round, setRound] = useState(0);
  const nextPerson = useCallback(() => setRound((current) => current + 1), []);
  useKioskIdleReset(nextPerson, round);
  if (found === undefined) return <Loading />;
  return (
    <Fragment key={round}>
      {found === null ? (
        <SessionGone />
      ) : kiosk.mode === 'self-enrolment' ? (
        <KioskSelfEnrolment session={found.session} programme={found.programme} onNextPerson={nextPerson} />
      ) : (
        <KioskSignInSheet session={found.session} programme={found.programme} onNextPerson={nextPerson} />
      )}
      <KioskLeave userId={userId} sessionId={kiosk.sessionId} />
    </Fragment>
  );
}

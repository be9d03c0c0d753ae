import { useLiveQuery } from 'dexie-react-hooks';
import type { KioskRow } from '../../db/database';
import { db } from '../../db/instance';
import { kioskProgrammeTitle } from '../../db/kiosk';
import { Loading } from '../components/Loading';
import { KioskPinForm } from './KioskPinForm';
import { useLeaveKiosk } from './useLeaveKiosk';

const CONTINUE = 'continue';
const LEAVE = 'leave';

/**
 * The kiosk in a tab that is not unlocked (a reload, a new tab, a typed address): it names only the
 * programme, shows no learner's or tutor's details, and the tutor's PIN either carries on with the
 * kiosk in this tab or leaves it.
 */
export function KioskPausedScreen({ kiosk, userId }: { kiosk: KioskRow; userId: string }) {
  // This tab holds no data key: only what is readable without one.
  const programmeTitle = useLiveQuery(() => kioskProgrammeTitle(db, kiosk.sessionId), [kiosk.sessionId]);
  const leave = useLeaveKiosk(kiosk.sessionId);
  if (programmeTitle === undefined) return <Loading />;
  const title = programmeTitle ? `This tablet is in use for ${programmeTitle}` : 'This tablet is in use';
  return (
    <div className="kiosk">
      <h1>{title}</h1>
      <p className="lead">Ask your tutor to continue.</p>
      <h2>For the tutor</h2>
      <p>Enter your PIN to carry on, or to leave learner mode and go back to the register.</p>
      <KioskPinForm
        userId={userId}
        pageTitle="This tablet is in use"
        actions={[
          { value: CONTINUE, label: 'Continue' },
          { value: LEAVE, label: 'Leave learner mode' },
        ]}
        onRight={async (action) => {
          if (action === LEAVE) await leave();
        }}
      />
    </div>
  );
}

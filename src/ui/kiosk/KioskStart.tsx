import { db } from '../../db/instance';
import { startKiosk } from '../../db/kiosk';
import { localIsoDate } from '../../domain/dates';
import { KIOSK_MODES, type KioskMode, kioskStartProblem } from '../../domain/kiosk';
import type { Session } from '../../domain/records';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { useSaveError } from '../hooks/useSaveError';
import { useLockScreen } from '../lock/useLockScreen';

/**
 * On a register: hand the tablet to learners for this session, to enrol themselves or to sign in.
 * Offered only to someone with a PIN here with the app open (leaving needs their PIN), on the day;
 * otherwise it says why not.
 */
export function KioskStart({ session }: { session: Session }) {
  const lock = useLockScreen();
  const { saveError, reportSaveError, clearSaveError } = useSaveError();
  if (lock === undefined) return null;
  const problem = kioskStartProblem({ lock: lock.screen, session, today: localIsoDate() });
  const user = lock.user;

  const start = (mode: KioskMode) => {
    if (!user) return;
    clearSaveError();
    // The whole app changes to the kiosk as the row is written, in every tab.
    startKiosk(db, { mode, sessionId: session.id, startedBy: user.id }).catch(reportSaveError);
  };

  return (
    <section className="section" aria-labelledby="kiosk-start-title">
      <h2 id="kiosk-start-title">Hand the tablet to learners</h2>
      <SaveErrorBanner message={saveError} />
      {problem || !user ? (
        <p>{problem ?? 'Sign in and choose a PIN for this tablet first.'}</p>
      ) : (
        <>
          <p>
            Learners then see only the form to join this course, or a list of names to sign in with. Nothing
            else on this tablet can be opened until you enter your PIN.
          </p>
          <div className="button-group">
            {KIOSK_MODES.map((mode) => (
              <button
                key={mode.code}
                type="button"
                className="button button--secondary"
                onClick={() => start(mode.code)}
              >
                {mode.label}
              </button>
            ))}
          </div>
        </>
      )}
    </section>
  );
}

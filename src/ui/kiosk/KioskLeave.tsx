import { useEffect, useRef, useState } from 'react';
import { KioskPinForm } from './KioskPinForm';
import { useLeaveKiosk } from './useLeaveKiosk';

/**
 * "Tutor: leave", small at the bottom of the learner's screen: it asks for the tutor's PIN, and the
 * right one ends the kiosk and opens the session's register. A wrong one counts towards the lockout.
 */
export function KioskLeave({ userId, sessionId }: { userId: string; sessionId: string }) {
  const [open, setOpen] = useState(false);
  const leave = useLeaveKiosk(sessionId);
  const openButton = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    // Focus follows the control: into the PIN when it opens, back to the button when it closes.
    if (open) document.getElementById('pin')?.focus();
    else if (wasOpen.current) openButton.current?.focus();
    wasOpen.current = open;
  }, [open]);

  if (!open) {
    return (
      <div className="kiosk-leave">
        <button ref={openButton} type="button" className="kiosk-leave__open" onClick={() => setOpen(true)}>
          Tutor: leave
        </button>
      </div>
    );
  }
  return (
    <section className="kiosk-leave kiosk-leave--open" aria-labelledby="kiosk-leave-title">
      <h2 id="kiosk-leave-title">Leave learner mode</h2>
      <p>For the tutor: enter your PIN to go back to the register.</p>
      <KioskPinForm
        userId={userId}
        actions={[{ value: 'leave', label: 'Leave learner mode' }]}
        onRight={leave}
      />
      <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </section>
  );
}

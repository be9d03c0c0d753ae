// The kiosk's one way of checking a tutor's PIN: the unlock screen's own path
// (src/ui/lock/pinUnlock.ts), so a wrong PIN counts towards the same lockout, and a right one opens
// the data key and this tab just as unlocking the app does.
import { wrongPinMessage } from '../../domain/deviceLock';
import { PIN_OPENS_NO_DATA_KEY_MESSAGE, unlockWithPin } from '../lock/pinUnlock';

export type TutorPinCheck =
  | { kind: 'right' }
  | { kind: 'wrong'; message: string }
  /** Right, but this tab could not open with it: said in a banner, the PIN field stays empty. */
  | { kind: 'not-opened'; message: string }
  | { kind: 'refused' };

/**
 * Checks the PIN of the person the tablet is locked to. Right: this tab is unlocked for them.
 * Wrong: the message to show. Refused (locked out, or no PIN): the screen changes by itself.
 */
export async function checkTutorPin(userId: string, pin: string): Promise<TutorPinCheck> {
  const result = await unlockWithPin(userId, pin);
  switch (result.kind) {
    case 'unlocked':
      return { kind: 'right' };
    case 'wrong':
      return { kind: 'wrong', message: wrongPinMessage(result.attemptsLeft) };
    case 'no-data-key':
      return { kind: 'not-opened', message: PIN_OPENS_NO_DATA_KEY_MESSAGE };
    case 'locked-out':
    case 'no-pin':
      return { kind: 'refused' };
  }
}

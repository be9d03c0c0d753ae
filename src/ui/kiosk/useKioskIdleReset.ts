import { useEffect } from 'react';
import { KIOSK_IDLE_MS } from '../../domain/kiosk';
import { watchIdle } from '../lock/watchIdle';

/**
 * After KIOSK_IDLE_MINUTES without a touch or a key, `onIdle` clears the learner's screen for the next
 * person. `round` is the screen's current round: each new one (a reset, the next person) starts the
 * wait again, since the watch ends once it fires.
 */
export function useKioskIdleReset(onIdle: () => void, round: number): void {
  useEffect(() => watchIdle(KIOSK_IDLE_MS, onIdle), [onIdle, round]);
}

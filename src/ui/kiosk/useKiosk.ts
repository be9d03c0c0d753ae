import { useLiveQuery } from 'dexie-react-hooks';
import type { KioskRow } from '../../db/database';
import { db } from '../../db/instance';
import { getKiosk } from '../../db/kiosk';
import { fromFirstScreen } from '../startup/firstScreen';

/**
 * The kiosk in force on this device, live: starting or leaving it in one tab changes every tab at
 * once. undefined until it is known (nothing of the app shows until then), null when off. The first
 * render has it from the reads made at start.
 */
export function useKiosk(): KioskRow | null | undefined {
  return useLiveQuery(() => getKiosk(db), [], fromFirstScreen('kiosk'));
}

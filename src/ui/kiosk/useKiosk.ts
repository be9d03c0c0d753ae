import { useLiveQuery } from 'dexie-react-hooks';
import type { KioskRow } from '../../db/database';
import { db } from '../../db/instance';
import { getKiosk } from '../../db/kiosk';

/**
 * The kiosk in force on this device, live: starting or leaving it in one tab changes every tab at
 * once. undefined on the first render (nothing of the app shows until it is known), null when off.
 */
export function useKiosk(): KioskRow | null | undefined {
  return useLiveQuery(() => getKiosk(db), []);
}

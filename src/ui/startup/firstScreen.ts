// What the first screen shows, read from IndexedDB as the app starts, all at once: the tablet's lock,
// kiosk mode and who is signed in (the shell waits for all three), and the day's sessions when the app
// opens on Today. The app renders when they are in, so the first screen comes up whole in one render
// instead of a cascade (the shell's reads, a render, Today's reads, another render). The screens' own
// live queries start as usual and take over: these values serve the first render only.
import type { KioskRow } from '../../db/database';
import { type DeviceLockState, readDeviceLockState } from '../../db/deviceLock';
import { db } from '../../db/instance';
import { getKiosk } from '../../db/kiosk';
import { getSyncState } from '../../db/syncState';
import { localIsoDate } from '../../domain/dates';
import type { SignedInUser } from '../../domain/sync/status';
import { type TodayData, readToday } from '../today/readToday';

export type FirstScreen = {
  kiosk: KioskRow | null;
  lock: DeviceLockState;
  signedInUser: SignedInUser | null;
  /** Only when the app opens on Today. */
  today: { date: string; data: TodayData } | null;
};

let firstScreen: FirstScreen | undefined;
let shown = false;

/** Resolves when the reads are done; never rejects (on a failure the screens read, and report, themselves). */
export async function readFirstScreen(pathname: string): Promise<void> {
  const date = localIsoDate();
  try {
    const [kiosk, lock, syncState, today] = await Promise.all([
      getKiosk(db),
      readDeviceLockState(db),
      getSyncState(db),
      pathname === '/' ? readToday(db, date) : null,
    ]);
    if (shown) return;
    firstScreen = {
      kiosk,
      lock,
      signedInUser: syncState.user,
      today: today ? { date, data: today } : null,
    };
  } catch {
    firstScreen = undefined;
  }
}

/**
 * A value read at start, for the components of the first render; undefined once that render is on
 * screen (a screen opened later reads live from the start, never a value read before it opened).
 */
export function fromFirstScreen<K extends keyof FirstScreen>(key: K): FirstScreen[K] | undefined {
  return shown ? undefined : firstScreen?.[key];
}

/** The first render is on screen: the values read at start are no longer used. */
export function firstScreenShown(): void {
  shown = true;
  firstScreen = undefined;
}

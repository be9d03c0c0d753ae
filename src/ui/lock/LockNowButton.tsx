import { lockAllTabs } from './tabLock';

/** Locks the app in every tab at once, before the tablet is put down or passed on. */
export function LockNowButton() {
  return (
    <button type="button" className="button button--secondary header__lock" onClick={lockAllTabs}>
      Lock now
    </button>
  );
}

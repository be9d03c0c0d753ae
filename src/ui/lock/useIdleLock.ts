import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import { db } from '../../db/instance';
import { getLockAfterMinutes } from '../../db/settings';
import { lockAllTabs } from './tabLock';
import { watchIdle } from './watchIdle';

const MS_PER_MINUTE = 60_000;

/** While `enabled` (the app is open for someone with a PIN), locks every tab after Settings' idle time. */
export function useIdleLock(enabled: boolean): void {
  const minutes = useLiveQuery(() => getLockAfterMinutes(db), []);
  useEffect(() => {
    if (!enabled || minutes === undefined) return undefined;
    return watchIdle(minutes * MS_PER_MINUTE, lockAllTabs);
  }, [enabled, minutes]);
}

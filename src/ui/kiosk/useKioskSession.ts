import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../db/instance';
import { getProgramme } from '../../db/programmes';
import { getSession } from '../../db/sessions';
import type { Programme, Session } from '../../domain/records';

export type KioskSession = { session: Session; programme: Programme };

/**
 * The kiosk's session and its programme, live. undefined on the first render; null when either is no
 * longer on this tablet (deleted, or moved out of the tutor's sessions by a sync).
 */
export function useKioskSession(sessionId: string): KioskSession | null | undefined {
  return useLiveQuery(async () => {
    const session = await getSession(db, sessionId);
    if (!session || session.deleted) return null;
    const programme = await getProgramme(db, session.programmeId);
    return programme && !programme.deleted ? { session, programme } : null;
  }, [sessionId]);
}

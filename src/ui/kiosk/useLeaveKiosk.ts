import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { db } from '../../db/instance';
import { endKiosk } from '../../db/kiosk';

/**
 * Leaves the kiosk (after the right PIN): the address becomes the session's register first, so when
 * every page comes back the tutor is on it, not on whatever address a learner typed.
 */
export function useLeaveKiosk(sessionId: string): () => Promise<void> {
  const navigate = useNavigate();
  return useCallback(async () => {
    await navigate(`/sessions/${sessionId}`, { replace: true });
    await endKiosk(db);
  }, [navigate, sessionId]);
}

import { useEffect, useRef, useState } from 'react';
import type { UseFormReturn, FieldValues } from 'react-hook-form';
import { isStoreError } from '../../db/errors';
import { db } from '../../db/instance';
import { saveDraft } from '../../db/drafts';
import { registerDraftFlush } from './pendingDraftSaves';

const SAVE_AFTER_MS = 400;

export type DraftStatus =
  { state: 'idle' } | { state: 'saved'; at: string } | { state: 'failed'; message: string };

/**
 * Saves the form's values to IndexedDB shortly after each change, on page hide, and before an app
 * update. A failure (a full disk) is reported but never touches what is on screen.
 */
export function useDraftAutosave<T extends FieldValues>(
  form: UseFormReturn<T>,
  draftId: string,
  enabled: boolean,
): DraftStatus {
  const [status, setStatus] = useState<DraftStatus>({ state: 'idle' });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const dirty = useRef(false);

  useEffect(() => {
    if (!enabled) return undefined;
    const save = async () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      if (!dirty.current) return;
      dirty.current = false;
      try {
        await saveDraft(db, draftId, form.getValues());
        setStatus({ state: 'saved', at: new Date().toISOString() });
      } catch (error) {
        dirty.current = true;
        setStatus({
          state: 'failed',
          message: isStoreError(error)
            ? error.message
            : 'Your answers could not be saved as a draft on this device.',
        });
      }
    };
    const subscription = form.watch(() => {
      dirty.current = true;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), SAVE_AFTER_MS);
    });
    const onHide = () => {
      if (document.visibilityState === 'hidden') void save();
    };
    document.addEventListener('visibilitychange', onHide);
    const unregister = registerDraftFlush(save);
    return () => {
      subscription.unsubscribe();
      document.removeEventListener('visibilitychange', onHide);
      unregister();
      void save();
    };
  }, [form, draftId, enabled]);

  return status;
}

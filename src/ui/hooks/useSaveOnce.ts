import { useCallback, useRef, useState } from 'react';
import { useSaveError } from './useSaveError';

/**
 * A form's save: one at a time (a double tap saves once), and a failure shown as a message while the
 * form keeps what was typed. `saving` is true while a save runs.
 */
export function useSaveOnce() {
  const { saveError, reportSaveError, clearSaveError } = useSaveError();
  const running = useRef(false);
  const [saving, setSaving] = useState(false);
  const save = useCallback(
    async (write: () => Promise<void>) => {
      if (running.current) return;
      running.current = true;
      setSaving(true);
      clearSaveError();
      try {
        await write();
      } catch (error: unknown) {
        reportSaveError(error);
      } finally {
        running.current = false;
        setSaving(false);
      }
    },
    [clearSaveError, reportSaveError],
  );
  return { save, saving, saveError, clearSaveError };
}

import { useCallback, useState } from 'react';
import { isStoreError } from '../../db/errors';

/**
 * Turns a failed save into a message for the page. The form keeps what was typed: callers only
 * show this message and never reset their form on failure.
 */
export function useSaveError() {
  const [saveError, setSaveError] = useState<string | null>(null);
  const reportSaveError = useCallback((error: unknown) => {
    if (isStoreError(error)) setSaveError(error.message);
    else
      setSaveError(
        'Something went wrong and the change was not saved. What you typed is still here: try again.',
      );
    console.error(error);
  }, []);
  const clearSaveError = useCallback(() => setSaveError(null), []);
  return { saveError, reportSaveError, clearSaveError };
}

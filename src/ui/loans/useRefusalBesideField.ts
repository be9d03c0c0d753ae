import { useCallback, useState } from 'react';
import { FieldRefusal, isStoreError } from '../../db/errors';
import { useSaveError } from '../hooks/useSaveError';

/**
 * A failed save on a loan form: a rule's refusal (a device already lent, a date before the loan)
 * goes beside the field it is about and into the error summary, which takes focus again; any other
 * failure shows in the "Not saved" banner. Either way the form keeps what was typed.
 */
export function useRefusalBesideField() {
  const { saveError, reportSaveError, clearSaveError } = useSaveError();
  // Counts refusals, so the error summary takes focus for each one (it focuses when its key changes).
  const [refusals, setRefusals] = useState(0);
  const reportFailure = useCallback(
    (error: unknown, showBesideField: (message: string, field: string | null) => void) => {
      if (isStoreError(error, 'refused')) {
        showBesideField(error.message, error instanceof FieldRefusal ? error.field : null);
        setRefusals((count) => count + 1);
      } else {
        reportSaveError(error);
      }
    },
    [reportSaveError],
  );
  return { refusals, saveError, reportFailure, clearSaveError };
}

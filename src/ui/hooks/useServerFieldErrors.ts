import { useState } from 'react';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';

/**
 * Errors the server found in particular fields, put on those fields. They land after the submit has
 * finished, so `shown` counts them for the error summary's focus key: it takes focus again then.
 */
export function useServerFieldErrors<Values extends FieldValues>(setError: UseFormSetError<Values>) {
  const [shown, setShown] = useState(0);
  const show = (problems: readonly { field: Path<Values>; message: string }[]) => {
    for (const problem of problems) setError(problem.field, { type: 'server', message: problem.message });
    setShown((count) => count + 1);
  };
  return { shown, show };
}

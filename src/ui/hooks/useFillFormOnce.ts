import { useLayoutEffect, useRef } from 'react';

/**
 * Fills an edit form from its record once, when the record first loads: later live-query updates
 * of the same record never overwrite what the tutor is typing.
 */
export function useFillFormOnce<R extends { id: string }, V>(
  record: R | null | undefined,
  toValues: (record: R) => V,
  reset: (values: V) => void,
): void {
  const filledFrom = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (record && filledFrom.current !== record.id) {
      filledFrom.current = record.id;
      reset(toValues(record));
    }
  }, [record, toValues, reset]);
}

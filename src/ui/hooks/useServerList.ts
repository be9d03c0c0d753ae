import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import type { ApiResult } from '../../api/syncApi';
import { problemWords } from '../people/problemWords';

type Loaded<T> = { value: T | null; problem: string | null };

/**
 * A list a coordinator's page gets from the server (needs a connection). Opening the page again (its
 * link while on it) or `askAgain` asks the server again; a failed refresh keeps the list already
 * shown, with the reason beside it.
 */
export function useServerList<T>(get: () => Promise<ApiResult<T>>) {
  const [loaded, setLoaded] = useState<Loaded<T>>({ value: null, problem: null });
  const { key: visit } = useLocation();
  // Bumped to ask the server again.
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    let current = true;
    void get().then((result) => {
      if (!current) return;
      setLoaded((before) =>
        result.ok
          ? { value: result.value, problem: null }
          : { value: before.value, problem: problemWords(result.failure) },
      );
    });
    return () => {
      current = false;
    };
    // `get` is one fixed server call per page; only a visit or a new ask fetches again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [asked, visit]);

  const askAgain = () => setAsked((count) => count + 1);
  /** Shows a change the server already answered with, without asking again. */
  const replace = (change: (value: T) => T) =>
    setLoaded((before) => (before.value === null ? before : { ...before, value: change(before.value) }));
  return { value: loaded.value, problem: loaded.problem, askAgain, replace };
}

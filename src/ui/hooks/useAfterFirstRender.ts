import { useEffect, useState } from 'react';

/** The longest what waits for an idle moment waits, on a page that is never idle. */
const IDLE_WAIT_MS = 1000;
/** Where the browser has no requestIdleCallback (Safari): a moment after the first render. */
const NO_IDLE_CALLBACK_WAIT_MS = 100;

/**
 * False on the first render, true once the browser is idle after it: for what can wait until the
 * first screen is up and usable (its code, its reads and its render then stay off that screen's way).
 */
export function useAfterFirstRender(): boolean {
  const [after, setAfter] = useState(false);
  useEffect(() => {
    const show = () => setAfter(true);
    if (typeof requestIdleCallback === 'function') {
      const idle = requestIdleCallback(show, { timeout: IDLE_WAIT_MS });
      return () => cancelIdleCallback(idle);
    }
    const timer = setTimeout(show, NO_IDLE_CALLBACK_WAIT_MS);
    return () => clearTimeout(timer);
  }, []);
  return after;
}

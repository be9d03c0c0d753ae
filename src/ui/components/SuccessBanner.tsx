import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

/** What a page passes to the next one after a save: `navigate(to, { state: successState('…') })`. */
export function successState(message: string): { success: string } {
  return { success: message };
}

/** The message the previous page left in the router state, like "Ann Smith is enrolled on …". */
export function useSuccessMessage(): string | null {
  const state: unknown = useLocation().state;
  if (state && typeof state === 'object' && 'success' in state && typeof state.success === 'string') {
    return state.success;
  }
  return null;
}

/** Confirms a save on the page the tutor lands on; takes focus so a screen reader says it. */
export function SuccessBanner({ message }: { message: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message) ref.current?.focus();
  }, [message]);
  if (!message) return null;
  return (
    <div className="banner banner--success" role="status" tabIndex={-1} ref={ref}>
      <p className="banner__text">{message}</p>
    </div>
  );
}

import { useEffect, useRef } from 'react';
import type { SummaryError } from './formErrors';

/**
 * GOV.UK error summary: shown at the top after a failed submit, takes focus, and each link moves
 * to its field (the label scrolled into view, the input focused).
 */
export function ErrorSummary({ errors, focusKey }: { errors: SummaryError[]; focusKey: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length > 0) ref.current?.focus();
    // Focus again on every failed submit, not on every keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusKey]);
  if (errors.length === 0) return null;
  const goTo = (event: React.MouseEvent<HTMLAnchorElement>, href: string) => {
    const input = document.getElementById(href.slice(1));
    if (!input) return;
    event.preventDefault();
    const label =
      document.querySelector(`label[for="${input.id}"]`) ??
      input.closest('fieldset')?.querySelector('legend');
    (label ?? input).scrollIntoView({ block: 'start' });
    input.focus({ preventScroll: true });
  };
  return (
    <div className="error-summary" ref={ref} tabIndex={-1} aria-labelledby="error-summary-title">
      <div role="alert">
        <h2 id="error-summary-title" className="error-summary__title">
          There is a problem
        </h2>
        <ul className="error-summary__list">
          {errors.map((error) => (
            <li key={`${error.href}:${error.message}`}>
              <a href={error.href} onClick={(event) => goTo(event, error.href)}>
                {error.message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

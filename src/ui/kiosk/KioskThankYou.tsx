import { type ReactNode, useEffect, useRef } from 'react';
import { usePageTitle } from '../hooks/usePageTitle';

type Props = {
  title: string;
  children: ReactNode;
  buttonLabel: string;
  /** Back to a blank screen for the next person: by the button, or by itself after `afterMs`. */
  onDone: () => void;
  afterMs: number;
};

/** The learner is done: a thank-you that takes focus, then a fresh screen for the next person. */
export function KioskThankYou({ title, children, buttonLabel, onDone, afterMs }: Props) {
  usePageTitle(title);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    window.scrollTo(0, 0);
  }, []);
  useEffect(() => {
    const timer = setTimeout(onDone, afterMs);
    return () => clearTimeout(timer);
  }, [onDone, afterMs]);
  return (
    <div className="kiosk-done">
      <div className="panel" role="status">
        <h1 className="panel__title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <div className="panel__body">{children}</div>
      </div>
      <button type="button" className="button button--large" onClick={onDone}>
        {buttonLabel}
      </button>
    </div>
  );
}

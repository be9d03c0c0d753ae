import { useEffect } from 'react';

/** Sets the document title; GOV.UK pattern: "Error: " first while the form shows errors. */
export function usePageTitle(title: string, hasErrors = false): void {
  useEffect(() => {
    document.title = `${hasErrors ? 'Error: ' : ''}${title} – Outreach Register`;
  }, [title, hasErrors]);
}

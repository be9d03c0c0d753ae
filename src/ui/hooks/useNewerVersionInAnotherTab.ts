import { useEffect, useState } from 'react';
import { onNewerVersionInAnotherTab } from '../../db/instance';

/** True once another tab has opened a newer database version and this tab's connection closed. */
export function useNewerVersionInAnotherTab(): boolean {
  const [closed, setClosed] = useState(false);
  useEffect(() => onNewerVersionInAnotherTab(() => setClosed(true)), []);
  return closed;
}

import { useEffect, useState } from 'react';
import { syncApi } from './appSync';

/** Asked once per page load: the answer only changes when someone sets the organisation up. */
let asked: Promise<boolean | null> | null = null;

function askSetupNeeded(): Promise<boolean | null> {
  asked ??= syncApi.setupNeeded().then((result) => {
    if (!result.ok) asked = null; // offline or a server error: ask again next time
    return result.ok ? result.value : null;
  });
  return asked;
}

/**
 * Whether the server has no organisation yet (true: offer "Set up your organisation"). null while
 * asking, offline, or when the server cannot say.
 */
export function useSetupNeeded(enabled = true): boolean | null {
  const [needed, setNeeded] = useState<boolean | null>(null);
  useEffect(() => {
    if (!enabled) return undefined;
    let current = true;
    void askSetupNeeded().then((answer) => current && setNeeded(answer));
    return () => {
      current = false;
    };
  }, [enabled]);
  return needed;
}

/** After setting up, the answer is known without asking. */
export function rememberSetupDone(): void {
  asked = Promise.resolve(false);
}

import { useEffect, useRef, useState } from 'react';
import { Workbox } from 'workbox-window';
import { flushDraftSaves } from './hooks/pendingDraftSaves';

const CHECK_FOR_UPDATES_EVERY_MS = 60 * 60 * 1000;

/**
 * Registers the service worker and, when a new version is waiting, offers to reload. The app never
 * reloads by itself: the tutor chooses when, and drafts are saved before it happens. In kiosk mode
 * (`offerReload` false) the offer waits until the tutor leaves it: a learner must not reload the
 * tablet out from under the kiosk.
 */
export function UpdatePrompt({ offerReload = true }: { offerReload?: boolean }) {
  const [waiting, setWaiting] = useState(false);
  const [reloading, setReloading] = useState(false);
  const workbox = useRef<Workbox | null>(null);

  useEffect(() => {
    if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return undefined;
    const wb = new Workbox('/sw.js', { scope: '/' });
    workbox.current = wb;
    wb.addEventListener('waiting', () => setWaiting(true));
    void wb.register().then((registration) => {
      if (registration?.waiting) setWaiting(true);
    });
    const interval = setInterval(() => void wb.update(), CHECK_FOR_UPDATES_EVERY_MS);
    return () => clearInterval(interval);
  }, []);

  if (!waiting || !offerReload) return null;

  const reload = async () => {
    const wb = workbox.current;
    if (!wb) return;
    setReloading(true);
    await flushDraftSaves();
    wb.addEventListener('controlling', () => window.location.reload());
    wb.messageSkipWaiting();
  };

  return (
    <div className="update-prompt" role="status">
      <p className="update-prompt__text">Update available. Your work is saved on this device.</p>
      <button type="button" className="button" onClick={() => void reload()} disabled={reloading}>
        Update available — reload
      </button>
    </div>
  );
}

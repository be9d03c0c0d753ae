// Mounts the app and starts sync. The service worker is registered by the UI's update prompt.
// First import: the first screen's reads start before the rest of the app's code is evaluated.
import { firstScreenRead } from './ui/startup/startReadingFirstScreen';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { openDatabase } from './db/instance';
import { App } from './ui/App';
import './ui/styles.css';

/** How long after the app opens sync starts: the first screen's reads go first, sync a moment later. */
const SYNC_START_DELAY_MS = 1000;
/**
 * The longest the first render waits for the first screen's reads. They take a few milliseconds once
 * the database is open; an open that takes longer (a big upgrade) shows the loading screen meanwhile.
 */
const FIRST_SCREEN_WAIT_MS = 500;

function startSyncSoon(): void {
  setTimeout(() => {
    void import('./ui/sync/appSync')
      .then(({ startAppSync }) => startAppSync())
      .catch((error: unknown) => console.error('Could not start sync', error));
  }, SYNC_START_DELAY_MS);
}

void openDatabase()
  .then(startSyncSoon)
  .catch((error: unknown) => console.error('Could not open the local database', error));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const waitedLongEnough = new Promise<void>((resolve) => setTimeout(resolve, FIRST_SCREEN_WAIT_MS));
void Promise.race([firstScreenRead, waitedLongEnough]).then(() => {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});

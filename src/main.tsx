// Mounts the app and starts sync. The service worker is registered by the UI's update prompt.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { openDatabase } from './db/instance';
import { App } from './ui/App';
import './ui/styles.css';

// Sync starts once the database is open, from its own chunk, so the first screen does not wait for it.
void openDatabase()
  .then(() => import('./ui/sync/appSync'))
  .then(({ startAppSync }) => startAppSync())
  .catch((error: unknown) => console.error('Could not open the local database', error));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

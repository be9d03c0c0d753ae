// Mounts the app. The service worker is registered by the UI's update prompt.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { openDatabase } from './db/instance';
import { App } from './ui/App';
import './ui/styles.css';

void openDatabase().catch((error: unknown) => console.error('Could not open the local database', error));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

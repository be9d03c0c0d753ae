// Imported first by main.tsx, so the first screen's reads (and with them the database's opening) start
// before React's own code is evaluated: IndexedDB opens in the browser while the page's scripts run.
import { readFirstScreen } from './firstScreen';

export const firstScreenRead = readFirstScreen(window.location.pathname);

// The baseline for the cold-start benchmark: a blank Vite React page with a precaching service worker.
/// <reference types="vite-plugin-pwa/client" />
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';

registerSW({ immediate: true });

function Blank() {
  return <h1 data-screen-ready="blank">Blank page</h1>;
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<Blank />);

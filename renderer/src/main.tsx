import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { useStore } from './store';

// Opening on the Fleet page: its grid is asked for before React's first render, so the server answers meanwhile
// (the page's own read, as it mounts, shares this one).
if (useStore.getState().page === 'fleet') void useStore.getState().loadStatus();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

import type { FlotillaApi } from '../../../shared/api/contract';
import { createWebBridge } from './web-bridge';

declare global {
  interface Window {
    /** The preload's API in the desktop app; absent in a browser. */
    readonly flotilla?: FlotillaApi;
  }
}

let api: FlotillaApi | undefined;

/** The engine API: the preload's in Electron, the HTTP bridge's in a browser — the same contract either way. */
export function getApi(): FlotillaApi {
  api ??= window.flotilla ?? createWebBridge();
  return api;
}

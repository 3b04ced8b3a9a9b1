// The preload: exposes one named function per API channel and an event subscription — never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import type { EventName, FlotillaApi } from '../shared/api/contract';
import { CHANNELS, EVENTS } from '../shared/api/contract';
import type { Envelope } from '../shared/api/envelope';
import { fromEnvelope } from '../shared/api/envelope';

const EVENT_CHANNEL = 'flotilla:event';

const api: Record<string, unknown> = {};
for (const channel of CHANNELS) {
  api[channel] = async (req: unknown) => fromEnvelope((await ipcRenderer.invoke(channel, req ?? {})) as Envelope<unknown>);
}
api.on = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
  if (!(EVENTS as readonly string[]).includes(event)) throw new Error(`unknown event ${String(event)}`);
  const handler = (_e: unknown, name: string, payload: unknown): void => {
    if (name === event) listener(payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, handler);
  return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
};

contextBridge.exposeInMainWorld('flotilla', api as unknown as FlotillaApi);

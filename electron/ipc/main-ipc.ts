import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ApiHandlers, Channel } from '../../shared/api/contract';
import { CHANNELS } from '../../shared/api/contract';
import { toEnvelope } from '../../shared/api/envelope';
import type { EventBus } from '../services/event-bus';
import { isTrustedSender } from './sender-guard';

/** The IPC channel on which pushed events reach the preload. */
export const EVENT_CHANNEL = 'flotilla:event';

/** Serves the handler table over Electron IPC to one window, refusing calls from any other frame or page. */
export function registerIpc(ipcMain: IpcMain, handlers: ApiHandlers, events: EventBus, win: BrowserWindow, appUrl: string): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, req: unknown) => {
      const frame = event.senderFrame;
      const trusted = isTrustedSender({ url: frame?.url, isMainFrameOfAppWindow: !!frame && event.sender === win.webContents && frame === win.webContents.mainFrame }, appUrl);
      if (!trusted) return { ok: false, problem: { severity: 'error', message: `IPC call ${channel} refused: untrusted sender` } };
      const handler = handlers[channel as Channel] as (a: unknown) => Promise<unknown>;
      return toEnvelope(() => handler(req ?? {}));
    });
  }
  const off = events.onAny((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event, payload);
  });
  return () => {
    off();
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** What the main process knows about the frame that sent an IPC call. */
export interface SenderInfo {
  /** The sending frame's URL (undefined when the frame is gone). */
  readonly url: string | undefined;
  /** Whether the frame is the top frame of Flotilla's own window. */
  readonly isMainFrameOfAppWindow: boolean;
}

/**
 * Whether an IPC call may be handled: only the top frame of Flotilla's window, showing Flotilla's own page
 * (exactly `appUrl`, ignoring query and hash). Iframes, other windows and navigated-away pages are refused
 * (Electron security guide: validate the sender of all IPC messages).
 */
export function isTrustedSender(sender: SenderInfo, appUrl: string): boolean {
  if (!sender.isMainFrameOfAppWindow || !sender.url) return false;
  let got: URL;
  let want: URL;
  try {
    got = new URL(sender.url);
    want = new URL(appUrl);
  } catch {
    return false;
  }
  return got.protocol === want.protocol && got.host === want.host && got.pathname === want.pathname;
}

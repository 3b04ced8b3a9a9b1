import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../electron/ipc/sender-guard';

const appUrl = 'file:///opt/Flotilla/resources/app.asar/dist/renderer/index.html';

describe('isTrustedSender', () => {
  it('accepts the top frame of the app window showing Flotilla’s page', () => {
    expect(isTrustedSender({ url: `${appUrl}#/fleet`, isMainFrameOfAppWindow: true }, appUrl)).toBe(true);
  });
  it('refuses an iframe or another window, even on the same page', () => {
    expect(isTrustedSender({ url: appUrl, isMainFrameOfAppWindow: false }, appUrl)).toBe(false);
  });
  it('refuses a page the window navigated to', () => {
    expect(isTrustedSender({ url: 'https://evil.example/index.html', isMainFrameOfAppWindow: true }, appUrl)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/evil/index.html', isMainFrameOfAppWindow: true }, appUrl)).toBe(false);
  });
  it('refuses a frame that is gone or has no URL', () => {
    expect(isTrustedSender({ url: undefined, isMainFrameOfAppWindow: true }, appUrl)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', isMainFrameOfAppWindow: true }, appUrl)).toBe(false);
  });
});

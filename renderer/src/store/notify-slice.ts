import type { StateCreator } from 'zustand';
import type { NotificationsView } from '../../../shared/api/notifications';
import { getApi } from '../api/bridge';

/** The notification history and the configuration's problems, as the Notifications page shows them. */
export interface NotifySlice {
  readonly notifications: NotificationsView | undefined;
  readonly notificationsError: string | undefined;
  loadNotifications(): Promise<void>;
  /** Re-reads the history after an evaluation, once a page has asked for it (also while that first read is in flight). */
  notificationsChanged(): Promise<void>;
}

/** The notifications slice of the store. */
export const createNotifySlice: StateCreator<NotifySlice, [], [], NotifySlice> = (set, get) => {
  // Only the latest read may land: an evaluation that ends while the page's first read is in flight starts a second
  // read, and the first one's older answer must not replace it.
  let latest = 0;
  return {
    notifications: undefined,
    notificationsError: undefined,
    async loadNotifications() {
      const mine = ++latest;
      try {
        const notifications = await getApi()['notify:history']({});
        if (mine === latest) set({ notifications, notificationsError: undefined });
      } catch (err) {
        if (mine === latest) set({ notificationsError: err instanceof Error ? err.message : String(err) });
      }
    },
    async notificationsChanged() {
      if (latest > 0) await get().loadNotifications();
    },
  };
};

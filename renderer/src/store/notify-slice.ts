import type { StateCreator } from 'zustand';
import type { NotificationsView } from '../../../shared/api/notifications';
import { getApi } from '../api/bridge';

/** The notification history and the configuration's problems, as the Notifications page shows them. */
export interface NotifySlice {
  readonly notifications: NotificationsView | undefined;
  readonly notificationsError: string | undefined;
  loadNotifications(): Promise<void>;
}

/** The notifications slice of the store. */
export const createNotifySlice: StateCreator<NotifySlice, [], [], NotifySlice> = (set) => ({
  notifications: undefined,
  notificationsError: undefined,
  async loadNotifications() {
    try {
      set({ notifications: await getApi()['notify:history']({}), notificationsError: undefined });
    } catch (err) {
      set({ notificationsError: err instanceof Error ? err.message : String(err) });
    }
  },
});

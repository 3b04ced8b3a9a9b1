import type { StateCreator } from 'zustand';

/** The pages of the shell. */
export const PAGES = ['fleet', 'applications', 'applicationsets', 'promotions', 'reports', 'clusters'] as const;
/** A page of the shell. */
export type Page = (typeof PAGES)[number];

/** Which page is shown. */
export interface NavSlice {
  readonly page: Page;
  navigate(page: Page): void;
}

/** The navigation slice of the store. */
export const createNavSlice: StateCreator<NavSlice, [], [], NavSlice> = (set) => ({
  page: 'fleet',
  navigate: (page) => set({ page }),
});

// The fleet store: SQLite history of every refresh, for timelines and offline drift reports.

export { FleetStore } from './fleet-store';
export { STORE_FILE_NAME, storeFile } from './location';
export type { TimeInput } from './fleet-store';
export type { StoreGeneration } from './generation';
export { openDatabase, isBusyError, DEFAULT_BUSY_TIMEOUT_MS } from './database';
export type { OpenOptions } from './database';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations';
export * from './types';

// Where the store lives: one SQLite file in Flotilla's data folder.

import path from 'node:path';
import { defaultDataDir } from '../services/data-dir';

/** The file name of the store in the data folder. */
export const STORE_FILE_NAME = 'flotilla.db';

/** The store file in `dataDir` (default: Flotilla's data folder, `FLOTILLA_DATA_DIR` or the platform's). */
export function storeFile(dataDir?: string): string {
  return path.join(dataDir !== undefined ? path.resolve(dataDir) : defaultDataDir(), STORE_FILE_NAME);
}

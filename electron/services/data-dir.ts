import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Flotilla's data folder: `FLOTILLA_DATA_DIR`, else the platform's per-user config folder. */
export function defaultDataDir(): string {
  if (process.env.FLOTILLA_DATA_DIR) return path.resolve(process.env.FLOTILLA_DATA_DIR);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Flotilla');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Flotilla');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'flotilla');
}

/** User settings kept in the data folder. */
export interface Settings {
  /** The repository opened last. */
  readonly repoPath?: string;
  /** The desktop window's last size and position. */
  readonly window?: { readonly width: number; readonly height: number; readonly x?: number; readonly y?: number };
  /** Opt-in desktop notifications: drift appearing on the watched environments (all when empty). */
  readonly notifications?: { readonly enabled: boolean; readonly environments?: readonly string[] };
}

/** Reads `settings.json` from the data folder (empty settings when absent or unreadable). */
export function readSettings(dataDir: string): Settings {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')) as Settings;
  } catch {
    return {};
  }
}

/** Writes `settings.json` into the data folder. */
export function writeSettings(dataDir: string, settings: Settings): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

/** Whether a folder exists. */
export function isDir(p: string): boolean {
  return existsSync(p);
}

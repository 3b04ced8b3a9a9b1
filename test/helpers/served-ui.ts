import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { exampleRepo, tempDir } from './git-fixtures';
import type { ServeProcess } from './serve';
import { startServe } from './serve';

/** A repository served by `flotilla serve` (with a data folder of its own) and a Chromium to look at it. */
export interface ServedUi {
  repo: string;
  data: string;
  serve: ServeProcess;
  browser: Browser;
}

/** How a browser test sets up what it serves. */
export interface ServedUiOptions {
  /** The repository to serve (default: a git copy of the bundled example fleet). */
  readonly repo?: () => { dir: string; cleanup: () => void };
  /** Runs before the server starts (repo and data folder ready); may return environment for `flotilla serve`. */
  readonly prepare?: (ui: Pick<ServedUi, 'repo' | 'data'>) => Promise<Readonly<Record<string, string>> | void> | Readonly<Record<string, string>> | void;
}

/** Starts the repository's UI and Chromium before the file's tests and stops both (and removes the folders) after. */
export function useServedUi(opts: ServedUiOptions = {}): ServedUi {
  const ui = {} as ServedUi;
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    const repo = (opts.repo ?? exampleRepo)();
    const data = tempDir();
    cleanups.push(repo.cleanup, data.cleanup);
    ui.repo = repo.dir;
    ui.data = data.dir;
    const env = (await opts.prepare?.(ui)) ?? {};
    ui.serve = await startServe(ui.repo, ui.data, env);
    ui.browser = await launchChromium();
  });
  afterAll(async () => {
    await ui.browser?.close();
    await ui.serve?.stop();
    for (const c of cleanups) c();
  });
  return ui;
}

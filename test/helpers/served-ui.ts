import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { exampleRepo, tempDir } from './git-fixtures';
import type { LocalFleetState } from './kube-fleet';
import { retargetExample, useKubeFleet } from './kube-fleet';
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
  /** The repository to serve (default: a git copy of the bundled example fleet), and its data folder if it brings one (else a new one). */
  readonly repo?: () => { dir: string; data?: string; cleanup?: () => void };
  /** Runs before the server starts (repo and data folder ready); may return environment for `flotilla serve`. */
  readonly prepare?: (ui: Pick<ServedUi, 'repo' | 'data'>) => Promise<Readonly<Record<string, string>> | void> | Readonly<Record<string, string>> | void;
}

/** Starts the repository's UI and Chromium before the file's tests and stops both (and removes the folders) after. */
export function useServedUi(opts: ServedUiOptions = {}): ServedUi {
  const ui = {} as ServedUi;
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    const repo: ReturnType<NonNullable<ServedUiOptions['repo']>> = (opts.repo ?? exampleRepo)();
    if (repo.cleanup) cleanups.push(repo.cleanup);
    ui.repo = repo.dir;
    if (repo.data !== undefined) ui.data = repo.data;
    else {
      const data = tempDir();
      cleanups.push(data.cleanup);
      ui.data = data.dir;
    }
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

/** A served UI whose `flotilla serve` reaches the run's real clusters (the shared kube fleet) through their kubeconfig. */
export interface ServedFleetUi extends ServedUi {
  fleet: LocalFleetState;
}

/** How a browser kube test sets up what it serves on the shared fleet. */
export interface ServedFleetOptions {
  /** The repository to serve (default: the bundled example fleet, its fleet file pointed at the run's clusters). */
  readonly repo?: ServedUiOptions['repo'];
  /** Runs with the fleet ready before the server starts: edit and commit the repository, create namespaces, sync. */
  readonly prepare?: (ui: Pick<ServedFleetUi, 'repo' | 'data' | 'fleet'>) => Promise<void>;
}

/**
 * `useServedUi` on the shared kube fleet (only in `*.kube.test.ts` files): the example fleet is retargeted at the
 * run's clusters (unless another `repo` is given), `prepare` runs, and the server gets the fleet's KUBECONFIG.
 */
export function useServedFleet(opts: ServedFleetOptions = {}): ServedFleetUi {
  const ui = useServedUi({
    ...(opts.repo ? { repo: opts.repo } : {}),
    prepare: async (served) => {
      const fleet = await useKubeFleet();
      const withFleet = Object.assign(served, { fleet });
      if (!opts.repo) retargetExample(fleet, served.repo);
      await opts.prepare?.(withFleet);
      return { KUBECONFIG: fleet.kubeconfig };
    },
  });
  return ui as ServedFleetUi;
}

/** A page of the served UI (at `hash`, if given) and the uncaught errors it throws, which a test expects to be none. */
export async function openUi(ui: ServedUi, opts: { readonly viewport?: { width: number; height: number }; readonly hash?: string } = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await ui.browser.newPage({ viewport: opts.viewport ?? { width: 1440, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${ui.serve.url}${opts.hash ?? ''}`);
  return { page, errors };
}

/** Opens an app's page the way a person does: the palette (Ctrl+K), `query`, Enter; waits for the page's heading. */
export async function findApp(page: Page, query: string, heading: RegExp): Promise<void> {
  await page.keyboard.press('Control+K');
  await page.getByRole('combobox', { name: /Find an app/ }).fill(query);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: heading }).waitFor();
}

/** The served UI's fleet page, once its grid is shown, then an app's page found with the palette (see findApp). */
export async function openApp(ui: ServedUi, query: string, heading: RegExp, viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
  const opened = await openUi(ui, viewport ? { viewport } : {});
  await opened.page.getByRole('grid', { name: 'Apps by cluster' }).waitFor();
  await findApp(opened.page, query, heading);
  return opened;
}

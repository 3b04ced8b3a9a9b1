// What a browser benchmark reads beside wall time: the server's CPU (from /proc) and the page's main-thread task time.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** CPU (ms) a process and the children it waited for have used so far, from /proc. */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  const tick = 1000 / 100; // USER_HZ
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * tick;
}

/** A page whose main-thread task time can be read (ms), to add to the server's CPU. */
export async function measuredPage(browser: Browser): Promise<{ page: Page; taskMs: () => Promise<number> }> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return {
    page,
    taskMs: async () => 1000 * ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0),
  };
}

/** What marks a page as shown: an element matching `selector` whose text (whitespace collapsed) is `text`. */
export interface ShownMark {
  readonly selector: string;
  readonly text: string;
}

/** The Fleet grid shown: app-001's row header (the first app of the synthetic fleets) in the grid "Apps by cluster". */
export const FLEET_GRID_SHOWN: ShownMark = { selector: '[role="grid"][aria-label="Apps by cluster"] [role="rowheader"]', text: 'app-001' };

/**
 * Makes every document the page loads note when `mark` became interactive: the first frame painted with it, once the
 * main thread is free again (a MutationObserver, then a frame, then a task). Read it with `shownMs`. Playwright's own
 * `waitFor` polls with a back-off of up to 500 ms (0, 20, 50, 100, 100, 500, 500, … ms) and so adds up to half a
 * second to what it times; this is exact.
 */
export async function noteShown(page: Page, mark: ShownMark): Promise<void> {
  await page.addInitScript(({ selector, text }: ShownMark) => {
    const w = window as unknown as { __flotillaShown?: number };
    const shown = (): boolean => {
      for (const e of document.querySelectorAll(selector)) if (e.textContent?.replace(/\s+/g, ' ').trim() === text) return true;
      return false;
    };
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => (w.__flotillaShown = performance.now()), 0));
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  }, mark);
}

/**
 * Waits for what `noteShown` notes and returns when it was shown: ms since the navigation started (the document's
 * time origin), as the page's own clock measured it.
 */
export async function shownMs(page: Page, timeoutMs = 60_000): Promise<number> {
  try {
    const handle = await page.waitForFunction(() => (window as unknown as { __flotillaShown?: number }).__flotillaShown, undefined, { timeout: timeoutMs, polling: 'raf' });
    return (await handle.jsonValue()) as number;
  } catch (err) {
    // What the page shows instead (an error, a store the build cannot read) says why.
    const shown = await page.evaluate(() => document.body.innerText.replace(/\s+/g, ' ').slice(0, 600)).catch(() => '(the page could not be read)');
    throw new Error(`${err instanceof Error ? err.message : String(err)}; the page shows: ${shown}`, { cause: err });
  }
}

/** `noteShown` for the Fleet grid. */
export function noteGridShown(page: Page): Promise<void> {
  return noteShown(page, FLEET_GRID_SHOWN);
}

/** `shownMs` for the Fleet grid, checked against the accessibility tree afterwards (app-001's row header in the grid). */
export async function gridShownMs(page: Page, timeoutMs = 60_000): Promise<number> {
  const ms = await shownMs(page, timeoutMs);
  await page.getByRole('grid', { name: 'Apps by cluster' }).getByRole('rowheader', { name: FLEET_GRID_SHOWN.text }).waitFor({ timeout: 1_000 });
  return ms;
}

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

/** The row header whose appearance marks the Fleet grid as shown (the first app of the synthetic fleets). */
const GRID_ROW = 'app-001';

/**
 * Makes every document the page loads note when the Fleet grid became interactive: the first frame painted with
 * `app-001`'s row header in the grid "Apps by cluster", once the main thread is free again (a MutationObserver, then
 * a frame, then a task). Read it with `gridShownMs`. Playwright's own `waitFor` polls with a back-off of up to 500 ms
 * (0, 20, 50, 100, 100, 500, 500, … ms) and so adds up to half a second to what it times; this is exact.
 */
export async function noteGridShown(page: Page, row: string = GRID_ROW): Promise<void> {
  await page.addInitScript((name: string) => {
    const w = window as unknown as { __flotillaGridShown?: number };
    const shown = (): boolean => {
      const grid = document.querySelector('[role="grid"][aria-label="Apps by cluster"]');
      if (!grid) return false;
      for (const h of grid.querySelectorAll('[role="rowheader"]')) if (h.textContent?.trim() === name) return true;
      return false;
    };
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => (w.__flotillaGridShown = performance.now()), 0));
    });
    observer.observe(document, { childList: true, subtree: true });
  }, row);
}

/**
 * Waits for the grid noted by `noteGridShown` and returns when it was shown: ms since the navigation started (the
 * document's time origin), as the page's own clock measured it; checked against the accessibility tree afterwards.
 */
export async function gridShownMs(page: Page, timeoutMs = 60_000, row: string = GRID_ROW): Promise<number> {
  const handle = await page.waitForFunction(() => (window as unknown as { __flotillaGridShown?: number }).__flotillaGridShown, undefined, { timeout: timeoutMs, polling: 'raf' });
  const ms = (await handle.jsonValue()) as number;
  await page.getByRole('grid', { name: 'Apps by cluster' }).getByRole('rowheader', { name: row }).waitFor({ timeout: 1_000 });
  return ms;
}

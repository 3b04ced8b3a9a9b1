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

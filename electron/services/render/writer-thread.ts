// `render --all` in one thread writes its files from a thread of their own: creating 30,000 files is kernel time
// (0.1–0.6 ms a file, with the disk's load), which the rendering thread would otherwise wait through. The writer
// thread runs `writeFileSync` (Node's one-call UTF-8 path; `fs.writeFile` from the thread pool costs three round
// trips and ~20% more CPU here). Files are sent in batches, at most MAX_IN_FLIGHT unwritten at once, so memory stays flat.

import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { RenderedApp } from '../../../shared/fleet/render-apps';
import { failedRender } from '../../../shared/fleet/render-row';
import { AppFileWriter } from './app-files';
import type { FailedWrite } from './app-files';

/** The writer thread: writes each batch's files in order and answers with the indices (in the batch) that failed. */
const WRITER_SCRIPT = `
const { parentPort } = require('node:worker_threads');
const { writeFileSync } = require('node:fs');
parentPort.on('message', (batch) => {
  const failed = [];
  for (let i = 0; i < batch.length; i++) {
    try { writeFileSync(batch[i][0], batch[i][1]); } catch (err) { failed.push([i, err && err.message ? err.message : String(err)]); }
  }
  parentPort.postMessage(failed);
});
`;

const BATCH = 16;
const MAX_IN_FLIGHT = 256;

/** An app sent to be written: who it is, for a failure's report. */
type Sent = Pick<FailedWrite, 'app' | 'cluster'>;

/**
 * An AppFileWriter whose files are written by a thread of its own while the calling thread renders the next apps.
 * `drain()` waits for every file and names each app whose write failed; a writer thread that stops fails the apps it
 * held (named, with why) and the rest are written in the calling thread.
 */
export class ThreadedAppFileWriter extends AppFileWriter {
  private worker: Worker | undefined;
  private batch: [string, string][] = [];
  private batchApps: Sent[] = [];
  /** The batches sent and not yet answered, oldest first. */
  private readonly sent: Sent[][] = [];
  private inFlight = 0;
  private readonly failures: FailedWrite[] = [];
  private wake: (() => void) | undefined;

  constructor(outDir: string, script: string = WRITER_SCRIPT) {
    super(outDir);
    const worker = new Worker(script, { eval: true });
    worker.on('message', (failed: [number, string][]) => {
      const apps = this.sent.shift() ?? [];
      for (const [i, message] of failed) this.failures.push({ ...apps[i]!, error: new Error(message) });
      this.inFlight -= apps.length;
      this.wakeUp();
    });
    const stopped = (why: string): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      // What it held is not known to be written: each app fails, named.
      for (const apps of this.sent.splice(0)) for (const a of apps) this.failures.push({ ...a, error: new Error(`the file writer thread stopped (${why}) before writing it`) });
      this.inFlight = 0;
      this.wakeUp();
    };
    worker.on('error', (err) => stopped(err.message));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    this.worker = worker;
  }

  /** Whether the writer thread is still taking files (false once it stopped or was drained). */
  get threadRunning(): boolean {
    return this.worker !== undefined;
  }

  /** Queues a rendered app's file (waits while too many are unwritten); false (nothing written) when it failed. */
  async send(r: Pick<RenderedApp, 'app' | 'cluster' | 'yaml' | 'problems'>): Promise<boolean> {
    if (failedRender(r)) return false;
    if (!this.worker) {
      this.flush();
      return this.write(r);
    }
    this.batch.push([this.fileOf(r), r.yaml]);
    this.batchApps.push(r.cluster !== undefined ? { app: r.app, cluster: r.cluster } : { app: r.app });
    if (this.batch.length >= BATCH) this.flush();
    while (this.worker && this.inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (this.wake = resolve));
    return true;
  }

  /** Waits until every file sent is written, stops the thread, and returns the apps whose write failed. */
  async drain(): Promise<readonly FailedWrite[]> {
    this.flush();
    while (this.worker && this.inFlight > 0) await new Promise<void>((resolve) => (this.wake = resolve));
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
    return this.failures.splice(0);
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    if (!this.worker) {
      // The thread stopped with files not yet sent: written here.
      this.batch.forEach(([file, text], i) => {
        try {
          writeFileSync(file, text);
        } catch (err) {
          this.failures.push({ ...this.batchApps[i]!, error: err instanceof Error ? err : new Error(String(err)) });
        }
      });
      this.batch = [];
      this.batchApps = [];
      return;
    }
    this.worker.postMessage(this.batch);
    this.sent.push(this.batchApps);
    this.inFlight += this.batchApps.length;
    this.batch = [];
    this.batchApps = [];
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

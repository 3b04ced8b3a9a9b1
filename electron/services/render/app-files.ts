import { mkdirSync, writeFile, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RenderedApp } from '../../../shared/fleet/render-apps';
import { failedRender } from '../../../shared/fleet/render-row';

/** The folder of `render --all -o DIR` for apps whose destination is outside the fleet. */
export const OUTSIDE_FLEET = '_outside-fleet';

/**
 * Writes rendered apps as `render --all -o DIR` lays them out: DIR/<cluster>/<app>.yaml (a namespaced app name's `/`
 * becomes `_`). Each cluster's folder is made once. Threads writing into the same folder each have their own writer.
 */
export class AppFileWriter {
  private readonly made = new Set<string>();

  constructor(private readonly outDir: string) {}

  /** Writes a rendered app; false (nothing written) when it failed. */
  write(r: Pick<RenderedApp, 'app' | 'cluster' | 'yaml' | 'problems'>): boolean {
    if (failedRender(r)) return false;
    writeFileSync(this.fileOf(r), r.yaml);
    return true;
  }

  /** The file of a rendered app, its cluster's folder made (once). */
  protected fileOf(r: Pick<RenderedApp, 'app' | 'cluster'>): string {
    const dir = path.join(this.outDir, r.cluster ?? OUTSIDE_FLEET);
    if (!this.made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.made.add(dir);
    }
    return path.join(dir, `${r.app.replace(/\//g, '_')}.yaml`);
  }
}

/** An app whose file could not be written, and why. */
export interface FailedWrite {
  readonly app: string;
  readonly cluster?: string;
  readonly error: Error;
}

/**
 * An AppFileWriter whose files are written by libuv's thread pool while the calling thread renders the next apps (at
 * 30,000 apps into 10,000-file folders the kernel's part of a write is ~0.2 ms: a fifth of a render). At most `limit`
 * files are in flight, so memory stays flat; `drain()` waits for the last and names each app whose write failed.
 */
export class BackgroundAppFileWriter extends AppFileWriter {
  private inFlight = 0;
  private readonly slots: (() => void)[] = [];
  private readonly idle: (() => void)[] = [];
  private readonly failures: FailedWrite[] = [];

  constructor(outDir: string, private readonly limit = 16) {
    super(outDir);
  }

  /** Starts writing a rendered app, once fewer than `limit` writes are in flight; false (nothing written) when it failed. */
  async start(r: Pick<RenderedApp, 'app' | 'cluster' | 'yaml' | 'problems'>): Promise<boolean> {
    if (failedRender(r)) return false;
    while (this.inFlight >= this.limit) await new Promise<void>((resolve) => this.slots.push(resolve));
    this.inFlight++;
    const done = (err: Error | null): void => {
      if (err) this.failures.push({ app: r.app, ...(r.cluster !== undefined ? { cluster: r.cluster } : {}), error: err });
      this.inFlight--;
      this.slots.shift()?.();
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    };
    try {
      writeFile(this.fileOf(r), r.yaml, done);
    } catch (err) {
      done(err instanceof Error ? err : new Error(String(err)));
    }
    return true;
  }

  /** Waits until every write started has ended; the apps whose write failed (each named once). */
  async drain(): Promise<readonly FailedWrite[]> {
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    return this.failures.splice(0);
  }
}

import { mkdirSync, writeFileSync } from 'node:fs';
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

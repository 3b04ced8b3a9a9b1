// What the main thread and a render worker (render-worker.ts) say to each other during `render --all`.

import type { AppProjectSpec } from '../../../shared/fleet/app-project';
import type { RenderedApp } from '../../../shared/fleet/render-apps';
import type { ClusterSpec } from '../../../shared/model/fleet';
import type { ClusterCapabilities } from '../../../shared/sources/types';
import type { GitObjectLink } from '../git-object-reader';
import type { FleetRenderSettings } from '../sources/render-options';

/** Everything a render worker needs besides its apps, given once as its workerData (plain data: no functions). */
export interface RenderWorkerSetup {
  /** The repository's top folder: the worker reads git objects there through its own `git cat-file --batch`. */
  readonly repoRoot: string;
  /** The fleet file's repoURLs (which sources read the open repository). */
  readonly repoURLs: readonly string[];
  /** Revisions the main thread resolved already (HEAD → the commit it generated from), taken without `git rev-parse`. */
  readonly resolved: Readonly<Record<string, string>>;
  readonly fleet: FleetRenderSettings;
  readonly clusters: readonly ClusterSpec[];
  /** Each target cluster's capabilities, as the main thread read them (by cluster name). */
  readonly capabilities: Readonly<Record<string, ClusterCapabilities>>;
  /** The repository's AppProjects, for what they refuse. */
  readonly projects: ReadonlyMap<string, AppProjectSpec>;
  /** Where rendered apps are written (DIR/<cluster>/<app>.yaml). */
  readonly outDir: string;
}

/** A worker's own workerData: the setup, and the git process the main thread serves it (no reader thread of its own). */
export interface RenderWorkerData extends RenderWorkerSetup {
  readonly objects: GitObjectLink;
}

/** Main thread → worker: a batch of apps to render and write (RenderRow[], v8-serialized), or the end of the work. */
export type RenderWorkerRequest = { readonly batch: number; readonly rows: Uint8Array } | { readonly stop: true };

/** One rendered app as the main thread reports it: the objects and YAML stayed in the worker (written, or failed). */
export type RenderedAppReport = Pick<RenderedApp, 'app' | 'cluster' | 'problems'>;

/** Worker → main thread: a batch done (one report per app, in order), or why the worker cannot go on. */
export type RenderWorkerReply = { readonly batch: number; readonly reports: readonly RenderedAppReport[]; readonly written: number } | { readonly fatal: string };

import type { PrefetchedHealthChecks } from '../../../shared/health/types';
import type { ResourceKey } from '../../../shared/model/status';
import type { Problem } from '../../../shared/problem';
import type { AccessVerdict } from './access-review';
import type { GroupKind, TrackingOptions } from './tracking';

// The types of a sync (sync.ts), shared by its parts: hooks, waves and options.

/** The phase of a sync a resource belongs to (Argo CD's hook types; plain resources are in Sync). */
export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'PostDelete';

/** Options of a sync. */
export interface SyncOptions {
  readonly app: string;
  /** The destination namespace: fills namespaced objects without one (default `default`). */
  readonly namespace?: string;
  readonly tracking?: TrackingOptions;
  /** Delete live objects tracked as the app's that are no longer desired (default true). */
  readonly prune?: boolean;
  /** Create the destination namespace when missing (Argo CD's `CreateNamespace=true`; also read from `syncOptions`). */
  readonly createNamespace?: boolean;
  /** The Application's `syncPolicy.syncOptions` (`CreateNamespace=true`, `PrunePropagationPolicy=foreground`, …). */
  readonly syncOptions?: readonly string[];
  /** The Application's `syncPolicy.managedNamespaceMetadata`: labels and annotations of the namespace it creates. */
  readonly managedNamespaceMetadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  /** The Application's `ignoreDifferences`, used with `RespectIgnoreDifferences=true`. */
  readonly ignoreDifferences?: readonly unknown[];
  /** Selective sync: only these resources (no hooks run, only these are pruned), as Argo CD's `--resource`. */
  readonly resources?: readonly ResourceSelector[];
  /** Only the server-side dry run: report what would happen and change nothing. */
  readonly dryRun?: boolean;
  /** Kinds searched for objects to prune besides the desired kinds. */
  readonly trackedKinds?: readonly GroupKind[];
  /**
   * Wait, as Argo CD does, until every resource of a wave is Healthy before the next wave or phase (off by default for
   * plain manifests). Hooks are always waited for. When a wave is not healthy in time the sync fails there.
   */
  readonly waitForHealthy?: { readonly timeoutMs: number; readonly intervalMs?: number };
  /** How long a hook may run before it counts as failed (default 5 minutes). */
  readonly hookTimeoutMs?: number;
  /**
   * Custom health checks (the fleet file's Lua checks) that judge waves and hooks before Argo CD's rules, as Argo CD's
   * resource health overrides do during a sync.
   */
  readonly customHealth?: PrefetchedHealthChecks;
}

/** A resource chosen for a selective sync; empty fields match anything (`GROUP/KIND/NAMESPACE/NAME`). */
export interface ResourceSelector {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * What a sync did (or, in a dry run, would do) to one resource. `skipped`: not applied because the sync stopped
 * before it (a failed dry run of the wave, a failed hook, a wave that never became healthy) or an option kept it
 * (`Prune=false`); `problem` says why. `running`/`succeeded` are for hooks.
 */
export type SyncAction = 'created' | 'configured' | 'unchanged' | 'pruned' | 'replaced' | 'deleted' | 'skipped' | 'failed' | 'succeeded';

/** The result of one resource of a sync. */
export interface ResourceSyncResult extends ResourceKey {
  readonly action: SyncAction;
  readonly wave: number;
  /** The phase it ran in (hooks: their hook type; everything else: Sync). */
  readonly phase: SyncPhase;
  /** Whether it is a hook (a resource that runs, rather than a desired state). */
  readonly hook?: boolean;
  /** Why it failed or was skipped (forbidden, invalid, ...), naming cluster and resource. */
  readonly problem?: Problem;
  /** What else is worth knowing (a hook's health message, an option that applied). */
  readonly message?: string;
}

/** The result of a sync of one app on one cluster. */
export interface SyncResult {
  readonly app: string;
  readonly cluster: string;
  readonly phase: 'Succeeded' | 'Failed';
  readonly dryRun: boolean;
  readonly resources: readonly ResourceSyncResult[];
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Milliseconds spent waiting for waves to become healthy and hooks to complete. */
  readonly waitedMs: number;
  /** Why the sync stopped, when it failed as a whole (a dry run, a hook, a wave). */
  readonly message?: string;
  /** What the cluster's user may do, checked before the sync (absent for syncs of manifest files). */
  readonly access?: SyncAccess;
  /** True when the sync was refused before anything was sent: a permission it needs is missing. */
  readonly refused?: boolean;
}

/** Why one part of a sync may not run: each permission missing or that could not be checked. */
export interface SyncAccessPart {
  /** `allowed`: every permission granted; `denied`: one at least refused; `unknown`: none refused, one not answered. */
  readonly result: 'allowed' | 'denied' | 'unknown';
  readonly denied: readonly AccessVerdict[];
  readonly unknown: readonly AccessVerdict[];
  /** How many distinct permissions were checked. */
  readonly checked: number;
  /** One sentence: "you may not patch deployments.apps in namespace shop on prod" (and how many more). */
  readonly reason?: string;
}

/** What the cluster's user may do of a sync of this app: the sync itself and its prune. */
export interface SyncAccess {
  readonly cluster: string;
  readonly sync: SyncAccessPart;
  readonly prune: SyncAccessPart;
}

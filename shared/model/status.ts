import type { ControllerStatus } from '../controllers/types';
import type { Problem } from '../problem';

/** A Kubernetes object as plain JSON. */
export type KubeObject = Record<string, unknown> & {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: Record<string, unknown>;
};

/** Argo CD's health statuses. */
export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

/** Argo CD's order of badness, best first: an app's health is its worst resource's. */
export const HEALTH_ORDER: readonly HealthStatus[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

/** A health assessment with its message. */
export interface HealthResult {
  readonly status: HealthStatus;
  readonly message: string;
}

/** Argo CD's sync statuses. */
export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';

/** Identifies one resource on one cluster. */
export interface ResourceKey {
  readonly group: string;
  readonly version?: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** Sync and health of one resource of an app on a cluster. */
export interface ResourceStatus extends ResourceKey {
  readonly sync: SyncStatus;
  /** Desired but not live. */
  readonly missing?: boolean;
  /** Live and tracked as the app's, but not desired: would be pruned. */
  readonly extra?: boolean;
  readonly health?: HealthResult;
  /** Changed JSON paths (e.g. `/spec/replicas`), Secret values masked. */
  readonly changedPaths?: readonly string[];
  /** Unified YAML diff, desired against live, Secret values masked. */
  readonly diff?: string;
  /** The changed fields with their live and desired values (Secret values masked), for a side-by-side view. */
  readonly changes?: readonly FieldChange[];
}

/** One field that differs between live and desired (after apply); a side is absent when the field is unset there. */
export interface FieldChange {
  /** JSON pointer, e.g. `/spec/template/spec/containers/0/image`. */
  readonly path: string;
  readonly live?: unknown;
  readonly desired?: unknown;
}

/** Sync and health of one Application on one cluster at one moment. */
export interface AppClusterStatus {
  readonly app: string;
  readonly cluster: string;
  /** Git commit the desired state was rendered from. */
  readonly revision: string;
  /** What Git says the app runs there (rendered at `revision`), as the fleet grid shows it: its image tags, or the short revision. */
  readonly version?: string;
  /** What the cluster runs: the image tags of the app's live workloads, in the order of `version` (absent when none run). */
  readonly runningVersion?: string;
  readonly sync: SyncStatus;
  readonly health: HealthResult;
  readonly resources: readonly ResourceStatus[];
  /** ISO time of the observation. */
  readonly observedAt: string;
  /** Why status is Unknown (cluster unreachable, render failed, ...). */
  readonly error?: string;
  /** Problems that did not stop the comparison (e.g. an ignoreDifferences expression that could not be read). */
  readonly problems?: readonly Problem[];
  /** What the GitOps controller running there (Argo CD, Flux) says about this app, read from its own object. */
  readonly controller?: ControllerStatus;
}

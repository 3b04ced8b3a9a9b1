import type { HealthResult, HealthStatus, KubeObject } from '../model/status';

/** A health rule for one group/kind: a pure function of the live object; undefined means "no opinion". */
export interface HealthCheck {
  /** API group ('' for the core group). */
  readonly group: string;
  readonly kind: string;
  readonly assess: (obj: KubeObject) => HealthResult | undefined;
  /** The rule answers for objects being deleted itself (Argo CD's newer bundled scripts do), instead of "Pending deletion". */
  readonly handlesDeletion?: boolean;
}

/**
 * Custom health checks supplied from outside `shared/` (the Lua runner on the Node side).
 * `check` returns undefined when no custom check is configured for the object's group/kind.
 */
export interface CustomHealthChecks {
  check(obj: KubeObject, group: string, kind: string): HealthResult | undefined;
}

/**
 * Custom checks that run off the caller's thread (the Lua worker): `evaluate` awaits the answers for these objects,
 * after which `check` returns them without blocking.
 */
export interface PrefetchedHealthChecks extends CustomHealthChecks {
  evaluate(objects: readonly KubeObject[]): Promise<void>;
}

/**
 * User health customizations as Argo CD spells them: Lua scripts keyed by `<group>_<kind>`
 * (`apps_Deployment`, `argoproj.io_Application`, `_Service` for the core group; `*` globs allowed in either half).
 */
export type HealthCustomizations = Readonly<Record<string, string>>;

/**
 * A health result that counts differently in an app's health: gitops-engine marks a suspended Job
 * `aggregateAs: Healthy`, so pausing a Job never makes its Application look suspended.
 */
export interface AggregatedHealthResult extends HealthResult {
  readonly aggregateAs?: HealthStatus;
}

import type { HealthStatus, SyncStatus } from '../model/status';

// What a GitOps controller running in a cluster says about one of its apps, read from its own objects' status:
// an Argo CD Application, a Flux Kustomization or HelmRelease. Shown beside Flotilla's own verdict.

/** The controllers whose objects Flotilla reads. */
export type ControllerName = 'Argo CD' | 'Flux';

/** The kinds of controller object read. */
export type ControllerKind = 'Application' | 'Kustomization' | 'HelmRelease';

/** A Kubernetes condition as Flux writes it (`Ready`). */
export interface ControllerCondition {
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
}

/** Argo CD's last operation (`status.operationState`). */
export interface ControllerOperation {
  /** Running, Succeeded, Failed, Error, Terminating. */
  readonly phase: string;
  readonly message?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** The revision the operation synced. */
  readonly revision?: string;
}

/** One controller object's own status, as it reports it. */
export interface ControllerStatus {
  readonly controller: ControllerName;
  readonly kind: ControllerKind;
  /** The cluster the object was read from (Argo CD may run elsewhere than where the app deploys). */
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  /** Argo CD: `status.sync.status`. */
  readonly sync?: SyncStatus;
  /** Argo CD: `status.health`. */
  readonly health?: HealthStatus;
  readonly healthMessage?: string;
  /** Argo CD: `status.operationState`. */
  readonly operation?: ControllerOperation;
  /** Flux: the `Ready` condition. */
  readonly ready?: ControllerCondition;
  /** Flux: `spec.suspend`. */
  readonly suspended?: boolean;
  /**
   * The revision the controller last applied: Argo CD's `status.sync.revision`, a Kustomization's
   * `lastAppliedRevision` (`main@sha1:…`), a HelmRelease's deployed chart `name@version` (its latest history entry).
   */
  readonly revision?: string;
  /** Flux: `lastAttemptedRevision`. */
  readonly lastAttemptedRevision?: string;
  /** Flux Kustomization: how many objects its inventory lists. */
  readonly inventory?: number;
  /** Argo CD: the destination as the Application names it (which cluster it deploys to). */
  readonly destination?: { readonly server?: string; readonly name?: string; readonly namespace?: string };
}

/** How the controller's word and Flotilla's compare for one app × cluster. */
export type ControllerAgreement = 'agree' | 'disagree' | 'unknown';

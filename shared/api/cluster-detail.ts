// One cluster as its page shows it: connection, version, Nodes, Namespaces and the GitOps objects on it (Argo CD
// Applications, Flux Kustomizations, HelmReleases and sources), each with the state its controller reports.

import type { HealthStatus, SyncStatus } from '../model/status';
import type { ClusterView } from './contract';

/** A Node: whether it is Ready, its roles, kubelet version and capacity. */
export interface NodeView {
  readonly name: string;
  readonly ready: boolean;
  /** The Ready condition's reason and message when it is not Ready. */
  readonly reason?: string;
  readonly roles: readonly string[];
  readonly kubeletVersion?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly unschedulable: boolean;
  /** ISO creation time. */
  readonly created?: string;
}

/** A Namespace: its phase and when it was created. */
export interface NamespaceView {
  readonly name: string;
  readonly phase: string;
  readonly created?: string;
}

/** An Argo CD Application or Flux object on the cluster, with what its controller says about it. */
export interface GitOpsObjectView {
  readonly tool: 'Argo CD' | 'Flux';
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Argo CD: the sync status; Flux: Ready/NotReady/Unknown from the Ready condition. */
  readonly sync?: SyncStatus;
  readonly health?: HealthStatus;
  readonly ready?: 'True' | 'False' | 'Unknown';
  readonly message?: string;
  /** Argo CD's synced revision, Flux's last applied revision. */
  readonly revision?: string;
  /** Flux objects: suspended by `spec.suspend`. */
  readonly suspended?: boolean;
}

/** A cluster's page: its connection, and what could be read on it (each part fails on its own, with the reason). */
export interface ClusterDetailView {
  readonly cluster: ClusterView;
  readonly nodes?: readonly NodeView[];
  readonly namespaces?: readonly NamespaceView[];
  readonly gitops?: readonly GitOpsObjectView[];
  /** Why a part could not be read ("nodes: forbidden …"); the other parts are still shown. */
  readonly problems: readonly string[];
}

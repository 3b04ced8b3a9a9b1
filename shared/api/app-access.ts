import type { Problem } from '../problem';

// What the UI learns of permissions for one app on one cluster: Kubernetes RBAC of the cluster's user (asked of the
// API server before Sync or Prune is offered) and Argo CD's RBAC from the repository (who may sync the app).

/** Whether one part of a sync (the sync itself, or its prune) is allowed for the cluster's user. */
export interface AccessPartView {
  /** `unknown`: the API server could not answer; the sync is still offered and the API server judges. */
  readonly result: 'allowed' | 'denied' | 'unknown';
  /** "you may not patch deployments.apps in namespace shop on prod", or why it could not be checked. */
  readonly reason?: string;
  /** Each permission refused: `patch deployments.apps in namespace shop`. */
  readonly missing: readonly string[];
}

/** One subject of the Argo CD policy and whether it may sync the app. */
export interface SyncPermissionView {
  readonly subject: string;
  readonly allowed: boolean;
  /** Where the deciding line is (`argocd/argocd-rbac-cm.yaml:12:5`, `Argo CD built-in policy line 12`). */
  readonly via?: string;
  readonly rule?: string;
  readonly byDefaultRole?: boolean;
}

/** Who may sync the app by argocd-rbac-cm. */
export interface ArgoRbacView {
  readonly source: string;
  /** The object Argo CD checks (`default/api-prod`). */
  readonly object: string;
  readonly defaultRole?: string;
  readonly subjects: readonly SyncPermissionView[];
  readonly problems: readonly Problem[];
}

/** Permissions around one app on one cluster. */
export interface AppAccessView {
  readonly app: string;
  readonly cluster: string;
  readonly sync: AccessPartView;
  readonly prune: AccessPartView;
  /** Absent when the repository (and the data folder) hold no argocd-rbac-cm. */
  readonly argocd?: ArgoRbacView;
  /** Problems reading argocd-rbac-cm when no policy could be read from it. */
  readonly problems: readonly Problem[];
}

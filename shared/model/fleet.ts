import type { FleetValidationSettings } from '../validate/fleet-settings';
/** The Flotilla file kinds' API version. */
export const FLOTILLA_API_VERSION = 'flotilla.dev/v1alpha1';

/** One cluster of the fleet, as the fleet file (or an Argo CD cluster Secret) declares it. */
export interface ClusterSpec {
  /** The cluster's name in Flotilla and in ApplicationSet params (`name`). */
  readonly name: string;
  /** The kubeconfig context that reaches it (defaults to `name`). */
  readonly context?: string;
  /** The API server URL (`server` param); read from the kubeconfig when absent. */
  readonly server?: string;
  /** dev, staging, prod, ...: the stage of the pipeline the cluster belongs to. */
  readonly environment?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /**
   * This is the cluster Argo CD itself runs in: its implicit `in-cluster` (https://kubernetes.default.svc). Apps
   * whose destination is `in-cluster` deploy here. At most one cluster of the fleet says so.
   */
  readonly inCluster?: boolean;
  /** Folders whose Flux Kustomizations and HelmReleases apply to this cluster (besides `clusters/<name>/`). */
  readonly fluxPaths?: readonly string[];
  /** The cluster's Kubernetes version (`1.32`) for validation when it cannot be asked (default: the newest bundled). */
  readonly kubernetesVersion?: string;
  /** Where the cluster was declared (fleet file or cluster Secret). */
  readonly source?: { readonly file: string; readonly line?: number };
}

/** The fleet file (`kind: Fleet`): clusters, where to look for ApplicationSets and pipelines, and policies. */
export interface FleetSpec {
  readonly name: string;
  /** Globs (repo-relative) of files that may hold ApplicationSets; default: every YAML file. */
  readonly applicationSets: readonly string[];
  /** Globs of pipeline files; default: every YAML file. */
  readonly pipelines: readonly string[];
  readonly clusters: readonly ClusterSpec[];
  /** The repoURL that ApplicationSets use for this repository (matched to know a source is local). */
  readonly repoURLs: readonly string[];
  /** How live objects are tied to an app: Argo CD's tracking-id annotation (default) or the instance label. */
  readonly tracking: 'annotation' | 'label';
  /** kustomize's load restrictor: refuse files outside the repository unless `none`. */
  readonly loadRestrictor: 'rootOnly' | 'none';
  /** The file it was read from, when there is one. */
  readonly file?: string;
  /** `spec.validation`: checks switched off fleet-wide or for some apps (schema, lint, score). */
  readonly validation?: FleetValidationSettings;
}

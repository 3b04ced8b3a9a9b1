import type { ApplicationSource } from '../model/application';
import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import type { HelmRunner } from '../kustomize';

// The seam through which every kind of Application source is rendered, as Argo CD's repo-server chooses one
// generator per source type (`reposerver/repository.GenerateManifests`). A new source kind is a new file that
// exports a SourceRenderer and is listed once in the registry; nothing else branches on the kind.

/** The kinds of source: Argo CD's (explicit option first, then Chart.yaml, kustomization, else a folder) and Flux objects. */
export type SourceKind = 'helm' | 'kustomize' | 'directory' | 'plugin' | 'flux-kustomization' | 'flux-helmrelease';

/** Argo CD's build environment for one source render: `$ARGOCD_APP_NAME` and its siblings, `$KUBE_VERSION`, … */
export type BuildEnv = Readonly<Record<string, string>>;

/** Runs `helm template` for a chart read from a FileTree (the Node side provides it; shared/ never spawns). */
export interface HelmTemplater {
  /** Renders a chart; `manifests` is what `helm template` printed, or `error` is its message. */
  template(request: HelmChartRequest): { readonly manifests: string } | { readonly error: string };
}

/** One `helm template` call as Argo CD makes it (`util/helm/cmd.go`), with every path already resolved. */
export interface HelmChartRequest {
  /** The tree holding the chart (and the value files), when the chart is in a repository. */
  readonly tree?: FileTree;
  /** Repo-relative chart folder in `tree`. */
  readonly chartPath?: string;
  /** A chart from a Helm repository or OCI registry: `repoURL` + `chart` + `version`. */
  readonly remote?: { readonly repoURL: string; readonly chart: string; readonly version?: string };
  /** For a remote chart: value files inside the pulled chart (relative to its folder), read before `valueFiles`. */
  readonly chartValueFiles?: readonly string[];
  readonly releaseName: string;
  readonly namespace?: string;
  readonly kubeVersion?: string;
  readonly apiVersions: readonly string[];
  /** Value files' contents, in the order helm reads them (`--values`). */
  readonly valueFiles: readonly string[];
  /** `--set` / `--set-string` / `--set-file` (file content inline) in Argo CD's order. */
  readonly set: readonly { readonly name: string; readonly value: string; readonly kind: 'set' | 'set-string' | 'set-file' }[];
  readonly includeCrds: boolean;
  readonly skipTests: boolean;
  readonly skipSchemaValidation: boolean;
}

/** Evaluates a Jsonnet file from a FileTree (the Node side provides it, bounded in time and memory). */
export interface JsonnetEvaluator {
  /** The JSON the program evaluates to, or an error naming the file and line. */
  evaluate(request: JsonnetRequest): { readonly json: string } | { readonly error: string };
}

/** One Jsonnet evaluation as Argo CD's directory source runs it (`directory.jsonnet`). */
export interface JsonnetRequest {
  readonly tree: FileTree;
  /** Repo-relative path of the `.jsonnet` file. */
  readonly file: string;
  /** Repo-relative library folders (`libs`), searched after the file's own folder. */
  readonly libs: readonly string[];
  readonly extVars: readonly { readonly name: string; readonly value: string; readonly code: boolean }[];
  readonly tlas: readonly { readonly name: string; readonly value: string; readonly code: boolean }[];
}

/** Effectful helpers a source renderer may use; absent ones make the renderer say plainly what is missing. */
export interface SourceTools {
  readonly helm?: HelmTemplater;
  readonly jsonnet?: JsonnetEvaluator;
  /** Fetches a remote (`http(s)://`) Helm value file, bounded in time and size and cached; the text or why not. */
  readonly remoteValueFile?: (url: string) => { readonly text: string } | { readonly error: string };
  /** For kustomize's own `helmCharts:` (the existing runner). */
  readonly kustomizeHelm?: (tree: FileTree) => HelmRunner | undefined;
}

/**
 * What Helm's `.Capabilities` sees of an app's target cluster, as Argo CD passes it (`--kube-version`,
 * `--api-versions`), and where it came from, in a person's words.
 */
export interface ClusterCapabilities {
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  /** "cluster dev", "the fleet file (cluster dev)", or why there is nothing ("cluster dev is unreachable: …"). */
  readonly from: string;
}

/** Everything one source render needs. */
export interface SourceInput {
  readonly app: string;
  /** The repository at the source's revision. */
  readonly tree: FileTree;
  /** Normalised repo-relative source path ('' is the root). */
  readonly path: string;
  /** The source after `.argocd-source*.yaml` overrides were merged in. */
  readonly source: ApplicationSource;
  readonly destinationNamespace?: string;
  readonly env: BuildEnv;
  /** Multi-source `ref:` names (without `$`) → the tree that `$name/...` value files read from. */
  readonly refs: ReadonlyMap<string, FileTree>;
  /** The target cluster's version and API groups, when known (Helm capabilities). */
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  /** Where `kubeVersion`/`apiVersions` came from, or why there are none ("cluster dev", "the fleet file (cluster dev)"). */
  readonly capabilitiesFrom?: string;
  readonly loadRestrictor: 'rootOnly' | 'none';
  /** Argo CD's `kustomize.buildOptions` (e.g. `--enable-helm`) and where they were set; absent: none, as Argo CD's default. */
  readonly kustomizeBuildOptions?: { readonly options: string; readonly from: string };
  readonly tools: SourceTools;
}

/** What one source rendered to. */
export interface SourceOutput {
  readonly objects: readonly KubeObject[];
  /** The YAML stream as the tool printed it. */
  readonly yaml: string;
  readonly problems: readonly Problem[];
  /** Which source type rendered it, with which options, in a person's words (shown by `render --app` and the app page). */
  readonly description: string;
}

/** Renders one kind of source. */
export interface SourceRenderer {
  readonly kind: SourceKind;
  render(input: SourceInput): SourceOutput;
}

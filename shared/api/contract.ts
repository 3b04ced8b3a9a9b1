import type { ValidationTarget } from '../validate/report';
import type { Explanation } from '../appset/engine';
import type { ClusterDetailView } from './cluster-detail';
import type { NotificationsView } from './notifications';
import type { AppTreeView, PodLogsAsk, PodLogsView, ResourceManifestView } from './app-live';
import type { AppAccessView } from './app-access';
import type { AppOrigin } from '../fleet/app-origin';
import type { FleetOverviewView } from '../fleet/app-listing';
import type { PackedFleetFindings } from '../validate/findings-pack';
import type { ClusterEntry } from '../fleet/fleet-edit';
import type { FleetGrid } from '../fleet/grid';
import type { PackedGrid } from '../fleet/grid-pack';
import type { RenderedSourceInfo } from '../fleet/render-apps';
import type { Application } from '../model/application';
import type { HealthStatus, SyncStatus } from '../model/status';
import type { FleetSpec } from '../model/fleet';
import type { Problem } from '../problem';
import type { CommitSignature } from '../repo/signature';
import type { LiveClusterDiff, PromotionRecordView } from '../promotion/history';
import type { ApprovalSubject } from '../promotion/approval';
import type { GateResult } from '../promotion/gates';
import type { PromotionPlan } from '../promotion/plan';
import type { AppVersions } from '../promotion/versions';
import type { StageValidation } from '../validate/gate';
import type { ReportApiChannels } from '../report/api';
import type { AppClusterHistory, RecordedAppCluster } from '../report/model';
import { REPORT_CHANNELS } from '../report/api';

/** The repository Flotilla has open, at its HEAD. */
export interface RepoSummary {
  /** Absolute path of the working tree (Node side only shows it; nothing else is derived from it). */
  readonly path: string;
  readonly head: { readonly sha: string; readonly short: string; readonly branch?: string; readonly subject?: string };
  readonly fleet: FleetSpec | null;
}

/** The checkout against its upstream branch, as of the last fetch: commits behind and ahead. */
export interface RemoteStatusView {
  /** The upstream branch (`origin/main`); absent when the branch has none. */
  readonly upstream?: string;
  readonly remote?: string;
  readonly ahead: number;
  readonly behind: number;
  /** When the repository was last fetched (ISO), when known. */
  readonly fetchedAt?: string;
  /** Why there is nothing to compare with (no upstream, detached HEAD). */
  readonly reason?: string;
}

/** An Application row as lists show it: every app Argo CD would deploy, whatever made it. */
export interface AppRow {
  /** Argo CD's name for it: `name`, or `namespace/name` outside the control-plane namespace. */
  readonly name: string;
  /** The ApplicationSet that generated it ('' when none did). */
  readonly appset: string;
  /** Where it comes from: an ApplicationSet, a file, or the rendered output of another app (app of apps). */
  readonly origin: AppOrigin;
  readonly application: Application;
  /** The generators and parameters behind it (ApplicationSet apps only). */
  readonly explain?: Explanation;
  /** Why Argo CD would refuse it (its AppProject) or doubt it (a duplicate name, a cluster outside the fleet). */
  readonly problems?: readonly Problem[];
}

/** An ApplicationSet as lists show it. */
export interface AppSetSummary {
  readonly name: string;
  /** Its `metadata.namespace`, when it names one. */
  readonly namespace?: string;
  readonly file: string;
  readonly line: number;
  readonly generators: readonly string[];
  readonly apps: readonly AppRow[];
  readonly problems: readonly Problem[];
  /** The app whose rendered output holds this ApplicationSet (app of apps); absent for one read from a file. */
  readonly parent?: string;
}

/** An ApplicationSet as the fleet overview lists it: its apps by name, each a row of `FleetOverview.apps` (sent once). */
export interface AppSetListing extends Omit<AppSetSummary, 'apps'> {
  /** The names of the apps it generates, in order. */
  readonly appNames: readonly string[];
}

/** The open repository, its ApplicationSets and apps, and every problem found reading it. */
export interface FleetOverview {
  readonly repo: RepoSummary;
  /** The ApplicationSets; their apps are rows of `apps`, named (each app is carried once). */
  readonly appsets: readonly AppSetListing[];
  /** Every app: those ApplicationSets generate, plain Applications in files, and those apps render (app of apps). */
  readonly apps: readonly AppRow[];
  /** Problems not tied to one ApplicationSet (unparsable files, fleet file errors). */
  readonly problems: readonly Problem[];
  /** The fleet's environments in pipeline order (a stage after the one it is promoted from), then the others. */
  readonly environments: readonly string[];
}

/** What an edited ApplicationSet file would generate, and its problems (with line and column). */
export interface AppSetPreview {
  readonly appsets: readonly AppSetSummary[];
  readonly problems: readonly Problem[];
}

/** A pipeline as the promotions page shows it: its stages and each app's versions per stage (skew flagged). */
export interface PipelineView {
  readonly name: string;
  readonly file: string;
  readonly stages: readonly {
    readonly name: string;
    readonly from?: string;
    readonly clusters: readonly string[];
    /** Apps whose versions differ from the stage promoted from. */
    readonly behind: readonly string[];
    /** The gates into the stage as they would decide now, before anyone approves (soak, freeze, approval, manual). */
    readonly gates: readonly GateResult[];
    /** The stage's `validation:` requirement: its verdict needs the promoted state rendered (`promotion:stage-validation`). */
    readonly validation?: StageValidation;
  }[];
  readonly apps: readonly AppVersions[];
}

/** The repository's pipelines at HEAD, and the problems of pipeline files that do not parse. */
export interface PipelinesOverview {
  readonly pipelines: readonly PipelineView[];
  readonly problems: readonly string[];
  /** Where they were read: the remote branch promotions push to (`origin/main`) when fetched, else the checkout's HEAD. */
  readonly at?: { readonly ref: string; readonly revision: string };
  /**
   * The user's checkout against `at`: the grid and app pages show the checkout's HEAD, promotions build on `at`; when
   * they differ, both pages say by how many commits.
   */
  readonly checkout?: CheckoutStanding;
}

/** The checkout's HEAD against the revision promotions build on (commits only on each side). */
export interface CheckoutStanding {
  readonly revision: string;
  readonly branch?: string;
  /** Commits in `at` that the checkout lacks. */
  readonly behind: number;
  /** Commits in the checkout that `at` lacks (unpushed). */
  readonly ahead: number;
}

/** The validation gate's verdict into one stage now: every app behind rendered with the promoted versions and validated per target cluster. */
export interface StageValidationView {
  readonly pipeline: string;
  readonly stage: string;
  /** The revision the promoted state was rendered on (the remote branch's tip, as `promotion:pipelines` reads). */
  readonly revision: string;
  /** One verdict per app × target cluster that the promotion would change; empty when nothing is behind. */
  readonly gates: readonly GateResult[];
  /** Why no verdict could be given (the plan's errors), when none was. */
  readonly problems: readonly string[];
}

/** What the UI asks to promote (the UI's confirm dialog counts as an interactive confirmation). */
export interface PromotionAsk {
  readonly pipeline?: string;
  readonly from: string;
  readonly to: string;
  readonly apps: readonly string[] | 'all';
  readonly images?: readonly string[];
  /** Also compare the promoted state with each target cluster's live state (plan only). */
  readonly live?: boolean;
}

/** A promotion's plan with where it builds and pushes (what PromotionService.plan returns). */
export interface PromotionPlanView {
  readonly plan: PromotionPlan;
  readonly remote: string;
  /** The branch the GitOps tool reads. */
  readonly branch: string;
  /** The remote branch's tip the plan builds on. */
  readonly base: string;
  /** `Name <email>` from git config, when set. */
  readonly promoter?: string;
  /** Problems of the user's checkout that would make the promotion differ from what they see (uncommitted or unpushed edits of the promoted files). */
  readonly checkoutProblems: readonly string[];
  /** The promoted state against the live state, per target cluster (when asked for). */
  readonly live?: readonly LiveClusterDiff[];
}

/** What rolling a promotion back would do: the revert's diff on the remote tip and the versions after it. */
export interface RollbackPlanView {
  readonly promotion: PromotionRecordView;
  readonly remote: string;
  readonly branch: string;
  /** The remote tip the revert applies to. */
  readonly base: string;
  /** `git diff` of the revert. */
  readonly diff: string;
  /** What the target stage would run after the rollback (`app:version`). */
  readonly versions: readonly string[];
  /** The rollback plan's digest, which an approval names. */
  readonly digest: string;
  /** The rolled-back stage's gates on this plan (freeze, signed approvals, signed commits, manual-only). */
  readonly gates: readonly GateResult[];
  readonly ready: boolean;
}

/** An approval to sign: of the promotion plan asked for, or of promotion `rollback`'s rollback, whose digest the person reviewed. */
export interface ApprovalAsk {
  readonly promotion?: PromotionAsk;
  readonly rollback?: number;
  /** The digest of the plan shown: refused when the plan has changed since. */
  readonly digest: string;
}

/** A signed approval pushed to the remote: its record, what it approves, and git's verdict on the signature here. */
export interface ApprovalView {
  readonly commit: string;
  readonly remote: string;
  readonly subject: ApprovalSubject;
  readonly signature: CommitSignature;
}

/** How a promotion (or rollback) ended, and why it did not push when it did not. */
export interface PromotionOutcomeView {
  readonly record: PromotionRecordView;
  readonly blockers: readonly string[];
}

/** The validation of one app on one cluster, with the commit validated and the web address its file links start from. */
export interface AppValidationView extends ValidationTarget {
  readonly revision: string;
  /** The repository's http(s) URL, for links to a finding's file and line (absent for other URLs). */
  readonly repoURL?: string;
}

/** Findings counted per app × cluster of the fleet. */
export interface FleetValidationView {
  readonly revision: string;
  readonly cells: readonly { readonly app: string; readonly cluster: string; readonly errors: number; readonly warnings: number }[];
  readonly problems: readonly Problem[];
}

/** What Git says each app runs at HEAD, before any cluster is read: its version (image tags, chart version or revision) by app name. */
export interface DesiredVersionsView {
  /** The commit the apps were rendered at. */
  readonly revision: string;
  /** App name → version; apps that do not render are left out. */
  readonly versions: Readonly<Record<string, string>>;
  /** Only the apps asked for (`DesiredVersionsAsk.apps`): the others may still be being read. */
  readonly partial?: true;
}

/** Which apps' versions from Git: all (answered once every app is rendered), or these first (the grid's rows in view). */
export interface DesiredVersionsAsk {
  /** App names (at most `DESIRED_VERSIONS_ASK_MAX`): rendered before the rest, answered alone. */
  readonly apps?: readonly string[];
}

/** The most app names one `fleet:versions` call may ask for first. */
export const DESIRED_VERSIONS_ASK_MAX = 2000;

/** The apps × clusters grid and how old its figures are. */
export interface FleetStatusView {
  readonly grid: FleetGrid;
  /** When the shown state was recorded (the latest snapshot); absent when the fleet was never refreshed. */
  readonly recordedAt?: string;
  /** The repository's HEAD the apps were generated from. */
  readonly revision?: string;
  readonly problems: readonly Problem[];
}

/** The grid as `fleet:status` and `fleet:refresh` send it: packed (every string once; `unpackGrid` rebuilds it). */
export interface FleetStatusPacked extends Omit<FleetStatusView, 'grid'> {
  readonly grid: PackedGrid;
}

/** One app on one cluster: what Git renders, what was last seen there, and its history. */
export interface AppDetail {
  readonly app: string;
  readonly cluster: string;
  readonly application?: Application;
  /** Where the app comes from (ApplicationSet, file, or the app that renders it). */
  readonly origin?: AppOrigin;
  readonly explain?: Explanation;
  /** The last recorded status: every resource with its sync, health message and masked diff. */
  readonly status?: RecordedAppCluster;
  /** The desired manifests at HEAD, as `kustomize build` prints them. */
  readonly rendered: string;
  readonly renderProblems: readonly Problem[];
  /** Each source of the Application: which source type rendered it, with which options. */
  readonly sources?: readonly RenderedSourceInfo[];
  readonly history?: AppClusterHistory;
  /** The verified signature of the commit it runs (the controller's applied revision, else the one last recorded). */
  readonly signature?: CommitSignature;
}

/** A cluster's connection as the UI sees it (never its credentials). */
export interface ClusterView {
  readonly name: string;
  readonly context: string;
  readonly server: string;
  readonly environment?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: 'connecting' | 'ready' | 'unreachable' | 'forbidden';
  readonly version?: string;
  readonly reason?: string;
  /** ISO time the state was entered. */
  readonly since: string;
  /** Argo CD Applications found on the cluster, with Argo CD's own sync and health (absent: no Argo CD there). */
  readonly argocd?: readonly { readonly name: string; readonly namespace: string; readonly sync: SyncStatus; readonly health: HealthStatus }[];
}

/** What a sync did (or, in a dry run, would do) to each resource of an app on its cluster. */
export interface SyncResultView {
  readonly app: string;
  readonly cluster: string;
  readonly phase: 'Succeeded' | 'Failed';
  readonly dryRun: boolean;
  readonly resources: readonly {
    readonly group: string;
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
    readonly wave: number;
    /** What the sync did; `skipped`: not applied because the sync stopped before it, or an option kept it. */
    readonly action: 'created' | 'configured' | 'unchanged' | 'pruned' | 'replaced' | 'deleted' | 'skipped' | 'failed' | 'succeeded';
    /** The phase it ran in: a hook's type (PreSync, Sync, PostSync, SyncFail), Sync for every other resource. */
    readonly phase?: string;
    readonly hook?: boolean;
    readonly message?: string;
  }[];
  /** Why the sync stopped, when it failed as a whole (its dry run, a hook, a wave that did not become healthy). */
  readonly message?: string;
}

/** Progress of a long operation, pushed as an event. */
export interface Progress {
  readonly id: string;
  readonly label: string;
  readonly done: number;
  readonly total: number;
}

/**
 * The one API contract: every invoke channel, with one request argument and a promised result. The Electron IPC
 * handlers, the preload, the HTTP bridge, the web client and in-process callers all derive their types from it.
 */
export interface ApiChannels extends ReportApiChannels {
  /** The open repository with its ApplicationSets and generated apps, each app as its listing (`app:detail` has the rest). */
  'fleet:overview': (req: Record<string, never>) => Promise<FleetOverviewView>;
  /** Opens another repository (a local path) and returns its overview. */
  'repo:open': (req: { readonly path: string }) => Promise<FleetOverviewView>;
  /** The text of a repository file as the editor starts from it: the working tree's copy, else HEAD's. */
  'appset:source': (req: { readonly file: string }) => Promise<{ readonly file: string; readonly text: string }>;
  /** Generates the ApplicationSets of edited, unsaved text against the repository's clusters and git; writes nothing. */
  'appset:preview': (req: { readonly file: string; readonly text: string }) => Promise<AppSetPreview>;
  /** Saves edited text to the file in the working tree (no commit). */
  'appset:save': (req: { readonly file: string; readonly text: string }) => Promise<{ readonly file: string }>;
  /** The grid from the store at once (no cluster contacted), with the apps of HEAD. */
  'fleet:status': (req: Record<string, never>) => Promise<FleetStatusPacked>;
  /** What Git says each app runs at HEAD (rendered once per commit); no cluster is contacted. */
  /** The checkout against its upstream (behind/ahead), from what is fetched; no network. */
  'repo:remote-status': (req: Record<string, never>) => Promise<RemoteStatusView>;
  /** `git fetch` of the upstream's remote: remote-tracking branches only, never the working tree (no pull). */
  'repo:fetch': (req: Record<string, never>) => Promise<RemoteStatusView>;
  /** Every app's version from Git at HEAD (each app rendered once per commit), or those of the apps asked for first. */
  'fleet:versions': (req: DesiredVersionsAsk) => Promise<DesiredVersionsView>;
  /** Reads the clusters (all, or one app or cluster), records a snapshot and returns the new grid; pushes progress. */
  'fleet:refresh': (req: { readonly app?: string; readonly cluster?: string }) => Promise<FleetStatusPacked>;
  /** Cancels a running refresh (nothing is recorded). */
  'fleet:cancel': (req: Record<string, never>) => Promise<{ readonly cancelled: boolean }>;
  /** One app on one cluster in detail. */
  'app:detail': (req: { readonly app: string; readonly cluster: string }) => Promise<AppDetail>;
  /** The app's live resource tree on its cluster (its objects and the ReplicaSets, Pods and Jobs made from them) with their events. */
  'app:tree': (req: { readonly app: string; readonly cluster: string }) => Promise<AppTreeView>;
  /** A bounded tail of one container's log of one of the app's Pods (read-only; credentials stay on the Node side). */
  'app:logs': (req: PodLogsAsk) => Promise<PodLogsView>;
  /** One resource of the app: its desired and live manifests, Secret values masked. */
  'app:manifest': (req: { readonly app: string; readonly cluster: string; readonly group: string; readonly kind: string; readonly namespace: string; readonly name: string }) => Promise<ResourceManifestView>;
  /** Validates the app's rendered objects for its cluster (schema of its Kubernetes version and CRDs, lint, security score). */
  'app:validate': (req: { readonly app: string; readonly cluster: string }) => Promise<AppValidationView>;
  /** Findings per app × cluster of the whole fleet at HEAD (computed once per commit), for the grid; packed (`unpackFindings`). */
  'fleet:validation': (req: Record<string, never>) => Promise<PackedFleetFindings>;
  /** Syncs an app from Git to its cluster by server-side apply; `dryRun` shows what it would do and changes nothing. */
  'app:sync': (req: { readonly app: string; readonly cluster: string; readonly dryRun: boolean; readonly prune?: boolean }) => Promise<SyncResultView>;
  /**
   * What the cluster's user may do of a sync of the app (SelfSubjectAccessReview of every verb the sync and its prune
   * need; nothing is changed) and who may sync it by Argo CD's RBAC in the repository.
   */
  'app:access': (req: { readonly app: string; readonly cluster: string }) => Promise<AppAccessView>;
  /** The kubeconfig's contexts (names and servers only, never credentials), to add a cluster from. */
  'clusters:contexts': (req: Record<string, never>) => Promise<readonly { readonly name: string; readonly server: string }[]>;
  /** Adds a cluster to the fleet file, or relabels it, in the working tree (comments kept; commit to apply). */
  'clusters:save': (req: ClusterEntry) => Promise<{ readonly file: string }>;
  /** One cluster's page: connection, version, Nodes, Namespaces, Argo CD and Flux objects (each part fails on its own). */
  'cluster:detail': (req: { readonly cluster: string }) => Promise<ClusterDetailView>;
  /** Every fleet cluster's connection state and version. */
  'clusters:list': (req: Record<string, never>) => Promise<readonly ClusterView[]>;
  /** The pipelines at HEAD with each app's versions per stage. */
  'promotion:pipelines': (req: Record<string, never>) => Promise<PipelinesOverview>;
  /** The validation gate into a stage now, on the revision the pipelines were read at (renders; cached per revision). */
  'promotion:stage-validation': (req: { readonly pipeline: string; readonly stage: string }) => Promise<StageValidationView>;
  /** Plans a promotion on the remote branch's tip: edits, rendered diff per target cluster, gates; writes nothing. */
  'promotion:plan': (req: PromotionAsk) => Promise<PromotionPlanView>;
  /** Executes a promotion (commit in a worktree, push) after the UI's confirmation. */
  'promotion:execute': (req: PromotionAsk) => Promise<PromotionOutcomeView>;
  /** The recorded promotions, newest first. */
  'promotion:history': (req: { readonly limit?: number }) => Promise<readonly PromotionRecordView[]>;
  /** Reverts a promotion's commit through a new commit. */
  'promotion:rollback': (req: { readonly id: number }) => Promise<PromotionOutcomeView>;
  /** What rolling a promotion back would do (revert diff, versions after it); changes nothing. */
  'promotion:rollback-plan': (req: { readonly id: number }) => Promise<RollbackPlanView>;
  /** Signs an approval of a promotion's or rollback's plan digest with the user's git signing key and pushes it. */
  'promotion:approve': (req: ApprovalAsk) => Promise<ApprovalView>;
  /** The notification history (latest deliveries, newest first) and the configuration's problems. */
  'notify:history': (req: { readonly limit?: number }) => Promise<NotificationsView>;
}

/** Events pushed from the engine to every UI. */
export interface ApiEvents {
  /** The open repository changed (another repo opened, or HEAD moved). */
  'repo:changed': { readonly head: string };
  'progress': Progress;
  /** A refresh recorded a new snapshot. */
  'fleet:updated': { readonly recordedAt: string };
  /** A cluster's connection changed state (ready, unreachable, forbidden...). */
  'cluster:state': ClusterView;
  /** How a promotion started from a UI ended: verified Synced and Healthy on its targets, or failed. */
  'promotion:outcome': { readonly id: number; readonly result: 'verified' | 'verify-failed' | 'failed'; readonly message: string };
  /** Notifications were evaluated: deliveries may have been recorded, problems found or cleared. */
  'notify:evaluated': { readonly at: string; readonly deliveries: number };
}

/** An invoke channel's name. */
export type Channel = keyof ApiChannels;
/** An event's name. */
export type EventName = keyof ApiEvents;
/** The request type of a channel. */
export type RequestOf<C extends Channel> = Parameters<ApiChannels[C]>[0];
/** The resolved result type of a channel. */
export type ResultOf<C extends Channel> = Awaited<ReturnType<ApiChannels[C]>>;

/** Every channel name, for allow-lists (preload, HTTP bridge); the type check keeps it complete. */
export const CHANNELS = ['fleet:overview', 'repo:open', 'appset:source', 'appset:preview', 'appset:save', 'fleet:status', 'fleet:versions', 'repo:remote-status', 'repo:fetch', 'fleet:refresh', 'fleet:cancel', 'app:detail', 'app:tree', 'app:logs', 'app:manifest', 'app:validate', 'fleet:validation', 'app:sync', 'app:access', 'clusters:contexts', 'clusters:save', 'clusters:list', 'cluster:detail', 'promotion:pipelines', 'promotion:stage-validation', 'promotion:plan', 'promotion:execute', 'promotion:history', 'promotion:rollback', 'promotion:rollback-plan', 'promotion:approve', 'notify:history', ...REPORT_CHANNELS] as const satisfies readonly Channel[];
/** Every event name. */
export const EVENTS = ['repo:changed', 'progress', 'fleet:updated', 'cluster:state', 'promotion:outcome', 'notify:evaluated'] as const satisfies readonly EventName[];

type Missing<All, Listed> = Exclude<All, Listed>;
// Compile-time completeness checks: adding a channel or event without listing it fails the typecheck.
const _channelsComplete: Missing<Channel, (typeof CHANNELS)[number]> extends never ? true : never = true;
const _eventsComplete: Missing<EventName, (typeof EVENTS)[number]> extends never ? true : never = true;
void _channelsComplete;
void _eventsComplete;

/** The API as a UI sees it: one named function per channel plus event subscription. */
export type FlotillaApi = { readonly [C in Channel]: ApiChannels[C] } & {
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
};

/** The handler table every transport serves: one function per channel. */
export type ApiHandlers = { readonly [C in Channel]: (req: RequestOf<C>) => Promise<ResultOf<C>> };

// The drift report document (JSON schema version 1, see docs/drift-report-schema.md): built from the store's plain
// data, sorted by environment, cluster and app, with a summary per environment, cluster and app.

import { agreement, verdictsBeside } from '../controllers/summary';
import type { ControllerAgreement, ControllerStatus } from '../controllers/types';
import type { HealthResult, SyncStatus } from '../model/status';
import type { CommitSignature, SignatureVerdict } from '../repo/signature';
import { signatureVerdict, signatureWords } from '../repo/signature';
import { coverageLine, coverageOf } from './coverage';
import type { DriftReportEntryInput, DriftReportInput, RecordedResource, SnapshotRef } from './model';
import type { Mutable } from '../mutable';

/** The version of the drift report's JSON schema; bumped on any incompatible change. */
export const DRIFT_REPORT_SCHEMA_VERSION = 1;

/** Counts for one environment, cluster or app. */
export interface DriftGroupSummary {
  readonly name: string;
  readonly appClusters: number;
  /** App × clusters that are OutOfSync. */
  readonly drifted: number;
  /** App × clusters whose sync is Unknown (cluster unreachable, render failed). */
  readonly unknown: number;
  readonly driftedResources: number;
}

/** One drifted resource: how it differs, its health and since when. */
export interface DriftedResourceEntry {
  readonly group: string;
  readonly version: string | null;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** `modified`: live differs; `missing`: desired but not live; `extra`: live, tracked, not desired. */
  readonly state: 'modified' | 'missing' | 'extra';
  readonly health: HealthResult | null;
  readonly changedPaths: readonly string[];
  /** Unified diff desired → live, Secret values masked. */
  readonly diff: string | null;
  readonly driftSince: string | null;
}

/** One app × cluster of the report. */
export interface DriftReportEntry {
  readonly app: string;
  readonly cluster: string;
  readonly environment: string | null;
  readonly revision: string;
  readonly sync: SyncStatus;
  readonly health: HealthResult;
  readonly observedAt: string;
  readonly driftSince: string | null;
  readonly error: string | null;
  readonly resourceCount: number;
  readonly driftedResources: readonly DriftedResourceEntry[];
  /** Why the snapshot could not read it (cluster unreachable): the state shown is the last one observed, at `observedAt`. */
  readonly unreachable: string | null;
  /** What the GitOps controller in the cluster (Argo CD Application, Flux Kustomization/HelmRelease) reported, or null. */
  readonly controller: ControllerStatus | null;
  /** The controller's word beside Flotilla's verdict: "Argo CD says Synced at abc1234; Flotilla sees 2 objects differing". */
  readonly controllerSays: string | null;
  /** Whether the controller and Flotilla agree on whether the app is in sync. */
  readonly controllerAgreement: ControllerAgreement | null;
  /** The verified signature of the commit it runs; null when no commit is known or it was not verified. */
  readonly signature: ReportSignature | null;
}

/** The signature of the commit an app × cluster runs, as reports carry it. */
export interface ReportSignature {
  /** The commit it runs (the controller's applied revision, else the one recorded at the refresh or sync). */
  readonly commit: string;
  readonly verdict: SignatureVerdict;
  /** The verdict for people: `signed by alice@example.com`, `unsigned`… */
  readonly words: string;
  readonly signer: string | null;
  /** The OpenPGP key id or fingerprint, or the SSH key's SHA256 fingerprint. */
  readonly key: string | null;
  readonly format: 'openpgp' | 'ssh' | null;
  /** git's own words when the signature is not good. */
  readonly detail: string | null;
}

/** A verified signature as reports carry it. */
export function reportSignature(sig: CommitSignature): ReportSignature {
  return { commit: sig.commit, verdict: signatureVerdict(sig), words: signatureWords(sig), signer: sig.signer || null, key: sig.key ?? null, format: sig.format ?? null, detail: sig.detail ?? null };
}

/** The distinct commits a report's entries run: what the Node side verifies before building it. */
export function reportRevisions(input: DriftReportInput): string[] {
  return [...new Set(input.entries.flatMap((e) => (e.runs ? [e.runs] : [])))];
}

/** The report input with each entry's signature taken from verdicts keyed by commit. */
export function withReportSignatures(input: DriftReportInput, verdicts: ReadonlyMap<string, CommitSignature>): DriftReportInput {
  return { ...input, entries: input.entries.map((e) => {
    const signature = e.runs ? verdicts.get(e.runs) : undefined;
    return signature ? { ...e, signature } : e;
  }) };
}

/** How many app × clusters a controller reported on, and how its word compared with Flotilla's. */
export interface ControllerSummary {
  readonly reported: number;
  readonly agree: number;
  readonly disagree: number;
  readonly unknown: number;
}

/** The drift report: the JSON format itself, and what the HTML, Markdown and JUnit renderers read. */
export interface DriftReport {
  readonly schemaVersion: typeof DRIFT_REPORT_SCHEMA_VERSION;
  readonly generatedAt: string;
  readonly source: 'offline' | 'live';
  readonly snapshot: SnapshotRef | null;
  readonly summary: {
    readonly appClusters: number;
    readonly drifted: number;
    readonly unknown: number;
    /** App × clusters that could not be compared (cluster unreachable, or sync Unknown). */
    readonly notCompared: number;
    /** "3 of 12 app × cluster(s) could not be compared: cluster prod unreachable", or null when all were. */
    readonly coverage: string | null;
    readonly driftedResources: number;
    /** The controllers' own view (Argo CD, Flux) beside Flotilla's: how many app × clusters they reported on and agreed. */
    readonly controllers: ControllerSummary;
    readonly byEnvironment: readonly DriftGroupSummary[];
    readonly byCluster: readonly DriftGroupSummary[];
    readonly byApp: readonly DriftGroupSummary[];
  };
  readonly entries: readonly DriftReportEntry[];
}

/** The name environment-less clusters are grouped under. */
export const NO_ENVIRONMENT = '(none)';

/** Builds the report document from the store's data; pure and deterministic for a given input. */
export function buildDriftReport(input: DriftReportInput): DriftReport {
  const entries = input.entries.map(toEntry).sort(compareEntries);
  const byEnvironment = new Map<string, MutableGroup>();
  const byCluster = new Map<string, MutableGroup>();
  const byApp = new Map<string, MutableGroup>();
  let drifted = 0;
  let unknown = 0;
  let driftedResources = 0;
  const controllers = { reported: 0, agree: 0, disagree: 0, unknown: 0 };
  for (const e of entries) {
    if (e.controllerAgreement) {
      controllers.reported++;
      controllers[e.controllerAgreement]++;
    }
    const isDrifted = e.sync === 'OutOfSync';
    const isUnknown = e.sync === 'Unknown';
    if (isDrifted) drifted++;
    if (isUnknown) unknown++;
    driftedResources += e.driftedResources.length;
    for (const [map, name] of [[byEnvironment, e.environment ?? NO_ENVIRONMENT], [byCluster, e.cluster], [byApp, e.app]] as const) {
      let g = map.get(name);
      if (!g) map.set(name, (g = { name, appClusters: 0, drifted: 0, unknown: 0, driftedResources: 0 }));
      g.appClusters++;
      if (isDrifted) g.drifted++;
      if (isUnknown) g.unknown++;
      g.driftedResources += e.driftedResources.length;
    }
  }
  const coverage = coverageOf(entries);
  const sorted = (m: Map<string, MutableGroup>): DriftGroupSummary[] => [...m.values()].sort((a, b) => compareText(a.name, b.name));
  return {
    schemaVersion: DRIFT_REPORT_SCHEMA_VERSION,
    generatedAt: input.generatedAt,
    source: input.source,
    snapshot: input.snapshot ?? null,
    summary: {
      appClusters: entries.length,
      drifted,
      unknown,
      notCompared: coverage.notCompared,
      coverage: coverageLine(coverage) ?? null,
      driftedResources,
      controllers,
      byEnvironment: sorted(byEnvironment),
      byCluster: sorted(byCluster),
      byApp: sorted(byApp),
    },
    entries,
  };
}

/**
 * What the report could see: `nothing` when every app × cluster could not be compared (exit 2: a gate must not pass
 * on it), `partial` when some could not (exit 1), `full` otherwise. An empty fleet is `full`.
 */
export function reportCoverage(report: DriftReport): 'full' | 'partial' | 'nothing' {
  const s = report.summary;
  return s.notCompared === 0 ? 'full' : s.notCompared === s.appClusters ? 'nothing' : 'partial';
}

/** Whether the report found drift (what makes `flotilla drift-report` exit 1). */
export function hasDrift(report: DriftReport): boolean {
  return report.summary.drifted > 0 || report.summary.driftedResources > 0;
}

/** The report as JSON text (schema version 1). */
export function renderDriftReportJson(report: DriftReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** `group/kind/namespace/name` of a drifted resource (core group shown as its kind alone). */
export function driftedResourceId(r: Pick<DriftedResourceEntry, 'group' | 'kind' | 'namespace' | 'name'>): string {
  return `${r.group ? r.group + '/' : ''}${r.kind}/${r.namespace ? r.namespace + '/' : ''}${r.name}`;
}

type MutableGroup = Mutable<DriftGroupSummary>;

function toEntry(e: DriftReportEntryInput): DriftReportEntry {
  const driftedResources = e.drifted.filter((r) => r.sync === 'OutOfSync').map(toResource).sort(compareResources);
  const verdict = { sync: e.sync, drifted: driftedResources.length, ...(e.error ? { error: e.error } : {}), revision: e.revision };
  return {
    app: e.app,
    cluster: e.cluster,
    environment: e.environment ?? null,
    revision: e.revision,
    sync: e.sync,
    health: { status: e.health.status, message: e.health.message },
    observedAt: e.observedAt,
    driftSince: e.driftSince ?? null,
    error: e.error ?? null,
    resourceCount: e.resourceCount,
    unreachable: e.unreachable ?? null,
    signature: e.signature ? reportSignature(e.signature) : null,
    driftedResources,
    controller: e.controller ?? null,
    controllerSays: e.controller ? verdictsBeside(e.controller, verdict) : null,
    controllerAgreement: e.controller ? agreement(e.controller, verdict) : null,
  };
}

function toResource(r: RecordedResource): DriftedResourceEntry {
  return {
    group: r.group,
    version: r.version ?? null,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    state: r.missing ? 'missing' : r.extra ? 'extra' : 'modified',
    health: r.health ? { status: r.health.status, message: r.health.message } : null,
    // The whole object (pointer '') is no path a person can read: a missing or extra resource lists none.
    changedPaths: (r.changedPaths ?? []).filter((p) => p !== ''),
    diff: r.diff ?? null,
    driftSince: r.driftSince ?? null,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEntries(a: DriftReportEntry, b: DriftReportEntry): number {
  return compareText(a.environment ?? '', b.environment ?? '') || compareText(a.cluster, b.cluster) || compareText(a.app, b.app);
}

function compareResources(a: DriftedResourceEntry, b: DriftedResourceEntry): number {
  return compareText(a.namespace, b.namespace) || compareText(a.group, b.group) || compareText(a.kind, b.kind) || compareText(a.name, b.name);
}

import type { HealthStatus, KubeObject, SyncStatus } from '../model/status';
import type { ControllerCondition, ControllerKind, ControllerOperation, ControllerStatus } from './types';

// Reading a controller object's status as its controller writes it: Argo CD's Application (`status.sync`,
// `status.health`, `status.operationState`), Flux's Kustomization (`Ready` condition, `lastAppliedRevision`,
// `lastAttemptedRevision`, `inventory.entries`) and HelmRelease v2 (`Ready`, `history[0]`, `lastAttemptedRevision`).

/** The API group of each controller kind. */
export const CONTROLLER_GROUPS: Readonly<Record<ControllerKind, string>> = {
  Application: 'argoproj.io',
  Kustomization: 'kustomize.toolkit.fluxcd.io',
  HelmRelease: 'helm.toolkit.fluxcd.io',
};

const SYNC: readonly SyncStatus[] = ['Synced', 'OutOfSync', 'Unknown'];
const HEALTH: readonly HealthStatus[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const opt = <K extends string, V>(key: K, v: V | undefined): { [k in K]?: V } => (v === undefined ? {} : ({ [key]: v } as { [k in K]: V }));

/** Parses one controller object read from `cluster` into its own status. */
export function parseControllerObject(kind: ControllerKind, obj: KubeObject, cluster: string): ControllerStatus {
  const m = rec(obj.metadata);
  const base = { kind, cluster, namespace: str(m['namespace']) ?? '', name: str(m['name']) ?? '' };
  const status = rec(obj['status']);
  const spec = rec(obj['spec']);
  if (kind === 'Application') {
    const sync = rec(status['sync']);
    const health = rec(status['health']);
    const dest = rec(spec['destination']);
    const revisions = Array.isArray(sync['revisions']) ? sync['revisions'].filter((r): r is string => typeof r === 'string') : [];
    const destination = { ...opt('server', str(dest['server'])), ...opt('name', str(dest['name'])), ...opt('namespace', str(dest['namespace'])) };
    return {
      controller: 'Argo CD', ...base,
      sync: SYNC.find((s) => s === sync['status']) ?? 'Unknown',
      health: HEALTH.find((h) => h === health['status']) ?? 'Unknown',
      ...opt('healthMessage', str(health['message'])),
      ...opt('revision', str(sync['revision']) ?? (revisions.length ? revisions.join(', ') : undefined)),
      ...opt('operation', operationOf(rec(status['operationState']))),
      ...(Object.keys(destination).length ? { destination } : {}),
    };
  }
  const ready = readyOf(status['conditions']);
  const common = {
    controller: 'Flux' as const, ...base,
    ...opt('ready', ready),
    ...(spec['suspend'] === true ? { suspended: true } : {}),
    ...opt('lastAttemptedRevision', str(status['lastAttemptedRevision'])),
  };
  if (kind === 'Kustomization') {
    const entries = rec(status['inventory'])['entries'];
    return { ...common, ...opt('revision', str(status['lastAppliedRevision'])), ...(Array.isArray(entries) ? { inventory: entries.length } : {}) };
  }
  // HelmRelease v2: the latest release is the first history entry; what it deployed is its chart name and version.
  const latest = Array.isArray(status['history']) ? rec(status['history'][0]) : {};
  const chart = str(latest['chartName']);
  const version = str(latest['chartVersion']);
  return { ...common, ...opt('revision', version ? (chart ? `${chart}@${version}` : version) : str(status['lastAppliedRevision'])) };
}

/** The inventory of a Flux Kustomization as object keys (`group/kind/namespace/name`), from its `status.inventory`. */
export function fluxInventoryKeys(obj: KubeObject): string[] {
  const entries = rec(rec(obj['status'])['inventory'])['entries'];
  if (!Array.isArray(entries)) return [];
  const out: string[] = [];
  for (const e of entries) {
    // Flux's ObjMetadata id: <namespace>_<name>_<group>_<kind>, a `:` in the name written `__` (RBAC names).
    const id = str(rec(e)['id']);
    const parts = id?.split('_');
    if (!parts || parts.length < 4) continue;
    const kind = parts[parts.length - 1]!;
    const group = parts[parts.length - 2]!;
    const namespace = parts[0]!;
    const name = parts.slice(1, parts.length - 2).join('_').replaceAll('__', ':');
    out.push(`${group}/${kind}/${namespace}/${name}`);
  }
  return out;
}

function readyOf(conditions: unknown): ControllerCondition | undefined {
  if (!Array.isArray(conditions)) return undefined;
  const c = conditions.map(rec).find((x) => x['type'] === 'Ready');
  if (!c) return undefined;
  const status = c['status'] === 'True' || c['status'] === 'False' ? c['status'] : 'Unknown';
  return { status, ...opt('reason', str(c['reason'])), ...opt('message', str(c['message'])), ...opt('lastTransitionTime', str(c['lastTransitionTime'])) };
}

function operationOf(op: Rec): ControllerOperation | undefined {
  const phase = str(op['phase']);
  if (!phase) return undefined;
  const result = rec(op['syncResult']);
  return {
    phase,
    ...opt('message', str(op['message'])),
    ...opt('startedAt', str(op['startedAt'])),
    ...opt('finishedAt', str(op['finishedAt'])),
    ...opt('revision', str(result['revision'])),
  };
}

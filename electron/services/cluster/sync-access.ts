import type { KubeObject } from '../../../shared/model/status';
import type { AccessCheck, AccessVerdict } from './access-review';
import { describeDenial, resourceName, reviewAccess, uniqueChecks } from './access-review';
import type { ClusterConnection } from './connection';
import { resourcePath } from './discovery';
import { hookInfo } from './sync-hooks';
import { parseAppSyncOptions, resourceSyncOptions } from './sync-options';
import { syncApp } from './sync';
import type { ResourceSelector, SyncAccess, SyncAccessPart, SyncOptions, SyncResult } from './sync-types';
import { keyOf } from './tracking';

// Before a sync touches anything: which verbs on which resources it needs, as sync.ts uses them, and whether the
// cluster's user has them (access-review.ts). Sync: get (live reads, health waits) and create + patch (server-side
// apply creates or patches) on each rendered kind in its namespace — `create` is dropped for a kind whose objects all
// exist already, since Kubernetes authorizes the apply of an existing object as `patch` only — update instead of patch with Replace=true or
// Validate=false, delete too with Force=true; hooks need create, get and delete (BeforeHookCreation and the delete
// policies); CreateNamespace needs get, create and patch on namespaces. Prune needs list and delete on each rendered
// kind in the app's namespaces. Kinds the cluster does not serve are left to the sync, which reports them itself.

/** The options of a sync that change what it needs. */
export type SyncAccessOptions = Pick<SyncOptions, 'namespace' | 'createNamespace' | 'syncOptions' | 'resources' | 'managedNamespaceMetadata'>;

/** Whether a resource is chosen by a selective sync (as sync.ts selects). */
function selected(key: { group: string; kind: string; namespace: string; name: string }, sel: readonly ResourceSelector[] | undefined): boolean {
  if (!sel) return true;
  return sel.some((s) => (!s.group || s.group === key.group) && (!s.kind || s.kind === key.kind) && (!s.namespace || s.namespace === key.namespace) && (!s.name || s.name === key.name));
}

/** The permissions a sync of these objects needs, and those its prune needs besides. */
export async function requiredAccess(conn: ClusterConnection, desired: readonly KubeObject[], opts: SyncAccessOptions): Promise<{ sync: AccessCheck[]; prune: AccessCheck[]; applied: AppliedObject[] }> {
  const app = parseAppSyncOptions(opts.syncOptions);
  const destination = opts.namespace ?? 'default';
  const sync: AccessCheck[] = [];
  const prune: AccessCheck[] = [];
  const applied: AppliedObject[] = [];
  const namespaces = new Set<string>([destination]);
  let createsNamespace = Boolean(opts.createNamespace || app.createNamespace);
  for (const obj of desired) {
    const info = await conn.resourceFor(obj.apiVersion ?? '', obj.kind ?? '');
    if (!info) continue;
    const raw = keyOf(obj);
    const namespace = info.namespaced ? raw.namespace || destination : undefined;
    if (obj.kind === 'Namespace' && raw.name === destination) createsNamespace = false;
    const hook = hookInfo(obj);
    const at = { group: info.group, resource: info.resource, ...(namespace ? { namespace } : {}) };
    if (hook) {
      if (opts.resources || !hook.phases.some((p) => p !== 'PostDelete')) continue;
      sync.push({ verb: 'create', ...at }, { verb: 'get', ...at }, { verb: 'delete', ...at });
      continue;
    }
    if (!selected({ ...raw, namespace: namespace ?? '' }, opts.resources)) continue;
    const o = resourceSyncOptions(obj, app);
    sync.push({ verb: 'get', ...at }, { verb: 'create', ...at }, { verb: o.replace || !o.validate ? 'update' : 'patch', ...at });
    applied.push({ path: resourcePath(info, namespace, raw.name), droppable: [{ verb: 'create', ...at }] });
    if (o.force) sync.push({ verb: 'delete', ...at });
    if (namespace) namespaces.add(namespace);
    prune.push({ verb: 'list', ...at }, { verb: 'delete', ...at });
  }
  if (createsNamespace) {
    // The sync reads the namespace; it creates it when missing, and patches it only to set managedNamespaceMetadata.
    const ns = (verb: string): AccessCheck => ({ verb, group: '', resource: 'namespaces', name: destination });
    sync.push(ns('get'), ns('create'), ns('patch'));
    applied.push({ path: `/api/v1/namespaces/${encodeURIComponent(destination)}`, droppable: opts.managedNamespaceMetadata ? [ns('create')] : [ns('create'), ns('patch')] });
  }
  return { sync: uniqueChecks(sync), prune: uniqueChecks(prune), applied };
}

/** An object the sync writes: where it lives, and what it needs only when it does not exist yet (`create`). */
export interface AppliedObject {
  readonly path: string;
  readonly droppable: readonly AccessCheck[];
}

const sameCheck = (a: AccessCheck, b: AccessCheck): boolean => a.verb === b.verb && a.group === b.group && a.resource === b.resource && (a.namespace ?? '') === (b.namespace ?? '') && (a.name ?? '') === (b.name ?? '');

/**
 * Kubernetes authorizes a server-side apply of a missing object as `create`, of an existing one as `patch`: a refused
 * `create` on a kind whose objects all exist already is not needed — nor, for CreateNamespace, the namespace's
 * `create` and `patch` when it exists (and has no managed metadata to set). Read only when refused and `get` is allowed
 * (a read that fails keeps the refusal).
 */
async function dropCreatesOfExisting(conn: ClusterConnection, verdicts: readonly AccessVerdict[], applied: readonly AppliedObject[]): Promise<AccessVerdict[]> {
  const out: AccessVerdict[] = [];
  for (const v of verdicts) {
    const readable = verdicts.some((g) => g.result === 'allowed' && sameCheck(g, { ...v, verb: 'get' }));
    const objects = applied.filter((a) => a.droppable.some((d) => sameCheck(d, v)));
    if (v.result !== 'denied' || !readable || !objects.length) {
      out.push(v);
      continue;
    }
    const exist = await Promise.all(objects.map(async (a) => {
      try {
        await conn.request({ path: a.path });
        return true;
      } catch {
        return false;
      }
    }));
    if (!exist.every(Boolean)) out.push(v);
  }
  return out;
}

/** The outcome of a set of verdicts, with the sentence that says the first refusal. */
export function accessPart(cluster: string, verdicts: readonly AccessVerdict[]): SyncAccessPart {
  const denied = verdicts.filter((v) => v.result === 'denied');
  const unknown = verdicts.filter((v) => v.result === 'unknown');
  const more = (n: number): string => (n > 1 ? ` (and ${n - 1} more: ${denied.slice(1, 4).map((v) => `${v.verb} ${resourceName(v)}`).join(', ')}${n > 4 ? ', …' : ''})` : '');
  const reason = denied.length
    ? `${describeDenial(denied[0]!, cluster)}${more(denied.length)}`
    : unknown.length
      ? `could not check on ${cluster} whether you may ${unknown[0]!.verb} ${resourceName(unknown[0]!)}: ${unknown[0]!.reason ?? 'no answer'}`
      : undefined;
  return { result: denied.length ? 'denied' : unknown.length ? 'unknown' : 'allowed', denied, unknown, checked: verdicts.length, ...(reason ? { reason } : {}) };
}

/** Asks the cluster whether its user may sync (and prune) these objects, without changing anything. */
export async function checkSyncAccess(conn: ClusterConnection, desired: readonly KubeObject[], opts: SyncAccessOptions): Promise<SyncAccess> {
  let need: { sync: AccessCheck[]; prune: AccessCheck[]; applied: AppliedObject[] };
  try {
    await conn.connect();
    need = await requiredAccess(conn, desired, opts);
  } catch (err) {
    // The cluster cannot be asked (unreachable, credentials refused): unknown, never allowed.
    const why = `could not check on ${conn.name} what you may do: ${err instanceof Error ? err.message : String(err)}`;
    const part: SyncAccessPart = { result: 'unknown', denied: [], unknown: [], checked: 0, reason: why };
    return { cluster: conn.name, sync: part, prune: part };
  }
  const verdicts = await reviewAccess(conn, [...need.sync, ...need.prune]);
  return {
    cluster: conn.name,
    sync: accessPart(conn.name, await dropCreatesOfExisting(conn, verdicts.slice(0, need.sync.length), need.applied)),
    prune: accessPart(conn.name, verdicts.slice(need.sync.length)),
  };
}

/**
 * A sync with its permissions asked first (checkSyncAccess), as `flotilla sync` does for an app from Git and for
 * manifest files alike: a permission the sync — or its prune, when it prunes (syncApp's default) — needs and is refused
 * refuses the sync before anything is sent, naming the verb and resource; a review the server cannot answer leaves the
 * judgement to the API server's all-or-nothing dry run. The result carries what was checked (`access`) and `app`.
 */
export async function syncWithAccessCheck(conn: ClusterConnection, desired: readonly KubeObject[], opts: SyncOptions, app: string): Promise<SyncResult> {
  const access = await checkSyncAccess(conn, desired, opts);
  const prunes = opts.prune ?? true;
  const blocking = [access.sync, ...(prunes ? [access.prune] : [])].filter((p) => p.result === 'denied');
  if (blocking.length) {
    const now = new Date().toISOString();
    return {
      app, cluster: conn.name, phase: 'Failed', dryRun: opts.dryRun ?? false, resources: [], startedAt: now, finishedAt: now, waitedMs: 0,
      message: `refused before anything was sent: ${blocking.map((p) => (p === access.prune ? `prune: ${p.reason ?? ''}` : p.reason ?? '')).join('; ')}`,
      access, refused: true,
    };
  }
  return { ...(await syncApp(conn, desired, opts)), app, access };
}

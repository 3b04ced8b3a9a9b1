import type { KubeEventView } from '../../../shared/fleet/kube-events';
import { eventsFor } from '../../../shared/fleet/kube-events';
import type { ResourceNode } from '../../../shared/fleet/resource-tree';
import { childKindsOf, groupOfApiVersion, ownedBy, selectorQuery, toNode, uidOf } from '../../../shared/fleet/resource-tree';
import type { HealthResult, KubeObject } from '../../../shared/model/status';
import type { Problem } from '../../../shared/problem';
import { problem, toProblem } from '../../../shared/problem';
import { EVENT_LIMIT } from '../../../shared/api/app-live';
import type { ClusterConnection } from './connection';
import type { LiveResource } from './live-state';

// The live-only children of an app's objects, found the way the controllers made them: for each owner, its child
// kind is listed in the owner's namespace with the owner's own label selector (a ReplicaSet's includes its
// pod-template-hash), and only objects whose ownerReferences name the owner's uid are kept. No cluster-wide list of
// Pods, no watch: one list per (child kind, namespace, selector), a few levels deep — or, when more than a few owners
// ask for one child kind in one namespace, one list of that kind in that namespace.

/** How deep the controllers' chain is followed (CronJob → Job → Pod, Deployment → ReplicaSet → Pod). */
const MAX_DEPTH = 3;

/** Above this many owner selectors for one child kind in one namespace, the namespace's objects are listed once. */
const MAX_SELECTOR_LISTS = 4;

/** An app's tree on one cluster: nodes, events and what could not be read. */
export interface AppTree {
  readonly nodes: ResourceNode[];
  readonly events: KubeEventView[];
  readonly problems: Problem[];
  /** Lists the reading made (for tests and benchmarks: it must not grow with the cluster's other Pods). */
  readonly lists: number;
}

/** How the tree judges health: `assess` per node; `prefetch`, when given, is awaited first for each level's objects. */
export interface AppTreeOptions {
  readonly app: string;
  readonly assess: (obj: KubeObject) => HealthResult;
  /**
   * Runs what `assess` needs off the main thread before it is called (custom Lua checks in their worker, as the fleet
   * comparison does), once for the app's objects and once per level of children.
   */
  readonly prefetch?: (objs: readonly KubeObject[]) => Promise<void>;
}

/**
 * Reads the tree of an app's live resources: the app's objects as roots (a desired object not on the cluster is a
 * Missing root), their children by owner reference with health per node, and the events of all of them.
 */
export async function readAppTree(conn: ClusterConnection, resources: readonly LiveResource[], opts: AppTreeOptions): Promise<AppTree> {
  const nodes: ResourceNode[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  let frontier: KubeObject[] = [];
  await opts.prefetch?.(resources.flatMap((r) => (r.live ? [r.live] : [])));
  for (const r of resources) {
    if (r.live) {
      nodes.push(toNode(r.live, { managed: true, health: opts.assess(r.live) }));
      const uid = uidOf(r.live);
      if (uid) seen.add(uid);
      frontier.push(r.live);
    } else if (r.desired) {
      nodes.push({ ...toNode(r.desired, { managed: true, namespace: r.namespace }), uid: '', namespace: r.namespace, health: r.problem ? { status: 'Unknown', message: r.problem.message } : { status: 'Missing', message: 'not on the cluster' } });
    }
    if (r.problem) problems.push(r.problem);
  }
  const lists = new Map<string, Promise<KubeObject[]>>();
  const listOnce = (group: string, kind: string, namespace: string, selector: string | undefined): Promise<KubeObject[]> => {
    const k = `${group}/${kind}|${namespace}|${selector ?? ''}`;
    let p = lists.get(k);
    if (!p) {
      p = (async () => {
        const info = await conn.resourceForGroupKind(group, kind);
        if (!info) return [];
        return (await conn.list(info, { namespace, ...(selector ? { labelSelector: selector } : {}) })).items;
      })().catch((err: unknown) => {
        problems.push(toProblem(err, { cluster: conn.name, app: opts.app, resource: `${group ? `${group}/` : ''}${kind} in ${namespace}` }));
        return [];
      });
      lists.set(k, p);
    }
    return p;
  };
  for (let depth = 0; depth < MAX_DEPTH && frontier.length; depth++) {
    const next: { obj: KubeObject; parent: string }[] = [];
    const asks = frontier.flatMap((owner) => {
      const ns = typeof owner.metadata?.['namespace'] === 'string' ? owner.metadata['namespace'] : '';
      const uid = uidOf(owner);
      if (!ns || !uid) return [];
      const spec = (owner['spec'] ?? {}) as Record<string, unknown>;
      // A CronJob's Jobs carry no selector of the CronJob's; they are found by owner in the namespace.
      const selector = owner.kind === 'CronJob' ? undefined : selectorQuery(spec['selector']);
      return childKindsOf(groupOfApiVersion(owner.apiVersion), owner.kind ?? '').map((ck) => ({ ck, ns, uid, selector }));
    });
    // Many owners of one child kind in one namespace (an app of 40 Deployments): one list of the namespace instead of
    // one per selector; owner uids still decide what is shown.
    const selectors = new Map<string, Set<string | undefined>>();
    for (const a of asks) {
      const k = `${a.ck.group}/${a.ck.kind}|${a.ns}`;
      selectors.set(k, (selectors.get(k) ?? new Set()).add(a.selector));
    }
    await Promise.all(asks.map(async ({ ck, ns, uid, selector }) => {
      const wide = (selectors.get(`${ck.group}/${ck.kind}|${ns}`)?.size ?? 0) > MAX_SELECTOR_LISTS;
      for (const { obj, parent } of ownedBy(await listOnce(ck.group, ck.kind, ns, wide ? undefined : selector), new Set([uid]))) {
        const childUid = uidOf(obj);
        if (seen.has(childUid)) continue;
        seen.add(childUid);
        next.push({ obj, parent });
      }
    }));
    // Children are judged as the app's own objects are: custom checks first (a Pod or ReplicaSet rule applies here too).
    await opts.prefetch?.(next.map((c) => c.obj));
    for (const { obj, parent } of next) nodes.push(toNode(obj, { managed: false, parent, health: opts.assess(obj) }));
    frontier = next.map((c) => c.obj);
  }
  const events = await readEvents(conn, nodes, problems, opts.app);
  return { nodes, events, problems, lists: lists.size };
}

/** The events of the tree's objects: one list of Events per namespace of the tree, filtered to the tree's uids. */
async function readEvents(conn: ClusterConnection, nodes: readonly ResourceNode[], problems: Problem[], app: string): Promise<KubeEventView[]> {
  const info = await conn.resourceForGroupKind('', 'Event').catch(() => undefined);
  if (!info) {
    problems.push(problem('the cluster serves no core/v1 Events', { cluster: conn.name, app }));
    return [];
  }
  const namespaces = [...new Set(nodes.map((n) => n.namespace).filter(Boolean))];
  const all: KubeObject[] = [];
  await Promise.all(namespaces.map(async (ns) => {
    try {
      all.push(...(await conn.list(info, { namespace: ns })).items);
    } catch (err) {
      problems.push(toProblem(err, { cluster: conn.name, app, resource: `Events in ${ns}` }));
    }
  }));
  const clusterScoped = nodes.filter((n) => !n.namespace);
  if (clusterScoped.length) {
    // Events of cluster-scoped objects (a Namespace) live in `default`.
    try {
      if (!namespaces.includes('default')) all.push(...(await conn.list(info, { namespace: 'default' })).items);
    } catch {
      // not fatal: the namespaced events are shown
    }
  }
  return eventsFor(all, nodes.filter((n) => n.uid)).slice(0, EVENT_LIMIT);
}

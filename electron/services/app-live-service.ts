import type { AppTreeView, PodLogsAsk, PodLogsView, ResourceManifestView } from '../../shared/api/app-live';
import { LOG_LIMIT_BYTES, LOG_TAIL_LINES } from '../../shared/api/app-live';
import { maskSecret } from '../../shared/diff/secret';
import { renderApplication } from '../../shared/fleet/render-apps';
import { instanceNameOf } from '../../shared/fleet/app-name';
import { assessHealth } from '../../shared/health';
import { emitYaml } from '../../shared/kustomize';
import type { Json } from '../../shared/kustomize/yaml';
import type { HealthCustomizations } from '../../shared/health/types';
import type { KubeObject } from '../../shared/model/status';
import { FLEET_FILE } from '../../shared/repo/scan';
import { FlotillaError, problem } from '../../shared/problem';
import { readAppTree } from './cluster/app-tree';
import type { ClusterConnection } from './cluster/connection';
import { resourcePath } from './cluster/discovery';
import { LiveStore } from './cluster/live-state';
import type { TrackingOptions } from './cluster/tracking';
import { keyOf, trackedApp } from './cluster/tracking';
import { KubeApiError } from './cluster/transport';
import { fleetCompareSettings, fleetHealthChecks } from './fleet-settings';
import type { SourcePosition } from '../../shared/yaml/node-position';
import { capabilitiesLookup } from './helm/capabilities';
import { withInputsOfCluster } from './cluster/flux-inputs';
import type { Session } from './session';
import { renderOptions } from './sources/render-options';
import type { FluxOwnership } from './cluster/live-state';
import { fluxOwnerOfApp, fluxOwnersOf } from '../../shared/flux/owner';

/** What the app page needs of one app on its cluster: desired objects from Git, the connection, the tracking method. */
interface AppTarget {
  readonly desired: readonly KubeObject[];
  readonly namespace?: string;
  readonly conn: ClusterConnection;
  readonly tracking: TrackingOptions;
  /** A Flux app: its live objects are those its owner labels name. */
  readonly flux?: FluxOwnership;
  /** The fleet file's custom Lua health checks (`spec.health.customizations`) at HEAD. */
  readonly health: HealthCustomizations;
  /** Where each check's key is written in the fleet file (a failed check names its line and column). */
  readonly healthPositions: Readonly<Record<string, SourcePosition>>;
}

/** How many owner links a Pod's log request may climb to find the app's object (Pod → ReplicaSet → Deployment → …). */
const OWNER_HOPS = 4;

/**
 * The app page's live reads on the Node side (credentials never leave it): the resource tree with children and
 * events, a Pod container's log tail, and one resource's desired and live manifests (Secret values masked).
 */
export class AppLiveService {
  constructor(private readonly session: Session) {}

  private async target(app: string, cluster: string): Promise<AppTarget> {
    const fleet = await this.session.fleet();
    const { head, scan, git, clusters, fleet: found } = await fleet.discovery();
    const generated = found.apps.find((a) => a.name === app);
    if (!generated) throw new FlotillaError(problem(`no Application ${app} at HEAD`, { app, cluster }));
    const manager = await this.session.clusterManager();
    if (!manager.names().includes(cluster)) throw new FlotillaError(problem(`${cluster} is not a cluster of the fleet`, { app, cluster }));
    // Rendered with the cluster's own version and API groups, as Argo CD renders Helm charts for it.
    const caps = await capabilitiesLookup(manager, [cluster], { reconnect: false });
    // A Flux app's ConfigMaps/Secrets from the cluster, as the comparison and the app page read them.
    const inputs = await withInputsOfCluster(manager.connection(cluster), generated.application);
    const rendered = renderApplication(inputs.app, git, renderOptions(scan, clusters, caps));
    if (rendered.cluster && rendered.cluster !== cluster) throw new FlotillaError(problem(`${app} deploys to ${rendered.cluster}, not ${cluster}`, { app, cluster }));
    const namespace = generated.application.spec.destination.namespace;
    // The same checks the fleet comparison applies; a problem in them is reported there, not on every tree read.
    const { health, healthPositions } = fleetCompareSettings(fleet.repo.treeAt(head.sha).read(FLEET_FILE));
    const owner = fluxOwnerOfApp(generated.application);
    return { desired: rendered.objects, ...(namespace ? { namespace } : {}), conn: manager.connection(cluster), tracking: { method: scan.fleet.tracking }, health, healthPositions, ...(owner ? { flux: { owner } } : {}) };
  }

  /** The app's live tree (its objects and the ReplicaSets, Pods and Jobs made from them) with health per node and events. */
  async tree(app: string, cluster: string): Promise<AppTreeView> {
    const t = await this.target(app, cluster);
    const store = new LiveStore(t.conn, { tracking: t.tracking, watch: false });
    // Custom checks judge every node, children included (a Pod or ReplicaSet rule), in their worker off this thread.
    const lua = fleetHealthChecks(t.health, t.healthPositions);
    try {
      const state = await store.liveState(instanceNameOf(app), t.desired, t.namespace, t.flux);
      const tree = await readAppTree(t.conn, state.resources, {
        app,
        assess: (o) => assessHealth(o, lua ? { custom: lua } : undefined),
        ...(lua ? { prefetch: (objs: readonly KubeObject[]) => lua.evaluate(objs) } : {}),
      });
      return { app, cluster, nodes: tree.nodes, events: tree.events, problems: [...state.problems, ...tree.problems], observedAt: new Date().toISOString() };
    } finally {
      store.close();
      lua?.close();
    }
  }

  /** A bounded tail of one container's log; refused unless the Pod belongs to the app (tracked, or owned by what is). */
  async logs(ask: PodLogsAsk): Promise<PodLogsView> {
    const t = await this.target(ask.app, ask.cluster);
    const podInfo = await t.conn.resourceForGroupKind('', 'Pod');
    if (!podInfo) throw new FlotillaError(problem(`${ask.cluster} serves no Pods`, { cluster: ask.cluster }));
    const pod = await this.get(t.conn, podInfo.group, podInfo.kind, ask.namespace, ask.pod, ask.cluster);
    if (!(await this.belongsTo(t, pod, ask.app))) {
      throw new FlotillaError(problem(`Pod ${ask.namespace}/${ask.pod} is not one of ${ask.app}'s resources`, { app: ask.app, cluster: ask.cluster, resource: `Pod/${ask.namespace}/${ask.pod}` }));
    }
    const spec = (pod['spec'] ?? {}) as { containers?: { name?: string }[]; initContainers?: { name?: string }[] };
    const names = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c) => c.name ?? '');
    const container = ask.container ?? spec.containers?.[0]?.name ?? '';
    if (!names.includes(container)) throw new FlotillaError(problem(`Pod ${ask.namespace}/${ask.pod} has no container ${container} (it has ${names.join(', ')})`, { cluster: ask.cluster, resource: `Pod/${ask.namespace}/${ask.pod}` }));
    const tail = Math.max(1, Math.min(ask.tailLines ?? LOG_TAIL_LINES, LOG_TAIL_LINES));
    const q = new URLSearchParams({ container, tailLines: String(tail), limitBytes: String(LOG_LIMIT_BYTES) });
    if (ask.previous) q.set('previous', 'true');
    try {
      const text = await t.conn.request<string>({ path: `${resourcePath(podInfo, ask.namespace, ask.pod)}/log?${q}`, accept: '*/*', text: true });
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      return { pod: ask.pod, container, text, truncated: Buffer.byteLength(text) >= LOG_LIMIT_BYTES || lines >= tail };
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new FlotillaError(problem(`logs of ${container} in Pod ${ask.namespace}/${ask.pod}${ask.previous ? ' (previous)' : ''}: ${msg}`, { cluster: ask.cluster, resource: `Pod/${ask.namespace}/${ask.pod}` }));
    }
  }

  /** One resource's desired manifest (from Git) and live manifest (from the cluster, without managedFields), Secrets masked. */
  async manifest(req: { readonly app: string; readonly cluster: string; readonly group: string; readonly kind: string; readonly namespace: string; readonly name: string }): Promise<ResourceManifestView> {
    const t = await this.target(req.app, req.cluster);
    const desired = t.desired.find((d) => {
      const k = keyOf(d);
      return k.group === req.group && k.kind === req.kind && k.name === req.name && (k.namespace || t.namespace || '') === req.namespace;
    }) ?? t.desired.find((d) => {
      const k = keyOf(d);
      return k.group === req.group && k.kind === req.kind && k.name === req.name && !k.namespace;
    });
    let live: KubeObject | undefined;
    try {
      live = await this.get(t.conn, req.group, req.kind, req.namespace, req.name, req.cluster);
    } catch (err) {
      if (!(err instanceof KubeApiError && err.kind === 'notFound')) throw err;
    }
    if (live && !desired && !(await this.belongsTo(t, live, req.app))) {
      throw new FlotillaError(problem(`${req.kind} ${req.namespace}/${req.name} is not one of ${req.app}'s resources`, { app: req.app, cluster: req.cluster }));
    }
    const yaml = (o: KubeObject): string => emitYaml(maskSecret(withoutManagedFields(o)) as unknown as Json);
    return { ...(desired ? { desired: yaml(desired) } : {}), ...(live ? { live: yaml(live) } : {}) };
  }

  private async get(conn: ClusterConnection, group: string, kind: string, namespace: string, name: string, cluster: string): Promise<KubeObject> {
    const info = await conn.resourceForGroupKind(group, kind);
    if (!info) throw new FlotillaError(problem(`${cluster} serves no ${group ? `${group}/` : ''}${kind}`, { cluster }));
    const obj = await conn.request<KubeObject>({ path: resourcePath(info, namespace, name) });
    return { ...obj, apiVersion: info.group ? `${info.group}/${info.version}` : info.version, kind: info.kind };
  }

  /** Whether an object is the app's: tracked as its own (a Flux app: labelled by its owner), or owned (through a few controller links) by an object that is. */
  private async belongsTo(t: AppTarget, obj: KubeObject, app: string): Promise<boolean> {
    let cur: KubeObject | undefined = obj;
    for (let hop = 0; cur && hop <= OWNER_HOPS; hop++) {
      if (t.flux ? fluxOwnersOf(cur).includes(t.flux.owner) : trackedApp(cur, t.tracking) === instanceNameOf(app)) return true;
      const refs = (cur.metadata?.['ownerReferences'] ?? []) as { apiVersion?: string; kind?: string; name?: string; controller?: boolean }[];
      const ref = refs.find((r) => r.controller) ?? refs[0];
      if (!ref?.kind || !ref.name) return false;
      const group = ref.apiVersion?.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.indexOf('/')) : '';
      const ns = typeof cur.metadata?.['namespace'] === 'string' ? cur.metadata['namespace'] : '';
      try {
        cur = await this.get(t.conn, group, ref.kind, ns, ref.name, t.conn.name);
      } catch {
        return false;
      }
    }
    return false;
  }
}

function withoutManagedFields(o: KubeObject): KubeObject {
  if (!o.metadata || !('managedFields' in o.metadata)) return o;
  const { managedFields: _drop, ...metadata } = o.metadata;
  void _drop;
  return { ...o, metadata };
}

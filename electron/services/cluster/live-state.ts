import type { FluxOwnerKey } from '../../../shared/flux/owner';
import { fluxOwnersOf } from '../../../shared/flux/owner';
import type { KubeObject, ResourceKey } from '../../../shared/model/status';
import type { Problem } from '../../../shared/problem';
import { problem } from '../../../shared/problem';
import type { ClusterConnection } from './connection';
import type { ApiResourceInfo } from './discovery';
import { resourcePath } from './discovery';
import { KubeApiError } from './transport';
import type { WatchStream } from './transport';
import type { GroupKind, TrackingOptions } from './tracking';
import { DEFAULT_TRACKED_KINDS, DEFAULT_TRACKING, keyOf, keyString, trackedApp } from './tracking';

// The live state of a cluster's tracked kinds: one list per kind (cluster-wide, or per namespace when the
// user may not list cluster-wide), then a watch from the list's resourceVersion keeping it fresh. A kind is
// listed again only when the watch answers 410 Gone.

/** One resource of an app as the cluster holds it. */
export interface LiveResource extends ResourceKey {
  /** The desired object, when the app wants it. */
  readonly desired?: KubeObject;
  /** The live object, when the cluster holds it. */
  readonly live?: KubeObject;
  /** Live and tracked as the app's, but not desired. */
  readonly extra: boolean;
  /** Why the live object could not be read (forbidden, kind not served). */
  readonly problem?: Problem;
}

/** The live state of one app on one cluster. */
export interface AppLiveState {
  readonly app: string;
  readonly cluster: string;
  readonly resources: readonly LiveResource[];
  readonly problems: readonly Problem[];
  /** ISO time of the observation. */
  readonly observedAt: string;
}

/** A change seen by a watch. */
export interface LiveChange {
  readonly cluster: string;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly key: ResourceKey;
  /** The apps the object was or is tracked as belonging to. */
  readonly apps: readonly string[];
  /** The Flux owners (Kustomization, HelmRelease) whose labels it carried or carries. */
  readonly owners: readonly FluxOwnerKey[];
  readonly object: KubeObject;
}

/** Counters of a live store (lists made, re-lists after 410 Gone, watch events). */
export interface LiveStoreStats {
  lists: number;
  relists: number;
  events: number;
  watchRestarts: number;
}

/** Options of a live store. */
export interface LiveStoreOptions {
  readonly tracking?: TrackingOptions;
  /** Kinds searched for extra objects besides the desired kinds (default: common workload kinds). */
  readonly trackedKinds?: readonly GroupKind[];
  /** Keep lists fresh with watches (default true). */
  readonly watch?: boolean;
  /** Server-side watch timeout (default 290 s); the watch is re-opened from its resourceVersion after it. */
  readonly watchTimeoutSeconds?: number;
}

/** One listed (and watched) scope: a kind cluster-wide or in one namespace. */
interface Scope {
  readonly info: ApiResourceInfo;
  readonly namespace?: string;
  readonly objects: Map<string, KubeObject>;
  resourceVersion: string;
  stream?: WatchStream;
  problem?: Problem;
  ready: Promise<void>;
}

/**
 * How a Flux app's live objects are found beside its desired ones: by the owner labels its controller sets, and by the
 * inventory its Kustomization's status lists (what kustomize-controller applied and would prune).
 */
export interface FluxOwnership {
  readonly owner: FluxOwnerKey;
  /** `group/kind/namespace/name` keys from the Kustomization's `status.inventory`. */
  readonly inventory?: readonly string[];
}

/** The default namespace of an app's namespaced objects when neither the object nor the caller names one. */
const DEFAULT_NAMESPACE = 'default';

/** A cluster's live objects of the tracked kinds, indexed by key and by tracking app. */
export class LiveStore {
  private readonly scopes = new Map<string, Scope>();
  /** group/kind → 'cluster' when listable cluster-wide, 'namespaced' when only per namespace, or a Problem. */
  private readonly kindMode = new Map<string, Promise<'cluster' | 'namespaced' | Problem>>();
  private readonly byApp = new Map<string, Set<string>>();
  private readonly appOf = new Map<string, string>();
  private readonly byOwner = new Map<FluxOwnerKey, Set<string>>();
  private readonly ownersOf = new Map<string, readonly FluxOwnerKey[]>();
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private closed = false;
  private readonly tracking: TrackingOptions;
  /** Counters for benchmarks and diagnostics. */
  readonly stats: LiveStoreStats = { lists: 0, relists: 0, events: 0, watchRestarts: 0 };

  constructor(readonly conn: ClusterConnection, private readonly opts: LiveStoreOptions = {}) {
    this.tracking = opts.tracking ?? DEFAULT_TRACKING;
  }

  /** Subscribes to watched changes; returns the unsubscribe function. */
  onChange(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Makes sure the given kinds are listed (and watched) for the given namespaces; returns a Problem per kind that
   * cannot be read. Kinds already listed cost nothing.
   */
  async ensure(kinds: readonly GroupKind[], namespaces: readonly string[]): Promise<Problem[]> {
    const problems: Problem[] = [];
    await Promise.all(kinds.map(async (gk) => {
      const mode = await this.modeOf(gk);
      if (typeof mode !== 'string') {
        problems.push(mode);
        return;
      }
      if (mode === 'cluster') return;
      const info = (await this.conn.resourceForGroupKind(gk.group, gk.kind))!;
      await Promise.all(namespaces.map(async (ns) => {
        const scope = this.openScope(info, ns);
        await scope.ready;
        if (scope.problem) problems.push(scope.problem);
      }));
    }));
    return problems;
  }

  /** Decides once per kind whether it is served and listable cluster-wide. */
  private modeOf(gk: GroupKind): Promise<'cluster' | 'namespaced' | Problem> {
    const k = `${gk.group}/${gk.kind}`;
    let m = this.kindMode.get(k);
    if (!m) {
      m = (async () => {
        const info = await this.conn.resourceForGroupKind(gk.group, gk.kind);
        if (!info) return problem(`kind ${gk.group ? gk.group + '/' : ''}${gk.kind} is not served by the cluster`, { cluster: this.conn.name, resource: k });
        const scope = this.openScope(info);
        await scope.ready;
        if (!scope.problem) return 'cluster';
        this.scopes.delete(this.scopeKey(info));
        if (info.namespaced && /forbidden/i.test(scope.problem.message)) return 'namespaced';
        return scope.problem;
      })();
      this.kindMode.set(k, m);
      // A kind that failed for another reason (cluster down) is tried again next time.
      void m.then((r) => {
        if (typeof r !== 'string' && !/forbidden|not served/.test(r.message)) this.kindMode.delete(k);
      }, () => this.kindMode.delete(k));
    }
    return m;
  }

  private scopeKey(info: ApiResourceInfo, namespace?: string): string {
    return `${info.group}/${info.kind}|${namespace ?? ''}`;
  }

  /** Lists a scope and starts its watch; one per scope. */
  private openScope(info: ApiResourceInfo, namespace?: string): Scope {
    const key = this.scopeKey(info, namespace);
    const existing = this.scopes.get(key);
    if (existing) return existing;
    const scope: Scope = { info, ...(namespace ? { namespace } : {}), objects: new Map(), resourceVersion: '', ready: Promise.resolve() };
    this.scopes.set(key, scope);
    scope.ready = this.list(scope).then(() => {
      if (!scope.problem && this.opts.watch !== false) void this.watchLoop(scope);
    });
    return scope;
  }

  /** (Re)lists a scope, replacing its objects and emitting no events (callers read the state afresh). */
  private async list(scope: Scope): Promise<void> {
    try {
      const res = await this.conn.list(scope.info, scope.namespace ? { namespace: scope.namespace } : {});
      this.stats.lists++;
      const seen = new Set<string>();
      for (const obj of res.items) {
        const k = keyString(keyOf(obj));
        seen.add(k);
        this.put(scope, k, obj);
      }
      for (const k of [...scope.objects.keys()]) if (!seen.has(k)) this.remove(scope, k);
      scope.resourceVersion = res.resourceVersion;
      delete scope.problem;
    } catch (err) {
      const where = `${scope.info.group ? scope.info.group + '/' : ''}${scope.info.kind}${scope.namespace ? ` in namespace ${scope.namespace}` : ''}`;
      scope.problem = problem(`cannot list ${where}: ${err instanceof Error ? err.message : String(err)}`, { cluster: this.conn.name, resource: `${scope.info.group}/${scope.info.kind}` });
    }
  }

  private put(scope: Scope, k: string, obj: KubeObject): void {
    scope.objects.set(k, obj);
    this.setOwners(k, fluxOwnersOf(obj));
    const before = this.appOf.get(k);
    const after = trackedApp(obj, this.tracking);
    if (before === after) return;
    if (before) this.byApp.get(before)?.delete(k);
    if (after) {
      this.appOf.set(k, after);
      let set = this.byApp.get(after);
      if (!set) this.byApp.set(after, (set = new Set()));
      set.add(k);
    } else this.appOf.delete(k);
  }

  /** Indexes an object under the Flux owners its labels name. */
  private setOwners(k: string, owners: readonly FluxOwnerKey[]): void {
    for (const o of this.ownersOf.get(k) ?? []) this.byOwner.get(o)?.delete(k);
    if (owners.length === 0) {
      this.ownersOf.delete(k);
      return;
    }
    this.ownersOf.set(k, owners);
    for (const o of owners) {
      let set = this.byOwner.get(o);
      if (!set) this.byOwner.set(o, (set = new Set()));
      set.add(k);
    }
  }

  private remove(scope: Scope, k: string): void {
    scope.objects.delete(k);
    this.setOwners(k, []);
    const app = this.appOf.get(k);
    if (app) this.byApp.get(app)?.delete(k);
    this.appOf.delete(k);
  }

  /** Watches a scope from its resourceVersion; re-opens after the server's timeout, re-lists only on 410 Gone. */
  private async watchLoop(scope: Scope): Promise<void> {
    let backoff = 500;
    while (!this.closed) {
      const q = new URLSearchParams({ watch: '1', allowWatchBookmarks: 'true', resourceVersion: scope.resourceVersion, timeoutSeconds: String(this.opts.watchTimeoutSeconds ?? 290) });
      let gone = false;
      try {
        const stream = await this.conn.stream(`${resourcePath(scope.info, scope.namespace)}?${q}`, (line) => {
          const ev = line as { type?: string; object?: KubeObject & { code?: number } };
          if (ev.type === 'ERROR') {
            if (ev.object?.code === 410) gone = true;
            scope.stream?.close();
            return;
          }
          const obj = ev.object;
          if (!obj) return;
          const rv = (obj.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
          if (rv) scope.resourceVersion = rv;
          if (ev.type === 'BOOKMARK') return;
          this.apply(scope, ev.type as LiveChange['type'], obj);
        }, ((this.opts.watchTimeoutSeconds ?? 290) + 40) * 1000);
        scope.stream = stream;
        if (this.closed) stream.close();
        await stream.done;
        backoff = 500;
      } catch (err) {
        if (err instanceof KubeApiError && err.kind === 'gone') gone = true;
        else if (!this.closed) {
          this.conn.reportFailure(err);
          await new Promise((r) => setTimeout(r, backoff).unref());
          backoff = Math.min(backoff * 2, 10_000);
        }
      }
      if (this.closed) return;
      this.stats.watchRestarts++;
      if (gone) {
        this.stats.relists++;
        await this.list(scope);
      }
    }
  }

  private apply(scope: Scope, type: LiveChange['type'], raw: KubeObject): void {
    const apiVersion = scope.info.group ? `${scope.info.group}/${scope.info.version}` : scope.info.version;
    const obj: KubeObject = { ...raw, apiVersion, kind: scope.info.kind };
    const key = keyOf(obj);
    const k = keyString(key);
    const before = this.appOf.get(k);
    const ownersBefore = this.ownersOf.get(k) ?? [];
    if (type === 'DELETED') this.remove(scope, k);
    else this.put(scope, k, obj);
    const after = this.appOf.get(k);
    this.stats.events++;
    const apps = [...new Set([before, after].filter((a): a is string => Boolean(a)))];
    const owners = [...new Set([...ownersBefore, ...(this.ownersOf.get(k) ?? [])])];
    const change: LiveChange = { cluster: this.conn.name, type, key, apps, owners, object: obj };
    for (const l of this.listeners) l(change);
  }

  /** The live object for a key from the listed scopes, and the scope's problem if it could not be read. */
  private lookup(gk: GroupKind, namespace: string, name: string): { live?: KubeObject; problem?: Problem; listed: boolean } {
    const k = keyString({ group: gk.group, kind: gk.kind, namespace, name });
    for (const scopeKey of [`${gk.group}/${gk.kind}|`, `${gk.group}/${gk.kind}|${namespace}`]) {
      const scope = this.scopes.get(scopeKey);
      if (!scope) continue;
      if (scope.problem) return { problem: scope.problem, listed: false };
      const live = scope.objects.get(k);
      return { ...(live ? { live } : {}), listed: true };
    }
    return { listed: false };
  }

  /** Whether a kind is namespaced, from discovery already read (default true for unknown kinds). */
  private namespacedKinds = new Map<string, boolean>();

  /**
   * The app's live state from the store as it is now (call `liveState` to list missing kinds first). Extra objects
   * are those tracked as the app's (Argo CD tracking), or for a Flux app (`flux`) those its owner labels or its
   * inventory name.
   */
  appState(app: string, desired: readonly KubeObject[], namespace = DEFAULT_NAMESPACE, problems: readonly Problem[] = [], flux?: FluxOwnership): AppLiveState {
    const resources: LiveResource[] = [];
    const desiredKeys = new Set<string>();
    for (const d of desired) {
      const k0 = keyOf(d);
      const namespaced = this.namespacedKinds.get(`${k0.group}/${k0.kind}`) ?? true;
      const key = { ...k0, namespace: namespaced ? k0.namespace || namespace : '' };
      desiredKeys.add(keyString(key));
      const found = this.lookup(key, key.namespace, key.name);
      const kindProblem = problems.find((p) => p.resource === `${key.group}/${key.kind}`);
      const p = found.problem ?? (found.listed ? undefined : kindProblem);
      resources.push({
        ...key, desired: d, extra: false,
        ...(found.live ? { live: found.live } : {}),
        ...(p ? { problem: { ...p, resource: keyString(key), app } } : {}),
      });
    }
    const owned = flux ? new Set([...(this.byOwner.get(flux.owner) ?? []), ...(flux.inventory ?? [])]) : this.byApp.get(app) ?? [];
    for (const k of owned) {
      if (desiredKeys.has(k)) continue;
      desiredKeys.add(k);
      const [group = '', kind = '', ns = '', ...rest] = k.split('/');
      const found = this.lookup({ group, kind }, ns, rest.join('/'));
      if (!found.live) continue;
      resources.push({ ...keyOf(found.live), live: found.live, extra: true });
    }
    return { app, cluster: this.conn.name, resources, problems, observedAt: new Date().toISOString() };
  }

  /** Lists whatever kinds the app needs (desired kinds plus the tracked kinds), then returns its live state. */
  async liveState(app: string, desired: readonly KubeObject[], namespace = DEFAULT_NAMESPACE, flux?: FluxOwnership): Promise<AppLiveState> {
    const problems = await this.prepare([{ desired, namespace, ...(flux?.inventory ? { inventory: flux.inventory } : {}) }]);
    return this.appState(app, desired, namespace, problems, flux);
  }

  /** Lists every kind and namespace a set of apps needs, in parallel; returns the Problems per kind. */
  async prepare(apps: readonly { readonly desired: readonly KubeObject[]; readonly namespace?: string; readonly inventory?: readonly string[] }[]): Promise<Problem[]> {
    const kinds = new Map<string, GroupKind>();
    for (const gk of this.opts.trackedKinds ?? DEFAULT_TRACKED_KINDS) kinds.set(`${gk.group}/${gk.kind}`, gk);
    const namespaces = new Set<string>();
    for (const a of apps) {
      namespaces.add(a.namespace ?? DEFAULT_NAMESPACE);
      for (const d of a.desired) {
        const k = keyOf(d);
        kinds.set(`${k.group}/${k.kind}`, { group: k.group, kind: k.kind });
        if (k.namespace) namespaces.add(k.namespace);
      }
      // A Flux inventory's kinds are listed too, so what Flux applied outside the usual kinds is found.
      for (const id of a.inventory ?? []) {
        const [group = '', kind = '', ns = ''] = id.split('/');
        if (kind) kinds.set(`${group}/${kind}`, { group, kind });
        if (ns) namespaces.add(ns);
      }
    }
    const disc = await this.conn.discovery();
    for (const [k, gk] of kinds) {
      const info = disc.findGroupKind(gk.group, gk.kind);
      if (info) this.namespacedKinds.set(k, info.namespaced);
    }
    const desiredKinds = new Set(apps.flatMap((a) => a.desired.map((d) => { const k = keyOf(d); return `${k.group}/${k.kind}`; })));
    const problems = await this.ensure([...kinds.values()], [...namespaces]);
    // A tracked kind the cluster does not serve is no problem unless an app wants it; one that cannot be read only
    // limits the search for extra objects, so it is a warning.
    return problems
      .filter((p) => !/is not served/.test(p.message) || desiredKinds.has(p.resource ?? ''))
      .map((p) => (desiredKinds.has(p.resource ?? '') ? p : { ...p, severity: 'warning' as const, message: `${p.message} (extra objects of this kind are not searched)` }));
  }

  /**
   * Calls `listener` with the app's fresh live state whenever a watched change touches it (its tracked objects
   * or its desired keys). Returns the unsubscribe function.
   */
  watchApp(app: string, desired: readonly KubeObject[], listener: (state: AppLiveState) => void, namespace = DEFAULT_NAMESPACE, flux?: FluxOwnership): () => void {
    const keys = new Set(desired.map((d) => {
      const k = keyOf(d);
      const namespaced = this.namespacedKinds.get(`${k.group}/${k.kind}`) ?? true;
      return keyString({ ...k, namespace: namespaced ? k.namespace || namespace : '' });
    }));
    let pending = false;
    return this.onChange((c) => {
      if (!(flux ? c.owners.includes(flux.owner) : c.apps.includes(app)) && !keys.has(keyString(c.key))) return;
      if (pending) return;
      pending = true;
      setImmediate(() => {
        pending = false;
        listener(this.appState(app, desired, namespace, [], flux));
      });
    });
  }

  /** Number of objects held. */
  get size(): number {
    let n = 0;
    for (const s of this.scopes.values()) n += s.objects.size;
    return n;
  }

  /** Stops every watch. */
  close(): void {
    this.closed = true;
    for (const s of this.scopes.values()) s.stream?.close();
    this.listeners.clear();
  }
}

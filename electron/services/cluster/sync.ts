import type { KubeObject, ResourceKey } from '../../../shared/model/status';
import type { Problem } from '../../../shared/problem';
import { problem } from '../../../shared/problem';
import type { ClusterConnection } from './connection';
import type { ApiResourceInfo } from './discovery';
import { resourcePath } from './discovery';
import type { HookInfo } from './sync-hooks';
import { deleteAfter, hookInfo } from './sync-hooks';
import type { AppSyncOptions, ResourceSyncOptions } from './sync-options';
import { parseAppSyncOptions, resourceSyncOptions, respectIgnoreDifferences } from './sync-options';
import type { ResourceSelector, ResourceSyncResult, SyncAction, SyncOptions, SyncPhase, SyncResult } from './sync-types';
import type { Ordered } from './sync-waves';
import { compareTasks, readHealth, waitHealthy, wavesOf } from './sync-waves';
import type { GroupKind, TrackingOptions } from './tracking';
import { DEFAULT_TRACKED_KINDS, DEFAULT_TRACKING, INSTANCE_LABEL, keyOf, keyString, metaMap, SYNC_WAVE_ANNOTATION, syncWave, trackedApp, withTracking } from './tracking';
import { KubeApiError } from './transport';
import { unchangedByWrite } from './write-outcome';

export type { ResourceSelector, ResourceSyncResult, SyncAction, SyncOptions, SyncPhase, SyncResult } from './sync-types';

// Sync of one app to one cluster, the way Argo CD's gitops-engine does it, with server-side apply:
// 1. a server-side dry run of every resource and hook — all or nothing: when one fails, nothing is applied;
// 2. the phases PreSync, Sync, PostSync, each wave by wave (kind order within a wave): hooks are created and waited
//    for until they complete, resources are applied (or replaced, by their sync options), objects no longer desired
//    are pruned in their wave (PruneLast: after the last wave); a wave waits until it is healthy when asked;
// 3. when a step fails, what follows is skipped and the SyncFail hooks run.
// Hook, option and wave semantics live in sync-hooks.ts, sync-options.ts and sync-waves.ts.

/** The field manager of every apply. */
export const FIELD_MANAGER = 'flotilla';

/** One step of a sync: a desired resource, a hook run, or a prune. */
interface Task extends Ordered {
  readonly type: 'apply' | 'hook' | 'prune';
  key: ResourceKey;
  readonly obj: KubeObject;
  readonly phase: SyncPhase;
  readonly wave: number;
  readonly options: ResourceSyncOptions;
  readonly hook?: HookInfo;
  info?: ApiResourceInfo;
  live?: KubeObject;
  skipDryRun?: boolean;
  /** The dry run found nothing to change (ApplyOutOfSyncOnly skips it). */
  inSync?: boolean;
  result?: ResourceSyncResult;
}

/** The object as applied: the desired fields only, with the tracking mark and the namespace filled. */
function applyBody(obj: KubeObject, key: ResourceKey, app: string, tracking: TrackingOptions, namespaced: boolean, destinationNamespace: string | undefined): KubeObject {
  const m = { ...(obj.metadata ?? {}) } as Record<string, unknown>;
  for (const f of ['resourceVersion', 'uid', 'creationTimestamp', 'managedFields', 'generation', 'selfLink']) delete m[f];
  if (namespaced) m.namespace = key.namespace;
  else delete m.namespace;
  const { status: _status, ...rest } = obj as KubeObject & { status?: unknown };
  return withTracking({ ...rest, metadata: m }, app, key, tracking, destinationNamespace);
}

/** Turns a failure into a per-resource Problem naming cluster, app and resource. */
function failure(conn: ClusterConnection, app: string, key: ResourceKey, err: unknown, stage: string): Problem {
  const msg = err instanceof Error ? err.message : String(err);
  return problem(`${stage} failed: ${msg}`, { cluster: conn.name, app, resource: keyString(key) });
}

/** Whether an error is the API's "not found". */
const notFound = (err: unknown): boolean => err instanceof KubeApiError && err.kind === 'notFound';

/** A result for a task. */
function resultOf(t: Task, action: SyncAction, extra: { problem?: Problem; message?: string } = {}): ResourceSyncResult {
  return { ...t.key, action, wave: t.wave, phase: t.phase, ...(t.type === 'hook' ? { hook: true } : {}), ...extra };
}

/** Whether a resource is chosen by a selective sync. */
function selected(key: ResourceKey, sel: readonly ResourceSelector[] | undefined): boolean {
  if (!sel) return true;
  return sel.some((s) => (!s.group || s.group === key.group) && (!s.kind || s.kind === key.kind) && (!s.namespace || s.namespace === key.namespace) && (!s.name || s.name === key.name));
}

/** The sync wave of an object (a Helm hook's weight when it has no sync-wave). */
function waveOf(obj: KubeObject, hook: HookInfo | undefined): number {
  if (hook?.helmWeight !== undefined && metaMap(obj, 'annotations')[SYNC_WAVE_ANNOTATION] === undefined) return hook.helmWeight;
  return syncWave(obj);
}

/** Context shared by the steps of one sync. */
interface Run {
  readonly conn: ClusterConnection;
  readonly opts: SyncOptions;
  readonly app: AppSyncOptions;
  readonly tracking: TrackingOptions;
  readonly namespace: string;
}

/** Syncs an app's desired objects to a cluster; see the module comment. */
export async function syncApp(conn: ClusterConnection, desired: readonly KubeObject[], opts: SyncOptions): Promise<SyncResult> {
  const startedAt = new Date().toISOString();
  const app = parseAppSyncOptions(opts.syncOptions);
  const run: Run = { conn, opts, app, tracking: opts.tracking ?? DEFAULT_TRACKING, namespace: opts.namespace ?? 'default' };
  const dryRun = opts.dryRun ?? false;
  await conn.connect();
  if (conn.state !== 'ready') throw new KubeApiError(conn.info.reason ?? `cluster ${conn.name} is ${conn.state}`, 'network');
  let waitedMs = 0;
  const done = (results: ResourceSyncResult[], message?: string): SyncResult => ({
    app: opts.app, cluster: conn.name, phase: results.some((r) => r.action === 'failed') || message ? 'Failed' : 'Succeeded', dryRun,
    resources: results, startedAt, finishedAt: new Date().toISOString(), waitedMs, ...(message ? { message } : {}),
  });

  const { tasks, desiredNamespaces } = await resolveTasks(run, desired);
  // CreateNamespace, unless the app's own objects include the namespace.
  const createNs = (opts.createNamespace || app.createNamespace) && !desiredNamespaces.has(run.namespace);
  // Reported in the first wave: it happens before anything else.
  const firstWave = Math.min(0, ...tasks.map((t) => t.wave));
  const nsStep = createNs ? await namespaceStep(run, true, firstWave) : undefined;
  if (nsStep?.result?.action === 'created') desiredNamespaces.add(run.namespace);

  // 1. Dry run of everything, all or nothing.
  await Promise.all(tasks.filter((t) => !t.result).map((t) => dryRunTask(run, t, desiredNamespaces)));
  const prunes = opts.prune !== false ? await pruneTasks(run, tasks) : [];
  const refused = tasks.filter((t) => t.result?.action === 'failed');
  if (nsStep?.result?.action === 'failed' || refused.length) {
    const what = [...(nsStep?.result?.action === 'failed' ? [nsStep.result] : []), ...refused.map((t) => t.result!)];
    const message = `dry run failed for ${what.map((r) => `${r.kind}/${r.name}`).join(', ')}: nothing was applied`;
    const skip = (key: ResourceKey): { problem: Problem } => ({ problem: problem(`not applied: ${message}`, { cluster: conn.name, app: opts.app, resource: keyString(key) }) });
    for (const t of [...tasks, ...prunes]) if (!t.result) t.result = resultOf(t, 'skipped', skip(t.key));
    if (nsStep?.result && nsStep.result.action !== 'failed') nsStep.result = { ...nsStep.result, action: 'skipped', ...skip(nsStep.result) };
    return done([...(nsStep?.result ? [nsStep.result] : []), ...[...tasks, ...prunes].sort(compareTasks).map((t) => t.result!)], message);
  }
  if (dryRun) {
    for (const t of tasks) if (!t.result) t.result = resultOf(t, t.type === 'hook' ? 'created' : t.live === undefined ? 'created' : t.inSync ? 'unchanged' : 'configured');
    for (const p of prunes) p.result = resultOf(p, p.options.prune ? 'pruned' : 'skipped', p.options.prune ? {} : { message: 'Prune=false' });
    return done([...(nsStep?.result ? [nsStep.result] : []), ...[...tasks, ...prunes].sort(compareTasks).map((t) => t.result!)]);
  }

  // 2. The real run.
  const results: ResourceSyncResult[] = [];
  if (nsStep) {
    const real = await namespaceStep(run, false, firstWave);
    if (real.result) results.push(real.result);
  }
  const lastWave = Math.max(0, ...tasks.filter((t) => t.phase === 'Sync').map((t) => t.wave));
  const pruneLast = prunes.map((p): Task => (p.options.pruneLast ? { ...p, wave: lastWave + 1 } : p));
  const main = [...tasks.filter((t) => t.phase !== 'SyncFail'), ...pruneLast];
  const waves = wavesOf(main);
  let stopped: string | undefined;
  for (const [i, wave] of waves.entries()) {
    if (stopped) break;
    for (const step of wave.steps) {
      await Promise.all(step.map((t) => runTask(run, t)));
      const failed = step.filter((t) => t.result?.action === 'failed');
      if (failed.length) {
        stopped = `${wave.phase} wave ${wave.wave} failed at ${failed.map((t) => `${t.key.kind}/${t.key.name}`).join(', ')}`;
        break;
      }
    }
    if (stopped) break;
    // Hooks of the wave run until they complete; the wave's resources must be healthy before a later wave or phase.
    const hooks = wave.steps.flat().filter((t) => t.type === 'hook' && t.info);
    const later = i < waves.length - 1;
    const resources = opts.waitForHealthy && later ? wave.steps.flat().filter((t) => t.type === 'apply' && t.info && t.result?.action !== 'skipped') : [];
    const watched = [...hooks, ...resources].map((t) => ({ key: t.key, info: t.info!, hook: t.type === 'hook' }));
    if (!watched.length) continue;
    const timeoutMs = hooks.length && !resources.length ? opts.hookTimeoutMs ?? 300_000 : Math.max(opts.waitForHealthy?.timeoutMs ?? 0, hooks.length ? opts.hookTimeoutMs ?? 300_000 : 0);
    const outcome = await waitHealthy(conn, watched, { timeoutMs, ...(opts.waitForHealthy?.intervalMs ? { intervalMs: opts.waitForHealthy.intervalMs } : {}), ...(opts.customHealth ? { custom: opts.customHealth } : {}) });
    waitedMs += outcome.waitedMs;
    await finishHooks(run, hooks, outcome.unhealthy);
    if (outcome.unhealthy.length) {
      stopped = `${wave.phase} wave ${wave.wave} did not become healthy${outcome.degraded ? '' : ` within ${timeoutMs} ms`} (${outcome.unhealthy.join('; ')})`;
    }
  }
  if (stopped) {
    for (const t of main) if (!t.result) t.result = resultOf(t, 'skipped', { problem: problem(`not applied: ${stopped}`, { cluster: conn.name, app: opts.app, resource: keyString(t.key) }) });
    // 3. SyncFail hooks.
    for (const wave of wavesOf(tasks.filter((t) => t.phase === 'SyncFail'))) {
      for (const step of wave.steps) await Promise.all(step.map((t) => runTask(run, t)));
      const hooks = wave.steps.flat().filter((t) => t.info && t.result?.action !== 'failed');
      const outcome = await waitHealthy(conn, hooks.map((t) => ({ key: t.key, info: t.info!, hook: true })), { timeoutMs: opts.hookTimeoutMs ?? 300_000, ...(opts.customHealth ? { custom: opts.customHealth } : {}) });
      waitedMs += outcome.waitedMs;
      await finishHooks(run, hooks, outcome.unhealthy);
    }
  }
  // Reported in the order the sync runs them; SyncFail hooks only when they ran.
  for (const t of [...main].sort(compareTasks)) if (t.result) results.push(t.result);
  for (const t of tasks.filter((x) => x.phase === 'SyncFail').sort(compareTasks)) if (t.result) results.push(t.result);
  return done(results, stopped);
}

/** Resolves every desired object's resource, key, phase, wave and options into tasks. */
async function resolveTasks(run: Run, desired: readonly KubeObject[]): Promise<{ tasks: Task[]; desiredNamespaces: Set<string> }> {
  const { conn, opts } = run;
  const desiredNamespaces = new Set<string>();
  /** group/kind → namespaced, for the kinds whose CRD is part of this sync. */
  const desiredCrdKinds = new Map<string, boolean>();
  for (const obj of desired) {
    if (obj.kind === 'Namespace') desiredNamespaces.add(keyOf(obj).name);
    if (obj.kind === 'CustomResourceDefinition') {
      const spec = (obj as { spec?: { group?: string; scope?: string; names?: { kind?: string } } }).spec;
      if (spec?.group && spec.names?.kind) desiredCrdKinds.set(`${spec.group}/${spec.names.kind}`, spec.scope !== 'Cluster');
    }
  }
  const tasks: Task[] = [];
  for (const obj of desired) {
    const hook = hookInfo(obj);
    // Selective sync runs no hooks (as Argo CD); PostDelete hooks run when the app is deleted, never in a sync.
    const phases = hook ? (opts.resources ? [] : hook.phases.filter((p) => p !== 'PostDelete')) : ['Sync' as const];
    if (!phases.length) continue;
    const raw = keyOf(obj);
    const info = await conn.resourceFor(obj.apiVersion ?? '', obj.kind ?? '');
    const namespaced = info ? info.namespaced : (desiredCrdKinds.get(`${raw.group}/${raw.kind}`) ?? true);
    const key: ResourceKey = { ...raw, namespace: namespaced ? raw.namespace || run.namespace : '' };
    if (!hook && !selected(key, opts.resources)) continue;
    const options = resourceSyncOptions(obj, run.app);
    for (const phase of phases) {
      const task: Task = { type: hook ? 'hook' : 'apply', key, obj, phase, wave: waveOf(obj, hook), options, ...(hook ? { hook } : {}), ...(info ? { info } : {}) };
      if (!info && !desiredCrdKinds.has(`${raw.group}/${raw.kind}`)) {
        if (options.skipDryRunOnMissingResource) task.skipDryRun = true;
        else task.result = resultOf(task, 'failed', { problem: failure(conn, opts.app, key, new Error(`kind ${obj.apiVersion}/${obj.kind} is not served by the cluster`), 'resolve') });
      }
      tasks.push(task);
    }
  }
  return { tasks, desiredNamespaces };
}

/**
 * CreateNamespace: the destination namespace, applied server-side with managedNamespaceMetadata's labels and
 * annotations (not tracked, never pruned). Reported when it is created or its metadata changes.
 */
async function namespaceStep(run: Run, dryRun: boolean, wave: number): Promise<{ result?: ResourceSyncResult }> {
  const { conn, opts, namespace } = run;
  const key: ResourceKey = { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: namespace };
  const meta = opts.managedNamespaceMetadata;
  const result = (action: SyncAction, extra: { problem?: Problem } = {}): ResourceSyncResult => ({ ...key, action, wave, phase: 'PreSync', ...extra });
  let existing: KubeObject | undefined;
  try {
    existing = await conn.request<KubeObject>({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}` });
  } catch (err) {
    if (!notFound(err)) return { result: result('failed', { problem: failure(conn, opts.app, key, err, 'read namespace') }) };
  }
  if (existing && !meta) return {};
  try {
    const q = new URLSearchParams({ fieldManager: `${FIELD_MANAGER}-namespace`, force: 'true', ...(dryRun ? { dryRun: 'All' } : {}) });
    const body = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, ...(meta?.labels ? { labels: meta.labels } : {}), ...(meta?.annotations ? { annotations: meta.annotations } : {}) } };
    const after = await conn.request<KubeObject>({ method: 'PATCH', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}?${q}`, contentType: 'application/apply-patch+yaml', body });
    if (!existing) return { result: result('created') };
    return unchangedByWrite(after, existing, `${FIELD_MANAGER}-namespace`, { dryRun: false }) ? {} : { result: result('configured') };
  } catch (err) {
    return { result: result('failed', { problem: failure(conn, opts.app, key, err, 'create namespace') }) };
  }
}

/** The server-side dry run of one task (and its live object, to tell created from configured). */
async function dryRunTask(run: Run, t: Task, desiredNamespaces: ReadonlySet<string>): Promise<void> {
  const { conn, opts } = run;
  if (t.skipDryRun || !t.info) return;
  if (t.type === 'apply') {
    try {
      t.live = await conn.request<KubeObject>({ path: resourcePath(t.info, t.key.namespace, t.key.name) });
    } catch (err) {
      // Not readable (forbidden): the dry run below tells whether it may at least be applied.
      if (!notFound(err) && !(err instanceof KubeApiError && err.kind === 'forbidden')) {
        t.result = resultOf(t, 'failed', { problem: failure(conn, opts.app, t.key, err, 'read') });
        return;
      }
    }
  }
  try {
    if (t.type === 'hook') await createHook(run, t, true);
    else {
      const after = await write(run, t, true);
      t.inSync = unchangedByWrite(after, t.live, FIELD_MANAGER, { dryRun: true });
    }
  } catch (err) {
    // Objects in a namespace this sync creates cannot be dry-run before it exists: they are applied after it.
    if (notFound(err) && desiredNamespaces.has(t.key.namespace)) t.skipDryRun = true;
    else t.result = resultOf(t, 'failed', { problem: failure(conn, opts.app, t.key, err, 'dry run') });
  }
}

/** Runs one task for real: apply a resource, create a hook, or prune. */
async function runTask(run: Run, t: Task): Promise<void> {
  const { conn, opts } = run;
  if (t.result) return;
  try {
    if (t.type === 'prune') return void (t.result = await pruneOne(run, t));
    if (!t.info) {
      // Its CRD is part of this sync and was applied in an earlier step: wait (10 s at most) until it is served.
      const deadline = Date.now() + 10_000;
      while (!(t.info = await conn.resourceFor(t.obj.apiVersion ?? '', t.obj.kind ?? '')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      if (!t.info) throw new Error(`kind ${t.obj.apiVersion}/${t.obj.kind} is not served by the cluster`);
    }
    if (t.type === 'hook') {
      await createHook(run, t, false);
      t.result = resultOf(t, 'created');
      return;
    }
    if (run.app.applyOutOfSyncOnly && t.inSync) return void (t.result = resultOf(t, 'unchanged', { message: 'ApplyOutOfSyncOnly: in sync, not applied' }));
    const after = await write(run, t, false);
    const action: SyncAction = t.options.replace ? 'replaced' : t.live === undefined ? 'created' : unchangedByWrite(after, t.live, FIELD_MANAGER, { dryRun: false }) ? 'unchanged' : 'configured';
    t.result = resultOf(t, action);
  } catch (err) {
    t.result = resultOf(t, 'failed', { problem: failure(conn, opts.app, t.key, err, t.type === 'hook' ? 'create hook' : 'apply') });
  }
}

/** Applies (server-side), or replaces with Replace=true, one resource; Force=true deletes and creates it when needed. */
async function write(run: Run, t: Task, dryRun: boolean): Promise<KubeObject> {
  const { conn } = run;
  const info = t.info!;
  let desired = t.obj;
  if (run.app.respectIgnoreDifferences && run.opts.ignoreDifferences) desired = respectIgnoreDifferences(desired, t.live, t.key, run.opts.ignoreDifferences);
  const body = applyBody(desired, t.key, run.opts.app, run.tracking, info.namespaced, run.opts.namespace);
  const validation = t.options.validate ? 'Strict' : 'Ignore';
  const dry: Record<string, string> = dryRun ? { dryRun: 'All' } : {};
  const create = async (): Promise<KubeObject> =>
    await conn.request<KubeObject>({ method: 'POST', path: `${resourcePath(info, t.key.namespace)}?${new URLSearchParams({ fieldManager: FIELD_MANAGER, fieldValidation: validation, ...dry })}`, body });
  // Validate=false: server-side apply refuses fields its schema does not declare whatever fieldValidation says, so the
  // object is written as create/replace with fieldValidation=Ignore, which drops them (kubectl apply --validate=false).
  if (t.options.replace || !t.options.validate) {
    if (t.live === undefined) return await create();
    if (t.options.replace && t.options.force && !dryRun) {
      await deleteAndWait(run, t.key, info);
      return await create();
    }
    const rv = ((t.live.metadata ?? {}) as { resourceVersion?: string }).resourceVersion;
    const replaced = { ...body, metadata: { ...(body.metadata as Record<string, unknown>), ...(rv ? { resourceVersion: rv } : {}) } };
    return await conn.request<KubeObject>({ method: 'PUT', path: `${resourcePath(info, t.key.namespace, t.key.name)}?${new URLSearchParams({ fieldManager: FIELD_MANAGER, fieldValidation: validation, ...dry })}`, body: replaced });
  }
  const q = new URLSearchParams({ fieldManager: FIELD_MANAGER, force: 'true', fieldValidation: validation, ...dry });
  try {
    return await conn.request<KubeObject>({ method: 'PATCH', path: `${resourcePath(info, t.key.namespace, t.key.name)}?${q}`, contentType: 'application/apply-patch+yaml', body });
  } catch (err) {
    // Force=true: an apply refused as invalid (an immutable field changed) deletes and creates the object instead.
    if (!(t.options.force && err instanceof KubeApiError && err.kind === 'invalid' && t.live !== undefined)) throw err;
    if (dryRun) return t.live;
    await deleteAndWait(run, t.key, info);
    return await create();
  }
}

/** Deletes an object (foreground) and waits until it is gone (30 s at most). */
async function deleteAndWait(run: Run, key: ResourceKey, info: ApiResourceInfo): Promise<void> {
  const path = resourcePath(info, key.namespace, key.name);
  try {
    await run.conn.request({ method: 'DELETE', path: `${path}?propagationPolicy=Foreground` });
  } catch (err) {
    if (!notFound(err)) throw err;
    return;
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      await run.conn.request({ path });
    } catch (err) {
      if (notFound(err)) return;
      throw err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${key.kind}/${key.name} was not deleted within 30 s`);
}

/**
 * Creates a hook: BeforeHookCreation deletes the one left from an earlier sync first; a hook with only
 * `generateName` gets its name from the API server. A dry run creates it under a generated name, so a hook left
 * from an earlier run (whose Job template cannot change) never fails it.
 */
async function createHook(run: Run, t: Task, dryRun: boolean): Promise<void> {
  const info = t.info!;
  const body = applyBody(t.obj, t.key, run.opts.app, run.tracking, info.namespaced, run.opts.namespace);
  const meta = body.metadata as Record<string, unknown>;
  if (dryRun) {
    const { name, ...rest } = meta;
    const generated = { ...body, metadata: { ...rest, generateName: (rest.generateName as string | undefined) ?? `${String(name)}-` } };
    await run.conn.request({ method: 'POST', path: `${resourcePath(info, t.key.namespace)}?${new URLSearchParams({ fieldManager: FIELD_MANAGER, dryRun: 'All' })}`, body: generated });
    return;
  }
  if (t.key.name && t.hook?.deletePolicies.includes('BeforeHookCreation')) await deleteAndWait(run, t.key, info);
  const created = await run.conn.request<KubeObject>({ method: 'POST', path: `${resourcePath(info, t.key.namespace)}?${new URLSearchParams({ fieldManager: FIELD_MANAGER })}`, body });
  t.key = { ...t.key, name: String(((created.metadata ?? {}) as { name?: string }).name ?? t.key.name) };
}

/** Records how each hook of a wave ended, and deletes those whose policy says so. */
async function finishHooks(run: Run, hooks: readonly Task[], unhealthy: readonly string[]): Promise<void> {
  await Promise.all(hooks.map(async (t) => {
    const { health } = await readHealth(run.conn, { key: t.key, info: t.info! }, run.opts.customHealth);
    const ok = health.status === 'Healthy' || health.status === 'Suspended';
    const stuck = unhealthy.find((u) => u.startsWith(`${t.key.kind}/${t.key.name}:`));
    t.result = ok
      ? resultOf(t, 'succeeded', health.message ? { message: health.message } : {})
      : resultOf(t, 'failed', { problem: problem(`hook ${t.phase} ${t.key.kind}/${t.key.name} failed: ${stuck ?? `${health.status} ${health.message ?? ''}`.trim()}`, { cluster: run.conn.name, app: run.opts.app, resource: keyString(t.key) }) });
    if (t.hook && deleteAfter(t.hook, ok)) {
      try {
        await run.conn.request({ method: 'DELETE', path: `${resourcePath(t.info!, t.key.namespace, t.key.name)}?propagationPolicy=Background` });
      } catch {
        // gone already, or not ours to delete: the result above stands
      }
    }
  }));
}

/** Live objects tracked as the app's that are not desired (hooks excluded), as prune tasks in their own wave. */
async function pruneTasks(run: Run, tasks: readonly Task[]): Promise<Task[]> {
  const { conn, opts, tracking } = run;
  const desiredKeys = new Set(tasks.map((t) => keyString(t.key)));
  const kinds = new Map<string, GroupKind>();
  for (const gk of opts.trackedKinds ?? DEFAULT_TRACKED_KINDS) kinds.set(`${gk.group}/${gk.kind}`, gk);
  for (const t of tasks) kinds.set(`${t.key.group}/${t.key.kind}`, { group: t.key.group, kind: t.key.kind });
  const namespaces = new Set<string>([run.namespace, ...tasks.map((t) => t.key.namespace).filter(Boolean)]);
  const labelSelector = tracking.method === 'label' ? `${tracking.labelKey ?? INSTANCE_LABEL}=${opts.app}` : undefined;
  const out: Task[] = [];
  await Promise.all([...kinds.values()].map(async (gk) => {
    const info = await conn.resourceForGroupKind(gk.group, gk.kind);
    if (!info || !info.verbs.includes('list')) return;
    let items: KubeObject[];
    try {
      items = (await conn.list(info, labelSelector ? { labelSelector } : {})).items;
    } catch (err) {
      if (!(err instanceof KubeApiError && err.kind === 'forbidden' && info.namespaced)) return;
      // Not listable cluster-wide: look in the app's namespaces only; a namespace that is refused is skipped.
      const lists = await Promise.allSettled([...namespaces].map((ns) => conn.list(info, { namespace: ns, ...(labelSelector ? { labelSelector } : {}) })));
      items = lists.flatMap((l) => (l.status === 'fulfilled' ? l.value.items : []));
    }
    for (const obj of items) {
      if (trackedApp(obj, tracking) !== opts.app || hookInfo(obj)) continue;
      const key = keyOf(obj);
      if (desiredKeys.has(keyString(key)) || !selected(key, opts.resources)) continue;
      if ((obj.metadata as { deletionTimestamp?: string } | undefined)?.deletionTimestamp) continue;
      out.push({ type: 'prune', key, obj, info, phase: 'Sync', wave: syncWave(obj), options: resourceSyncOptions(obj, run.app), live: obj });
    }
  }));
  return out;
}

/** Prunes one object, unless its Prune=false keeps it. */
async function pruneOne(run: Run, t: Task): Promise<ResourceSyncResult> {
  if (!t.options.prune) return resultOf(t, 'skipped', { message: 'Prune=false: kept, the app stays out of sync' });
  try {
    const q = new URLSearchParams({ propagationPolicy: run.app.prunePropagationPolicy });
    await run.conn.request({ method: 'DELETE', path: `${resourcePath(t.info!, t.key.namespace, t.key.name)}?${q}` });
    return resultOf(t, 'pruned');
  } catch (err) {
    if (notFound(err)) return resultOf(t, 'pruned', { message: 'already gone' });
    return resultOf(t, 'failed', { problem: failure(run.conn, run.opts.app, t.key, err, 'prune') });
  }
}

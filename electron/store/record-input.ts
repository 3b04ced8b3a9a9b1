// What the store is given, made ready to keep: statuses matched with their manifests, Secret values masked and
// scrubbed from free text, records checked. (The fingerprint that tells an unchanged app × cluster apart: fingerprint.ts.)

import { isSecret, LAST_APPLIED_ANNOTATION } from '../../shared/diff/normalize';
import { maskSecret, SECRET_MASK } from '../../shared/diff/secret';
import type { KubeObject, ResourceKey, ResourceStatus } from '../../shared/model/status';
import { HEALTH_ORDER } from '../../shared/model/status';
import type { AppClusterRecord, ResourceManifests } from './types';

/** A resource after masking, ready to fingerprint and store. */
export interface PreparedResource {
  readonly key: string;
  readonly status: ResourceStatus;
  readonly desired?: KubeObject;
  readonly live?: KubeObject;
  /** `uid@resourceVersion` of the live object: the API server changes it on every write. */
  readonly liveVersion?: string;
}

export function keyOf(k: ResourceKey): string {
  return `${k.group}/${k.kind}/${k.namespace}/${k.name}`;
}

/** Matches statuses with manifests, masks Secrets, drops managedFields from live objects, scrubs Secret diffs. */
export function prepareResources(record: AppClusterRecord): PreparedResource[] {
  const manifests = new Map<string, { desired?: KubeObject; live?: KubeObject }>();
  for (const m of record.manifests ?? []) manifests.set(keyOf(m), { desired: m.desired, live: m.live });
  const out: PreparedResource[] = [];
  const used = new Set<string>();
  const add = (key: string, status: ResourceStatus): void => {
    used.add(key);
    const m = manifests.get(key);
    const desired = m?.desired ? maskSecret(m.desired) : undefined;
    const live = m?.live ? maskSecret(storedLive(m.live)) : undefined;
    let st = status;
    if (status.kind === 'Secret' && status.group === '' && (status.diff || status.changes)) {
      const values = secretValues([m?.desired, m?.live]);
      st = {
        ...status,
        ...(status.diff ? { diff: scrubText(status.diff, values) } : {}),
        // A Secret's changed values are never kept, masked or not: only which fields changed.
        ...(status.changes ? { changes: status.changes.map((c) => ({ path: c.path, ...('live' in c ? { live: SECRET_MASK } : {}), ...('desired' in c ? { desired: SECRET_MASK } : {}) })) } : {}),
      };
    }
    const liveVersion = m?.live ? liveVersionOf(m.live) : undefined;
    out.push({ key, status: st, ...(desired ? { desired } : {}), ...(live ? { live } : {}), ...(liveVersion ? { liveVersion } : {}) });
  };
  for (const r of record.status.resources) add(keyOf(r), r);
  for (const m of record.manifests ?? []) {
    const key = keyOf(m);
    if (used.has(key)) continue;
    add(key, unlistedStatus(m));
  }
  return out;
}

const SYNC_STATUSES: ReadonlySet<unknown> = new Set(['Synced', 'OutOfSync', 'Unknown']);
const HEALTH_STATUSES: ReadonlySet<unknown> = new Set(HEALTH_ORDER);

/** What is wrong with a record the store cannot keep (undefined when it is fine). */
export function invalidRecord(record: AppClusterRecord): string | undefined {
  const st = record?.status as Partial<AppClusterRecord['status']> | undefined;
  if (!st || typeof st !== 'object') return 'expected a status';
  if (typeof st.app !== 'string' || st.app === '' || typeof st.cluster !== 'string' || st.cluster === '') return 'expected the app and cluster names';
  if (typeof st.revision !== 'string') return 'expected a revision (git commit)';
  if (!SYNC_STATUSES.has(st.sync)) return `sync status "${String(st.sync)}" is not Synced, OutOfSync or Unknown`;
  if (!st.health || !HEALTH_STATUSES.has(st.health.status) || typeof st.health.message !== 'string') return `health "${String(st.health?.status)}" is not one of ${HEALTH_ORDER.join(', ')} with a message`;
  if (!Array.isArray(st.resources)) return 'expected a list of resources';
  for (const r of st.resources) {
    if (!r || typeof r !== 'object' || Array.isArray(r) || typeof r.kind !== 'string' || typeof r.name !== 'string' || typeof r.namespace !== 'string' || typeof r.group !== 'string') return 'a resource lacks its group, kind, namespace or name';
    if (!SYNC_STATUSES.has(r.sync)) return `resource ${r.kind}/${r.name}: sync status "${String(r.sync)}" is not Synced, OutOfSync or Unknown`;
    // Kept as given, so of the shapes the store writes and reads back (a string where a list goes would stop the write).
    if (r.changes !== undefined && (!Array.isArray(r.changes) || r.changes.some((c: unknown) => typeof c !== 'object' || c === null))) return `resource ${r.kind}/${r.name}: expected its changes as a list of objects`;
    if (r.changedPaths !== undefined && (!Array.isArray(r.changedPaths) || r.changedPaths.some((c: unknown) => typeof c !== 'string'))) return `resource ${r.kind}/${r.name}: expected its changed paths as a list of strings`;
    if (r.diff !== undefined && typeof r.diff !== 'string') return `resource ${r.kind}/${r.name}: expected its diff as text`;
  }
  return undefined;
}

/**
 * Whether preparing a record would change any of its objects: a Secret among its statuses or manifests (masked,
 * its diff scrubbed). Without one, its statuses and manifests are stored as given (live objects as `storedLive`).
 */
export function needsMasking(record: AppClusterRecord): boolean {
  for (const r of record.status.resources) if (r.kind === 'Secret') return true;
  for (const m of record.manifests ?? []) if (isSecret(m.desired) || isSecret(m.live)) return true;
  return false;
}

/** `uid@resourceVersion` of a live object (the API server changes it on every write), when it has both. */
export function liveVersionOf(live: KubeObject | undefined): string | undefined {
  const md = live?.metadata;
  const uid = md?.['uid'];
  const rv = md?.['resourceVersion'];
  return typeof uid === 'string' && typeof rv === 'string' && uid && rv ? `${uid}@${rv}` : undefined;
}

/** The status of a manifest the app × cluster's status does not list: kept, with a sync status of Unknown. */
export function unlistedStatus(m: ResourceManifests): ResourceStatus {
  return { group: m.group, ...(m.version !== undefined ? { version: m.version } : {}), kind: m.kind, namespace: m.namespace, name: m.name, sync: 'Unknown' };
}

/**
 * A live object as stored: without managedFields and kubectl's last-applied-configuration annotation, bookkeeping
 * that copies earlier desired states (and, for Secrets, their values).
 */
export function storedLive(obj: KubeObject): KubeObject {
  const md = obj.metadata;
  if (!md) return obj;
  const ann = md['annotations'] as Record<string, unknown> | undefined;
  const hasApplied = ann !== null && typeof ann === 'object' && LAST_APPLIED_ANNOTATION in ann;
  if (!('managedFields' in md) && !hasApplied) return obj;
  const { managedFields: _drop, ...rest } = md;
  if (hasApplied) {
    const { [LAST_APPLIED_ANNOTATION]: _applied, ...others } = ann;
    if (Object.keys(others).length) rest['annotations'] = others;
    else delete rest['annotations'];
  }
  return { ...obj, metadata: rest };
}

/** Every value of the Secrets among `objs`, as written (base64 in data) and decoded, for scrubbing free text. */
export function secretValues(objs: readonly (KubeObject | undefined)[]): string[] {
  const out = new Set<string>();
  const addFrom = (o: unknown, decode: boolean): void => {
    if (!o || typeof o !== 'object') return;
    for (const v of Object.values(o as Record<string, unknown>)) {
      if (typeof v !== 'string' || v === '' || v === SECRET_MASK) continue;
      out.add(v);
      if (decode) {
        const decoded = Buffer.from(v, 'base64').toString('utf8');
        if (decoded && !decoded.includes('\uFFFD')) out.add(decoded);
      } else {
        out.add(Buffer.from(v, 'utf8').toString('base64'));
      }
    }
  };
  for (const o of objs) {
    if (!o || o.kind !== 'Secret') continue;
    addFrom(o['data'], true);
    addFrom(o['stringData'], false);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

export function secretValuesOf(prepared: readonly PreparedResource[], record: AppClusterRecord): string[] {
  if (!prepared.some((p) => p.status.kind === 'Secret')) return [];
  return secretValues((record.manifests ?? []).flatMap((m) => [m.desired, m.live]));
}

/**
 * Replaces Secret values in free text (a diff, an error message) with the mask. A diff from shared/diff is already
 * masked; this guards the store against a producer that was not. Values shorter than 4 characters are only replaced
 * where they stand as a whole YAML value, so short values do not blank unrelated text.
 */
export function scrubText(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) {
    if (v.length >= 4) out = out.split(v).join(SECRET_MASK);
    else out = out.replace(new RegExp(`(:\\s*["']?)${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(["']?\\s*)$`, 'gm'), `$1${SECRET_MASK}$2`);
  }
  return out;
}

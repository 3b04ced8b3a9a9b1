// The fingerprint of an app × cluster's record: when it equals its latest observation's, a refresh found nothing new
// and only the snapshot's `seen` entry is written. Re-recording an unchanged fleet is mostly computing these.
//
// A fingerprint is the sha256 of the JSON of [version, the status's own fields, then per resource its status, desired
// object and live object (or its `uid@resourceVersion`: the API server changes it on every write)]. Stores keep
// them, so the text must never change for the same input without a new version, and each observation says which
// version it carries (migration 8).
//
// Version 3 writes a change whose value equals the resource's desired object as a reference to it instead of the
// object again: a Missing resource's status carries its whole desired object as its change, and serialising it a
// second time was a sixth of re-recording a refresh of 10,000 apps × 3 clusters. Version 2 (every observation before
// migration 8) is still computed for those, once, and they are then given their version 3 fingerprint.

import { isSecret } from '../../shared/diff/normalize';
import type { KubeObject, ResourceStatus } from '../../shared/model/status';
import { sha256, sha256Hex } from './canonical-json';
import type { PreparedResource } from './record-input';
import { keyOf, liveVersionOf, needsMasking, prepareResources, storedLive, unlistedStatus } from './record-input';
import type { AppClusterRecord, ResourceManifests } from './types';

/** The fingerprint version this build writes (observations.fingerprint_version). */
export const FINGERPRINT_VERSION = 3;

/** How one version writes a resource's status into the fingerprint. */
interface Scheme {
  readonly tag: string;
  readonly status: (status: ResourceStatus, desired: KubeObject | undefined) => unknown;
}

const CURRENT: Scheme = { tag: 'fp3', status: statusPart };
const LEGACY: Scheme = { tag: 'fp2', status: (status) => status };

/** The fingerprint of a record's prepared (masked) resources, as recording stores it. */
export function fingerprintOf(record: AppClusterRecord, prepared: readonly PreparedResource[]): Buffer {
  return sha256(JSON.stringify(preparedParts(CURRENT, record, prepared)));
}

/**
 * The fingerprint of a record as hex, to tell whether it changed: the same digest as `fingerprintOf(record,
 * prepareResources(record))`, without preparing (copying) its resources when it holds no Secret.
 */
export function recordFingerprint(record: AppClusterRecord): string {
  return sha256Hex(JSON.stringify(inStatusOrder(CURRENT, record) ?? recordParts(CURRENT, record)));
}

/** A record's version 2 fingerprint as hex: what an observation recorded before migration 8 carries. */
export function legacyRecordFingerprint(record: AppClusterRecord): string {
  return sha256Hex(JSON.stringify(recordParts(LEGACY, record)));
}

/** The fingerprint's leading parts: the version and the app × cluster's own fields. */
function head(scheme: Scheme, record: AppClusterRecord): unknown[] {
  const st = record.status;
  const parts: unknown[] = [scheme.tag, record.environment ?? null, st.revision, st.sync, st.health.status, st.health.message, st.error ?? null, st.version ?? null, st.runningVersion ?? null];
  // Only when present, so the fingerprints of apps no controller speaks for stay as they were.
  if (st.controller) parts.push({ controller: st.controller });
  return parts;
}

function preparedParts(scheme: Scheme, record: AppClusterRecord, prepared: readonly PreparedResource[]): unknown[] {
  const parts = head(scheme, record);
  for (const p of prepared) parts.push(scheme.status(p.status, p.desired), p.desired ?? null, p.liveVersion ?? p.live ?? null);
  return parts;
}

/** The parts of any record: its statuses matched with its manifests by key, as prepareResources matches them. */
function recordParts(scheme: Scheme, record: AppClusterRecord): unknown[] {
  if (needsMasking(record)) return preparedParts(scheme, record, prepareResources(record));
  const manifests = new Map<string, ResourceManifests>();
  for (const m of record.manifests ?? []) manifests.set(keyOf(m), m);
  const parts = head(scheme, record);
  const used = new Set<string>();
  let matched = 0;
  for (const r of record.status.resources) {
    const key = keyOf(r);
    const m = manifests.get(key);
    if (m && !used.has(key)) matched++;
    used.add(key);
    parts.push(scheme.status(r, m?.desired), m?.desired ? m.desired : null, liveFingerprint(m?.live));
  }
  if (matched < manifests.size) {
    // Manifests the status does not list, in their order, as prepareResources adds them.
    for (const m of record.manifests ?? []) {
      const key = keyOf(m);
      if (used.has(key)) continue;
      used.add(key);
      const found = manifests.get(key)!;
      parts.push(scheme.status(unlistedStatus(m), found.desired), found.desired ? found.desired : null, liveFingerprint(found.live));
    }
  }
  return parts;
}

/** At most this many resources are checked pairwise for one listed twice; more take the general way. */
const PAIRWISE_MAX = 32;

/**
 * The parts of the common record (snapshotFromComparison's): one manifest per status, in the same order, no resource
 * listed twice, no Secret. Statuses and manifests are paired by position, without a key string or a map per resource:
 * the same parts as `recordParts`. (Keys with a '/' in a field, which no Kubernetes name has, could pair otherwise by
 * keyOf: such a record then never matches its stored fingerprint and is always written, never wrongly kept.)
 * Undefined: the record is not of that kind.
 */
function inStatusOrder(scheme: Scheme, record: AppClusterRecord): unknown[] | undefined {
  const resources = record.status.resources;
  const manifests = record.manifests ?? [];
  const n = resources.length;
  if (manifests.length !== n || n > PAIRWISE_MAX) return undefined;
  const parts = head(scheme, record);
  for (let i = 0; i < n; i++) {
    const r = resources[i]!;
    const m = manifests[i]!;
    if (r.kind === 'Secret' || isSecret(m.desired) || isSecret(m.live)) return undefined;
    if (r.group !== m.group || r.kind !== m.kind || r.namespace !== m.namespace || r.name !== m.name) return undefined;
    for (let j = 0; j < i; j++) {
      const o = resources[j]!;
      if (o.name === r.name && o.kind === r.kind && o.namespace === r.namespace && o.group === r.group) return undefined;
    }
    parts.push(scheme.status(r, m.desired), m.desired ? m.desired : null, liveFingerprint(m.live));
  }
  return parts;
}

/** A live object's part of the fingerprint: its `uid@resourceVersion` when it has both, else the object as stored. */
function liveFingerprint(live: KubeObject | undefined): unknown {
  if (!live) return null;
  return liveVersionOf(live) ?? storedLive(live);
}

/**
 * A status as version 3 writes it: as it is, unless one of its changes has a `desired` value with the JSON of the
 * resource's desired object (a Missing resource's). Then `[copy]`, a one-element array (a status is an object, never
 * an array) of the status whose changes are listed each as `[change]`, or as `[change with desired: 0, 0]` where its
 * value is the desired object. Every form tells apart what it stands for, so two statuses that would be stored
 * differently never give the same text.
 */
function statusPart(status: ResourceStatus, desired: KubeObject | undefined): unknown {
  const changes = status.changes;
  if (!Array.isArray(changes) || !isPlain(desired) || !isPlain(status)) return status;
  let out: unknown[] | undefined;
  for (let i = 0; i < changes.length; i++) {
    const c: unknown = changes[i];
    if (isPlain(c) && c['desired'] !== undefined && sameJson(c['desired'], desired)) {
      out ??= changes.slice(0, i).map((x) => [x]);
      out.push([{ ...c, desired: 0 }, 0]);
    } else if (out) {
      out.push([c]);
    }
  }
  return out ? [{ ...status, changes: out }] : status;
}

/** A plain data object (what JSON and YAML parsing give): its JSON is its own enumerable fields, in their order. */
function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && isDataObject(v);
}

/** An object of Object's prototype or none (not a Date, a Map, a class instance). */
function isDataObject(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether two values have the same JSON text, for data as parsing gives it: the same primitives, arrays of the same
 * length with the same items, objects of Object's prototype (or none) with the same keys in the same order and the
 * same values. Anything else (a Date, a Map, a class instance) is not the same, and is then written out in full. (A
 * toJSON method or a field defined non-enumerable, which no parser makes, is not looked for.)
 */
export function sameJson(a: unknown, b: unknown): boolean {
  // The same value in the same place writes the same text. (A normalised object shares the parts normalising left as
  // they were with the object it came from: they are not walked.)
  if (a === b) return true;
  if (typeof a !== 'object' || a === null) return false;
  if (typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !isDataObject(a) || !isDataObject(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i] || !sameJson(a[k], b[k])) return false;
  }
  return true;
}

// The fingerprint of an app × cluster's record: when it equals its latest observation's, a refresh found nothing new
// and only the snapshot's `seen` entry is written. Re-recording an unchanged fleet is mostly computing these.
//
// A fingerprint is the sha256 of the JSON of [version, the status's own fields, then per resource its status, desired
// object and live object (or its `uid@resourceVersion`: the API server changes it on every write)]. Stores keep
// them, so the text must never change for the same input without a new version, and each observation says which
// version it carries (migration 8). Two records with the same fingerprint must be stored the same; two stored the
// same may have different ones (then the second is written again, never wrongly kept).
//
// Version 4 writes a resource's status as the fields the store keeps of it (stored-entry.ts), in a flat list,
// instead of the status object, and a Missing resource's diff as a reference when it is the text diffResource made
// of the resource's key and its desired object (shared/diff/missing-diff.ts): that text is a fifth of what
// re-recording a refresh of 10,000 apps × 3 clusters serialised. Version 3 wrote a change whose value equals the
// resource's desired object as a reference to it (version 4 too). Observations carrying an older version are compared
// by it, once, and then given the current one.

import { isMissingDiffOf, MISSING_DIFF_FORMAT } from '../../shared/diff/missing-diff';
import { isSecret } from '../../shared/diff/normalize';
import type { KubeObject, ResourceStatus } from '../../shared/model/status';
import { sha256, sha256Hex } from './canonical-json';
import type { PreparedResource } from './record-input';
import { keyOf, liveVersionOf, needsMasking, prepareResources, storedLive, unlistedStatus } from './record-input';
import type { AppClusterRecord, ResourceManifests } from './types';

/** The fingerprint version this build writes (observations.fingerprint_version). */
export const FINGERPRINT_VERSION = 4;

/** How one version writes a resource into the fingerprint: its status, desired object and live part. */
interface Scheme {
  readonly tag: string;
  readonly resource: (parts: unknown[], status: ResourceStatus, desired: KubeObject | undefined, live: unknown) => void;
}

const SCHEMES: ReadonlyMap<number, Scheme> = new Map([
  [2, { tag: 'fp2', resource: (parts, status, desired, live) => void parts.push(status, desired ? desired : null, live) }],
  [3, { tag: 'fp3', resource: (parts, status, desired, live) => void parts.push(statusPart(status, desired), desired ? desired : null, live) }],
  [FINGERPRINT_VERSION, { tag: `fp4.d${MISSING_DIFF_FORMAT}`, resource: storedFields }],
]);
const CURRENT = SCHEMES.get(FINGERPRINT_VERSION)!;

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

/** A record's fingerprint as hex in an earlier version (what an older observation carries); undefined for a version this build does not know. */
export function olderRecordFingerprint(record: AppClusterRecord, version: number): string | undefined {
  const scheme = SCHEMES.get(version);
  return scheme && sha256Hex(JSON.stringify(recordParts(scheme, record)));
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
  for (const p of prepared) scheme.resource(parts, p.status, p.desired, p.liveVersion ?? p.live ?? null);
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
    scheme.resource(parts, r, m?.desired, liveFingerprint(m?.live));
  }
  if (matched < manifests.size) {
    // Manifests the status does not list, in their order, as prepareResources adds them.
    for (const m of record.manifests ?? []) {
      const key = keyOf(m);
      if (used.has(key)) continue;
      used.add(key);
      const found = manifests.get(key)!;
      scheme.resource(parts, unlistedStatus(m), found.desired, liveFingerprint(found.live));
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
    scheme.resource(parts, r, m.desired, liveFingerprint(m.live));
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

/**
 * A resource as version 4 writes it: the fields of its status the store keeps (stored-entry.ts), each in a form that
 * tells apart every value stored differently, then its desired object and live part. A change equal to the desired
 * object is written as its path, and a Missing resource's diff that is the text made of its key and that object as 1.
 */
function storedFields(parts: unknown[], r: ResourceStatus, desired: KubeObject | undefined, live: unknown): void {
  const changes = changesPart(r.changes, desired);
  const diff = r.diff;
  let diffPart: unknown = 0;
  if (diff) diffPart = typeof diff !== 'string' ? [diff] : r.missing && isMissingDiff(r, changes) ? 1 : diff;
  parts.push(scalar(r.group), scalar(r.version), scalar(r.kind), scalar(r.namespace), scalar(r.name), scalar(r.sync), r.missing ? 1 : 0, r.extra ? 1 : 0, r.health || 0, r.changedPaths || 0, changes, diffPart, desired ? desired : null, live);
}

/** A field that is a string when well formed: 0 when absent, anything else in a list (so null is not absent). */
function scalar(v: unknown): unknown {
  return typeof v === 'string' ? v : v === undefined ? 0 : [v];
}

/**
 * A status's changes as version 4 writes them: 0 when absent, the list itself when no change equals the desired
 * object, else `{ r: [...] }` with each such change (exactly `{ path, desired }`) as its path and each other one as
 * `[change]`; anything but a list as `{ v: value }`.
 */
function changesPart(changes: unknown, desired: KubeObject | undefined): unknown {
  if (!changes) return 0;
  if (!Array.isArray(changes)) return { v: changes };
  if (!isPlain(desired)) return changes;
  let out: unknown[] | undefined;
  for (let i = 0; i < changes.length; i++) {
    const c: unknown = changes[i];
    if (isPlain(c) && isPathAndDesired(c) && sameJson(c['desired'], desired)) {
      out ??= changes.slice(0, i).map((x) => [x]);
      out.push(c['path']);
    } else if (out) {
      out.push([c]);
    }
  }
  return out ? { r: out } : changes;
}

/** Whether a change is `{ path, desired }` with a string path, those keys in that order and no other. */
function isPathAndDesired(c: Record<string, unknown>): boolean {
  let n = 0;
  for (const k in c) {
    if (k !== (n === 0 ? 'path' : 'desired') || ++n > 2) return false;
  }
  return n === 2 && typeof c['path'] === 'string';
}

/**
 * Whether a Missing resource's diff is the text diffResource made of its key and its one change, the whole desired
 * object (`{ path: '', desired }`), given that change's part: `{ r: [''] }`, the value is the resource's desired object.
 */
function isMissingDiff(r: ResourceStatus, changesPart: unknown): boolean {
  if (typeof changesPart !== 'object' || changesPart === null || Array.isArray(changesPart)) return false;
  const refs = (changesPart as { r?: unknown[] }).r;
  return refs !== undefined && refs.length === 1 && refs[0] === '' && isMissingDiffOf(r, r.changes![0]!.desired, r.diff);
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

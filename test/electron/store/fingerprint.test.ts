import { describe, expect, it } from 'vitest';
import { fingerprintOf, olderRecordFingerprint, recordFingerprint, sameJson } from '../../../electron/store/fingerprint';
import { prepareResources, storedLive } from '../../../electron/store/record-input';
import { storedEntry } from '../../../electron/store/stored-entry';
import { snapshotFromComparison } from '../../../electron/services/fleet-refresh';
import type { AppClusterRecord } from '../../../electron/store/types';
import type { KubeObject, ResourceStatus } from '../../../shared/model/status';
import { getIn, setIn } from './edit-json';
import { refreshComparison, refreshSnapshot } from './refresh-fleet';
import { syntheticSnapshot } from './synthetic-fleet';
import { seededRandom } from '../../helpers/seeded-random';

/** The fingerprint as recording stores it: of the prepared (masked) resources. */
const stored = (r: AppClusterRecord): string => fingerprintOf(r, prepareResources(r)).toString('hex');

describe('fingerprint: what tells an unchanged app × cluster apart', () => {
  it('is the same whether or not the resources were prepared first, for a refresh and for live objects with versions', () => {
    const records = [
      ...refreshSnapshot({ apps: 4, clusters: 3, deployEvery: 2 }).appClusters,
      ...syntheticSnapshot({ apps: 2, clusters: 2, resourcesPerApp: 6, drifted: 3 }).appClusters,
    ];
    for (const r of records) expect(recordFingerprint(r)).toBe(stored(r));
  });

  it('is the same for records holding Secrets (masked first), so their values never reach a digest', () => {
    const records = syntheticSnapshot({ apps: 2, clusters: 2, resourcesPerApp: 2, secretValue: 'hunter2-value' }).appClusters;
    for (const r of records) expect(recordFingerprint(r)).toBe(stored(r));
    // Another value, the same fingerprint: only masked values are fingerprinted.
    const other = syntheticSnapshot({ apps: 2, clusters: 2, resourcesPerApp: 2, secretValue: 'another-value' }).appClusters;
    expect(other.map(recordFingerprint)).toEqual(records.map(recordFingerprint));
  });

  it('is the same for manifests the status does not list, listed twice, or live objects with managed fields', () => {
    const base = refreshSnapshot({ apps: 1, clusters: 1, deployEvery: 1 }).appClusters[0]!;
    const [first, second, ...rest] = base.manifests!;
    const managed = { ...second!, live: { ...second!.live!, metadata: { ...second!.live!.metadata, managedFields: [{ manager: 'kubectl' }], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', team: 'a' } } } };
    const variants: AppClusterRecord[] = [
      // A status listing only some of its manifests; the others are kept with an Unknown status.
      { ...base, status: { ...base.status, resources: base.status.resources.slice(2) } },
      // No resources at all, manifests only.
      { ...base, status: { ...base.status, resources: [] } },
      // The same manifest twice (the last one wins), one with bookkeeping the store drops.
      { ...base, manifests: [first!, managed, ...rest, { ...first!, desired: { ...first!.desired!, data: { other: 'x' } } }] },
      // A status listing a resource twice, and a controller's view.
      { ...base, status: { ...base.status, resources: [...base.status.resources, base.status.resources[0]!], controller: { kind: 'argocd', name: 'x' } as never } },
    ];
    for (const r of variants) expect(recordFingerprint(r)).toBe(stored(r));
    expect(new Set(variants.map(recordFingerprint)).size).toBe(variants.length);
  });

  it('changes with any recorded field of a resource: its diff, a change, a desired or live value', () => {
    const r = refreshSnapshot({ apps: 1, clusters: 1, deployEvery: 0 }).appClusters[0]!;
    const res = r.status.resources;
    const edits: AppClusterRecord[] = [
      { ...r, status: { ...r.status, resources: [{ ...res[0]!, diff: `${res[0]!.diff}x` }, ...res.slice(1)] } },
      { ...r, status: { ...r.status, resources: [{ ...res[0]!, changes: [{ path: '', desired: { kind: 'ConfigMap' } }] }, ...res.slice(1)] } },
      { ...r, manifests: [{ ...r.manifests![0]!, desired: { ...r.manifests![0]!.desired!, data: {} } }, ...r.manifests!.slice(1)] },
    ];
    for (const e of edits) expect(recordFingerprint(e)).not.toBe(recordFingerprint(r));
  });
});

class Box {
  constructor(readonly v: number) {}
}

/** A random value of the kinds a record may hold, and some it should not (a Date, a class, toJSON, undefined, NaN, -0). */
function value(next: () => number, depth: number): unknown {
  const leaves: unknown[] = ['', 'a', 'b', 0, -0, 1, 1.5, NaN, true, false, null, undefined, '\u0000', new Date(0), new Date(1), new Box(1), { toJSON: () => 'x' }, { toJSON: () => 'y' }];
  const pick = next();
  if (depth <= 0 || pick < 0.4) return leaves[Math.floor(next() * leaves.length)];
  if (pick < 0.7) return Array.from({ length: Math.floor(next() * 3) }, () => value(next, depth - 1));
  const out: Record<string, unknown> = {};
  for (const k of ['b', 'a', '1', 'c'].filter(() => next() < 0.6)) out[k] = value(next, depth - 1);
  return out;
}

/** A value like `v`, changed somewhere or not: a leaf swapped, a key dropped, keys reordered. */
function variant(v: unknown, next: () => number): unknown {
  if (Array.isArray(v)) return v.map((x) => (next() < 0.2 ? variant(x, next) : x));
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const entries = Object.entries(v as Record<string, unknown>).filter(() => next() < 0.95);
    if (next() < 0.1) entries.reverse();
    return Object.fromEntries(entries.map(([k, x]) => [k, next() < 0.2 ? variant(x, next) : x]));
  }
  return next() < 0.1 ? value(next, 0) : v;
}

/** A deep copy of plain objects and arrays; anything else is kept as it is (the same Date, class instance, function). */
function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]));
  return v;
}

describe('fingerprint: version 3 writes a change equal to the desired object as a reference to it', () => {
  it('sameJson holds only for values whose JSON is the same (plain data), and for every such pair parsed from JSON', () => {
    const next = seededRandom(14);
    let same = 0;
    for (let i = 0; i < 20_000; i++) {
      const a = value(next, 4);
      const b = next() < 0.5 ? variant(a, next) : copy(a);
      if (sameJson(a, b)) {
        same++;
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }
      const text = JSON.stringify(a);
      if (text !== undefined) expect(sameJson(JSON.parse(text), JSON.parse(text))).toBe(true);
    }
    expect(same).toBeGreaterThan(1000);
  });

  it('a Missing resource changed one field deep only in its change, only in its desired object, or in key order is a new fingerprint', () => {
    const r = refreshSnapshot({ apps: 1, clusters: 1, deployEvery: 0 }).appClusters[0]!;
    const i = r.status.resources.findIndex((x) => x.kind === 'Deployment');
    const res = r.status.resources[i]!;
    expect(res.missing).toBe(true);
    const deep = <T>(o: T, edit: (c: unknown) => void): T => {
      const c = structuredClone(o);
      edit(c);
      return c;
    };
    const withStatus = (s: ResourceStatus): AppClusterRecord => ({ ...r, status: { ...r.status, resources: r.status.resources.map((x, j) => (j === i ? s : x)) } });
    const withDesired = (d: KubeObject): AppClusterRecord => ({ ...r, manifests: r.manifests!.map((m, j) => (j === i ? { ...m, desired: d } : m)) });
    const port = ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'];
    const change = (s: unknown): Record<string, unknown> => getIn(s, ['changes', 0]) as Record<string, unknown>;
    const edits: AppClusterRecord[] = [
      withStatus(deep(res, (s) => setIn(s, ['changes', 0, 'desired', ...port], 8081))),
      withDesired(deep(r.manifests![i]!.desired!, (d) => setIn(d, port, 8081))),
      withStatus(deep(res, (s) => { const { apiVersion, kind, ...others } = change(s)['desired'] as KubeObject; change(s)['desired'] = { kind, apiVersion, ...others }; })),
      withStatus(deep(res, (s) => void (change(s)['desired'] = 0))),
      withStatus(deep(res, (s) => setIn(s, ['changes'], [[{ ...change(s), desired: 0 }, 0]]))),
      withStatus(deep(res, (s) => (getIn(s, ['changes']) as unknown[]).push(change(s)))),
    ];
    const fingerprints = [r, ...edits].map(recordFingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    for (const e of [r, ...edits]) expect(recordFingerprint(e)).toBe(fingerprintOf(e, prepareResources(e)).toString('hex'));
  });

  it('tells the same records apart as versions 2 and 3 did, over a refresh, a synthetic fleet with Secrets and their edits', () => {
    const records = [
      ...refreshSnapshot({ apps: 3, clusters: 3, deployEvery: 2 }).appClusters,
      ...refreshSnapshot({ apps: 3, clusters: 3, deployEvery: 2, changedApps: [2] }).appClusters,
      ...syntheticSnapshot({ apps: 2, clusters: 2, resourcesPerApp: 5, drifted: 4, secretValue: 'hunter2-value' }).appClusters,
      ...syntheticSnapshot({ apps: 2, clusters: 2, resourcesPerApp: 5, drifted: 4, secretValue: 'hunter2-value', generation: 1 }).appClusters,
    ];
    const pairs = (f: (r: AppClusterRecord) => string): string[] => records.flatMap((a) => records.map((b) => String(f(a) === f(b))));
    for (const version of [2, 3]) {
      const older = (r: AppClusterRecord): string => olderRecordFingerprint(r, version)!;
      expect(pairs(recordFingerprint)).toEqual(pairs(older));
      expect(records.map(recordFingerprint)).not.toEqual(records.map(older));
    }
    expect(olderRecordFingerprint(records[0]!, 1)).toBeUndefined();
  });
});

/**
 * What the store keeps of a record's resources (its resource set's entries and manifests): what a fingerprint stands
 * for. Undefined when a status is too malformed to store (a `changes` that is a string).
 */
function storedText(r: AppClusterRecord): string | undefined {
  try {
    return JSON.stringify(prepareResources(r).map((p) => [storedEntry(p.status, {}), p.desired ?? null, p.live ? storedLive(p.live) : null]));
  } catch {
    return undefined;
  }
}

/** A resource status whose every field may be missing, malformed, or of another kind than its type says. */
function randomStatus(next: () => number): ResourceStatus {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const field = (good: readonly unknown[]): unknown => (next() < 0.85 ? pick(good) : value(next, 1));
  const out: Record<string, unknown> = { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web', sync: pick(['Synced', 'OutOfSync']) };
  const optional: [string, () => unknown][] = [
    ['version', () => field(['v1', '', 'v2'])],
    ['missing', () => field([true, false])],
    ['extra', () => field([true, false])],
    ['health', () => field([{ status: 'Healthy', message: '' }, { status: 'Missing', message: '' }, { message: '', status: 'Healthy' }, { status: 'Healthy', message: 'x', extra: 1 }])],
    ['changedPaths', () => field([[], [''], ['/spec'], ['/spec', '']])],
    ['changes', () => field([[], [{ path: '', desired: DESIRED }], [{ path: '/spec', desired: DESIRED }], [{ desired: DESIRED, path: '' }], [{ path: '', desired: DESIRED, live: 1 }], [{ path: '/spec', live: 1, desired: 2 }], [{ path: '', desired: { ...DESIRED, kind: 'X' } }], [{ path: '', desired: DESIRED }, { path: '/a', desired: 1 }], [['']], ''])],
    ['diff', () => field(['', 'a diff', 'another', 1])],
  ];
  for (const [k, make] of optional) if (next() < 0.7) out[k] = make();
  // Key order varies: the stored entry has its own.
  return Object.fromEntries(next() < 0.2 ? Object.entries(out).reverse() : Object.entries(out)) as unknown as ResourceStatus;
}

const DESIRED: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 1 } };

describe('fingerprint: version 4 writes the fields the store keeps', () => {
  const record = (status: ResourceStatus): AppClusterRecord => ({
    status: { app: 'web', cluster: 'dev', revision: 'r', sync: 'OutOfSync', health: { status: 'Missing', message: '' }, resources: [status], observedAt: '2026-12-07T00:00:00.000Z' },
    manifests: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web', desired: DESIRED }],
  });

  it('never gives two records stored differently the same fingerprint, over random and malformed statuses', () => {
    const next = seededRandom(4);
    const byFingerprint = new Map<string, string>();
    let repeats = 0;
    for (let i = 0; i < 30_000; i++) {
      const r = record(randomStatus(next));
      const fp = recordFingerprint(r);
      expect(fp).toBe(stored(r));
      const text = storedText(r);
      if (text === undefined) continue;
      const seen = byFingerprint.get(fp);
      if (seen === undefined) byFingerprint.set(fp, text);
      else {
        repeats++;
        expect(text).toBe(seen);
      }
    }
    // Most draws repeat an earlier one, so equal fingerprints were compared often.
    expect(repeats).toBeGreaterThan(5_000);
    expect(byFingerprint.size).toBeGreaterThan(500);
  });

  it('writes a Missing resource\'s diff as a reference only when it is the text made of its key and desired object, in this process', () => {
    const comparison = refreshComparison({ apps: 2, clusters: 3, deployEvery: 2 });
    const inProcess = snapshotFromComparison(comparison, false).appClusters;
    const parsed = JSON.parse(JSON.stringify(inProcess)) as AppClusterRecord[];
    // The same records compared again give the same fingerprints; the text parsed from JSON is not known as made here.
    expect(snapshotFromComparison(refreshComparison({ apps: 2, clusters: 3, deployEvery: 2 }), false).appClusters.map(recordFingerprint)).toEqual(inProcess.map(recordFingerprint));
    const missing = inProcess.filter((r) => r.status.resources.some((x) => x.missing));
    expect(missing.length).toBeGreaterThan(0);
    for (const r of missing) expect(recordFingerprint(r)).not.toBe(recordFingerprint(parsed[inProcess.indexOf(r)]!));
    for (const r of inProcess) expect(recordFingerprint(r)).toBe(stored(r));

    // Any other diff beside the same change (edited, or another resource's) is written as text: another fingerprint.
    const r = missing[0]!;
    const i = r.status.resources.findIndex((x) => x.missing && x.kind === 'Deployment');
    const res = r.status.resources[i]!;
    const other = r.status.resources.find((x, j) => j !== i && x.missing)!;
    const withStatus = (s: ResourceStatus): AppClusterRecord => ({ ...r, status: { ...r.status, resources: r.status.resources.map((x, j) => (j === i ? s : x)) } });
    const edits = [withStatus({ ...res, diff: `${res.diff}x` }), withStatus({ ...res, diff: other.diff! }), withStatus({ ...res, name: 'renamed' }), withStatus({ ...res, changes: [...res.changes!] })];
    const fingerprints = [r, ...edits].map(recordFingerprint);
    expect(new Set(fingerprints.slice(0, 4)).size).toBe(4);
    // The last keeps the same change object and text: still the reference.
    expect(fingerprints[4]).toBe(fingerprints[0]);
  });
});

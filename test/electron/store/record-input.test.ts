import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256, sha256Hex } from '../../../electron/store/canonical-json';
import { fingerprintOf, prepareResources, recordFingerprint } from '../../../electron/store/record-input';
import type { AppClusterRecord } from '../../../electron/store/types';
import { refreshSnapshot } from './refresh-fleet';
import { syntheticSnapshot } from './synthetic-fleet';

/** The fingerprint as recording stores it: of the prepared (masked) resources. */
const stored = (r: AppClusterRecord): string => fingerprintOf(r, prepareResources(r)).toString('hex');

describe('record input: the fingerprint that tells an unchanged app × cluster apart', () => {
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

describe('record input: digests', () => {
  it('sha256 gives the digest bytes and sha256Hex their hex, as node:crypto does', () => {
    for (const text of ['', 'a', '{"kind":"ConfigMap"}', 'naïve × ünïcode ✓']) {
      const expected = createHash('sha256').update(text, 'utf8').digest();
      expect(sha256(text).equals(expected)).toBe(true);
      expect(sha256Hex(text)).toBe(expected.toString('hex'));
    }
  });
});

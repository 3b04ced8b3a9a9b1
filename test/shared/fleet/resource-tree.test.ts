import { describe, expect, it } from 'vitest';
import { eventsFor } from '../../../shared/fleet/kube-events';
import type { ResourceNode } from '../../../shared/fleet/resource-tree';
import { ownedBy, selectorQuery, treeOrder } from '../../../shared/fleet/resource-tree';

const node = (kind: string, name: string, uid: string, parent?: string): ResourceNode => ({ uid, group: '', version: 'v1', kind, namespace: 'ns', name, managed: !parent, ...(parent ? { parent } : {}) });

describe('the resource tree', () => {
  it('orders each root before its children, depth first', () => {
    const nodes = [node('Pod', 'web-1-b', 'p2', 'rs'), node('Service', 'web', 's'), node('ReplicaSet', 'web-1', 'rs', 'd'), node('Pod', 'web-1-a', 'p1', 'rs'), node('Deployment', 'web', 'd')];
    expect(treeOrder(nodes).map((x) => `${x.depth}:${x.node.name}`)).toEqual(['0:web', '1:web-1', '2:web-1-a', '2:web-1-b', '0:web']);
    expect(treeOrder(nodes)[0]!.node.kind).toBe('Deployment');
  });

  it('keeps only objects owned by the given owners, by uid', () => {
    const rs = (name: string, owner: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, uid: name, ownerReferences: [{ uid: owner, controller: true }] } });
    expect(ownedBy([rs('a', 'd1'), rs('b', 'd2')], new Set(['d1'])).map((x) => x.obj.metadata?.['name'])).toEqual(['a']);
  });

  it('writes label selectors as the labelSelector parameter', () => {
    expect(selectorQuery({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'DoesNotExist' }] })).toBe('app=web,tier in (a,b),!x');
    expect(selectorQuery(undefined)).toBeUndefined();
  });
});

describe('events of an app', () => {
  it('keeps the events of its objects, warnings first, then newest first', () => {
    const ev = (type: string, reason: string, uid: string, at: string) => ({ type, reason, message: reason, involvedObject: { kind: 'Pod', namespace: 'ns', name: uid, uid }, lastTimestamp: at, count: 1, source: { component: 'kubelet' } });
    const out = eventsFor([ev('Normal', 'Pulled', 'p1', '2026-01-01T00:00:02Z'), ev('Warning', 'BackOff', 'p1', '2026-01-01T00:00:01Z'), ev('Normal', 'Started', 'p1', '2026-01-01T00:00:03Z'), ev('Warning', 'Other', 'zz', '2026-01-01T00:00:09Z')], [{ uid: 'p1', kind: 'Pod', namespace: 'ns', name: 'p1' }]);
    expect(out.map((e) => e.reason)).toEqual(['BackOff', 'Started', 'Pulled']);
    expect(out[0]).toMatchObject({ type: 'Warning', source: 'kubelet', object: { kind: 'Pod', name: 'p1' } });
  });
});

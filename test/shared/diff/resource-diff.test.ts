import { describe, expect, it } from 'vitest';
import { diffResource } from '../../../shared/diff/resource-diff';
import { compileIgnoreDifferences } from '../../../shared/diff/ignore-differences';
import { desiredDeployment, desiredSecret, desiredService, liveDeployment, liveSecret, liveService } from './fixtures';
import type { KubeObject } from '../../../shared/model/status';

const opts = { app: 'guestbook' };

describe('diffResource', () => {
  it('finds a freshly applied Deployment in sync despite server-owned fields, defaults and status', () => {
    const d = diffResource(desiredDeployment(), liveDeployment(), opts);
    expect(d.sync).toBe('Synced');
    expect(d.changes).toEqual([]);
    expect(d.diff).toBe('');
  });

  it('reports a changed replica count as drift with its JSON pointer and both values', () => {
    const d = diffResource(desiredDeployment({ replicas: 5 }), liveDeployment({ replicas: 3 }), opts);
    expect(d.sync).toBe('OutOfSync');
    expect(d.changes).toEqual([{ path: '/spec/replicas', live: 3, desired: 5 }]);
  });

  it('prints an argocd-app-diff style header and unified YAML diff of live against predicted live', () => {
    const d = diffResource(desiredDeployment({ replicas: 5 }), liveDeployment({ replicas: 3 }), opts);
    const lines = d.diff.split('\n');
    expect(lines[0]).toBe('===== apps/Deployment guestbook/guestbook-ui ======');
    expect(lines[1]).toBe('--- guestbook-ui-live.yaml');
    expect(lines[2]).toBe('+++ guestbook-ui');
    expect(lines[3]).toMatch(/^@@ -\d+,7 \+\d+,7 @@$/);
    expect(lines.filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual(['-  replicas: 3']);
    expect(lines.filter((l) => l.startsWith('+') && !l.startsWith('+++'))).toEqual(['+  replicas: 5']);
    // Server defaults are on both sides, so they appear only as context, never as changes.
    expect(d.diff).not.toContain('resourceVersion');
    expect(d.diff).not.toContain('managedFields');
    expect(d.diff).not.toContain('status:');
  });

  it('reports a label added in Git as drift', () => {
    const d = diffResource(desiredDeployment({ labels: { app: 'guestbook-ui', team: 'web' } }), liveDeployment(), opts);
    expect(d.sync).toBe('OutOfSync');
    expect(d.changes).toEqual([{ path: '/metadata/labels/team', desired: 'web' }]);
    expect(d.diff).toContain('\n+    team: web\n');
  });

  it('does not count a label someone added live as drift when Git does not set it', () => {
    const d = diffResource(desiredDeployment(), liveDeployment({ labels: { app: 'guestbook-ui', 'added-by-hand': 'yes' } }), opts);
    expect(d.sync).toBe('Synced');
  });

  it('counts a field Flotilla applied and Git no longer sets as drift (it would be removed)', () => {
    const live = liveDeployment({ labels: { app: 'guestbook-ui', team: 'web' } });
    const mf = (live.metadata!['managedFields'] as { fieldsV1: { 'f:metadata': { 'f:labels': Record<string, unknown> } } }[])[0]!;
    mf.fieldsV1['f:metadata']['f:labels']['f:team'] = {};
    const d = diffResource(desiredDeployment(), live, opts);
    expect(d.sync).toBe('OutOfSync');
    expect(d.changes).toEqual([{ path: '/metadata/labels/team', live: 'web' }]);
    expect(d.diff).toContain('\n-    team: web\n');
  });

  it('keeps a Flotilla-applied field that another manager also owns (server-side apply would keep it)', () => {
    const live = liveDeployment({
      labels: { app: 'guestbook-ui', team: 'web' },
      extraManagers: [{ manager: 'kubectl-edit', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } } }],
    });
    const mf = (live.metadata!['managedFields'] as { fieldsV1: { 'f:metadata': { 'f:labels': Record<string, unknown> } } }[])[0]!;
    mf.fieldsV1['f:metadata']['f:labels']['f:team'] = {};
    expect(diffResource(desiredDeployment(), live, opts).sync).toBe('Synced');
  });

  it('counts a container Flotilla applied and Git removed as drift, but not a sidecar injected by a webhook', () => {
    const withSidecar = (owner: string): KubeObject => {
      const live = liveDeployment();
      const spec = (live.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec;
      spec.containers.push({ name: 'istio-proxy', image: 'istio/proxyv2:1.24.0', imagePullPolicy: 'IfNotPresent' });
      const mfs = live.metadata!['managedFields'] as Record<string, unknown>[];
      const entry = { '.': {}, 'f:name': {}, 'f:image': {} };
      if (owner === 'flotilla') {
        const c = (mfs[0] as { fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': Record<string, unknown> } } } } }).fieldsV1['f:spec']['f:template']['f:spec']['f:containers'];
        c['k:{"name":"istio-proxy"}'] = entry;
      } else {
        mfs.push({ manager: owner, operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"istio-proxy"}': entry } } } } } });
      }
      return live;
    };
    expect(diffResource(desiredDeployment(), withSidecar('istio-sidecar-injector'), opts).sync).toBe('Synced');
    const d = diffResource(desiredDeployment(), withSidecar('flotilla'), opts);
    expect(d.sync).toBe('OutOfSync');
    expect(d.changes).toEqual([{ path: '/spec/template/spec/containers/1', live: { name: 'istio-proxy', image: 'istio/proxyv2:1.24.0', imagePullPolicy: 'IfNotPresent' } }]);
  });

  it('reports a container removed from the middle of the list at its own index, not as a shift of the ones after it', () => {
    const live = liveDeployment();
    const spec = (live.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec;
    spec.containers.splice(1, 0, { name: 'metrics', image: 'prom/statsd-exporter:v0.26.0' }, { name: 'tail', image: 'busybox:1.36' });
    const c = (live.metadata!['managedFields'] as { fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': Record<string, unknown> } } } } }[])[0]!.fieldsV1['f:spec']['f:template']['f:spec']['f:containers'];
    c['k:{"name":"metrics"}'] = { '.': {}, 'f:name': {}, 'f:image': {} };
    c['k:{"name":"tail"}'] = { '.': {}, 'f:name': {}, 'f:image': {} };
    const desired = desiredDeployment();
    (desired.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers.push({ name: 'tail', image: 'busybox:1.36' });
    const d = diffResource(desired, live, opts);
    expect(d.changes).toEqual([{ path: '/spec/template/spec/containers/1', live: { name: 'metrics', image: 'prom/statsd-exporter:v0.26.0' } }]);
  });

  it('treats resource quantities written differently as equal (500m = 0.5, 1Gi = 1073741824, 1 = "1")', () => {
    const desired = desiredDeployment();
    const c = (desired.spec as { template: { spec: { containers: { resources: unknown }[] } } }).template.spec.containers[0]!;
    c.resources = { requests: { cpu: 0.5, memory: '1073741824' }, limits: { cpu: '1000m' } };
    expect(diffResource(desired, liveDeployment(), opts).sync).toBe('Synced');
    c.resources = { requests: { cpu: '600m', memory: '1Gi' }, limits: { cpu: 1 } };
    const d = diffResource(desired, liveDeployment(), opts);
    expect(d.changes).toEqual([{ path: '/spec/template/spec/containers/0/resources/requests/cpu', live: '500m', desired: '600m' }]);
  });

  it('treats an empty map or list in Git as the same as a missing one', () => {
    const desired = desiredService();
    (desired.metadata as Record<string, unknown>)['annotations'] = {};
    (desired.metadata as Record<string, unknown>)['labels'] = {};
    (desired.spec as Record<string, unknown>)['externalIPs'] = [];
    (desired.spec as Record<string, unknown>)['loadBalancerSourceRanges'] = null;
    expect(diffResource(desired, liveService(), opts).sync).toBe('Synced');
  });

  it('ignores the tracking annotation when live carries this app\'s own, and shows a claim on another app\'s resource as drift', () => {
    const desired = desiredDeployment();
    (desired.metadata as Record<string, unknown>)['annotations'] = { 'argocd.argoproj.io/tracking-id': 'guestbook:apps/Deployment:guestbook/guestbook-ui' };
    const same = diffResource(desired, liveDeployment(), opts);
    expect(same.sync).toBe('Synced');
    expect(JSON.stringify(same.live)).not.toContain('tracking-id');
    const live = liveDeployment();
    (live.metadata!['annotations'] as Record<string, string>)['argocd.argoproj.io/tracking-id'] = 'billing:apps/Deployment:guestbook/guestbook-ui';
    const claimed = diffResource(desired, live, opts);
    expect(claimed.sync).toBe('OutOfSync');
    expect(claimed.changes).toEqual([
      { path: '/metadata/annotations/argocd.argoproj.io~1tracking-id', live: 'billing:apps/Deployment:guestbook/guestbook-ui', desired: 'guestbook:apps/Deployment:guestbook/guestbook-ui' },
    ]);
  });

  it('with label tracking, ignores the instance label Flotilla applied when it names this app', () => {
    const live = liveDeployment({ labels: { app: 'guestbook-ui', 'app.kubernetes.io/instance': 'guestbook' } });
    const mf = (live.metadata!['managedFields'] as { fieldsV1: { 'f:metadata': { 'f:labels': Record<string, unknown> } } }[])[0]!;
    mf.fieldsV1['f:metadata']['f:labels']['f:app.kubernetes.io/instance'] = {};
    expect(diffResource(desiredDeployment(), live, { app: 'guestbook', trackingLabel: 'app.kubernetes.io/instance' }).sync).toBe('Synced');
    expect(diffResource(desiredDeployment(), live, { app: 'guestbook' }).changes).toEqual([{ path: '/metadata/labels/app.kubernetes.io~1instance', live: 'guestbook' }]);
    expect(diffResource(desiredDeployment(), live, { app: 'billing', trackingLabel: 'app.kubernetes.io/instance' }).sync).toBe('OutOfSync');
  });

  it('ignores the last-applied-configuration annotation and every server-owned metadata field', () => {
    const live = liveService();
    (live.metadata as Record<string, unknown>)['annotations'] = { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":"config"}' };
    (live.metadata as Record<string, unknown>)['selfLink'] = '/api/v1/namespaces/guestbook/services/guestbook-ui';
    (live.metadata as Record<string, unknown>)['generation'] = 7;
    const desired = desiredService();
    (desired.metadata as Record<string, unknown>)['creationTimestamp'] = null;
    (desired as Record<string, unknown>)['status'] = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
    const d = diffResource(desired, live, opts);
    expect(d.sync).toBe('Synced');
  });

  it('marks a desired object that is not live as missing, with all of it added in the diff', () => {
    const d = diffResource(desiredService(), undefined, opts);
    expect(d.sync).toBe('OutOfSync');
    expect(d.missing).toBe(true);
    expect(d.extra).toBeUndefined();
    expect(d.diff).toContain('===== /Service guestbook/guestbook-ui ======\n--- guestbook-ui-live.yaml\n+++ guestbook-ui\n@@ -0,0 +1,');
    expect(d.diff).toContain('\n+kind: Service\n');
  });

  it('marks a live object that is not desired as extra, with all of it removed in the diff', () => {
    const d = diffResource(undefined, liveService(), opts);
    expect(d.sync).toBe('OutOfSync');
    expect(d.extra).toBe(true);
    expect(d.diff).toMatch(/@@ -1,\d+ \+0,0 @@/);
    expect(d.diff).toContain('\n-kind: Service\n');
    expect(d.diff).not.toContain('uid');
  });

  it('fills the destination namespace into a namespace-less desired object, but not into a cluster-scoped one', () => {
    const svc = desiredService();
    delete (svc.metadata as Record<string, unknown>)['namespace'];
    expect(diffResource(svc, undefined, { namespace: 'prod' }).key.namespace).toBe('prod');
    const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [] };
    expect(diffResource(role, undefined, { namespace: 'prod' }).key).toEqual({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', namespace: '', name: 'reader' });
  });

  it('matches list items by their merge key, so live order and defaulted items do not matter', () => {
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'n' },
      data: { 'a.conf': 'x=1' },
    };
    const live: KubeObject = { ...desired, metadata: { name: 'x', namespace: 'n', uid: 'u' }, data: { 'a.conf': 'x=1' } };
    expect(diffResource(desired, live).sync).toBe('Synced');
    const dep = desiredDeployment();
    const spec = (dep.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec;
    spec.containers[0]!['env'] = [{ name: 'B', value: '2' }, { name: 'A', value: '1' }];
    const liveDep = liveDeployment();
    const lspec = (liveDep.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec;
    lspec.containers[0]!['env'] = [{ name: 'A', value: '1' }, { name: 'B', value: '2' }];
    expect(diffResource(dep, liveDep).sync).toBe('Synced');
    spec.containers[0]!['env'] = [{ name: 'B', value: '3' }, { name: 'A', value: '1' }];
    expect(diffResource(dep, liveDep).changes).toEqual([{ path: '/spec/template/spec/containers/0/env/1/value', live: '2', desired: '3' }]);
  });

  it('tells ports apart by number and protocol (DNS on 53/TCP and 53/UDP), TCP when unset', () => {
    const desired: KubeObject = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns', namespace: 'kube-system' },
      spec: { selector: { k8s: 'dns' }, ports: [{ name: 'dns-tcp', port: 53 }, { name: 'dns', port: 53, protocol: 'UDP' }] },
    };
    const live: KubeObject = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns', namespace: 'kube-system', uid: 'u' },
      spec: { clusterIP: '10.96.0.10', selector: { k8s: 'dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }], type: 'ClusterIP' },
    };
    expect(diffResource(desired, live).sync).toBe('Synced');
    (desired.spec as { ports: Record<string, unknown>[] }).ports[0]!['targetPort'] = 5353;
    expect(diffResource(desired, live).changes).toEqual([{ path: '/spec/ports/1/targetPort', live: 53, desired: 5353 }]);
  });

  it('compares scalar lists as a whole (args order matters)', () => {
    const dep = desiredDeployment();
    const c = (dep.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0]!;
    c['args'] = ['--port=80', '--verbose'];
    const live = liveDeployment();
    (live.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0]!['args'] = ['--verbose', '--port=80'];
    const d = diffResource(dep, live);
    expect(d.sync).toBe('OutOfSync');
    expect(d.changes.map((x) => x.path)).toEqual(['/spec/template/spec/containers/0/args/0', '/spec/template/spec/containers/0/args/1']);
  });

  it('does not compare the rules of an aggregated ClusterRole, which its controller fills in', () => {
    const desired: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'monitoring' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] },
      rules: [],
    };
    const live: KubeObject = { ...desired, metadata: { name: 'monitoring', uid: 'u' }, rules: [{ apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] }] };
    expect(diffResource(desired, live).sync).toBe('Synced');
    const plain: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
    const widened: KubeObject = { ...plain, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] };
    expect(diffResource(plain, widened).changes).toEqual([{ path: '/rules/0/verbs/1', live: 'list' }]);
  });

  it('does not count an apiVersion skew within the same group as drift', () => {
    const desired: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'n' }, spec: { maxReplicas: 5 } };
    const live: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'n' }, spec: { maxReplicas: 5, minReplicas: 1 } };
    expect(diffResource(desired, live).sync).toBe('Synced');
  });

  it('with a server-side dry-run result, compares live with it as a whole (Argo CD\'s ServerSideDiff)', () => {
    const dryRun = (mutate: (o: Record<string, unknown>) => void): KubeObject => {
      const o = liveDeployment() as Record<string, unknown>;
      (o['metadata'] as Record<string, unknown>)['resourceVersion'] = '48299';
      (o['metadata'] as Record<string, unknown>)['generation'] = 5;
      mutate(o);
      return o as KubeObject;
    };
    const same = diffResource(desiredDeployment(), liveDeployment(), { app: 'guestbook', serverPredicted: dryRun(() => undefined) });
    expect(same.sync).toBe('Synced');
    const scaled = diffResource(desiredDeployment({ replicas: 4 }), liveDeployment(), { app: 'guestbook', serverPredicted: dryRun((o) => ((o['spec'] as Record<string, unknown>)['replicas'] = 4)) });
    expect(scaled.changes).toEqual([{ path: '/spec/replicas', live: 3, desired: 4 }]);
    // A mutating webhook the client cannot know about: only the server's answer shows it.
    const webhook = dryRun((o) => (((o['spec'] as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata.annotations = { 'sidecar.example.com/inject': 'true' })));
    expect(diffResource(desiredDeployment(), liveDeployment(), { app: 'guestbook' }).sync).toBe('Synced');
    expect(diffResource(desiredDeployment(), liveDeployment(), { app: 'guestbook', serverPredicted: webhook }).changes).toEqual([
      { path: '/spec/template/metadata/annotations', desired: { 'sidecar.example.com/inject': 'true' } },
    ]);
  });

  it('does not modify the objects it is given (tracking marks, ignore rules, Secrets, Roles, server-side results)', () => {
    const rules = compileIgnoreDifferences([{ group: '*', kind: '*', jsonPointers: ['/spec/replicas', '/data/password'], jqPathExpressions: ['.metadata.labels.app'], managedFieldsManagers: ['kube-controller-manager'] }]).rules;
    const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'n' }, rules: [] };
    const cases: [KubeObject | undefined, KubeObject | undefined][] = [
      [desiredDeployment({ replicas: 5, labels: { app: 'x', team: 'y' } }), liveDeployment()],
      [desiredSecret('new'), liveSecret('old')],
      [role, { ...role, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }],
      [desiredService(), undefined],
      [undefined, liveService()],
    ];
    for (const [desired, live] of cases) {
      const before = JSON.stringify([desired, live]);
      for (const o of [{ app: 'guestbook' }, { app: 'guestbook', rules, trackingLabel: 'app' }, { app: 'guestbook', serverPredicted: live ?? desired! }]) {
        const d = diffResource(desired, live, o);
        JSON.stringify(d);
      }
      expect(JSON.stringify([desired, live])).toBe(before);
    }
  });
});

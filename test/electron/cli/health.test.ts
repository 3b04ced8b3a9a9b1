import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir, writeFiles } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

/** What `kubectl get deploy,svc -o yaml` prints: a List of live objects. */
const LIST = `apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: shop, generation: 4}
  spec: {replicas: 3}
  status: {observedGeneration: 4, replicas: 3, updatedReplicas: 3, availableReplicas: 3}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: api, namespace: shop, generation: 2}
  spec: {replicas: 2}
  status: {observedGeneration: 2, replicas: 2, updatedReplicas: 1, availableReplicas: 1}
- apiVersion: v1
  kind: Service
  metadata: {name: lb, namespace: shop}
  spec: {type: LoadBalancer}
  status: {loadBalancer: {}}
`;

const APP = JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'child', namespace: 'argocd' }, status: { health: { status: 'Degraded', message: 'child broken' } } });

const ARGOCD_CM = `apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm, namespace: argocd}
data:
  resource.customizations.health.argoproj.io_Application: |
    hs = {}
    hs.status = "Progressing"
    hs.message = ""
    if obj.status ~= nil and obj.status.health ~= nil then
      hs.status = obj.status.health.status
      if obj.status.health.message ~= nil then hs.message = obj.status.health.message end
    end
    return hs
`;

describe('flotilla health', () => {
  let t: { dir: string; cleanup: () => void };
  const f = (name: string): string => path.join(t.dir, name);
  beforeAll(() => {
    t = tempDir();
    writeFiles(t.dir, { 'live.yaml': LIST, 'app.json': APP, 'argocd-cm.yaml': ARGOCD_CM, 'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n', 'scalar.yaml': 'just text\n' });
  });
  afterAll(() => t.cleanup());

  it('prints a table of each object in a kubectl List with its health and message', async () => {
    const r = await cli(['health', '-f', f('live.yaml')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KIND\s+NAMESPACE\s+NAME\s+HEALTH\s+MESSAGE$/);
    expect(lines[1]).toMatch(/^Deployment\s+shop\s+web\s+Healthy$/);
    expect(lines[2]).toMatch(/^Deployment\s+shop\s+api\s+Progressing\s+Waiting for rollout to finish: 1 out of 2 new replicas have been updated\.\.\.$/);
    expect(lines[3]).toMatch(/^Service\s+shop\s+lb\s+Progressing$/);
  });

  it('prints JSON rows in input order across repeated -f, JSON input included', async () => {
    const r = await cli(['health', '-f', f('live.yaml'), '-f', f('app.json'), '-o', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Record<string, string>[];
    expect(rows.map((x) => `${x.kind}/${x.name}`)).toEqual(['Deployment/web', 'Deployment/api', 'Service/lb', 'Application/child']);
    expect(rows[0]).toEqual({ file: f('live.yaml'), kind: 'Deployment', namespace: 'shop', name: 'web', status: 'Healthy', message: '' });
    // Argo CD has no built-in Application health; without the override, standard conditions say Healthy.
    expect(rows[3]).toMatchObject({ status: 'Healthy', message: '' });
  });

  it('runs Lua health customizations from an argocd-cm ConfigMap', async () => {
    const r = await cli(['health', '-f', f('app.json'), '--customizations', f('argocd-cm.yaml'), '-o', 'json']);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toEqual([{ file: f('app.json'), kind: 'Application', namespace: 'argocd', name: 'child', status: 'Degraded', message: 'child broken' }]);
  });

  it('a custom check that hangs is Unknown naming the file, line and column of its key, and one Problem, exit 2', async () => {
    writeFiles(t.dir, {
      'cms.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
      'hang-fleet.yaml': 'apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata:\n  name: t\nspec:\n  health:\n    customizations:\n      _ConfigMap: |\n        -- health.test hang\n        string.find(("a"):rep(2e5), "(.-)(.-)(.-)(.-)b")\n',
    });
    const r = await cli(['health', '-f', f('cms.yaml'), '--customizations', f('hang-fleet.yaml'), '-o', 'json']);
    expect(r.code).toBe(2);
    const rows = JSON.parse(r.out) as { name: string; status: string; message: string }[];
    expect(rows.map((x) => [x.name, x.status])).toEqual([['a', 'Unknown'], ['b', 'Unknown']]);
    for (const x of rows) expect(x.message).toContain(`health check for ConfigMap (${f('hang-fleet.yaml')}:8:7) failed: time limit of 1000 ms exceeded`);
    const stopped = r.err.split('\n').filter((l) => l.includes('custom health check'));
    expect(stopped).toEqual([expect.stringMatching(new RegExp(`^error: ${f('hang-fleet.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:7: custom health check _ConfigMap failed: time limit`))]);
  });

  it('reads standard input for -f -', async () => {
    const stdin = vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([Buffer.from(APP)]) as unknown as typeof process.stdin);
    try {
      const r = await cli(['health', '-f', '-', '-o', 'json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toEqual([expect.objectContaining({ file: '<stdin>', kind: 'Application', name: 'child' })]);
    } finally {
      stdin.mockRestore();
    }
  });

  it('exits 2 naming file, line and column of unparsable YAML, still assessing the other files', async () => {
    const r = await cli(['health', '-f', f('broken.yaml'), '-f', f('live.yaml'), '-o', 'json']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^error: ${f('broken.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: YAML: `, 'm'));
    expect((JSON.parse(r.out) as unknown[]).length).toBe(3);
  });

  it('exits 2 on a missing file and on a document that is not a Kubernetes object', async () => {
    const missing = await cli(['health', '-f', f('nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`error: ${f('nope.yaml')}: cannot read: no such file`);
    expect(missing.out).toBe('');
    const scalar = await cli(['health', '-f', f('scalar.yaml')]);
    expect(scalar.code).toBe(2);
    expect(scalar.err).toContain(`error: ${f('scalar.yaml')}:1:1: expected a Kubernetes object (a mapping with apiVersion and kind)`);
  });

  it('requires -f', async () => {
    const r = await cli(['health']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('flotilla health needs at least one -f, --filename FILE');
  });
});

import { describe, expect, it } from 'vitest';
import { appInstanceName, instanceNameOf, qualifiedAppName } from '../../../shared/fleet/app-name';
import { renderApplication } from '../../../shared/fleet/render-apps';
import type { Application } from '../../../shared/model/application';
import { MemoryFileTree } from '../../../shared/repo/file-tree';

// Argo CD names an Application three ways: `name` (or `namespace/name` outside the control plane) where it shows it,
// and the instance name (`argo.AppInstanceName`: `namespace_name` outside the control plane) in tracking ids, the
// instance label and $ARGOCD_APP_NAME. The Helm release name is the name alone.

describe("Argo CD's instance name", () => {
  it('is the name in the control-plane namespace (or none) and <namespace>_<name> elsewhere', () => {
    expect(appInstanceName({ name: 'web' })).toBe('web');
    expect(appInstanceName({ name: 'web', namespace: 'argocd' })).toBe('web');
    expect(appInstanceName({ name: 'web', namespace: 'team-a' })).toBe('team-a_web');
    expect(appInstanceName({ name: 'web', namespace: 'gitops' }, 'gitops')).toBe('web');
    expect(qualifiedAppName({ name: 'web', namespace: 'team-a' })).toBe('team-a/web');
  });

  it('is derived from the shown name as InstanceNameFromQualified does', () => {
    expect(instanceNameOf('web')).toBe('web');
    expect(instanceNameOf('team-a/web')).toBe('team-a_web');
    expect(instanceNameOf(qualifiedAppName({ name: 'api', namespace: 'x' }))).toBe(appInstanceName({ name: 'api', namespace: 'x' }));
  });

  it('is what $ARGOCD_APP_NAME holds while a source renders', () => {
    const tree = new MemoryFileTree({ 'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', 'chart/values-web.yaml': 'a: 1\n' }, 'a'.repeat(40));
    const app = (namespace: string): Application => ({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace },
      spec: { project: 'default', source: { repoURL: 'https://git.example.com/r.git', targetRevision: 'HEAD', path: 'chart', helm: { valueFiles: ['values-$ARGOCD_APP_NAME.yaml'] } }, destination: { server: 'https://kubernetes.default.svc', namespace: 'web' } },
    }) as Application;
    const outside = renderApplication(app('team-a'), { treeAt: () => tree }, { clusters: [], loadRestrictor: 'rootOnly' });
    // The value file is looked up by the instance name: missing here, and the message says which file.
    expect(outside.problems.map((p) => p.message).join('\n')).toContain('values-team-a_web.yaml');
    const inside = renderApplication(app('argocd'), { treeAt: () => tree }, { clusters: [], loadRestrictor: 'rootOnly' });
    expect(inside.problems.map((p) => p.message).join('\n')).not.toContain('values-');
  });
});

import { describe, expect, it } from 'vitest';
import { compileIgnoreDifferences, ignoreDifferencesFromConfigMap } from '../../../shared/diff/ignore-differences';
import { diffResource } from '../../../shared/diff/resource-diff';
import { desiredDeployment, liveDeployment } from './fixtures';
import type { KubeObject } from '../../../shared/model/status';

function rules(raw: unknown[]) {
  const c = compileIgnoreDifferences(raw, { file: 'apps/guestbook.yaml', app: 'guestbook' });
  expect(c.problems).toEqual([]);
  return c.rules;
}

function containers(o: KubeObject): Record<string, unknown>[] {
  return (o.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers;
}

describe('ignoreDifferences', () => {
  it('ignores a replica count changed by an autoscaler through jsonPointers', () => {
    const desired = desiredDeployment({ replicas: 3 });
    const live = liveDeployment({ replicas: 7 });
    expect(diffResource(desired, live).sync).toBe('OutOfSync');
    const r = rules([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]);
    expect(diffResource(desired, live, { rules: r }).sync).toBe('Synced');
  });

  it('matches group and kind as globs and name and namespace exactly; an omitted group is the core group', () => {
    const desired = desiredDeployment({ replicas: 3 });
    const live = liveDeployment({ replicas: 7 });
    const sync = (raw: unknown[]): string => diffResource(desired, live, { rules: rules(raw) }).sync;
    expect(sync([{ group: '*', kind: '*', jsonPointers: ['/spec/replicas'] }])).toBe('Synced');
    expect(sync([{ group: 'apps', kind: 'Deploy*', name: 'guestbook-ui', namespace: 'guestbook', jsonPointers: ['/spec/replicas'] }])).toBe('Synced');
    expect(sync([{ kind: 'Deployment', jsonPointers: ['/spec/replicas'] }])).toBe('OutOfSync');
    expect(sync([{ group: 'apps', kind: 'Deployment', name: 'other', jsonPointers: ['/spec/replicas'] }])).toBe('OutOfSync');
    expect(sync([{ group: 'apps', kind: 'Deployment', namespace: 'other', jsonPointers: ['/spec/replicas'] }])).toBe('OutOfSync');
    expect(sync([{ group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] }])).toBe('OutOfSync');
  });

  it('ignores one container\'s image through a jq select, and still sees another container\'s change', () => {
    const desired = desiredDeployment({ image: 'web:1.0' });
    containers(desired).push({ name: 'sidecar', image: 'proxy:1.0' });
    const live = liveDeployment({ image: 'web:2.0' });
    containers(live).push({ name: 'sidecar', image: 'proxy:1.1' });
    const r = rules([{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "guestbook-ui") | .image'] }]);
    const d = diffResource(desired, live, { rules: r });
    expect(d.changes).toEqual([{ path: '/spec/template/spec/containers/1/image', live: 'proxy:1.1', desired: 'proxy:1.0' }]);
  });

  it('ignores an annotation through a quoted jq key and a whole list through .[]', () => {
    const desired = desiredDeployment();
    (desired.metadata as Record<string, unknown>)['annotations'] = { 'example.com/checksum': 'aaa' };
    const live = liveDeployment();
    (live.metadata!['annotations'] as Record<string, string>)['example.com/checksum'] = 'bbb';
    expect(diffResource(desired, live).sync).toBe('OutOfSync');
    expect(diffResource(desired, live, { rules: rules([{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.metadata.annotations."example.com/checksum"'] }]) }).sync).toBe('Synced');
    expect(diffResource(desired, live, { rules: rules([{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.metadata.annotations | .[]'] }]) }).sync).toBe('Synced');
  });

  it('ignores fields owned by the managers named in managedFieldsManagers', () => {
    const desired = desiredDeployment({ replicas: 3 });
    const live = liveDeployment({
      replicas: 9,
      extraManagers: [{ manager: 'keda-operator', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }],
    });
    expect(diffResource(desired, live).sync).toBe('OutOfSync');
    expect(diffResource(desired, live, { rules: rules([{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['keda-operator'] }]) }).sync).toBe('Synced');
    expect(diffResource(desired, live, { rules: rules([{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['hpa-controller'] }]) }).sync).toBe('OutOfSync');
  });

  it('ignores list items owned by a manager, matched by their key', () => {
    const desired = desiredDeployment({ image: 'web:1.0' });
    const live = liveDeployment({
      image: 'web:1.1',
      extraManagers: [
        {
          manager: 'image-updater',
          operation: 'Update',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"guestbook-ui"}': { 'f:image': {} } } } } } },
        },
      ],
    });
    const d = diffResource(desired, live, { rules: rules([{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['image-updater'] }]) });
    expect(d.sync).toBe('Synced');
  });

  it('reports bad entries as problems with where they came from, and keeps the good ones', () => {
    const c = compileIgnoreDifferences(
      [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['spec/replicas'] },
        { group: 'apps', jqPathExpressions: ['.a'] },
        { group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec | frobnicate'] },
        'not a mapping',
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      ],
      { file: 'apps/guestbook.yaml', line: 12, app: 'guestbook' },
    );
    expect(c.problems.map((p) => p.message)).toEqual([
      'ignoreDifferences[0]: jsonPointers: "spec/replicas" is not a JSON pointer (expected it to start with "/")',
      'ignoreDifferences[1]: expected `kind` (a kind or a glob such as "*")',
      "ignoreDifferences[2]: jqPathExpressions: jq: function 'frobnicate' (column 9) is not supported in ignoreDifferences path expressions",
      'ignoreDifferences[3]: expected a mapping with kind and jsonPointers, jqPathExpressions or managedFieldsManagers',
    ]);
    expect(c.problems.every((p) => p.file === 'apps/guestbook.yaml' && p.line === 12 && p.app === 'guestbook')).toBe(true);
    expect(c.rules.length).toBe(3);
  });
});

describe('system-level ignoreDifferences from argocd-cm', () => {
  const cm: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argocd-cm', namespace: 'argocd' },
    data: {
      'resource.customizations.ignoreDifferences.apps_Deployment': 'jqPathExpressions:\n- .spec.template.spec.containers[] | select(.name == "guestbook-ui") | .image\n',
      'resource.customizations.ignoreDifferences.Service': 'jsonPointers:\n- /spec/clusterIP\n',
      'resource.customizations.ignoreDifferences.all': 'managedFieldsManagers:\n- keda-operator\n',
      'resource.customizations.ignoreDifferences.admissionregistration.k8s.io_MutatingWebhookConfiguration': 'jsonPointers: [/webhooks/0/clientConfig/caBundle]',
      'resource.customizations': 'argoproj.io/Rollout:\n  ignoreDifferences: |\n    jsonPointers:\n    - /spec/replicas\n',
      'resource.customizations.ignoreDifferences.batch_Job': 'jsonPointers: [unclosed',
    },
  };

  it('reads per-kind keys (core kinds without group), .all and the older resource.customizations form', () => {
    const { entries, problems } = ignoreDifferencesFromConfigMap(cm, 'argocd-cm.yaml');
    expect(entries).toEqual([
      { group: 'argoproj.io', kind: 'Rollout', jsonPointers: ['/spec/replicas'] },
      { group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "guestbook-ui") | .image'] },
      { group: '', kind: 'Service', jsonPointers: ['/spec/clusterIP'] },
      { group: '*', kind: '*', managedFieldsManagers: ['keda-operator'] },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', jsonPointers: ['/webhooks/0/clientConfig/caBundle'] },
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'argocd-cm.yaml' });
    expect(problems[0]!.message).toMatch(/^data\["resource.customizations.ignoreDifferences.batch_Job"\]: not YAML: /);
  });

  it('applies them like Application ignoreDifferences', () => {
    const r = rules([...ignoreDifferencesFromConfigMap({ ...cm, data: { 'resource.customizations.ignoreDifferences.apps_Deployment': (cm.data as Record<string, string>)['resource.customizations.ignoreDifferences.apps_Deployment']! } }).entries]);
    expect(diffResource(desiredDeployment({ image: 'a:1' }), liveDeployment({ image: 'a:2' }), { rules: r }).sync).toBe('Synced');
  });
});

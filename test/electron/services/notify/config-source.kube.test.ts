// argocd-notifications-cm and argocd-notifications-secret read from a real cluster's Argo CD namespace (a fresh one
// here, as Argo CD installed outside `argocd`), when neither the data folder nor the repository has a ConfigMap.
import { afterAll, describe, expect, it } from 'vitest';
import { loadNotifyConfig } from '../../../../electron/services/notify/notify-config-source';
import { resolveService } from '../../../../shared/notify';
import { formatProblem } from '../../../../shared/problem';
import { MemoryFileTree } from '../../../../shared/repo/file-tree';
import { tempDir } from '../../../helpers/git-fixtures';
import { createNamespace, fleetAdmin, freshNamespace, kubeRequest, useKubeFleet } from '../../../helpers/kube-fleet';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('notifications configuration from a cluster', () => {
  it('reads the ConfigMap and the Secret of the Argo CD namespace, naming the cluster in problems', async () => {
    const fleet = await useKubeFleet();
    const ns = freshNamespace('n19-argocd');
    await createNamespace(fleet, 'prod', ns);
    const cm = await kubeRequest(fleet, 'prod', 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-notifications-cm' },
      data: {
        'service.webhook.ops': 'url: https://hooks.example/ops\nheaders:\n- name: X-Token\n  value: $ops-token\n',
        'template.app-drifted': 'message: "{{.app.metadata.name}} drifted"\n',
        'trigger.on-drift': "- when: app.status.sync.status == 'OutOfSync'\n  send: [app-drifted]\n",
        'trigger.on-broken': '- when: app.status.sync.status ==\n  send: [app-drifted]\n',
      },
    });
    expect(cm.status).toBe(201);
    const secret = await kubeRequest(fleet, 'prod', 'POST', `/api/v1/namespaces/${ns}/secrets`, {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-notifications-secret' }, data: { 'ops-token': Buffer.from('t0ken-value').toString('base64') },
    });
    expect(secret.status).toBe(201);
    const manager = fleetAdmin(fleet, { only: ['prod'] });
    const data = tempDir('flotilla-notify-cluster-');
    cleanups.push(() => manager.close(), data.cleanup);

    const loaded = await loadNotifyConfig({ dataDir: data.dir, tree: new MemoryFileTree({ 'flotilla.yaml': 'kind: Fleet\n' }), cluster: { name: 'prod', connection: manager.connection('prod'), namespace: ns } });
    expect(loaded.config?.source).toBe(`cluster prod, ConfigMap ${ns}/argocd-notifications-cm`);
    expect([...loaded.config!.triggers.keys()].sort()).toEqual(['on-broken', 'on-drift']);
    expect(loaded.config!.triggers.get('on-broken')).toEqual([]);
    expect(loaded.problems.map(formatProblem)).toEqual([
      `trigger on-broken: condition [0] when does not compile: unexpected end of expression (1:26) (cluster prod, ConfigMap ${ns}/argocd-notifications-cm: data.trigger.on-broken)`,
    ]);
    expect(loaded.secretSource).toBe(`Secret ${ns}/argocd-notifications-secret on cluster prod`);
    const ops = resolveService(loaded.config!.services.get('ops')!, loaded.secrets, loaded.secretSource);
    expect(ops.service).toEqual(expect.objectContaining({ headers: [{ name: 'X-Token', value: 't0ken-value' }] }));

    // A namespace without the ConfigMap: nothing configured, and no problem (notifications are optional).
    const none = await loadNotifyConfig({ dataDir: data.dir, cluster: { name: 'prod', connection: manager.connection('prod'), namespace: freshNamespace('n19-none') } });
    expect(none.config).toBeUndefined();
    expect(none.problems).toEqual([]);
  }, 60_000);
});

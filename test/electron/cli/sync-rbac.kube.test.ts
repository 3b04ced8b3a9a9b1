// `flotilla sync APP` as the fleet's restricted user: refused before anything is sent, naming the verb and the
// resource it lacks (exit 1), the same with --dry-run and --check; once granted, --check passes and the dry run runs.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearAccessCache } from '../../../electron/services/cluster/access-review';
import { commitAll, exampleRepo, tempDir } from '../../helpers/git-fixtures';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { createNamespace, freshNamespace, kubeRequest, retargetExample, useKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

let fleet: LocalFleetState;
let repo: { dir: string; cleanup: () => void };
// api-staging renders into a namespace of its own, so no other test file's api-staging is seen or changed.
const ns = freshNamespace('rbac-sync');

beforeAll(async () => {
  fleet = await useKubeFleet();
  repo = exampleRepo();
  retargetExample(fleet, repo.dir);
  const staging = fleet.clusters.find((c) => c.name === 'staging')!;
  const fleetFile = path.join(repo.dir, 'flotilla.yaml');
  // The fleet reaches staging as the restricted user.
  writeFileSync(fleetFile, readFileSync(fleetFile, 'utf8').replace(`context: ${staging.context}\n`, `context: ${staging.restrictedContext}\n`));
  const overlay = path.join(repo.dir, 'apps/api/overlays/staging/kustomization.yaml');
  writeFileSync(overlay, readFileSync(overlay, 'utf8').replace('namespace: api', `namespace: ${ns}`));
  const appset = path.join(repo.dir, 'appsets/apps.yaml');
  writeFileSync(appset, readFileSync(appset, 'utf8').replace("namespace: '{{.path.basename}}'", `namespace: ${ns}`));
  commitAll(repo.dir, 'Staging as the restricted user, api-staging in its own namespace');
  await createNamespace(fleet, 'staging', ns);
});
afterAll(async () => {
  repo.cleanup();
  await kubeRequest(fleet, 'staging', 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${ns}-reader`);
  await kubeRequest(fleet, 'staging', 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${ns}-reader`);
});

const sync = (...args: string[]): Promise<{ code: number; out: string; err: string }> =>
  cli(['sync', 'api-staging', '--cluster', 'staging', '--repo', repo.dir, '--kubeconfig', fleet.kubeconfig, ...args]);

describe('flotilla sync as a user who may not', () => {
  it('refuses before anything is sent and names the missing verb on which resource (exit 1)', async () => {
    const r = await sync();
    expect(r.code).toBe(1);
    expect(r.out).toContain(`sync refused: refused before anything was sent: you may not get configmaps in namespace ${ns} on staging (and 11 more: create configmaps, patch configmaps, get services, …)`);
    expect(r.out).toMatch(new RegExp(`staging\\s+sync\\s+patch\\s+deployments\\.apps\\s+${ns}\\s+denied`));
    // CreateNamespace=true: the sync reads the destination namespace, and would create it if it were missing.
    expect(r.out).toMatch(new RegExp(`staging\\s+sync\\s+get\\s+namespaces "${ns}"\\s+\\(cluster\\)\\s+denied`));
    // Nothing reached the cluster.
    const cms = await kubeRequest(fleet, 'staging', 'GET', `/api/v1/namespaces/${ns}/configmaps`);
    // (kube-root-ca.crt is the controller manager's, in every namespace.)
    expect((cms.body.items as { metadata: { name: string } }[]).map((c) => c.metadata.name).filter((n) => n !== 'kube-root-ca.crt')).toEqual([]);
    const deps = await kubeRequest(fleet, 'staging', 'GET', `/apis/apps/v1/namespaces/${ns}/deployments`);
    expect(deps.body.items).toEqual([]);

    const dry = await sync('--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.out).toContain(`you may not get configmaps in namespace ${ns} on staging`);

    const check = await sync('--check', '-o', 'json');
    expect(check.code).toBe(1);
    const access = JSON.parse(check.out) as { cluster: string; sync: { result: string; denied: { verb: string; resource: string; group: string }[] } };
    expect(access.cluster).toBe('staging');
    expect(access.sync.result).toBe('denied');
    expect(access.sync.denied.map((d) => `${d.verb} ${d.resource}${d.group ? `.${d.group}` : ''}`)).toEqual([
      'get configmaps', 'create configmaps', 'patch configmaps', 'get services', 'create services', 'patch services', 'get deployments.apps', 'create deployments.apps', 'patch deployments.apps',
      'get namespaces', 'create namespaces', 'patch namespaces',
    ]);
  });

  it('passes the check once the verbs are granted, then runs the dry run; prune is judged on its own', async () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'api-deployer' }, rules: [{ apiGroups: ['', 'apps'], resources: ['configmaps', 'services', 'deployments'], verbs: ['get', 'create', 'patch'] }] };
    expect((await kubeRequest(fleet, 'staging', 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, role)).status).toBe(201);
    expect((await kubeRequest(fleet, 'staging', 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'api-deployer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'api-deployer' },
      subjects: [{ kind: 'User', name: 'flotilla-restricted', apiGroup: 'rbac.authorization.k8s.io' }],
    })).status).toBe(201);
    // Reading its own namespace (which exists: neither create nor patch of it is needed then).
    expect((await kubeRequest(fleet, 'staging', 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `${ns}-reader` },
      rules: [{ apiGroups: [''], resources: ['namespaces'], resourceNames: [ns], verbs: ['get'] }],
    })).status).toBe(201);
    expect((await kubeRequest(fleet, 'staging', 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `${ns}-reader` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${ns}-reader` },
      subjects: [{ kind: 'User', name: 'flotilla-restricted', apiGroup: 'rbac.authorization.k8s.io' }],
    })).status).toBe(201);
    // Answers are cached for 30 s per process; the CLI runs in this process here, so forget them as a new process would.
    clearAccessCache();
    const check = await sync('--check');
    expect(check.out).toMatch(/staging\s+sync\s+10 permissions\s+allowed/);
    expect(check.code).toBe(0);
    const prune = await sync('--check', '--prune');
    expect(prune.code).toBe(1);
    expect(prune.out).toMatch(new RegExp(`staging\\s+prune\\s+list\\s+configmaps\\s+${ns}\\s+denied`));
    const dry = await sync('--dry-run');
    expect(dry.err).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/Deployment\s+\S+\s+api\s+created \(dry run\)/);
  });

  it('checks a sync of manifest files (-f) the same way: refused naming the verb, Prune (its default) judged too; applied once allowed', async () => {
    // After the test above: the restricted user may get, create and patch configmaps, services and deployments in the
    // namespace, and nothing else there (no Secrets, no list or delete).
    clearAccessCache();
    const dir = tempDir('flotilla-sync-files-');
    try {
      const both = path.join(dir.dir, 'both.yaml');
      writeFileSync(both, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file\ndata:\n  a: "1"\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: from-file\nstringData:\n  b: "2"\n');
      const files = (file: string, ...args: string[]) => cli(['sync', '--app', `${ns}-files`, '-f', file, '-n', ns, '--cluster', 'staging', '--repo', repo.dir, '--kubeconfig', fleet.kubeconfig, ...args]);
      const refused = await files(both);
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(new RegExp(`staging\\s+secrets\\s+${ns}\\s+get denied\\s+`));
      expect(refused.out).toContain(`sync refused on staging: refused before anything was sent: you may not get secrets in namespace ${ns} on staging (and 2 more: create secrets, patch secrets); prune: you may not list configmaps in namespace ${ns} on staging`);
      // Nothing reached the cluster, not even the ConfigMap the user may create.
      expect((await kubeRequest(fleet, 'staging', 'GET', `/api/v1/namespaces/${ns}/configmaps/from-file`)).status).toBe(404);

      const check = await files(both, '--check', '-o', 'json');
      expect(check.code).toBe(1);
      const [access] = JSON.parse(check.out) as { cluster: string; sync: { denied: { verb: string; resource: string }[] }; prune: { result: string } }[];
      expect(access!.cluster).toBe('staging');
      expect(access!.sync.denied.map((d) => `${d.verb} ${d.resource}`)).toEqual(['get secrets', 'create secrets', 'patch secrets']);
      expect(access!.prune.result).toBe('denied');

      // Only the ConfigMap, without Prune: every permission is granted, and it is applied.
      const cm = path.join(dir.dir, 'cm.yaml');
      writeFileSync(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file\ndata:\n  a: "1"\n');
      expect((await files(cm, '--check', '--no-prune')).code).toBe(0);
      const applied = await files(cm, '--no-prune');
      expect(applied.err).toBe('');
      expect(applied.code).toBe(0);
      expect(applied.out).toMatch(new RegExp(`staging\\s+ConfigMap\\s+${ns}\\s+from-file\\s+0\\s+created`));
      expect((await kubeRequest(fleet, 'staging', 'GET', `/api/v1/namespaces/${ns}/configmaps/from-file`)).status).toBe(200);
    } finally {
      dir.cleanup();
    }
  });
});

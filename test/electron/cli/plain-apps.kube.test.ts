// Plain Applications (no ApplicationSet) against the run's real API servers: synced and compared like generated apps;
// one that its AppProject refuses is neither synced nor compared, as Argo CD refuses it, and the others go on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { createNamespace, freshNamespace, kubeRequest, useKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

let fleet: LocalFleetState;
let repo: { dir: string; cleanup: () => void };
let ns: string;

const REPO_URL = 'https://git.example.com/team/plain.git';
const kc = (): string[] => ['--kubeconfig', fleet.kubeconfig];

const application = (name: string, path: string, project: string, server: string): string =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: ${project}\n  source:\n    repoURL: ${REPO_URL}\n    targetRevision: HEAD\n    path: ${path}\n  destination:\n    server: ${server}\n    namespace: ${ns}\n`;

beforeAll(async () => {
  fleet = await useKubeFleet();
  ns = freshNamespace('plain-apps');
  const dev = fleet.clusters.find((c) => c.name === 'dev')!;
  repo = tempDir('flotilla-plain-');
  git(repo.dir, 'init', '-q', '-b', 'main');
  writeFiles(repo.dir, {
    'flotilla.yaml': `apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata: {name: t}\nspec:\n  repoURL: ${REPO_URL}\n  clusters:\n  - name: dev\n    context: ${dev.context}\n    server: ${dev.server}\n`,
    'argocd/settings.yaml': application('settings', 'settings', 'default', dev.server),
    'argocd/secrets.yaml': application('secrets', 'secrets', 'no-secrets', dev.server),
    'argocd/projects.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: no-secrets, namespace: argocd}\nspec:\n  sourceRepos: ['*']\n  destinations: [{server: '*', namespace: '*'}]\n  namespaceResourceBlacklist: [{group: '', kind: Secret}]\n`,
    'settings/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG: info\n',
    'secrets/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2-hunter2\n',
  });
  commitAll(repo.dir, 'plain applications');
  await createNamespace(fleet, 'dev', ns);
});

afterAll(() => repo.cleanup());

describe('plain Applications against real clusters', () => {
  it('syncs a plain Application from Git and then shows it Synced and Healthy', async () => {
    const s = await cli(['sync', 'settings', '--cluster', 'dev', '--repo', repo.dir, ...kc()]);
    expect(s.code).toBe(0);
    expect((await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/configmaps/settings`)).status).toBe(200);
    const d = await cli(['diff', 'settings', '--repo', repo.dir, ...kc()]);
    expect(d.code).toBe(0);
  });

  it('refuses to sync what the AppProject forbids, in Argo CD words, and changes nothing', async () => {
    const s = await cli(['sync', 'secrets', '--cluster', 'dev', '--repo', repo.dir, ...kc()]);
    expect(s.code).toBe(2);
    expect(s.err).toContain('refused, nothing synced: resource :Secret is not permitted in project no-secrets');
    expect((await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/secrets/db`)).status).toBe(404);
  });

  it('shows the refused app Unknown with the reason, and still compares the others', async () => {
    const s = await cli(['status', '--repo', repo.dir, ...kc(), '-o', 'json']);
    const rows = JSON.parse(s.out) as { app: string; sync: string; health: { status: string }; error?: string }[];
    expect(rows.map((r) => `${r.app} ${r.sync} ${r.health.status}`)).toEqual(['secrets Unknown Unknown', 'settings Synced Healthy']);
    expect(rows[0]!.error).toContain('refused: resource :Secret is not permitted in project no-secrets');
    expect(s.code).toBe(2);
  });
});

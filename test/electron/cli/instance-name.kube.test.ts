// An Application outside the control-plane namespace (Argo CD's apps in any namespace) on a real cluster: synced
// objects carry its instance name `<namespace>_<name>` in the tracking id, as Argo CD writes it, and diff/status
// recognise them as the app's own (shown as `<namespace>/<name>`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { createNamespace, freshNamespace, kubeRequest, useKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

let fleet: LocalFleetState;
let repo: { dir: string; cleanup: () => void };
let ns: string;
const REPO_URL = 'https://git.example.com/team/any-ns.git';
const kc = (): string[] => ['--kubeconfig', fleet.kubeconfig];

beforeAll(async () => {
  fleet = await useKubeFleet();
  ns = freshNamespace('any-ns');
  const dev = fleet.clusters.find((c) => c.name === 'dev')!;
  repo = tempDir('flotilla-any-ns-');
  git(repo.dir, 'init', '-q', '-b', 'main');
  writeFiles(repo.dir, {
    'flotilla.yaml': `apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata: {name: t}\nspec:\n  repoURL: ${REPO_URL}\n  clusters:\n  - name: dev\n    context: ${dev.context}\n    server: ${dev.server}\n`,
    'argocd/projects.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: teams, namespace: argocd}\nspec:\n  sourceNamespaces: [team-a]\n  sourceRepos: ['*']\n  destinations: [{server: '*', namespace: '*'}]\n`,
    'argocd/settings.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: settings, namespace: team-a}\nspec:\n  project: teams\n  source: {repoURL: '${REPO_URL}', targetRevision: HEAD, path: settings}\n  destination: {server: '${dev.server}', namespace: ${ns}}\n`,
    'settings/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG: info\n',
  });
  commitAll(repo.dir, 'an Application outside argocd');
  await createNamespace(fleet, 'dev', ns);
});

afterAll(() => repo.cleanup());

describe('an Application outside the control-plane namespace', () => {
  it('is tracked as <namespace>_<name> on the cluster and is in sync after its sync', async () => {
    const s = await cli(['sync', 'team-a/settings', '--cluster', 'dev', '--repo', repo.dir, ...kc()]);
    expect(s.err).toBe('');
    expect(s.code).toBe(0);
    const cm = await kubeRequest(fleet, 'dev', 'GET', `/api/v1/namespaces/${ns}/configmaps/settings`);
    const annotations = (cm.body['metadata'] as { annotations: Record<string, string> }).annotations;
    expect(annotations['argocd.argoproj.io/tracking-id']).toBe(`team-a_settings:/ConfigMap:${ns}/settings`);
    const d = await cli(['diff', 'team-a/settings', '--repo', repo.dir, ...kc()]);
    expect(d.code).toBe(0);
  });
});

// substituteFrom read from the connected cluster, as kustomize-controller reads it: the cluster's ConfigMap wins over
// the repository's declaration, a Secret only the cluster holds is used (and never printed), and one neither holds is
// a Problem naming the Kustomization's file and line. Without a cluster, the repository's declarations are used.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../electron/services/api-handlers';
import { Session } from '../../../electron/services/session';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { createNamespace, freshNamespace, kubeRequest, useKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

const id = `inp${randomBytes(3).toString('hex')}`;
let fleet: LocalFleetState;
let repo: { dir: string; cleanup: () => void };
let ns: string;

const kc = (): string[] => ['--kubeconfig', fleet.kubeconfig];

function kustomization(secretOptional: boolean): string {
  return [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', `  name: ${id}`, `  namespace: ${ns}`, 'spec:', '  interval: 10m', '  path: ./flux/app', '  prune: true',
    '  sourceRef: {kind: GitRepository, name: flux-system}', `  targetNamespace: ${ns}`, '  postBuild:', '    substituteFrom:', '    - kind: ConfigMap', '      name: vars', '    - kind: Secret', '      name: creds', `      optional: ${secretOptional}`, '',
  ].join('\n');
}

beforeAll(async () => {
  fleet = await useKubeFleet();
  ns = freshNamespace('inputs');
  await createNamespace(fleet, 'prod', ns);
  const prod = fleet.clusters.find((c) => c.name === 'prod')!;
  repo = tempDir('flotilla-flux-inputs-');
  git(repo.dir, 'init', '-q', '-b', 'main');
  writeFiles(repo.dir, {
    'flotilla.yaml': ['apiVersion: flotilla.dev/v1alpha1', 'kind: Fleet', 'metadata:', '  name: t', 'spec:', '  clusters:', '  - name: prod', `    context: ${prod.context}`, `    server: ${prod.server}`, ''].join('\n'),
    'clusters/prod/app.yaml': kustomization(false),
    'clusters/prod/vars.yaml': ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: vars', `  namespace: ${ns}`, 'data:', '  greeting: from-the-repository', '  token: none', ''].join('\n'),
    'flux/app/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: page\ndata:\n  GREETING: ${greeting}\n',
    'flux/app/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: page-token\nstringData:\n  TOKEN: ${token}\n',
  });
  commitAll(repo.dir, 'a Flux app reading a ConfigMap and a Secret');
  const cm = await kubeRequest(fleet, 'prod', 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vars' }, data: { greeting: 'from-the-cluster' } });
  expect(cm.status).toBe(201);
});

afterAll(() => repo?.cleanup());

describe("a Flux app's substituteFrom, read from the connected cluster", () => {
  it('is a Problem naming the file and line when the required Secret is held neither by the cluster nor the repository', async () => {
    const d = await cli(['diff', id, '--repo', repo.dir, ...kc()]);
    expect(d.code).toBe(2);
    expect(d.err).toMatch(new RegExp(`clusters/prod/app\\.yaml:1: .*Secret/creds.*not found.*\\(Flotilla read the ConfigMaps and Secrets from cluster prod, and the repository's declarations for those the cluster does not hold\\)`));
  });

  it("takes the cluster's ConfigMap over the repository's and a Secret only the cluster holds, masking it", async () => {
    const secret = await kubeRequest(fleet, 'prod', 'POST', `/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { token: 's3cr3t-t0ken-value' } });
    expect(secret.status).toBe(201);
    const d = await cli(['diff', id, '--repo', repo.dir, ...kc()]);
    expect(d.code, d.err).toBe(1);
    expect(d.out).toContain(`===== /ConfigMap ${ns}/page ======`);
    expect(d.out).toContain('+  GREETING: from-the-cluster\n');
    expect(d.out).toContain(`===== /Secret ${ns}/page-token ======`);
    expect(d.out).toMatch(/\+ {2}TOKEN: \++\n/);
    expect(d.out + d.err).not.toContain('s3cr3t-t0ken-value');
    expect(d.out + d.err).not.toContain(Buffer.from('s3cr3t-t0ken-value').toString('base64'));
    // Rendered without a cluster, the repository's declarations are what the app reads.
    const r = await cli(['render', '--app', id, '--repo', repo.dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Secret\/creds.*not found.*\(Flotilla reads the ConfigMaps and Secrets the repository declares for cluster prod\)/);
  });

  it('the app page and its tree render from the same inputs as the comparison, and say where they came from', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'flotilla-flux-inputs-data-'));
    const session = new Session({ repoPath: repo.dir, dataDir: data, kubeconfig: [fleet.kubeconfig] });
    try {
      const api = createApiHandlers(session);
      await api['fleet:refresh']({});
      const detail = await api['app:detail']({ app: id, cluster: 'prod' });
      expect(detail.renderProblems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(detail.rendered).toContain('GREETING: from-the-cluster');
      expect(detail.rendered).not.toContain('from-the-repository');
      expect(detail.rendered).not.toContain('s3cr3t-t0ken-value');
      expect(detail.sources?.[0]?.description).toContain(`ConfigMaps/Secrets it reads taken from cluster prod (ConfigMap/${ns}/vars, Secret/${ns}/creds)`);
      // The recorded comparison (the grid, the Diff tab) saw the same desired ConfigMap.
      const page = detail.status?.resources.find((r) => r.kind === 'ConfigMap' && r.name === 'page');
      expect(page).toMatchObject({ missing: true });
      const manifest = await api['app:manifest']({ app: id, cluster: 'prod', group: '', kind: 'ConfigMap', namespace: ns, name: 'page' });
      expect(JSON.stringify(manifest)).toContain('from-the-cluster');
    } finally {
      session.close();
      rmSync(data, { recursive: true, force: true });
    }
    // Without a cluster the render says its inputs are the repository's.
    const r = await cli(['render', '--app', id, '--repo', repo.dir]);
    expect(r.err).toContain("ConfigMaps/Secrets it reads taken from the repository's declarations for cluster prod (no cluster read)");
  });
});

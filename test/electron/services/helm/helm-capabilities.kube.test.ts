// Helm's `.Capabilities` as Argo CD fills them: the target cluster's own Kubernetes version and API groups when it can
// be reached (a CRD's group is there once the CRD is installed), else the fleet file's kubernetesVersion, else helm's
// defaults; an explicit helm.kubeVersion always wins. `render --app` says which on stderr.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHelm } from '../../../../electron/services/helm/helm-binary';
import { commitAll, git, tempDir, writeFiles } from '../../../helpers/git-fixtures';
import type { LocalFleetState } from '../../../helpers/kube-fleet';
import { kubeRequest, useKubeFleet } from '../../../helpers/kube-fleet';
import { cli } from '../../../helpers/run-cli';

const REPO_URL = 'https://git.example.com/team/caps.git';
// A group of this run only: no other test (or earlier run) can have installed it on prod.
const GROUP = `caps${randomBytes(3).toString('hex')}.flotilla.dev`;

const application = (name: string, server: string, helm = ''): string =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: ${REPO_URL}\n    targetRevision: HEAD\n    path: chart\n${helm}  destination:\n    server: ${server}\n    namespace: caps\n`;

const data = (yaml: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const m of yaml.matchAll(/^ {2}(\w+): "(.*)"$/gm)) out[m[1]!] = m[2]!;
  return out;
};

describe.skipIf(!findHelm())('Helm capabilities of the target cluster', () => {
  let fleet: LocalFleetState;
  let repo: { dir: string; cleanup: () => void };
  let version: string;
  const kc = (): string[] => ['--kubeconfig', fleet.kubeconfig];

  beforeAll(async () => {
    fleet = await useKubeFleet();
    const staging = fleet.clusters.find((c) => c.name === 'staging')!;
    const prod = fleet.clusters.find((c) => c.name === 'prod')!;
    version = String((await kubeRequest(fleet, 'staging', 'GET', '/version')).body['gitVersion']);
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${GROUP}` },
      spec: {
        group: GROUP, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    expect((await kubeRequest(fleet, 'staging', 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    // Discovery serves the group once the CRD is established.
    const served = async (): Promise<boolean> => JSON.stringify((await kubeRequest(fleet, 'staging', 'GET', '/apis')).body).includes(`"${GROUP}/v1"`);
    for (let i = 0; !(await served()); i++) {
      if (i > 100) throw new Error(`${GROUP}/v1 is not served 20 s after its CRD was created`);
      await new Promise((r) => setTimeout(r, 200));
    }
    repo = tempDir('flotilla-caps-');
    git(repo.dir, 'init', '-q', '-b', 'main');
    writeFiles(repo.dir, {
      'flotilla.yaml': [
        'apiVersion: flotilla.dev/v1alpha1', 'kind: Fleet', 'metadata: {name: caps}', 'spec:', `  repoURL: ${REPO_URL}`, '  clusters:',
        `  - {name: staging, context: ${staging.context}, server: '${staging.server}'}`,
        `  - {name: prod, context: ${prod.context}, server: '${prod.server}', kubernetesVersion: "1.30.2"}`,
        "  - {name: edge, context: no-such-context, server: 'https://edge.example.com:6443', kubernetesVersion: \"1.29.0\"}",
        "  - {name: far, context: no-such-context, server: 'https://far.example.com:6443'}",
        '',
      ].join('\n'),
      'chart/Chart.yaml': 'apiVersion: v2\nname: caps\nversion: 0.1.0\n',
      'chart/templates/cm.yaml': [
        'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: caps', 'data:',
        '  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}',
        `  hasGroup: {{ .Capabilities.APIVersions.Has "${GROUP}/v1" | quote }}`,
        `  hasKind: {{ .Capabilities.APIVersions.Has "${GROUP}/v1/Widget" | quote }}`,
        '  hasApps: {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" | quote }}',
        '',
      ].join('\n'),
      'apps/staging.yaml': application('caps-staging', staging.server),
      'apps/prod.yaml': application('caps-prod', prod.server),
      'apps/edge.yaml': application('caps-edge', 'https://edge.example.com:6443'),
      'apps/far.yaml': application('caps-far', 'https://far.example.com:6443'),
      'apps/pinned.yaml': application('caps-pinned', staging.server, '    helm:\n      kubeVersion: "1.27.1"\n'),
    });
    commitAll(repo.dir, 'a chart that reads its capabilities');
  });
  afterAll(() => repo?.cleanup());

  it("renders for the connected cluster's version and API groups, a CRD's group included", async () => {
    const r = await cli(['render', '--app', 'caps-staging', ...kc()], repo.dir);
    expect(r.code).toBe(0);
    expect(data(r.out)).toEqual({ kubeVersion: version, hasGroup: 'true', hasKind: 'true', hasApps: 'true' });
    expect(r.err).toMatch(new RegExp(`Kubernetes ${version.replace(/\./g, '\\.')} from cluster staging · \\d+ API versions from cluster staging`));
  });

  it('a cluster without the CRD has no such group; its own version wins over the fleet file', async () => {
    const r = await cli(['render', '--app', 'caps-prod', ...kc()], repo.dir);
    expect(r.code).toBe(0);
    expect(data(r.out)).toEqual({ kubeVersion: version, hasGroup: 'false', hasKind: 'false', hasApps: 'true' });
  });

  it("offline, the fleet file's kubernetesVersion (helm's default API versions); without one, helm's defaults, and says why", async () => {
    const edge = await cli(['render', '--app', 'caps-edge', ...kc()], repo.dir);
    expect(edge.code).toBe(0);
    expect(data(edge.out)).toMatchObject({ kubeVersion: 'v1.29.0', hasGroup: 'false' });
    expect(edge.err).toContain('Kubernetes v1.29.0 from the fleet file (cluster edge; cluster edge has no context no-such-context in the kubeconfig)');
    expect(edge.err).toContain("helm's default API versions");

    const far = await cli(['render', '--app', 'caps-far', ...kc()], repo.dir);
    expect(far.code).toBe(0);
    expect(data(far.out).kubeVersion).not.toBe(version);
    expect(far.err).toContain("helm's default Kubernetes version (cluster far has no context no-such-context in the kubeconfig)");

    const off = await cli(['render', '--app', 'caps-prod', '--offline', ...kc()], repo.dir);
    expect(off.code).toBe(0);
    expect(data(off.out)).toMatchObject({ kubeVersion: 'v1.30.2', hasGroup: 'false' });
    expect(off.err).toContain('Kubernetes v1.30.2 from the fleet file (cluster prod; offline (--offline))');
  });

  it("an explicit helm.kubeVersion wins over the cluster's; the API groups still come from the cluster", async () => {
    const r = await cli(['render', '--app', 'caps-pinned', ...kc()], repo.dir);
    expect(r.code).toBe(0);
    expect(data(r.out)).toEqual({ kubeVersion: 'v1.27.1', hasGroup: 'true', hasKind: 'true', hasApps: 'true' });
    expect(r.err).toContain('Kubernetes v1.27.1 from helm.kubeVersion');
  });
});

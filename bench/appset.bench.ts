// ApplicationSet generation at fleet scale: a clusters × git-directories matrix of 100 × 100 = 10,000 Applications,
// in goTemplate mode (text/template + Sprig) and in fasttemplate mode, inputs built in memory.
import type { AppSetCluster, AppSetContext } from '../shared/appset/engine';
import { generateApplicationSet } from '../shared/appset/engine';
import { MemoryFileTree } from '../shared/repo/file-tree';
import type { BenchResult } from './types';
import { median, sample, stats } from './types';

const REPO = 'https://git.example.com/bench/fleet.git';
const CLUSTERS = 100;
const DIRS = 100;
const ENVS = ['dev', 'staging', 'prod'] as const;

function context(): AppSetContext {
  const files: Record<string, string> = {};
  for (let d = 0; d < DIRS; d++) {
    const app = `app-${String(d).padStart(3, '0')}`;
    files[`apps/${app}/base/kustomization.yaml`] = 'resources: [deployment.yaml]\n';
    for (const env of ENVS) files[`apps/${app}/overlays/${env}/kustomization.yaml`] = 'resources: [../../base]\n';
  }
  const tree = new MemoryFileTree(files, 'bench');
  const clusters: AppSetCluster[] = [];
  for (let c = 0; c < CLUSTERS; c++) {
    const env = ENVS[c % ENVS.length]!;
    clusters.push({ name: `${env}-${String(c).padStart(3, '0')}`, server: `https://10.0.${c}.1:6443`, environment: env, labels: { region: c % 2 ? 'eu-west-1' : 'us-east-1' }, annotations: { owner: 'platform' } });
  }
  return { clusters, git: { treeAt: () => tree }, inCluster: false };
}

function appset(goTemplate: boolean): Record<string, unknown> {
  const p = goTemplate
    ? { name: '{{.path.basename}}-{{.name}}', path: '{{.path.path}}/overlays/{{index .metadata.labels "environment"}}', server: '{{.server}}', ns: '{{.path.basename}}', env: '{{index .metadata.labels "environment"}}' }
    : { name: '{{path.basename}}-{{name}}', path: '{{path}}/overlays/{{metadata.labels.environment}}', server: '{{server}}', ns: '{{path.basename}}', env: '{{metadata.labels.environment}}' };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'bench', namespace: 'argocd' },
    spec: {
      goTemplate,
      ...(goTemplate ? { goTemplateOptions: ['missingkey=error'] } : {}),
      generators: [{ matrix: { generators: [{ clusters: { selector: { matchLabels: { region: 'eu-west-1' } } } }, { git: { repoURL: REPO, revision: 'HEAD', directories: [{ path: 'apps/*' }] } }] } }, { matrix: { generators: [{ clusters: { selector: { matchLabels: { region: 'us-east-1' } } } }, { git: { repoURL: REPO, revision: 'HEAD', directories: [{ path: 'apps/*' }] } }] } }],
      template: {
        metadata: { name: p.name, labels: { 'app.kubernetes.io/name': p.ns, environment: p.env } },
        spec: {
          project: 'default',
          source: { repoURL: REPO, targetRevision: 'HEAD', path: p.path },
          destination: { server: p.server, namespace: p.ns },
          syncPolicy: { syncOptions: ['CreateNamespace=true'] },
        },
      },
    },
  };
}

/** Generates the 10,000-Application matrix in both template modes; reports the median and Applications per second. */
export async function run(): Promise<BenchResult[]> {
  const ctx = context();
  const out: BenchResult[] = [];
  for (const goTemplate of [true, false]) {
    const doc = appset(goTemplate);
    let apps = 0;
    let problems = 0;
    const samples = await sample(5, () => {
      const r = generateApplicationSet(doc, { file: 'appsets/bench.yaml', line: 1 }, ctx);
      apps = r.apps.length;
      problems = r.problems.length;
    });
    if (apps !== CLUSTERS * DIRS || problems !== 0) throw new Error(`expected ${CLUSTERS * DIRS} apps and no problems, got ${apps} apps and ${problems} problems`);
    const ms = median(samples);
    out.push({
      name: `appset matrix ${CLUSTERS} clusters × ${DIRS} dirs, ${goTemplate ? 'goTemplate' : 'fasttemplate'}`,
      ...stats(samples),
      extra: { apps, apps_per_s: Math.round((apps / ms) * 1000), runs: samples.length },
    });
  }
  return out;
}

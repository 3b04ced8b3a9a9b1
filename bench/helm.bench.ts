// Helm sources: 300 Helm-chart Applications rendered through the product path (renderApplication with the Node-side
// source tools) cold (empty caches: helm runs per app), warm in the same process (memory cache) and warm in a new
// process (disk cache under the data folder), against `helm template` run per app in the same run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FsFileTree } from '../electron/services/fs-file-tree';
import { findHelm } from '../electron/services/helm/helm-binary';
import { createSourceTools } from '../electron/services/sources/source-tools';
import { renderApplication } from '../shared/fleet/render-apps';
import type { Application } from '../shared/model/application';
import { writeFiles } from '../test/helpers/git-fixtures';
import type { BenchResult } from './types';
import { median } from './types';

const APPS = Number(process.env.HELM_BENCH_APPS ?? 300);

function chart(i: number): Record<string, string> {
  const name = `app-${String(i).padStart(3, '0')}`;
  const dir = `apps/${name}`;
  return {
    [`${dir}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: 0.1.${i}\n`,
    [`${dir}/values.yaml`]: `replicas: ${1 + (i % 3)}\nimage: registry.example.com/${name}:1.${i}\nport: 8080\nenv: {LOG_LEVEL: info, REGION: eu}\n`,
    [`${dir}/values-prod.yaml`]: 'replicas: 3\nenv: {LOG_LEVEL: warn}\n',
    [`${dir}/templates/_helpers.tpl`]: '{{- define "app.labels" -}}\napp.kubernetes.io/name: {{ .Chart.Name }}\napp.kubernetes.io/instance: {{ .Release.Name }}\nhelm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}\n{{- end -}}\n',
    [`${dir}/templates/deployment.yaml`]:
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n{{ include "app.labels" . | indent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n  selector:\n    matchLabels: {app.kubernetes.io/instance: {{ .Release.Name }}}\n  template:\n    metadata:\n      labels:\n{{ include "app.labels" . | indent 8 }}\n    spec:\n      containers:\n      - name: app\n        image: {{ .Values.image }}\n        ports: [{containerPort: {{ .Values.port }}}]\n        env:\n        {{- range $k, $v := .Values.env }}\n        - {name: {{ $k }}, value: {{ $v | quote }}}\n        {{- end }}\n',
    [`${dir}/templates/service.yaml`]: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n{{ include "app.labels" . | indent 4 }}\nspec:\n  selector: {app.kubernetes.io/instance: {{ .Release.Name }}}\n  ports: [{port: 80, targetPort: {{ .Values.port }}}]\n',
    [`${dir}/templates/configmap.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n{{ toYaml .Values.env | indent 2 }}\n',
  };
}

function application(i: number): Application {
  const name = `app-${String(i).padStart(3, '0')}`;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.com/fleet.git', targetRevision: 'HEAD', path: `apps/${name}`, helm: { valueFiles: ['values-prod.yaml'], parameters: [{ name: 'env.APP', value: '$ARGOCD_APP_NAME' }] } },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
    },
  };
}

/** Runs the Helm benchmark. */
export async function run(): Promise<BenchResult[]> {
  const helm = findHelm();
  if (!helm) throw new Error('helm is not installed (see README: Tests)');
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-helm-bench-'));
  try {
    const repo = path.join(dir, 'repo');
    const dataDir = path.join(dir, 'data');
    const apps: Application[] = [];
    for (let i = 1; i <= APPS; i++) {
      writeFiles(repo, chart(i));
      apps.push(application(i));
    }
    const tree = new FsFileTree(repo);
    const git = { treeAt: () => tree };

    const pass = (tools: ReturnType<typeof createSourceTools>): { perApp: number[]; total: number } => {
      const perApp: number[] = [];
      const t0 = performance.now();
      for (const app of apps) {
        const t = performance.now();
        const r = renderApplication(app, git, { clusters: [], loadRestrictor: 'rootOnly', tools });
        perApp.push(performance.now() - t);
        if (r.problems.length > 0 || r.objects.length !== 3) throw new Error(`${app.metadata.name}: ${r.problems.map((p) => p.message).join('; ') || `${r.objects.length} objects`}`);
      }
      return { perApp, total: performance.now() - t0 };
    };

    const tools = createSourceTools({ dataDir, helm, jsonnet: null });
    const stats = tools.helmTemplater!.stats;
    const cold = pass(tools);
    const coldRuns = stats.templates;
    const warm = [pass(tools), pass(tools), pass(tools)];
    const warmRuns = stats.templates - coldRuns;
    const next = createSourceTools({ dataDir, helm, jsonnet: null });
    const disk = pass(next);
    const diskRuns = next.helmTemplater!.stats.templates;
    if (warmRuns !== 0 || diskRuns !== 0) throw new Error(`a warm refresh ran helm ${warmRuns} times in process and ${diskRuns} times from disk`);

    // The same charts with `helm template` run per app, as a tool that does not cache would.
    const direct: number[] = [];
    const t0 = performance.now();
    for (const app of apps) {
      const t = performance.now();
      execFileSync(helm, ['template', '.', '--name-template', app.metadata.name, '--namespace', app.metadata.name, '--values', 'values-prod.yaml', '--set', `env.APP=${app.metadata.name}`, '--include-crds'], {
        cwd: path.join(repo, app.spec.source!.path!),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      direct.push(performance.now() - t);
    }
    const directTotal = performance.now() - t0;

    const warmTotal = median(warm.map((w) => w.total));
    const warmPerApp = median(warm.flatMap((w) => w.perApp));
    return [
      { name: `helm template per app, uncached (${APPS} apps)`, median_ms: median(direct), extra: { fleet_ms: Math.round(directTotal) } },
      { name: 'Flotilla cold (empty caches), per app', median_ms: median(cold.perApp), extra: { fleet_ms: Math.round(cold.total), helm_runs: coldRuns, vs_helm: `${(median(cold.perApp) / median(direct)).toFixed(2)}x` } },
      { name: 'Flotilla warm refresh (same process), per app', median_ms: warmPerApp, extra: { fleet_ms: Math.round(warmTotal), helm_runs: warmRuns, speedup_vs_helm: `${(median(direct) / warmPerApp).toFixed(0)}x` } },
      { name: 'Flotilla warm refresh (new process, disk cache), per app', median_ms: median(disk.perApp), extra: { fleet_ms: Math.round(disk.total), helm_runs: diskRuns, speedup_vs_helm: `${(median(direct) / median(disk.perApp)).toFixed(0)}x` } },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

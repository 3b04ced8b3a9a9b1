// Template rendering throughput: one realistic Application template rendered against 10,000 parameter sets,
// in fasttemplate mode, in plain goTemplate mode, and in goTemplate mode with Sprig-heavy expressions.
import { renderTemplateParams } from '../shared/appset/template';
import type { TemplateMode } from '../shared/appset/template';
import type { Params } from '../shared/model/params';
import type { BenchResult } from './types';
import { median, sample, stats } from './types';

const APPS = 10_000;
const RUNS = 7;
const ENVS = ['dev', 'staging', 'prod'] as const;

function application(fields: Record<'name' | 'env' | 'path' | 'server' | 'ns' | 'cluster' | 'rev' | 'region', string>, extra: Record<string, string> = {}): Record<string, unknown> {
  return {
    metadata: {
      name: fields.name,
      namespace: 'argocd',
      labels: { 'app.kubernetes.io/name': fields.ns, environment: fields.env, region: fields.region, ...extra },
      annotations: { 'notifications.argoproj.io/subscribe.on-sync-failed.slack': `team-${fields.ns}`, cluster: fields.cluster },
    },
    spec: {
      project: fields.env,
      source: {
        repoURL: 'https://git.example.com/platform/fleet.git',
        targetRevision: fields.rev,
        path: fields.path,
        kustomize: { commonLabels: { cluster: fields.cluster }, images: [`registry.example.com/${fields.ns}:${fields.rev}`] },
      },
      destination: { server: fields.server, namespace: fields.ns },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'] },
    },
  };
}

const FAST_TEMPLATE = application({
  name: '{{path.basename}}-{{name}}',
  env: '{{metadata.labels.environment}}',
  path: '{{path}}/overlays/{{metadata.labels.environment}}',
  server: '{{server}}',
  ns: '{{path.basename}}',
  cluster: '{{name}}',
  rev: '{{values.revision}}',
  region: '{{metadata.labels.region}}',
});

const GO_TEMPLATE = application({
  name: '{{.path.basename}}-{{.name}}',
  env: '{{index .metadata.labels "environment"}}',
  path: '{{.path.path}}/overlays/{{index .metadata.labels "environment"}}',
  server: '{{.server}}',
  ns: '{{.path.basename}}',
  cluster: '{{.name}}',
  rev: '{{.values.revision}}',
  region: '{{index .metadata.labels "region"}}',
});

const SPRIG_TEMPLATE = application(
  {
    name: '{{ printf "%s-%s" .path.basename .name | trunc 63 | trimSuffix "-" }}',
    env: '{{ index .metadata.labels "environment" | default "dev" }}',
    path: '{{ .path.path }}/overlays/{{ if eq (index .metadata.labels "environment") "prod" }}prod{{ else }}{{ index .metadata.labels "environment" }}{{ end }}',
    server: '{{ .server }}',
    ns: '{{ .path.basename | lower | replace "_" "-" }}',
    cluster: '{{ normalize .name }}',
    rev: '{{ .values.revision | default "main" | quote }}',
    region: '{{ index .metadata.labels "region" | upper }}',
  },
  { hash: '{{ sha256sum .name | trunc 8 }}', segments: '{{ join "." .path.segments }}' },
);

function paramSets(goTemplate: boolean): Params[] {
  const out: Params[] = [];
  for (let i = 0; i < APPS; i++) {
    const env = ENVS[i % ENVS.length]!;
    const cluster = `${env}-${String(i % 100).padStart(3, '0')}`;
    const app = `app-${String(Math.floor(i / 100)).padStart(3, '0')}`;
    const region = i % 2 ? 'eu-west-1' : 'us-east-1';
    if (goTemplate) {
      out.push({
        name: cluster,
        server: `https://10.0.${i % 100}.1:6443`,
        metadata: { labels: { environment: env, region }, annotations: { owner: 'platform' } },
        path: { path: `apps/${app}`, basename: app, basenameNormalized: app, segments: ['apps', app] },
        values: { revision: 'v1.2.3' },
      });
    } else {
      out.push({
        name: cluster,
        server: `https://10.0.${i % 100}.1:6443`,
        'metadata.labels.environment': env,
        'metadata.labels.region': region,
        path: `apps/${app}`,
        'path.basename': app,
        'path.basenameNormalized': app,
        'path[0]': 'apps',
        'path[1]': app,
        'values.revision': 'v1.2.3',
      });
    }
  }
  return out;
}

async function measure(name: string, template: unknown, mode: TemplateMode, params: readonly Params[]): Promise<BenchResult> {
  let rendered = 0;
  const samples = await sample(RUNS, () => {
    rendered = 0;
    for (const p of params) {
      if (renderTemplateParams(template, null, p, mode)) rendered++;
    }
  });
  if (rendered !== params.length) throw new Error(`${name}: rendered ${rendered} of ${params.length}`);
  const ms = median(samples);
  return { name, ...stats(samples), unit: `per ${params.length} apps`, extra: { apps_per_s: Math.round((params.length / ms) * 1000) } };
}

/** Renders 10,000 Applications per mode and reports the median time and apps per second. */
export async function run(): Promise<BenchResult[]> {
  const flat = paramSets(false);
  const nested = paramSets(true);
  return [
    await measure('render 10k apps: fasttemplate', FAST_TEMPLATE, { goTemplate: false }, flat),
    await measure('render 10k apps: goTemplate (fields, index)', GO_TEMPLATE, { goTemplate: true, goTemplateOptions: ['missingkey=error'] }, nested),
    await measure('render 10k apps: goTemplate + Sprig (printf, if, sha256sum)', SPRIG_TEMPLATE, { goTemplate: true }, nested),
  ];
}

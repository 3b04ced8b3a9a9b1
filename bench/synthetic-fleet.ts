import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppClusterRecord } from '../electron/store/types';
import type { AppClusterStatus, HealthStatus, SyncStatus } from '../shared/model/status';

/** Size of a synthetic fleet: N apps × M clusters per environment × the environments. */
export interface SyntheticFleetOptions {
  readonly apps: number;
  readonly clustersPerEnv: number;
  readonly environments?: readonly string[];
  /**
   * Pack the objects after the commit, as a clone holds them. A fresh commit leaves one loose file per object
   * (~170,000 at 10,000 apps), and listing a tree from loose objects costs git 5× what a user's cloned repository does.
   */
  readonly packed?: boolean;
  /**
   * The API server URL of each cluster, in the fleet file's order (every environment's clusters in turn), e.g. a
   * local fleet's: the generated Applications' destinations then point at real servers. Default: unroutable
   * `https://10.<env>.x.y:6443` addresses.
   */
  readonly servers?: readonly string[];
}

/** Default environments of a synthetic fleet. */
export const SYNTHETIC_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

const pad = (n: number, w = 3): string => String(n).padStart(w, '0');

/**
 * The files of a synthetic GitOps repository shaped like the bundled example: per app a base (Deployment, Service,
 * ConfigMap, HorizontalPodAutoscaler) and one overlay per environment that patches, sets images and replicas and
 * generates a ConfigMap; a fleet file with the clusters; a clusters × git-directories ApplicationSet; a pipeline.
 */
export function syntheticFleetFiles(opts: SyntheticFleetOptions): Record<string, string> {
  const envs = opts.environments ?? SYNTHETIC_ENVIRONMENTS;
  const files: Record<string, string> = {};
  const clusters: string[] = [];
  if (opts.servers && opts.servers.length !== envs.length * opts.clustersPerEnv) {
    throw new Error(`synthetic fleet: ${opts.servers.length} server(s) given for ${envs.length * opts.clustersPerEnv} cluster(s)`);
  }
  envs.forEach((env, e) => {
    for (let c = 1; c <= opts.clustersPerEnv; c++) {
      const name = `${env}-${pad(c, 2)}`;
      const server = opts.servers?.[clusters.length] ?? `https://10.${e}.${Math.floor(c / 250)}.${c % 250}:6443`;
      clusters.push(
        `    - name: ${name}\n      context: ${name}\n      server: ${server}\n      environment: ${env}\n      labels:\n        region: ${c % 2 ? 'eu-west-1' : 'us-east-1'}\n`,
      );
    }
  });
  files['flotilla.yaml'] = `apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata:\n  name: synthetic\nspec:\n  repoURL: https://git.example.com/synthetic/fleet.git\n  applicationSets:\n    - appsets/*.yaml\n  pipelines:\n    - pipeline.yaml\n  clusters:\n${clusters.join('')}`;
  files['appsets/apps.yaml'] = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: apps
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - matrix:
        generators:
          # Every fleet cluster (each has an environment); an empty selector would add Argo CD's in-cluster too.
          - clusters: {selector: {matchExpressions: [{key: environment, operator: Exists}]}}
          - git:
              repoURL: https://git.example.com/synthetic/fleet.git
              revision: HEAD
              directories:
                - path: apps/*
  template:
    metadata:
      name: '{{.path.basename}}-{{.name}}'
    spec:
      project: default
      source:
        repoURL: https://git.example.com/synthetic/fleet.git
        targetRevision: HEAD
        path: '{{.path.path}}/overlays/{{index .metadata.labels "environment"}}'
      destination:
        server: '{{.server}}'
        namespace: '{{.path.basename}}'
`;
  files['pipeline.yaml'] = `apiVersion: flotilla.dev/v1alpha1\nkind: Pipeline\nmetadata:\n  name: apps\nspec:\n  applicationSet: apps\n  overlayPath: apps/{{app}}/overlays/{{stage}}\n  promote:\n    images: true\n  stages:\n${envs.map((s, i) => `    - name: ${s}\n${i ? `      from: ${envs[i - 1]}\n` : ''}`).join('')}`;
  for (let a = 1; a <= opts.apps; a++) {
    const app = `app-${pad(a)}`;
    const image = `registry.example.com/team-${a % 7}/${app}`;
    const base = `apps/${app}/base`;
    files[`${base}/kustomization.yaml`] = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nlabels:\n  - pairs:\n      app: ${app}\n    includeSelectors: true\nresources:\n  - deployment.yaml\n  - service.yaml\n  - configmap.yaml\n  - hpa.yaml\n`;
    files[`${base}/deployment.yaml`] = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  annotations:
    team: team-${a % 7}
spec:
  replicas: 1
  selector:
    matchLabels:
      component: web
  template:
    metadata:
      labels:
        component: web
    spec:
      containers:
        - name: main
          image: ${image}:1.0.0
          ports:
            - containerPort: 8080
              name: http
          envFrom:
            - configMapRef:
                name: ${app}-settings
          env:
            - name: APP_NAME
              value: ${app}
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
        - name: sidecar
          image: registry.example.com/proxy:2.1.0
          args: ["--port=9000", "--upstream=http://localhost:8080"]
`;
    files[`${base}/service.yaml`] = `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\nspec:\n  selector:\n    component: web\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n`;
    files[`${base}/configmap.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}-settings\ndata:\n  FEATURE_FLAGS: "search,checkout"\n  TIMEOUT: "30s"\n`;
    files[`${base}/hpa.yaml`] = `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${app}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: ${app}\n  minReplicas: 1\n  maxReplicas: 5\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target:\n          type: Utilization\n          averageUtilization: 75\n`;
    envs.forEach((env, e) => {
      const dir = `apps/${app}/overlays/${env}`;
      files[`${dir}/kustomization.yaml`] = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${app}
namePrefix: ${env}-
resources:
  - ../../base
images:
  - name: ${image}
    newTag: 1.${a % 10}.${e}
replicas:
  - name: ${app}
    count: ${e + 1}
patches:
  - path: patch.yaml
  - target:
      kind: HorizontalPodAutoscaler
    patch: |-
      - op: replace
        path: /spec/maxReplicas
        value: ${5 * (e + 1)}
configMapGenerator:
  - name: ${app}-env
    literals:
      - ENVIRONMENT=${env}
      - LOG_LEVEL=${e === 0 ? 'debug' : 'info'}
`;
      files[`${dir}/patch.yaml`] = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
spec:
  template:
    spec:
      containers:
        - name: main
          envFrom:
            - configMapRef:
                name: ${app}-env
          resources:
            limits:
              memory: ${256 * (e + 1)}Mi
`;
    });
  }
  return files;
}

/** Writes a synthetic fleet into `dir` as a real git repository with one commit; returns the files written. */
export function writeSyntheticFleet(dir: string, opts: SyntheticFleetOptions): Record<string, string> {
  const files = syntheticFleetFiles(opts);
  for (const [p, content] of Object.entries(files)) {
    const abs = path.join(dir, p);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'gc.auto=0', '-c', 'user.name=Flotilla Bench', '-c', 'user.email=bench@flotilla.invalid', 'commit', '-q', '-m', 'Synthetic fleet');
  if (opts.packed) git('repack', '-a', '-d', '-q');
  return files;
}

/**
 * Recorded statuses for every app × cluster of a synthetic fleet (named as its ApplicationSet names them), a mix of
 * Synced and OutOfSync, Healthy, Progressing and Degraded, to fill a real store for UI tests and benchmarks.
 */
export function syntheticStatuses(opts: SyntheticFleetOptions, revision: string): AppClusterRecord[] {
  const envs = opts.environments ?? SYNTHETIC_ENVIRONMENTS;
  const out: AppClusterRecord[] = [];
  const syncs: SyncStatus[] = ['Synced', 'Synced', 'Synced', 'OutOfSync'];
  const healths: HealthStatus[] = ['Healthy', 'Healthy', 'Healthy', 'Progressing', 'Degraded'];
  for (let a = 1; a <= opts.apps; a++) {
    const app = `app-${pad(a)}`;
    envs.forEach((env, e) => {
      for (let c = 1; c <= opts.clustersPerEnv; c++) {
        const cluster = `${env}-${pad(c, 2)}`;
        const sync = syncs[(a + c + e) % syncs.length]!;
        const status: AppClusterStatus = {
          app: `${app}-${cluster}`,
          cluster,
          revision,
          version: `1.${a % 10}.${e}`,
          sync,
          health: { status: healths[(a * 7 + c) % healths.length]!, message: '' },
          resources: [{ group: 'apps', kind: 'Deployment', namespace: app, name: `${env}-${app}`, sync }],
          observedAt: new Date().toISOString(),
        };
        out.push({ status, environment: env });
      }
    });
  }
  return out;
}

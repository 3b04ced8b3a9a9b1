import { describe, expect, it } from 'vitest';
import type { AppRow, FleetOverview } from '../../../shared/api/contract';
import { appListing, overviewView } from '../../../shared/fleet/app-listing';
import type { Application } from '../../../shared/model/application';
import type { ClusterSpec } from '../../../shared/model/fleet';

const clusters: ClusterSpec[] = [
  { name: 'dev', server: 'https://dev.example:6443', environment: 'dev', labels: {}, annotations: {} },
  { name: 'prod', server: 'https://prod.example', environment: 'prod', labels: {}, annotations: {} },
];

const application = (spec: Partial<Application['spec']>): Application => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'web-dev', labels: { team: 'a' } },
  spec: { project: 'team-a', destination: { server: 'https://dev.example:6443/', namespace: 'web' }, source: { repoURL: 'https://git.example/fleet.git', path: 'apps/web/dev', targetRevision: 'HEAD', kustomize: { images: ['web:1.2.3'] } }, syncPolicy: { automated: {} }, ...spec },
});

const row = (spec: Partial<Application['spec']> = {}, extra: Partial<AppRow> = {}): AppRow => ({
  name: 'web-dev',
  appset: 'apps',
  origin: { kind: 'appset', appset: 'apps', file: 'appsets/apps.yaml', line: 3 },
  application: application(spec),
  explain: { generatorPath: ['list'], generatorIndex: 0, params: { env: 'dev' } },
  ...extra,
});

describe("an app's listing (what the UI's lists read of it)", () => {
  it('names the fleet cluster its destination server reaches, with its project, destination and first source, and nothing else of its Application or its generator', () => {
    expect(appListing(row(), clusters)).toEqual({
      name: 'web-dev',
      appset: 'apps',
      origin: { kind: 'appset', appset: 'apps', file: 'appsets/apps.yaml', line: 3 },
      cluster: 'dev',
      project: 'team-a',
      destination: { server: 'https://dev.example:6443/', namespace: 'web' },
      source: { path: 'apps/web/dev', targetRevision: 'HEAD' },
    });
  });

  it('reads the first of several sources, keeps a chart, and names a destination outside the fleet by its name', () => {
    const l = appListing(row({ source: undefined, sources: [{ repoURL: 'https://charts.example', chart: 'redis', targetRevision: '19.0.1' }, { repoURL: 'x', path: 'values' }], destination: { name: 'elsewhere', namespace: 'cache' } }), clusters);
    expect(l.source).toEqual({ chart: 'redis', targetRevision: '19.0.1' });
    expect(l.cluster).toBe('elsewhere');
    expect(l.destination).toEqual({ name: 'elsewhere', namespace: 'cache' });
  });

  it('has no cluster when its destination names none and no fleet cluster has its server, and keeps its problems', () => {
    const problems = [{ severity: 'error' as const, message: 'project team-a does not allow server https://other.example' }];
    const l = appListing(row({ destination: { server: 'https://other.example' } }, { problems }), clusters);
    expect('cluster' in l).toBe(false);
    expect(l.problems).toEqual(problems);
  });

  it('lists every app of the overview in order and leaves the rest of the overview as it was', () => {
    const overview: FleetOverview = {
      repo: { path: '/repo', head: { sha: 'a'.repeat(40), short: 'aaaaaaa' }, fleet: null },
      appsets: [{ name: 'apps', file: 'appsets/apps.yaml', line: 3, generators: ['list'], appNames: ['web-dev', 'web-prod'], problems: [] }],
      apps: [row(), row({ destination: { server: 'https://prod.example', namespace: 'web' } }, { name: 'web-prod' })],
      problems: [],
      environments: ['dev', 'prod'],
    };
    const view = overviewView(overview);
    expect(view.apps.map((a) => [a.name, a.cluster])).toEqual([['web-dev', undefined], ['web-prod', undefined]]);
    expect(overviewView({ ...overview, repo: { ...overview.repo, fleet: { name: 'f', clusters } as unknown as NonNullable<FleetOverview['repo']['fleet']> } }).apps.map((a) => a.cluster)).toEqual(['dev', 'prod']);
    const { apps: _a, ...rest } = view;
    const { apps: _b, ...before } = overview;
    expect(rest).toEqual(before);
    expect(JSON.stringify(view)).not.toContain('kustomize');
    expect(JSON.stringify(view)).not.toContain('generatorPath');
  });
});

import { describe, expect, it } from 'vitest';
import type { AppProjectSpec } from '../../../shared/fleet/app-project';
import {
  DEFAULT_PROJECT,
  isAppNamespacePermitted,
  isDestinationPermitted,
  isGroupKindPermitted,
  isSourcePermitted,
  normalizeGitURL,
  parseAppProject,
  projectIndex,
  projectRefusals,
  resourceRefusals,
} from '../../../shared/fleet/app-project';
import type { Application } from '../../../shared/model/application';

// Cases follow Argo CD's AppProject semantics (pkg/apis/application/v1alpha1: IsSourcePermitted, isDestinationMatched,
// IsGroupKindPermitted, IsAppNamespacePermitted) and its documented examples.

const project = (spec: Partial<AppProjectSpec>): AppProjectSpec => ({ ...DEFAULT_PROJECT, name: 'team', sourceRepos: [], destinations: [], clusterResourceWhitelist: [], ...spec });

const app = (spec: Partial<Application['spec']> = {}, meta: Partial<Application['metadata']> = {}): Application => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'guestbook', ...meta },
  spec: { project: 'team', source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', path: 'guestbook' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' }, ...spec },
});

describe('AppProject source repositories', () => {
  it('normalises git URLs as Argo CD does: case, .git suffix, scp-style and ssh:// alike', () => {
    expect(normalizeGitURL('https://GitHub.com/ArgoProj/Argo-CD.git')).toBe('https://github.com/argoproj/argo-cd');
    expect(normalizeGitURL('git@GITHUB.com:argoproj/test')).toBe(normalizeGitURL('ssh://git@github.com/argoproj/test.git'));
  });

  it('allows everything with *, an exact URL whatever its case or .git, and globs that stop at /', () => {
    expect(isSourcePermitted(project({ sourceRepos: ['*'] }), 'https://anything.example/x')).toBe(true);
    expect(isSourcePermitted(project({ sourceRepos: ['https://github.com/argoproj/argo-cd'] }), 'https://GITHUB.com/argoproj/argo-cd.git')).toBe(true);
    const p = project({ sourceRepos: ['https://github.com/argoproj/*'] });
    expect(isSourcePermitted(p, 'https://github.com/argoproj/argocd-example-apps.git')).toBe(true);
    expect(isSourcePermitted(p, 'https://github.com/argoproj/group/nested')).toBe(false);
    expect(isSourcePermitted(project({ sourceRepos: ['https://github.com/argoproj/**'] }), 'https://github.com/argoproj/group/nested')).toBe(true);
    expect(isSourcePermitted(p, 'https://github.com/other/repo')).toBe(false);
    expect(isSourcePermitted(project({ sourceRepos: [] }), 'https://github.com/argoproj/x')).toBe(false);
  });

  it('denies with a leading !, which wins over any allow; a list of denials alone allows the rest', () => {
    const p = project({ sourceRepos: ['*', '!https://github.com/argoproj/secret'] });
    expect(isSourcePermitted(p, 'https://github.com/argoproj/secret.git')).toBe(false);
    expect(isSourcePermitted(p, 'https://github.com/argoproj/public')).toBe(true);
    expect(isSourcePermitted(project({ sourceRepos: ['!https://github.com/argoproj/secret'] }), 'https://github.com/argoproj/public')).toBe(true);
  });
});

describe('AppProject destinations', () => {
  it('matches server or name, and namespace, with globs', () => {
    const p = project({ destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'kube-*' }, { name: 'prod-*', namespace: 'guestbook' }] });
    expect(isDestinationPermitted(p, { server: 'https://kubernetes.default.svc', namespace: 'kube-system' })).toBe(true);
    expect(isDestinationPermitted(p, { server: 'https://kubernetes.default.svc', namespace: 'default' })).toBe(false);
    expect(isDestinationPermitted(p, { name: 'prod-eu', namespace: 'guestbook' })).toBe(true);
    expect(isDestinationPermitted(p, { name: 'dev', namespace: 'guestbook' })).toBe(false);
  });

  it('denies a server or namespace with !, even when another entry allows it', () => {
    const p = project({ destinations: [{ server: '*', namespace: '*' }, { server: '!https://prod.example', namespace: '*' }, { server: '*', namespace: '!kube-system' }] });
    expect(isDestinationPermitted(p, { server: 'https://dev.example', namespace: 'guestbook' })).toBe(true);
    expect(isDestinationPermitted(p, { server: 'https://prod.example', namespace: 'guestbook' })).toBe(false);
    expect(isDestinationPermitted(p, { server: 'https://dev.example', namespace: 'kube-system' })).toBe(false);
  });
});

describe('AppProject resource kinds', () => {
  it('needs a whitelist entry for cluster-scoped kinds; namespaced kinds pass unless a whitelist is given; the blacklist wins', () => {
    const none = project({});
    expect(isGroupKindPermitted(none, { group: '', kind: 'Namespace' }, false)).toBe(false);
    expect(isGroupKindPermitted(none, { group: 'apps', kind: 'Deployment' }, true)).toBe(true);
    const listed = project({ clusterResourceWhitelist: [{ group: '*', kind: '*' }], clusterResourceBlacklist: [{ group: '', kind: 'Namespace' }], namespaceResourceWhitelist: [{ group: 'apps', kind: '*' }], namespaceResourceBlacklist: [{ group: 'apps', kind: 'DaemonSet' }] });
    expect(isGroupKindPermitted(listed, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }, false)).toBe(true);
    expect(isGroupKindPermitted(listed, { group: '', kind: 'Namespace' }, false)).toBe(false);
    expect(isGroupKindPermitted(listed, { group: 'apps', kind: 'Deployment' }, true)).toBe(true);
    expect(isGroupKindPermitted(listed, { group: 'apps', kind: 'DaemonSet' }, true)).toBe(false);
    expect(isGroupKindPermitted(listed, { group: '', kind: 'ConfigMap' }, true)).toBe(false);
    // An empty (not absent) namespaced whitelist allows nothing, as Argo CD's non-nil empty list.
    expect(isGroupKindPermitted(project({ namespaceResourceWhitelist: [] }), { group: '', kind: 'ConfigMap' }, true)).toBe(false);
  });

  it('reports each forbidden object in Argo CD words, and namespaces outside the destinations', () => {
    const p = project({ sourceRepos: ['*'], destinations: [{ server: '*', namespace: 'guestbook' }] });
    const objects = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere', namespace: 'kube-system' } },
    ];
    const found = resourceRefusals(app(), 'guestbook', p, objects);
    expect(found.map((x) => x.message)).toEqual(['resource rbac.authorization.k8s.io:ClusterRole is not permitted in project team', "namespace kube-system is not permitted in project 'team'"]);
    expect(found[0]).toMatchObject({ app: 'guestbook', resource: 'rbac.authorization.k8s.io/ClusterRole//reader' });
  });
});

describe('AppProject as a whole', () => {
  it('reads a committed AppProject and refuses an app the way Argo CD words it', () => {
    const doc = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team' }, spec: { sourceRepos: ['https://github.com/team/*'], destinations: [{ server: '*', namespace: 'team-*' }] } };
    const parsed = parseAppProject(doc, { file: 'projects/team.yaml', line: 1 });
    expect(parsed.problems).toEqual([]);
    const refusals = projectRefusals(app(), 'guestbook', projectIndex([parsed.project!]));
    expect(refusals.map((p) => p.message)).toEqual([
      "application repo https://github.com/argoproj/argocd-example-apps.git is not permitted in project 'team'",
      "application destination server 'https://kubernetes.default.svc' and namespace 'guestbook' do not match any of the allowed destinations in project 'team'",
    ]);
    expect(refusals[0]).toMatchObject({ severity: 'error', app: 'guestbook', file: 'projects/team.yaml', line: 1 });
  });

  it('lets the default project allow everything unless the repository declares it, and warns on an undeclared project', () => {
    expect(projectRefusals(app({ project: 'default' }), 'guestbook', projectIndex([]))).toEqual([]);
    expect(projectRefusals(app({ project: '' }), 'guestbook', projectIndex([]))).toEqual([]);
    const strict = parseAppProject({ metadata: { name: 'default' }, spec: { sourceRepos: ['https://github.com/only/*'], destinations: [{ server: '*', namespace: '*' }] } }, { file: 'p.yaml', line: 1 }).project!;
    expect(projectRefusals(app({ project: 'default' }), 'guestbook', projectIndex([strict])).map((p) => p.message)).toEqual(["application repo https://github.com/argoproj/argocd-example-apps.git is not permitted in project 'default'"]);
    const unknown = projectRefusals(app({ project: 'nope' }), 'guestbook', projectIndex([]));
    expect(unknown).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('application references project nope which does not exist') })]);
  });

  it('lets Applications outside the control-plane namespace use a project only through sourceNamespaces', () => {
    const p = project({ sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], sourceNamespaces: ['team-*'] });
    expect(isAppNamespacePermitted(p, 'argocd')).toBe(true);
    expect(isAppNamespacePermitted(p, undefined)).toBe(true);
    expect(isAppNamespacePermitted(p, 'team-a')).toBe(true);
    expect(isAppNamespacePermitted(p, 'other')).toBe(false);
    expect(projectRefusals(app({}, { namespace: 'other' }), 'other/guestbook', projectIndex([p])).map((x) => x.message)).toEqual(["application 'guestbook' in namespace 'other' is not permitted to use project 'team'"]);
  });

  it('names the file and line of a malformed AppProject', () => {
    const r = parseAppProject({ metadata: { name: 'x' }, spec: { sourceRepos: 'not-a-list', destinations: [{ server: '*' }, 'bad'] } }, { file: 'p.yaml', line: 7 });
    expect(r.problems.map((p) => `${p.file}:${p.line} ${p.message}`)).toEqual(['p.yaml:7 AppProject: spec.sourceRepos must be a list of strings (project x)', 'p.yaml:7 AppProject: spec.destinations[1] must be a mapping (project x)']);
  });
});

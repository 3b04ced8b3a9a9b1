import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppSetCluster, AppSetContext, GitReader } from '../../../shared/appset/engine';
import { clustersFromSecrets, generateApplicationSet, isDns1123Subdomain, toApplication } from '../../../shared/appset/engine';
import { FlotillaError } from '../../../shared/problem';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { parseYamlDocuments } from '../../../shared/yaml/documents';
import { repoRoot } from '../../helpers/paths';

const REPO = 'https://git.example.com/platform/fleet.git';

const fleetClusters: AppSetCluster[] = [
  { name: 'dev', server: 'https://127.0.0.1:16443', environment: 'dev', labels: { region: 'eu-west-1', tier: 'non-prod' }, annotations: {} },
  { name: 'staging', server: 'https://127.0.0.1:26443', environment: 'staging', labels: { region: 'eu-west-1', tier: 'non-prod' }, annotations: {} },
  { name: 'prod', server: 'https://127.0.0.1:36443', environment: 'prod', labels: { region: 'eu-west-1', tier: 'prod' }, annotations: {} },
];

/** A GitReader over in-memory repositories: `repos[url][revision]`; unknown ones fail as a real reader does. */
function gitReader(repos: Record<string, Record<string, MemoryFileTree>>): GitReader {
  return {
    treeAt(repoURL, revision) {
      const tree = repos[repoURL]?.[revision];
      if (!tree) throw new FlotillaError({ severity: 'error', message: `revision '${revision}' not found in ${repoURL}` });
      return tree;
    },
  };
}

function ctxWith(tree: MemoryFileTree, extra: Partial<AppSetContext> = {}): AppSetContext {
  return { clusters: fleetClusters, git: gitReader({ [REPO]: { HEAD: tree, main: tree } }), inCluster: false, ...extra };
}

function appsetDoc(yamlText: string): unknown {
  const parsed = parseYamlDocuments(yamlText, 'appsets/test.yaml');
  expect(parsed.problems).toEqual([]);
  return parsed.docs[0]!.value;
}

describe('generateApplicationSet', () => {
  it('generates the bundled example: every app under apps/ on every cluster, explained by matrix › clusters › git', () => {
    const file = 'examples/fleet/appsets/apps.yaml';
    const parsed = parseYamlDocuments(readFileSync(path.join(repoRoot, file), 'utf8'), file);
    const tree = new MemoryFileTree({
      'apps/api/base/kustomization.yaml': 'resources: []\n',
      'apps/frontend/base/kustomization.yaml': 'resources: []\n',
      'apps/worker/base/kustomization.yaml': 'resources: []\n',
      'platform/base/kustomization.yaml': 'resources: []\n',
    });
    const result = generateApplicationSet(parsed.docs[0]!.value, { file, line: parsed.docs[0]!.line }, ctxWith(tree));
    expect(result.problems).toEqual([]);
    expect(result.name).toBe('apps');
    expect(result.generators).toEqual(['matrix']);
    const names = result.apps.map((a) => a.application.metadata.name);
    expect(names).toEqual(['api-dev', 'frontend-dev', 'worker-dev', 'api-staging', 'frontend-staging', 'worker-staging', 'api-prod', 'frontend-prod', 'worker-prod']);
    const apiProd = result.apps.find((a) => a.application.metadata.name === 'api-prod')!;
    expect(apiProd.application.metadata.namespace).toBe('argocd');
    expect(apiProd.application.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'api', environment: 'prod' });
    expect(apiProd.application.spec.source).toEqual({ repoURL: REPO, targetRevision: 'HEAD', path: 'apps/api/overlays/prod' });
    expect(apiProd.application.spec.destination).toEqual({ server: 'https://127.0.0.1:36443', namespace: 'api' });
    expect(apiProd.application.spec.project).toBe('default');
    expect(apiProd.explain.generatorPath).toEqual(['matrix', 'clusters', 'git']);
    expect(apiProd.explain.generatorIndex).toBe(0);
    expect(apiProd.explain.params['name']).toBe('prod');
    expect(apiProd.explain.params['path']).toEqual({ path: 'apps/api', basename: 'api', basenameNormalized: 'api', segments: ['apps', 'api'] });
  });

  it('keeps every other element when one renders an invalid name, and names the ApplicationSet, file and element', () => {
    const doc = appsetDoc(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  generators:
    - list:
        elements:
          - cluster: dev
          - cluster: Bad_Name
          - cluster: prod
  template:
    metadata:
      name: 'guestbook-{{cluster}}'
    spec:
      project: default
      source: { repoURL: '${REPO}', path: guestbook, targetRevision: HEAD }
      destination: { name: '{{cluster}}', namespace: guestbook }
`);
    const result = generateApplicationSet(doc, { file: 'appsets/guestbook.yaml', line: 1 }, ctxWith(new MemoryFileTree()));
    expect(result.apps.map((a) => a.application.metadata.name)).toEqual(['guestbook-dev', 'guestbook-prod']);
    expect(result.apps[0]!.application.spec.destination).toEqual({ name: 'dev', namespace: 'guestbook' });
    expect(result.apps[0]!.explain.generatorPath).toEqual(['list']);
    expect(result.problems).toHaveLength(1);
    const p = result.problems[0]!;
    expect(p).toMatchObject({ severity: 'error', file: 'appsets/guestbook.yaml', line: 1, appset: 'guestbook' });
    expect(p.message).toContain("invalid Application name 'guestbook-Bad_Name'");
    expect(p.message).toContain('cluster="Bad_Name"');
  });

  it('reports a missing key under missingkey=error for that element only', () => {
    const doc = appsetDoc(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: strict }
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list:
        elements:
          - { app: a, env: dev }
          - { app: b }
  template:
    metadata: { name: '{{.app}}-{{.env}}' }
    spec:
      project: default
      source: { repoURL: '${REPO}', path: '{{.app}}' }
      destination: { server: https://kubernetes.default.svc, namespace: '{{.app}}' }
`);
    const result = generateApplicationSet(doc, { file: 'appsets/strict.yaml', line: 1 }, ctxWith(new MemoryFileTree()));
    expect(result.apps.map((a) => a.application.metadata.name)).toEqual(['a-dev']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toContain('app="b"');
    expect(result.problems[0]!.message).toMatch(/env/);
  });

  it('refuses duplicate Application names, naming both parameter sets, and keeps the first', () => {
    const doc = appsetDoc(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: dupes }
spec:
  generators:
    - list: { elements: [ { app: web, env: dev }, { app: web, env: prod } ] }
  template:
    metadata: { name: '{{app}}' }
    spec: { project: default, source: { repoURL: '${REPO}', path: '{{env}}' }, destination: { name: '{{env}}', namespace: web } }
`);
    const result = generateApplicationSet(doc, { file: 'appsets/dupes.yaml', line: 1 }, ctxWith(new MemoryFileTree()));
    expect(result.apps.map((a) => a.application.spec.source?.path)).toEqual(['dev']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toContain('duplicate name: web');
    expect(result.problems[0]!.message).toContain('env="dev"');
    expect(result.problems[0]!.message).toContain('env="prod"');
    expect(result.problems[0]!.app).toBe('web');
  });

  it('reports generators that cannot run locally and still generates the others', () => {
    const doc = appsetDoc(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: mixed }
spec:
  generators:
    - scmProvider: { github: { organization: myorg } }
    - pullRequest: { github: { owner: myorg, repo: app } }
    - list: { elements: [ { cluster: dev } ] }
    - unknownThing: {}
  template:
    metadata: { name: 'app-{{cluster}}' }
    spec: { project: default, source: { repoURL: '${REPO}', path: app }, destination: { name: '{{cluster}}', namespace: app } }
`);
    const result = generateApplicationSet(doc, { file: 'appsets/mixed.yaml', line: 3 }, ctxWith(new MemoryFileTree()));
    expect(result.generators).toEqual(['scmProvider', 'pullRequest', 'list', 'unknownThing']);
    expect(result.apps.map((a) => a.application.metadata.name)).toEqual(['app-dev']);
    const messages = result.problems.map((p) => p.message);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toContain('generator scmProvider cannot run locally');
    expect(messages[1]).toContain('generator pullRequest cannot run locally');
    expect(messages[2]).toContain("unknown generator 'unknownThing'");
    expect(result.problems.every((p) => p.appset === 'mixed' && p.file === 'appsets/mixed.yaml' && p.line === 3)).toBe(true);
  });

  it('reads git at the generator revision, and reports a revision that does not exist', () => {
    const main = new MemoryFileTree({ 'apps/a/kustomization.yaml': '' }, 'c0ffee');
    const release = new MemoryFileTree({ 'apps/a/kustomization.yaml': '', 'apps/b/kustomization.yaml': '' }, 'beef');
    const ctx: AppSetContext = { clusters: [], git: gitReader({ [REPO]: { main, 'release-1': release } }), inCluster: false };
    const make = (rev: string): unknown =>
      appsetDoc(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: dirs-${rev} }
spec:
  generators:
    - git: { repoURL: '${REPO}', revision: ${rev}, directories: [ { path: 'apps/*' } ] }
  template:
    metadata: { name: '{{path.basename}}' }
    spec: { project: default, source: { repoURL: '${REPO}', path: '{{path}}', targetRevision: ${rev} }, destination: { name: in-cluster, namespace: '{{path.basename}}' } }
`);
    expect(generateApplicationSet(make('release-1'), { file: 'a.yaml', line: 1 }, ctx).apps.map((a) => a.application.metadata.name)).toEqual(['a', 'b']);
    expect(generateApplicationSet(make('main'), { file: 'a.yaml', line: 1 }, ctx).apps.map((a) => a.application.metadata.name)).toEqual(['a']);
    const missing = generateApplicationSet(make('nope'), { file: 'a.yaml', line: 1 }, ctx);
    expect(missing.apps).toEqual([]);
    expect(missing.problems).toHaveLength(1);
    expect(missing.problems[0]!.message).toContain("revision 'nope' not found");
  });

  it('warns when a git glob matches nothing', () => {
    const doc = appsetDoc(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: globs }
spec:
  generators:
    - git: { repoURL: '${REPO}', revision: HEAD, directories: [ { path: 'apps/*' }, { path: 'charts/*' } ] }
  template:
    metadata: { name: '{{path.basename}}' }
    spec: { project: default, source: { repoURL: '${REPO}', path: '{{path}}' }, destination: { name: in-cluster, namespace: default } }
`);
    const result = generateApplicationSet(doc, { file: 'g.yaml', line: 1 }, ctxWith(new MemoryFileTree({ 'apps/x/k.yaml': '' })));
    expect(result.apps.map((a) => a.application.metadata.name)).toEqual(['x']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.severity).toBe('warning');
    expect(result.problems[0]!.message).toContain("'charts/*' matches no folder");
  });

  it('keeps the other files of a git files generator when one does not parse', () => {
    const tree = new MemoryFileTree({
      'clusters/dev/config.json': '{"cluster": {"name": "dev", "address": "https://dev"}}',
      'clusters/broken/config.json': '{"cluster": ',
      'clusters/prod/config.json': '{"cluster": {"name": "prod", "address": "https://prod"}}',
    });
    const doc = appsetDoc(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: files }
spec:
  generators:
    - git: { repoURL: '${REPO}', revision: HEAD, files: [ { path: 'clusters/**/config.json' } ] }
  template:
    metadata: { name: 'guestbook-{{cluster.name}}' }
    spec: { project: default, source: { repoURL: '${REPO}', path: guestbook }, destination: { server: '{{cluster.address}}', namespace: guestbook } }
`);
    const result = generateApplicationSet(doc, { file: 'f.yaml', line: 1 }, ctxWith(tree));
    expect(result.apps.map((a) => [a.application.metadata.name, a.application.spec.destination.server])).toEqual([
      ['guestbook-dev', 'https://dev'],
      ['guestbook-prod', 'https://prod'],
    ]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toContain("unable to process file 'clusters/broken/config.json'");
    expect(result.problems[0]!.message).toContain('file clusters/broken/config.json');
  });

  it('refuses a matrix without exactly two children', () => {
    const doc = appsetDoc(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: m3 }
spec:
  generators:
    - matrix: { generators: [ { list: { elements: [ { a: '1' } ] } }, { list: { elements: [ { b: '1' } ] } }, { list: { elements: [ { c: '1' } ] } } ] }
    - list: { elements: [ { a: 'x', b: 'y' } ] }
  template:
    metadata: { name: 'app-{{a}}-{{b}}' }
    spec: { project: default, source: { repoURL: '${REPO}', path: app }, destination: { name: in-cluster, namespace: app } }
`);
    const result = generateApplicationSet(doc, { file: 'm.yaml', line: 1 }, ctxWith(new MemoryFileTree()));
    expect(result.apps.map((a) => a.application.metadata.name)).toEqual(['app-x-y']);
    expect(result.problems.map((p) => p.message)).toEqual(['generators[0] (matrix): found more than two generators, Matrix support only two']);
  });

  it('applies the post-selector, a generator template override, merge and templatePatch', () => {
    const doc = appsetDoc(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: combined, namespace: argocd }
spec:
  goTemplate: true
  generators:
    - merge:
        mergeKeys: [name]
        generators:
          - clusters: { selector: { matchLabels: { tier: non-prod } } }
          - list: { elements: [ { name: staging, replicas: 3 } ] }
      selector:
        matchExpressions: [ { key: name, operator: NotIn, values: [dev] } ]
    - list:
        elements: [ { name: prod, server: 'https://127.0.0.1:36443' } ]
        template:
          metadata: { name: 'special-{{.name}}' }
          spec: { project: restricted }
  template:
    metadata: { name: 'web-{{.name}}', labels: { team: web } }
    spec:
      project: default
      source: { repoURL: '${REPO}', path: web }
      destination: { server: '{{.server}}', namespace: web }
  templatePatch: |
    {{- if .replicas }}
    spec:
      source:
        helm:
          parameters:
            - name: replicas
              value: "{{ .replicas }}"
    {{- end }}
`);
    const result = generateApplicationSet(doc, { file: 'c.yaml', line: 1 }, ctxWith(new MemoryFileTree()));
    expect(result.problems).toEqual([]);
    expect(result.apps.map((a) => a.application.metadata.name)).toEqual(['web-staging', 'special-prod']);
    const staging = result.apps[0]!.application;
    expect(staging.spec.source).toEqual({ repoURL: REPO, path: 'web', helm: { parameters: [{ name: 'replicas', value: '3' }] } });
    expect(staging.spec.destination.server).toBe('https://127.0.0.1:26443');
    expect(result.apps[0]!.explain.generatorPath).toEqual(['merge', 'clusters', 'list']);
    expect(result.apps[0]!.explain.params).toMatchObject({ name: 'staging', replicas: 3, server: 'https://127.0.0.1:26443' });
    expect(result.apps[1]!.explain.generatorPath).toEqual(['list']);
    const prod = result.apps[1]!.application;
    expect(prod.spec.project).toBe('restricted');
    expect(prod.metadata.labels).toEqual({ team: 'web' });
    expect(prod.spec.source).toEqual({ repoURL: REPO, path: 'web' });
    expect(prod.metadata.namespace).toBe('argocd');
  });

  it('runs clusterDecisionResource through an injected source, and reports it when none is given', () => {
    const doc = appsetDoc(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: placed }
spec:
  generators:
    - clusterDecisionResource:
        configMapRef: ocm-placement
        name: web-placement
        values: { tier: gold }
  template:
    metadata: { name: 'web-{{name}}-{{values.tier}}' }
    spec: { project: default, source: { repoURL: '${REPO}', path: web }, destination: { server: '{{server}}', namespace: web } }
`);
    const clusterDecisions = {
      configMap: (name: string) => (name === 'ocm-placement' ? { apiVersion: 'cluster.open-cluster-management.io/v1beta1', kind: 'placementdecisions', statusListKey: 'decisions', matchKey: 'clusterName' } : undefined),
      list: (apiVersion: string, resource: string) =>
        apiVersion === 'cluster.open-cluster-management.io/v1beta1' && resource === 'placementdecisions'
          ? [{ apiVersion, kind: 'PlacementDecision', metadata: { name: 'web-placement' }, status: { decisions: [{ clusterName: 'staging', reason: 'fits' }, { clusterName: 'unknown' }] } }]
          : [],
    };
    const result = generateApplicationSet(doc, { file: 'p.yaml', line: 1 }, ctxWith(new MemoryFileTree(), { clusterDecisions }));
    expect(result.problems).toEqual([]);
    expect(result.apps.map((a) => [a.application.metadata.name, a.application.spec.destination.server])).toEqual([['web-staging-gold', 'https://127.0.0.1:26443']]);
    expect(result.apps[0]!.explain.params).toEqual({ name: 'staging', server: 'https://127.0.0.1:26443', clusterName: 'staging', reason: 'fits', 'values.tier': 'gold' });
    const without = generateApplicationSet(doc, { file: 'p.yaml', line: 1 }, ctxWith(new MemoryFileTree()));
    expect(without.apps).toEqual([]);
    expect(without.problems.map((p) => p.message)).toEqual([expect.stringContaining('generator clusterDecisionResource cannot run locally')]);
    // In the user's terms: what is missing and what it means, never an internal API to "provide".
    expect(without.problems[0]!.message).toContain('the clusterDecisionResource generator needs a live cluster');
    expect(without.problems[0]!.message).toContain('not evaluated offline');
    expect(without.problems[0]!.message).not.toMatch(/AppSetContext|provide /);
  });

  it('refuses a matrix nested more than one level', () => {
    const doc = appsetDoc(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: deep }
spec:
  generators:
    - matrix:
        generators:
          - list: { elements: [ { a: '1' } ] }
          - matrix:
              generators:
                - list: { elements: [ { b: '1' } ] }
                - matrix: { generators: [ { list: { elements: [ { c: '1' } ] } }, { list: { elements: [ { d: '1' } ] } } ] }
  template:
    metadata: { name: 'app-{{a}}' }
    spec: { project: default, source: { repoURL: '${REPO}', path: app }, destination: { name: in-cluster, namespace: app } }
`);
    const result = generateApplicationSet(doc, { file: 'd.yaml', line: 1 }, ctxWith(new MemoryFileTree()));
    expect(result.apps).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toContain('matrix and merge nest one level only');
  });

  it('reports a document that is not an ApplicationSet instead of throwing', () => {
    const result = generateApplicationSet({ kind: 'Deployment' }, { file: 'x.yaml', line: 4 }, ctxWith(new MemoryFileTree()));
    expect(result.apps).toEqual([]);
    expect(result.problems).toEqual([expect.objectContaining({ file: 'x.yaml', line: 4, message: expect.stringContaining('not an ApplicationSet') })]);
    expect(generateApplicationSet(null, { file: 'x.yaml', line: 1 }, ctxWith(new MemoryFileTree())).problems).toHaveLength(1);
  });
});

describe('clustersFromSecrets', () => {
  it('reads Argo CD cluster Secrets (data or stringData) and never copies the connection config', () => {
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const parsed = parseYamlDocuments(
      `apiVersion: v1
kind: Secret
metadata:
  name: prod-west
  namespace: argocd
  labels: { argocd.argoproj.io/secret-type: cluster, environment: prod }
  annotations: { team: sre }
type: Opaque
data:
  name: ${b64('prod-west')}
  server: ${b64('https://prod-west.example.com')}
  project: ${b64('platform')}
  config: ${b64('{"bearerToken":"s3cr3t"}')}
---
apiVersion: v1
kind: Secret
metadata:
  name: dev
  labels: { argocd.argoproj.io/secret-type: cluster }
stringData:
  name: dev
  server: https://dev.example.com
  config: '{"bearerToken":"another"}'
---
apiVersion: v1
kind: Secret
metadata:
  name: repo-creds
  labels: { argocd.argoproj.io/secret-type: repository }
stringData: { url: https://git.example.com }
`,
      'clusters/secrets.yaml',
    );
    const clusters = clustersFromSecrets(parsed.docs.map((d) => ({ value: d.value, file: 'clusters/secrets.yaml', line: d.line })));
    expect(clusters).toEqual([
      {
        name: 'prod-west',
        server: 'https://prod-west.example.com',
        project: 'platform',
        labels: { 'argocd.argoproj.io/secret-type': 'cluster', environment: 'prod' },
        annotations: { team: 'sre' },
        source: { file: 'clusters/secrets.yaml', line: 1 },
      },
      { name: 'dev', server: 'https://dev.example.com', labels: { 'argocd.argoproj.io/secret-type': 'cluster' }, annotations: {}, source: { file: 'clusters/secrets.yaml', line: 15 } },
    ]);
    expect(JSON.stringify(clusters)).not.toContain('s3cr3t');
    expect(JSON.stringify(clusters)).not.toContain('another');
  });
});

describe('ApplicationSet problems point at the node at fault, in a few words', () => {
  const keys = Array.from({ length: 30 }, (_, i) => `        key${i}: ${'v'.repeat(20)}${i}`).join('\n');
  const text = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: wide
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list:
        elements:
          - name: dev
${keys.replace(/^ {8}/gm, '            ')}
    - {}
  template:
    metadata:
      name: 'wide-{{.name}}-{{.nothere}}'
    spec:
      project: default
      source: { repoURL: '${REPO}', path: guestbook, targetRevision: HEAD }
      destination: { name: '{{.name}}', namespace: guestbook }
`;

  it('names the generator and the failing template field by line and column, and never dumps every parameter', () => {
    const [doc] = parseYamlDocuments(text, 'appsets/wide.yaml').docs;
    const result = generateApplicationSet(doc!.value, { file: 'appsets/wide.yaml', line: doc!.line, at: doc!.at }, ctxWith(new MemoryFileTree()));
    const byMessage = (s: string) => result.problems.find((p) => p.message.includes(s))!;
    const empty = byMessage('generators[1] sets no generator');
    expect([empty.line, empty.column]).toEqual([42, 7]);
    // The template field whose string failed (metadata.name), not the template as a whole.
    const template = byMessage('map has no entry for key "nothere"');
    expect([template.line, template.column]).toEqual([45, 7]);
    expect(template.message).toMatch(/— for params name="dev", key0="v+0", key1="v+1" \(\+28 more\)$/);
    expect(template.message.length).toBeLessThan(300);
  });
});

describe('isDns1123Subdomain', () => {
  const REGEX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  const reference = (name: string): boolean => name.length > 0 && name.length <= 253 && REGEX.test(name);

  it('accepts what the DNS-1123 subdomain regex accepts, and nothing else', () => {
    const table = ['', 'a', '0', 'app-1-dev-01', 'a.b', 'a.b-c.d', '-a', 'a-', '.a', 'a.', 'a..b', 'a.-b', 'a-.b', 'A', 'a_b', 'a b', 'é', 'a\n', 'x'.repeat(253), 'x'.repeat(254), `${'a.'.repeat(126)}a`];
    for (const name of table) expect(isDns1123Subdomain(name), JSON.stringify(name)).toBe(reference(name));
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed >>> 16) % n;
    };
    const chars = 'ab09-.-.Z_ ';
    for (let i = 0; i < 5000; i++) {
      let name = '';
      for (let n = rand(8); n > 0; n--) name += chars[rand(chars.length)];
      expect(isDns1123Subdomain(name), JSON.stringify(name)).toBe(reference(name));
    }
  });
});

describe('toApplication', () => {
  const rendered = (): Record<string, unknown> => ({
    metadata: { name: 'app', labels: { a: 'x', n: 3 }, finalizers: ['f', 4] },
    spec: { source: { path: 'p' }, destination: { server: 's' }, project: 7, syncPolicy: {} },
  });

  it('copies a committed document and uses an owned render in place, with the same result', () => {
    const doc = rendered();
    const before = structuredClone(doc);
    const copied = toApplication(doc, 'argocd');
    expect(doc).toEqual(before);
    const owned = rendered();
    const inPlace = toApplication(owned, 'argocd', true);
    expect(JSON.stringify(inPlace)).toBe(JSON.stringify(copied));
    expect(inPlace.spec).toBe(owned['spec']);
    expect(JSON.stringify(copied)).toBe(
      '{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"app","namespace":"argocd","labels":{"a":"x","n":"3"},"finalizers":["f"]},"spec":{"source":{"path":"p"},"destination":{"server":"s"},"project":"","syncPolicy":{}}}',
    );
  });
});

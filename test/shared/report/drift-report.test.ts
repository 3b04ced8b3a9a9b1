import { describe, expect, it } from 'vitest';
import type { DriftReportEntryInput, DriftReportInput } from '../../../shared/report/index';
import { buildDriftReport, coverageLine, coverageOf, formatAge, hasDrift, renderDriftReport, renderDriftReportHtml, renderDriftReportJunit, renderDriftReportMarkdown, reportCoverage } from '../../../shared/report/index';

function entry(app: string, cluster: string, environment: string | undefined, drifted: DriftReportEntryInput['drifted'] = [], extra: Partial<DriftReportEntryInput> = {}): DriftReportEntryInput {
  return {
    app,
    cluster,
    ...(environment ? { environment } : {}),
    revision: '0123456789abcdef0123',
    sync: drifted.length ? 'OutOfSync' : 'Synced',
    health: { status: 'Healthy', message: '' },
    observedAt: '2026-11-23T10:00:00.000Z',
    resourceCount: 10,
    drifted,
    ...(drifted.length ? { driftSince: '2026-11-23T09:00:00.000Z' } : {}),
    ...extra,
  };
}

const replicas = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'web',
  sync: 'OutOfSync' as const,
  health: { status: 'Progressing' as const, message: 'Waiting for rollout' },
  changedPaths: ['/spec/replicas'],
  diff: '--- desired\n+++ live\n-  replicas: 3\n+  replicas: 5\n',
  driftSince: '2026-11-23T09:00:00.000Z',
};

const input: DriftReportInput = {
  generatedAt: '2026-11-23T12:00:00.000Z',
  snapshot: { id: 7, takenAt: '2026-11-23T10:00:00.000Z' },
  source: 'offline',
  entries: [
    entry('web', 'prod-eu', 'prod', [replicas, { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'web-config', sync: 'OutOfSync', missing: true, changedPaths: [''] }]),
    entry('api', 'prod-eu', 'prod'),
    entry('web', 'dev-1', 'dev'),
    entry('api', 'edge-1', undefined, [], { sync: 'Unknown', health: { status: 'Unknown', message: '' }, error: 'cluster edge-1 unreachable' }),
  ],
};

describe('buildDriftReport', () => {
  const report = buildDriftReport(input);

  it('is schema version 1 and sorts app × clusters by environment, cluster and app', () => {
    expect(report.schemaVersion).toBe(1);
    expect(report.entries.map((e) => `${e.environment ?? '-'}/${e.cluster}/${e.app}`)).toEqual(['-/edge-1/api', 'dev/dev-1/web', 'prod/prod-eu/api', 'prod/prod-eu/web']);
  });

  it('summarises by environment, cluster and app', () => {
    expect(report.summary).toMatchObject({ appClusters: 4, drifted: 1, unknown: 1, driftedResources: 2 });
    expect(report.summary.byEnvironment).toEqual([
      { name: '(none)', appClusters: 1, drifted: 0, unknown: 1, driftedResources: 0 },
      { name: 'dev', appClusters: 1, drifted: 0, unknown: 0, driftedResources: 0 },
      { name: 'prod', appClusters: 2, drifted: 1, unknown: 0, driftedResources: 2 },
    ]);
    expect(report.summary.byCluster.map((g) => [g.name, g.drifted])).toEqual([['dev-1', 0], ['edge-1', 0], ['prod-eu', 1]]);
    expect(report.summary.byApp.map((g) => [g.name, g.appClusters, g.driftedResources])).toEqual([['api', 2, 0], ['web', 2, 2]]);
  });

  // A missing resource's one change is the whole object (JSON pointer ''): no path to list, never `missing ()`.
  it('lists every drifted resource with its state, diff, health and since when', () => {
    const web = report.entries.find((e) => e.app === 'web' && e.cluster === 'prod-eu')!;
    expect(web.driftedResources).toEqual([
      { group: '', version: null, kind: 'ConfigMap', namespace: 'shop', name: 'web-config', state: 'missing', health: null, changedPaths: [], diff: null, driftSince: null },
      { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web', state: 'modified', health: { status: 'Progressing', message: 'Waiting for rollout' }, changedPaths: ['/spec/replicas'], diff: replicas.diff, driftSince: '2026-11-23T09:00:00.000Z' },
    ]);
    expect(hasDrift(report)).toBe(true);
    expect(hasDrift(buildDriftReport({ ...input, entries: input.entries.slice(1) }))).toBe(false);
  });

  it('renders the same document as JSON that parses back', () => {
    expect(JSON.parse(renderDriftReport(report, 'json'))).toEqual(report);
  });
});

describe('renderDriftReportHtml', () => {
  const hostile = buildDriftReport({
    ...input,
    entries: [entry('<script>alert(1)</script>', 'prod"eu', 'prod', [{ ...replicas, name: "x'><img src=x onerror=alert(1)>", diff: '+  cmd: </pre><script>alert(2)</script>\n' }])],
  });
  const html = renderDriftReportHtml(hostile);

  it('is one self-contained file: inline CSS, no script, no external asset', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<(script|link|img|iframe|object)\b|\b(src|href)\s*=\s*["']|url\(/i);
  });

  it('escapes every value', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('prod&quot;eu');
    expect(html).toContain('x&#39;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('shows the summary, the drifted resources with their diff, and says when there is no drift', () => {
    const normal = renderDriftReportHtml(buildDriftReport(input));
    expect(normal).toContain('1 app × cluster(s) drifted, 2 resource(s) in all.');
    expect(normal).toContain('<span class="a">+  replicas: 5</span>');
    expect(normal).toContain('drifted since 2026-11-23T09:00:00.000Z');
    expect(renderDriftReportHtml(buildDriftReport({ ...input, entries: [entry('api', 'prod-eu', 'prod')] }))).toContain('No drift: every app × cluster matches its desired state.');
  });
});

describe('renderDriftReportMarkdown', () => {
  it('has summary tables and each diff in a fence longer than any backtick run inside it', () => {
    const md = renderDriftReportMarkdown(
      buildDriftReport({ ...input, entries: [entry('web|pipe', 'prod-eu', 'prod', [{ ...replicas, diff: '+  script: |\n+    ```\n+    echo hi\n+    ```\n' }])] }),
    );
    expect(md).toContain('| prod | 1 | 1 | 1 | 0 |');
    expect(md).toContain('### web\\|pipe on prod-eu (prod)');
    expect(md).toContain('````diff\n+  script: |\n+    ```\n+    echo hi\n+    ```\n````');
    expect(md).toContain('| apps/Deployment/shop/web | modified | Progressing Waiting for rollout | 2026-11-23T09:00:00.000Z | /spec/replicas |');
  });
});

describe('renderDriftReportJunit', () => {
  const xml = renderDriftReportJunit(buildDriftReport(input));

  it('has one test case per app × cluster, grouped by cluster', () => {
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
    expect(xml).toContain('<testsuites name="flotilla drift" tests="4" failures="1" errors="1"');
  });

  it('fails a drifted app × cluster with its resources and diffs, and errors an unknown one', () => {
    expect(xml).toContain('<testcase classname="prod.prod-eu" name="web">\n      <failure message="2 resource(s) drifted" type="drift">web on prod-eu is OutOfSync');
    expect(xml).toContain('modified: apps/Deployment/shop/web since 2026-11-23T09:00:00.000Z (/spec/replicas)\n--- desired\n+++ live\n-  replicas: 3\n+  replicas: 5');
    expect(xml).toContain('<testcase classname="edge-1" name="api">\n      <error message="cluster edge-1 unreachable" type="unknown"/>');
    expect(xml).toContain('<testcase classname="prod.prod-eu" name="api"></testcase>');
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    const x = renderDriftReportJunit(buildDriftReport({ ...input, entries: [entry('a<b>&"c"', 'k', 'prod', [{ ...replicas, diff: 'bell\u0007 ]]> <x>' }])] }));
    expect(x).toContain('name="a&lt;b&gt;&amp;&quot;c&quot;"');
    expect(x).toContain('bell ]]&gt; &lt;x&gt;');
    expect(x).not.toContain('\u0007');
  });
});

describe('drift report: could not look is not "no drift"', () => {
  const unreachable = 'cluster prod-us is unreachable: connect ECONNREFUSED 127.0.0.1:6443';
  const partial: DriftReportInput = {
    generatedAt: '2026-11-23T10:11:00.000Z',
    snapshot: { id: 8, takenAt: '2026-11-23T10:11:00.000Z' },
    source: 'live',
    entries: [
      entry('web', 'prod-eu', 'prod', [], { observedAt: '2026-11-23T10:11:00.000Z' }),
      entry('web', 'prod-us', 'prod', [replicas], { unreachable }),
      entry('api', 'prod-us', 'prod', [], { unreachable }),
      entry('db', 'prod-eu', 'prod', [], { sync: 'Unknown', error: 'render failed: apps/db/kustomization.yaml:3:5: unknown field "resourcez"' }),
    ],
  };

  it('counts what could not be compared and says why in one line', () => {
    const r = buildDriftReport(partial);
    expect(r.summary.notCompared).toBe(3);
    expect(r.summary.coverage).toBe('3 of 4 app × cluster(s) could not be compared: cluster prod-us unreachable (connect ECONNREFUSED 127.0.0.1:6443); db on prod-eu: render failed: apps/db/kustomization.yaml:3:5: unknown field "resourcez"');
    expect(reportCoverage(r)).toBe('partial');
  });

  it('shows the drift last recorded on an unreachable cluster with its age, in every format', () => {
    const r = buildDriftReport(partial);
    const md = renderDriftReportMarkdown(r);
    expect(md).toContain('**Coverage**: 3 of 4');
    expect(md).toContain('not read in this snapshot \\(cluster prod-us is unreachable: connect ECONNREFUSED 127.0.0.1:6443\\); last observed 11m ago');
    expect(renderDriftReportHtml(r)).toContain('last observed 11m ago');
    expect(renderDriftReportJunit(r)).toMatch(/<error message="not read in this snapshot \(cluster prod-us is unreachable[^"]*; last observed 11m ago; last recorded OutOfSync, 1 resource\(s\) drifted" type="not-compared"\/>/);
    expect(r.entries.find((e) => e.cluster === 'prod-us' && e.app === 'web')).toMatchObject({ sync: 'OutOfSync', unreachable });
  });

  it('says "could not look" when nothing could be compared, and never "No drift"', () => {
    const none = buildDriftReport({ ...partial, entries: partial.entries.slice(1, 3).map((e) => ({ ...e, drifted: [], sync: 'Synced' as const })) });
    expect(reportCoverage(none)).toBe('nothing');
    const md = renderDriftReportMarkdown(none);
    expect(md).toContain('**Could not look**: none of the 2 app × cluster(s) could be compared.');
    expect(md).not.toContain('No drift');
    expect(renderDriftReportHtml(none)).not.toContain('No drift');
  });

  it('caps the reasons at five and counts the rest', () => {
    const many = Array.from({ length: 8 }, (_, i) => entry(`app${i}`, `c${i}`, undefined, [], { unreachable: `cluster c${i} is unreachable: timeout` }));
    expect(coverageLine(coverageOf(many.map((e) => ({ ...e, unreachable: e.unreachable ?? null }))))).toMatch(/cluster c4 unreachable \(timeout\); … and 3 more$/);
    expect(formatAge(11 * 60_000 + 24_000)).toBe('11m');
    expect(formatAge(3 * 3600_000 + 5 * 60_000)).toBe('3h 5m');
  });
});

describe("drift report: the controllers' own view beside Flotilla's verdict", () => {
  const sha = 'abcdef0123456789abcdef0123456789abcdef01';
  const withControllers: DriftReportInput = {
    ...input,
    entries: [
      // Argo CD says Synced while Flotilla sees the replicas changed: a disagreement.
      entry('web', 'prod-eu', 'prod', [replicas], { controller: { controller: 'Argo CD', kind: 'Application', cluster: 'prod-eu', namespace: 'argocd', name: 'web', sync: 'Synced', health: 'Healthy', revision: sha } }),
      // Flux Ready and Flotilla in sync: they agree.
      entry('podinfo', 'prod-eu', 'prod', [], {
        controller: { controller: 'Flux', kind: 'Kustomization', cluster: 'prod-eu', namespace: 'flux-system', name: 'podinfo', ready: { status: 'True', reason: 'ReconciliationSucceeded' }, revision: `main@sha1:${sha}`, lastAttemptedRevision: `main@sha1:${sha}`, inventory: 3 },
      }),
      // Flux still reconciling: it cannot say.
      entry('infra', 'prod-eu', 'prod', [], { controller: { controller: 'Flux', kind: 'HelmRelease', cluster: 'prod-eu', namespace: 'flux-system', name: 'infra', ready: { status: 'Unknown', reason: 'Progressing' } } }),
      entry('api', 'prod-eu', 'prod'),
    ],
  };
  const r = buildDriftReport(withControllers);

  it('carries each controller status, its sentence and the agreement, and counts them', () => {
    expect(r.summary.controllers).toEqual({ reported: 3, agree: 1, disagree: 1, unknown: 1 });
    const web = r.entries.find((e) => e.app === 'web')!;
    expect(web.controller).toMatchObject({ controller: 'Argo CD', sync: 'Synced' });
    expect(web.controllerSays).toBe('Argo CD says Synced, Healthy at abcdef0; Flotilla sees 1 object differing');
    expect(web.controllerAgreement).toBe('disagree');
    expect(r.entries.find((e) => e.app === 'podinfo')).toMatchObject({ controllerAgreement: 'agree', controllerSays: 'Flux says Ready (ReconciliationSucceeded) at main@sha1:abcdef0; Flotilla sees it in sync' });
    expect(r.entries.find((e) => e.app === 'api')).toMatchObject({ controller: null, controllerSays: null, controllerAgreement: null });
    expect(JSON.parse(renderDriftReport(r, 'json')).entries.find((e: { app: string }) => e.app === 'infra').controllerAgreement).toBe('unknown');
  });

  it('shows it in HTML, Markdown and JUnit', () => {
    const html = renderDriftReportHtml(r);
    expect(html).toContain("Controllers' own view: Argo CD or Flux reported on 3 of 4 app × cluster(s); 1 agree with Flotilla, 1 disagree, 1 cannot say.");
    expect(html).toContain('<p class="controller disagree">Argo CD says Synced, Healthy at abcdef0; Flotilla sees 1 object differing</p>');
    expect(html).toContain('>Argo CD: Synced ≠</span>');
    expect(html).toContain('>Flux: Ready ✓</span>');
    const md = renderDriftReportMarkdown(r);
    expect(md).toContain("**Controllers' own view**: Argo CD or Flux reported on 3 of 4");
    expect(md).toContain('**Controller disagrees**: Argo CD says Synced, Healthy at abcdef0; Flotilla sees 1 object differing');
    expect(md).toMatch(/\| prod-eu \| podinfo \| `[0-9a-f]+` \| {2}\| Synced \| Healthy \| 0\/10 \| Flux: Ready ✓ \| {2}\|/);
    const xml = renderDriftReportJunit(r);
    expect(xml).toMatch(/<testcase classname="prod.prod-eu" name="web">\n {6}<failure [^>]*type="drift">[\s\S]*?<\/failure>\n {6}<system-out>Argo CD says Synced, Healthy at abcdef0; Flotilla sees 1 object differing \(controller disagrees\)<\/system-out>\n {4}<\/testcase>/);
    expect(xml).toContain('<testcase classname="prod.prod-eu" name="infra">\n      <system-out>Flux says reconciling (Progressing); Flotilla sees it in sync (controller cannot say)</system-out>');
    expect(xml).toContain('<testcase classname="prod.prod-eu" name="api"></testcase>');
  });
});

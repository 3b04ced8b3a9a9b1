import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, exampleRepo, git, writeFiles } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

interface SarifLog { runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn?: number } } }[] }[] }[] }
interface JsonReport { targets: { app?: string; cluster?: string; path?: string; kubernetesVersion: string; objects: number; findings: { check: string; id: string; severity: string; fieldPath?: string; source?: { file: string; line?: number }; score?: number }[] }[] }

describe('flotilla validate', () => {
  let repo: { dir: string; cleanup: () => void };
  beforeAll(() => {
    repo = exampleRepo();
    writeFiles(repo.dir, {
      'scratch/bad.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad}\nspec:\n  replicas: "2"\n  selector: {matchLabels: {app: bad}}\n  template:\n    metadata: {labels: {app: bad}}\n    spec:\n      containers:\n        - name: bad\n          image: nginx:1.27\n          securityContext: {privileged: true}\n          imagePullPolcy: Always\n',
      'scratch/clean/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n',
      'scratch/broken/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c\n',
    });
    commitAll(repo.dir, 'scratch manifests');
  });
  afterAll(() => repo.cleanup());

  it('--all validates every app per target cluster and reports the example fleet\'s findings at their source lines (exit 1)', async () => {
    const r = await cli(['validate', '--all', '--repo', repo.dir, '-o', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as JsonReport;
    expect(report.targets.length).toBeGreaterThanOrEqual(14);
    const apiProd = report.targets.find((t) => t.app === 'api-prod')!;
    expect(apiProd).toMatchObject({ cluster: 'prod', kubernetesVersion: expect.stringMatching(/^1\.3\d\./) });
    expect(apiProd.findings.filter((f) => f.check === 'schema')).toEqual([]);
    const cpu = apiProd.findings.find((f) => f.id === 'unset-cpu-requirements')!;
    expect(cpu).toMatchObject({ severity: 'warning', fieldPath: 'spec.template.spec.containers[0].resources', source: { file: 'apps/api/overlays/prod/resources-patch.yaml', line: 11 } });
    expect(apiProd.findings.find((f) => f.id === 'kubesec-score')?.score).toEqual(expect.any(Number));
    // The example keeps a few realistic findings, all warnings: no CPU limits, replicas without anti-affinity, a worker
    // without a readiness probe; what it ignores on purpose (flotilla.yaml spec.validation.ignore) is not reported.
    const all = report.targets.flatMap((t) => t.findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity} ${f.check}/${f.id}`));
    expect([...new Set(all)].sort()).toEqual(['warning lint/no-anti-affinity', 'warning lint/no-readiness-probe', 'warning lint/unset-cpu-requirements']);
    expect(report.targets.find((t) => t.app === 'status-page')!.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(report.targets.every((t) => t.kubernetesVersion === '1.32.3')).toBe(true);
  });

  it('--app with --cluster validates one target; the table ends with a summary on stderr', async () => {
    const r = await cli(['validate', '--app', 'api-prod', '--cluster', 'prod', '--repo', repo.dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('lint/unset-cpu-requirements');
    expect(r.out).toContain('apps/api/overlays/prod/resources-patch.yaml:11');
    expect(r.err).toMatch(/validated \d+ objects in 1 target \(Kubernetes 1\.3\d\.\d+\): 0 errors, \d+ warnings/);
  });

  it('PATH (relative to the working directory) validates files as written: schema errors (wrong type, unknown field) and critical findings at their line', async () => {
    const r = await cli(['validate', 'scratch/bad.yaml', '-o', 'json'], repo.dir);
    expect(r.code).toBe(1);
    const f = (JSON.parse(r.out) as JsonReport).targets[0]!.findings;
    const at = (id: string) => f.filter((x) => x.id === id).map((x) => `${x.source?.file}:${x.source?.line}`);
    expect(at('wrong-type')).toEqual(['scratch/bad.yaml:5']);
    expect(at('unknown-field')).toEqual(['scratch/bad.yaml:14']);
    expect(at('privileged-container')).toEqual(['scratch/bad.yaml:13']);
    expect(at('Privileged')).toEqual(['scratch/bad.yaml:13']);
  });

  it('-o sarif places each result at its file, line and column', async () => {
    const r = await cli(['validate', 'scratch/bad.yaml', '-o', 'sarif'], repo.dir);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.out) as SarifLog;
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('flotilla');
    const unknown = run.results.find((x) => x.ruleId === 'schema/unknown-field')!;
    expect(unknown.level).toBe('error');
    expect(unknown.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'scratch/bad.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 14, startColumn: 11 } });
    expect(run.tool.driver.rules.map((x) => x.id)).toContain('lint/privileged-container');
  });

  it('-o junit fails the test case of each object with findings', async () => {
    const r = await cli(['validate', 'scratch/bad.yaml', '-o', 'junit'], repo.dir);
    expect(r.out).toMatch(/^<\?xml/);
    expect(r.out).toContain('<testcase classname="scratch/bad.yaml" name="Deployment/bad"><failure message="');
    expect(r.out).toContain('error schema/wrong-type: spec.replicas: expected integer, got string &quot;2&quot; at scratch/bad.yaml:5');
  });

  it('exit 0 when clean, 2 when a file cannot be read or the app is unknown, and a usage error without a target', async () => {
    expect((await cli(['validate', 'scratch/clean'], repo.dir)).code).toBe(0);
    const broken = await cli(['validate', path.join(repo.dir, 'scratch/broken'), '--repo', repo.dir]);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('scratch/broken/x.yaml:');
    const unknown = await cli(['validate', '--app', 'nope', '--repo', repo.dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no Application named nope');
    expect((await cli(['validate', '--repo', repo.dir])).code).toBe(2);
  });

  it('--app with --revision validates the app as that commit has it: its renders and its fleet file (ignore rules), not HEAD\'s', async () => {
    const own = exampleRepo();
    try {
      const before = git(own.dir, 'rev-parse', 'HEAD').trim();
      const fleetFile = path.join(own.dir, 'flotilla.yaml');
      writeFileSync(fleetFile, readFileSync(fleetFile, 'utf8').replace('    ignore:\n', '    ignore:\n      - {check: unset-cpu-requirements, app: api-prod, reason: limits come with the next release}\n'));
      commitAll(own.dir, 'ignore the CPU requirement of api-prod');
      const at = (rev?: string) => cli(['validate', '--app', 'api-prod', '--repo', own.dir, '-o', 'json', ...(rev ? ['--revision', rev] : [])]);
      const ids = (out: string) => (JSON.parse(out) as JsonReport).targets.flatMap((t) => t.findings.map((f) => f.id));
      const head = await at();
      expect(head.err).toBe('');
      expect(ids(head.out)).not.toContain('unset-cpu-requirements');
      const old = await at(before);
      expect(old.err).toBe('');
      expect(old.code).toBe(1);
      const report = JSON.parse(old.out) as JsonReport;
      expect(report.targets.map((t) => `${t.app}@${t.cluster}`)).toEqual(['api-prod@prod']);
      expect(report.targets[0]!.findings.find((f) => f.id === 'unset-cpu-requirements')).toMatchObject({ severity: 'warning', source: { file: 'apps/api/overlays/prod/resources-patch.yaml', line: 11 } });
    } finally {
      own.cleanup();
    }
  });
  it('PATH with --revision reads the fleet file of that commit (ignore rules, load restrictor), not HEAD\'s', async () => {
    const own = exampleRepo();
    try {
      const fleetFile = path.join(own.dir, 'flotilla.yaml');
      const original = readFileSync(fleetFile, 'utf8');
      // At R: the load restrictor off (the overlay reads a file beside its folder) and privileged containers ignored.
      writeFiles(own.dir, {
        'flotilla.yaml': original.replace('spec:\n', 'spec:\n  loadRestrictor: none\n').replace('    ignore:\n', '    ignore:\n      - {check: privileged-container, kind: Deployment, name: priv, reason: the node agent needs it}\n'),
        'scratch/lr/kustomization.yaml': 'resources:\n- ../priv.yaml\n',
        'scratch/priv.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: priv}\nspec:\n  selector: {matchLabels: {app: priv}}\n  template:\n    metadata: {labels: {app: priv}}\n    spec:\n      containers:\n        - name: priv\n          image: nginx:1.27\n          securityContext: {privileged: true}\n',
      });
      const r = commitAll(own.dir, 'node agent: load restrictor none, privileged ignored');
      // HEAD: both taken back.
      writeFileSync(fleetFile, original);
      commitAll(own.dir, 'restore the load restrictor and the privileged check');
      const at = (target: string, rev?: string) => cli(['validate', target, '--repo', own.dir, '-o', 'json', ...(rev ? ['--revision', rev] : [])], own.dir);
      const ids = (out: string) => (JSON.parse(out) as JsonReport).targets.flatMap((t) => t.findings.map((f) => f.id));
      // At R the overlay builds (no restrictor) and the privileged finding is ignored.
      const old = await at('scratch/lr', r);
      expect(old.err).toBe('');
      const report = JSON.parse(old.out) as JsonReport;
      expect(report.targets[0]!.objects).toBe(1);
      expect(ids(old.out)).not.toContain('privileged-container');
      expect(ids(old.out)).toContain('run-as-non-root');
      // HEAD's fleet file refuses the file outside the overlay (exit 1 with the restrictor's error) …
      const head = await at('scratch/lr');
      expect(head.code).not.toBe(0);
      expect(head.out + head.err).toContain('load restrictor rootOnly');
      // … and the privileged check applies to the file itself at HEAD, but not at R.
      expect(ids((await at('scratch/priv.yaml')).out)).toContain('privileged-container');
      expect(ids((await at('scratch/priv.yaml', r)).out)).not.toContain('privileged-container');
    } finally {
      own.cleanup();
    }
  });
  it('PATH reports a fleet file that does not read, at a revision or at HEAD, at its line and column (exit 2), rather than validating with the defaults', async () => {
    const own = exampleRepo();
    try {
      const fleetFile = path.join(own.dir, 'flotilla.yaml');
      const original = readFileSync(fleetFile, 'utf8');
      writeFiles(own.dir, { 'flotilla.yaml': original.replace('spec:\n', 'spec:\n  loadRestrictor: sometimes\n'), 'scratch/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n' });
      const r = commitAll(own.dir, 'a load restrictor kustomize does not have');
      const line = original.split('\n').indexOf('spec:') + 2;
      for (const rev of [r, undefined]) {
        const out = await cli(['validate', 'scratch/cm.yaml', '--repo', own.dir, ...(rev ? ['--revision', rev] : [])], own.dir);
        expect(out.code, `${rev ?? 'HEAD'}: ${out.out}${out.err}`).toBe(2);
        expect(out.out + out.err).toMatch(new RegExp(`flotilla\\.yaml:${line}:\\d+.*loadRestrictor`));
      }
      writeFileSync(fleetFile, original);
      commitAll(own.dir, 'back to the default restrictor');
      expect((await cli(['validate', 'scratch/cm.yaml', '--repo', own.dir, '--revision', 'HEAD'], own.dir)).code).toBe(0);
    } finally {
      own.cleanup();
    }
  });
});

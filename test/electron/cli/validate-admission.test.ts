import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, exampleRepo, writeFiles } from '../../helpers/git-fixtures';
import { REQUIRE_TEAM_LABEL } from '../../helpers/admission-policies';
import { cli } from '../../helpers/run-cli';

interface JsonReport { targets: { app?: string; cluster?: string; findings: { check: string; id: string; severity: string; message: string; cluster?: string; app?: string; source?: { file: string; line?: number } }[]; problems: { message: string; file?: string; line?: number; column?: number }[] }[] }

// The platform's admission policies are rendered by one app (here the worker's prod overlay) and enforced on every
// app of the cluster: `flotilla validate` checks each prod app against them, and no other cluster's apps.
const POLICY = `${REQUIRE_TEAM_LABEL}---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: broken}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
  validations:
  - expression: "object.data.size() >"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: broken}
spec: {policyName: broken, validationActions: [Deny]}
`;

describe('flotilla validate: admission policies', () => {
  let repo: { dir: string; cleanup: () => void };
  beforeAll(() => {
    repo = exampleRepo();
    writeFiles(repo.dir, { 'apps/worker/overlays/prod/policy.yaml': POLICY });
    const k = path.join(repo.dir, 'apps/worker/overlays/prod/kustomization.yaml');
    writeFileSync(k, readFileSync(k, 'utf8').replace('  - ../../base\n', '  - ../../base\n  - policy.yaml\n'));
    commitAll(repo.dir, 'platform policies in prod');
  });
  afterAll(() => repo.cleanup());

  it("reports what prod's policies would deny on every prod app, names a policy that does not compile, and leaves other clusters alone (exit 2 for the broken policy)", async () => {
    const r = await cli(['validate', '--all', '--repo', repo.dir, '-o', 'json']);
    const report = JSON.parse(r.out) as JsonReport;
    const admission = report.targets.flatMap((t) => t.findings.filter((f) => f.check === 'admission'));
    expect(admission.length).toBeGreaterThan(0);
    expect(new Set(admission.map((f) => f.cluster))).toEqual(new Set(['prod']));
    const api = admission.find((f) => f.app === 'api-prod')!;
    expect(api).toMatchObject({ id: 'require-team-label', severity: 'error', source: { file: 'apps/api/base/deployment.yaml' } });
    expect(api.message).toBe("prod's policy `require-team-label` (binding require-team-label) would deny Deployment api: every Deployment needs a team label");
    const problems = report.targets.flatMap((t) => t.problems).filter((p) => p.message.includes('ValidatingAdmissionPolicy broken'));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.message).toMatch(/spec\.validations\[0\]\.expression: compilation failed: .*; the policy is not checked/);
    expect(problems[0]).toMatchObject({ file: 'apps/worker/overlays/prod/policy.yaml', line: 28 });
    expect(r.code).toBe(2);
  });

  it("--app checks the app against every policy its cluster's apps render, without reporting the other apps (exit 2 as for --all)", async () => {
    const r = await cli(['validate', '--app', 'api-prod', '--repo', repo.dir, '-o', 'json']);
    const report = JSON.parse(r.out) as JsonReport;
    expect(report.targets.map((t) => `${t.app}@${t.cluster}`)).toEqual(['api-prod@prod']);
    const admission = report.targets[0]!.findings.filter((f) => f.check === 'admission');
    expect(admission.map((f) => [f.id, f.app, f.severity, f.source?.file])).toEqual([['require-team-label', 'api-prod', 'error', 'apps/api/base/deployment.yaml']]);
    expect(admission[0]!.message).toBe("prod's policy `require-team-label` (binding require-team-label) would deny Deployment api: every Deployment needs a team label");
    // The broken policy is prod's too: named at its file and line, as --all names it.
    const broken = report.targets[0]!.problems.filter((p) => p.message.includes('ValidatingAdmissionPolicy broken'));
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ file: 'apps/worker/overlays/prod/policy.yaml', line: 28 });
    expect(r.code).toBe(2);
  });
});

describe('flotilla validate --app: a cluster app that does not render', () => {
  let repo: { dir: string; cleanup: () => void };
  beforeAll(() => {
    repo = exampleRepo();
    writeFiles(repo.dir, { 'apps/worker/overlays/prod/policy.yaml': REQUIRE_TEAM_LABEL });
    const worker = path.join(repo.dir, 'apps/worker/overlays/prod/kustomization.yaml');
    writeFileSync(worker, readFileSync(worker, 'utf8').replace('  - ../../base\n', '  - ../../base\n  - policy.yaml\n'));
    const frontend = path.join(repo.dir, 'apps/frontend/overlays/prod/kustomization.yaml');
    writeFileSync(frontend, readFileSync(frontend, 'utf8').replace('  - ../../base\n', '  - ../../base\n  - missing.yaml\n'));
    commitAll(repo.dir, 'platform policy in prod; the frontend prod overlay names a file that does not exist');
  });
  afterAll(() => repo.cleanup());

  it("leaves the cluster's policies unknown: an error naming that app (exit 2), the policies that are known still checked", async () => {
    const r = await cli(['validate', '--app', 'api-prod', '--repo', repo.dir, '-o', 'json']);
    const report = JSON.parse(r.out) as JsonReport;
    expect(report.targets.map((t) => t.app)).toEqual(['api-prod']);
    expect(report.targets[0]!.findings.filter((f) => f.check === 'admission').map((f) => f.id)).toEqual(['require-team-label']);
    const unknown = report.targets[0]!.problems.filter((p) => p.message.includes('not all known'));
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.message).toMatch(/^the admission policies of cluster prod are not all known: its app frontend-prod does not render \(.*missing\.yaml.*\); validate it with --app frontend-prod$/);
    expect(r.code).toBe(2);
  });
});
